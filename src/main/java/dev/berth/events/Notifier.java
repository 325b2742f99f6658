package dev.berth.events;

import dev.berth.config.BerthConfig.NotificationEndpoint;
import dev.berth.config.BerthConfig.Notifications;
import dev.berth.registry.RepositoryName;
import dev.berth.registry.Tag;
import dev.berth.registry.digest.Digest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns what the registry did into events and hands each to every endpoint that wants it. The HTTP layer calls one
 * method per completed action; none of them blocks or fails the request, whatever the endpoints do.
 *
 * <pre>{@code
 * Notifier events = Notifier.start(config.notifications(), () -> source, Clock.systemUTC());
 * events.blobPushed(origin, repo, digest, size);   // after the blob is published
 * events.close(Instant.now().plusSeconds(30));      // at shutdown: deliver what is queued, then stop
 * }</pre>
 */
public final class Notifier {
    private static final Logger log = LoggerFactory.getLogger(Notifier.class);

    private final List<Endpoint> endpoints;
    private final Supplier<SourceRecord> source;
    private final Clock clock;

    private Notifier(List<Endpoint> endpoints, Supplier<SourceRecord> source, Clock clock) {
        this.endpoints = endpoints;
        this.source = source;
        this.clock = clock;
    }

    /**
     * Starts a delivery thread for each enabled endpoint of {@code config}. Events name the process {@code source}
     * gives, asked at each event: the port it names is only known once the listener is bound.
     */
    public static Notifier start(Notifications config, Supplier<SourceRecord> source, Clock clock) {
        List<NotificationEndpoint> enabled = config.endpoints().stream().filter(e -> !e.disabled()).toList();
        config.endpoints().stream().filter(NotificationEndpoint::disabled)
                .forEach(e -> log.info("events: endpoint {} is disabled", e.name()));
        return new Notifier(enabled.stream().map(e -> Endpoint.start(e, clock)).toList(), source, clock);
    }

    /** A notifier without endpoints: every method does nothing. */
    public static Notifier none() {
        return new Notifier(List.of(), () -> new SourceRecord("", ""), Clock.systemUTC());
    }

    /** Whether any endpoint may want events; when false, callers can skip describing them. */
    public boolean active() {
        return !endpoints.isEmpty();
    }

    /** A blob was uploaded and published in {@code repo}. */
    public void blobPushed(EventOrigin origin, RepositoryName repo, Digest digest, long size) {
        emit(origin, EventAction.PUSH, EventTarget.blob(origin.baseUrl(), repo, digest, size));
    }

    /** A blob of {@code from} was linked into {@code repo}. */
    public void blobMounted(EventOrigin origin, RepositoryName repo, Digest digest, long size, RepositoryName from) {
        emit(origin, EventAction.MOUNT, EventTarget.mountedBlob(origin.baseUrl(), repo, digest, size, from));
    }

    /** A blob (or a range of it) was served by a GET. */
    public void blobPulled(EventOrigin origin, RepositoryName repo, Digest digest, long size) {
        emit(origin, EventAction.PULL, EventTarget.blob(origin.baseUrl(), repo, digest, size));
    }

    /** {@code repo}'s link to a blob was deleted. */
    public void blobDeleted(EventOrigin origin, RepositoryName repo, Digest digest) {
        emit(origin, EventAction.DELETE, EventTarget.deleted(repo, digest));
    }

    /** A manifest was stored, and tagged with {@code tags}: one event per tag, or one without a tag. */
    public void manifestPushed(EventOrigin origin, RepositoryName repo, Digest digest, String mediaType, long size,
            List<Tag> tags) {
        if (tags.isEmpty()) {
            emit(origin, EventAction.PUSH, EventTarget.manifest(origin.baseUrl(), repo, digest, mediaType, size, null));
        }
        for (Tag tag : tags) {
            emit(origin, EventAction.PUSH, EventTarget.manifest(origin.baseUrl(), repo, digest, mediaType, size, tag));
        }
    }

    /** A manifest was served by a GET, by {@code tag} (null: by digest). */
    public void manifestPulled(EventOrigin origin, RepositoryName repo, Digest digest, String mediaType, long size,
            Tag tag) {
        emit(origin, EventAction.PULL, EventTarget.manifest(origin.baseUrl(), repo, digest, mediaType, size, tag));
    }

    /** A manifest was deleted from {@code repo} (its tags are reported by {@link #tagDeleted}). */
    public void manifestDeleted(EventOrigin origin, RepositoryName repo, Digest digest) {
        emit(origin, EventAction.DELETE, EventTarget.deleted(repo, digest));
    }

    /** A tag was deleted from {@code repo}. */
    public void tagDeleted(EventOrigin origin, RepositoryName repo, Tag tag) {
        emit(origin, EventAction.DELETE, EventTarget.deletedTag(repo, tag));
    }

    /** Each endpoint's counters. */
    public List<EndpointStats> stats() {
        return endpoints.stream().map(Endpoint::stats).toList();
    }

    /**
     * Stops taking events and gives the endpoints until {@code deadline} to deliver what is queued; what is left
     * then is abandoned and logged. All endpoints deliver at once, against the same deadline.
     */
    public void close(Instant deadline) {
        endpoints.forEach(endpoint -> endpoint.stopTaking(deadline));
        for (Endpoint endpoint : endpoints) {
            try {
                endpoint.awaitDelivered();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                log.warn("events: interrupted while closing endpoint {}", endpoint.name());
                return;
            }
        }
    }

    /** {@link #close(Instant)} with {@code timeout} from now. */
    public void close(Duration timeout) {
        close(clock.instant().plus(timeout));
    }

    private void emit(EventOrigin origin, EventAction action, EventTarget target) {
        if (endpoints.isEmpty()) {
            return;
        }
        Event event = new Event(UUID.randomUUID().toString(), clock.instant(), action, target, origin.request(),
                origin.actor(), source.get());
        for (Endpoint endpoint : endpoints) {
            endpoint.offer(event);
        }
    }
}
