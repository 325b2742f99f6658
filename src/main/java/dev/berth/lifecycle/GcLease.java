package dev.berth.lifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.registry.Namespace;
import dev.berth.storage.ObjectInfo;
import dev.berth.storage.ObjectNotFoundException;
import dev.berth.storage.ObjectStore;
import dev.berth.storage.PreconditionFailedException;
import dev.berth.storage.PutCondition;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * The lease that lets one process at a time collect a namespace: an object {@code <ns>/_lifecycle/gc-lease}
 * holding the holder's id and an expiry, taken by a create-if-absent put, renewed (and an expired one taken over)
 * by a replace-if-unchanged put on its etag. Where the store's conditional puts are not atomic
 * ({@link dev.berth.storage.StoreCapabilities#atomicConditionalPut()}), two processes may both believe they hold
 * it; the collector is safe under that (see {@link GarbageCollector}), the lease only saves duplicate work.
 */
public final class GcLease {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ObjectStore store;
    private final String key;
    private final String holder;
    private final Duration ttl;
    private final Clock clock;
    private String etag;

    /** A lease on {@code ns} for {@code holder}, valid {@code ttl} after each acquisition or renewal. */
    public GcLease(ObjectStore store, Namespace ns, String holder, Duration ttl, Clock clock) {
        this.store = store;
        this.key = key(ns);
        this.holder = holder;
        this.ttl = ttl;
        this.clock = clock;
    }

    /** Where the lease of {@code ns} lives. */
    public static String key(Namespace ns) {
        return ns.id() + "/_lifecycle/gc-lease";
    }

    /** Who holds (or last held) a lease, and until when. */
    public record State(String holder, Instant expires) {}

    /** Takes the lease when it is free, expired, or already ours; false when another holder's lease is current. */
    public synchronized boolean tryAcquire() {
        Optional<ObjectInfo> info = store.stat(key);
        try {
            ObjectInfo written;
            if (info.isEmpty()) {
                written = store.put(key, encode(), PutCondition.ifAbsent());
            } else {
                Optional<State> state = readState();
                if (state.isPresent() && !state.get().holder().equals(holder)
                        && state.get().expires().isAfter(clock.instant())) {
                    return false;
                }
                written = store.put(key, encode(), PutCondition.ifMatch(info.get().etag()));
            }
            etag = written.etag();
        } catch (PreconditionFailedException | ObjectNotFoundException lostTheRace) {
            return false;
        }
        // On a store whose conditional puts are a check-then-write, reading back narrows (not closes) the window.
        Optional<State> now = readState();
        if (now.isEmpty() || !now.get().holder().equals(holder)) {
            etag = null;
            return false;
        }
        return true;
    }

    /** Extends a held lease; false when it was lost (taken over, or never held). */
    public synchronized boolean renew() {
        if (etag == null) {
            return false;
        }
        try {
            etag = store.put(key, encode(), PutCondition.ifMatch(etag)).etag();
            return true;
        } catch (PreconditionFailedException | ObjectNotFoundException lost) {
            etag = null;
            return false;
        }
    }

    /** Gives a held lease up by marking it expired, so the next collector need not wait for it. */
    public synchronized void release() {
        if (etag == null) {
            return;
        }
        try {
            store.put(key, encode(holder, Instant.EPOCH), PutCondition.ifMatch(etag));
        } catch (PreconditionFailedException | ObjectNotFoundException alreadyLost) {
            // someone took it over: theirs now
        } finally {
            etag = null;
        }
    }

    /** The lease as stored, if any. */
    public Optional<State> current() {
        return readState();
    }

    private Optional<State> readState() {
        try {
            JsonNode node = JSON.readTree(store.read(key));
            return Optional.of(new State(node.path("holder").asText(""),
                    Instant.parse(node.path("expires").asText(Instant.EPOCH.toString()))));
        } catch (ObjectNotFoundException gone) {
            return Optional.empty();
        } catch (IOException | DateTimeParseException unreadable) {
            // an unreadable lease protects nobody: treat it as expired, so it can be replaced on its etag
            return Optional.of(new State("", Instant.EPOCH));
        }
    }

    private byte[] encode() {
        return encode(holder, clock.instant().plus(ttl));
    }

    private static byte[] encode(String holder, Instant expires) {
        ObjectNode node = JSON.createObjectNode();
        node.put("holder", holder);
        node.put("expires", expires.toString());
        return node.toString().getBytes(StandardCharsets.UTF_8);
    }
}
