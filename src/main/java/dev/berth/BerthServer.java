package dev.berth;

import dev.berth.auth.AccessControl;
import dev.berth.auth.EnforcedAccess;
import dev.berth.auth.OpenAccess;
import dev.berth.config.BerthConfig;
import dev.berth.http.HttpServerFactory;
import dev.berth.lifecycle.GcOptions;
import dev.berth.lifecycle.ScheduledGc;
import dev.berth.observe.BerthMetrics;
import dev.berth.observe.MeteredStore;
import dev.berth.observe.Readiness;
import dev.berth.registry.Registry;
import dev.berth.registry.UploadDigests;
import dev.berth.storage.CheckedStore;
import dev.berth.storage.FilesystemStore;
import dev.berth.storage.MemoryStore;
import dev.berth.storage.ObjectStore;
import dev.berth.storage.S3Settings;
import dev.berth.storage.S3Store;
import dev.berth.storage.SwiftStore;
import dev.berth.tls.ServerTls;
import dev.berth.events.EndpointStats;
import dev.berth.events.Notifier;
import dev.berth.events.SourceRecord;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.component.Graceful;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Berth: the store, the registry and the HTTP listener wired from one configuration.
 * The composition root; every other class receives its collaborators.
 */
public final class BerthServer implements AutoCloseable {
    /** The JVM system property that keeps upload digests in memory, for benchmarks only. */
    public static final String DIGESTS_IN_MEMORY = "berth.benchmark.digests-in-memory";
    private static final Logger log = LoggerFactory.getLogger(BerthServer.class);

    private final Server jetty;
    private final URI uri;
    private final ObjectStore backend;
    private final ScheduledGc scheduledGc;
    private final ServerTls tls;
    private final Notifier events;
    private final Duration shutdownTimeout;
    private final Readiness readiness;

    private BerthServer(Server jetty, URI uri, ObjectStore backend, ScheduledGc scheduledGc, ServerTls tls,
            Notifier events, Duration shutdownTimeout, Readiness readiness) {
        this.jetty = jetty;
        this.uri = uri;
        this.backend = backend;
        this.scheduledGc = scheduledGc;
        this.tls = tls;
        this.events = events;
        this.shutdownTimeout = shutdownTimeout;
        this.readiness = readiness;
    }

    /** Starts Berth with {@code config}; a listen port of 0 picks a free port, which {@link #uri()} then shows. */
    public static BerthServer start(BerthConfig config) throws Exception {
        return start(config, openStore(config));
    }

    /**
     * Starts Berth with {@code config} on {@code backend} instead of the configured one (its {@code storage}
     * section is ignored), wrapped in the same key checks; for tests that put a decorator around a backend.
     */
    public static BerthServer start(BerthConfig config, ObjectStore backend) throws Exception {
        // Read first: a certificate that cannot be used stops the start, naming key and file.
        Optional<ServerTls> tls = config.tls().isPresent() ? Optional.of(ServerTls.load(config.tls().get()))
                : Optional.empty();
        Optional<BerthMetrics> metrics = config.admin().metrics() ? Optional.of(BerthMetrics.create())
                : Optional.empty();
        ObjectStore store = CheckedStore.of(metrics.<ObjectStore>map(m -> new MeteredStore(backend, m.storage()))
                .orElse(backend));
        Registry registry = Registry.open(store, config, Clock.systemUTC(), uploadDigests());
        metrics.ifPresent(m -> m.watch(registry));
        Readiness readiness = new Readiness(store, config.admin().readinessTimeout(),
                config.admin().readinessCache());
        AccessControl access = config.auth()
                .<AccessControl>map(auth -> EnforcedAccess.from(auth, config.publicUrl(), store, Clock.systemUTC(),
                        registry.namespaces()))
                .orElseGet(OpenAccess::new);
        // The source of events names the port, known once the listener is bound; events come after that.
        AtomicReference<SourceRecord> source = new AtomicReference<>(new SourceRecord("", ""));
        Notifier events = Notifier.start(config.notifications(), source::get, Clock.systemUTC());
        Server jetty = HttpServerFactory.create(config, registry, access, tls.map(ServerTls::sslContextFactory),
                events, metrics, readiness);
        try {
            jetty.start();
        } catch (Exception e) {
            events.close(Instant.now());
            readiness.close();
            throw e;
        }
        tls.ifPresent(ServerTls::watch);
        URI uri = HttpServerFactory.boundUri(jetty);
        if (events.active()) {
            source.set(new SourceRecord(hostName() + ":" + uri.getPort(), UUID.randomUUID().toString()));
        }
        BerthConfig.Gc gc = config.lifecycle().gc();
        ScheduledGc scheduledGc = gc.schedule()
                .map(interval -> ScheduledGc.start(store, Clock.systemUTC(), registry.namespaces().all(),
                        GcOptions.from(gc), interval, config.lifecycle()))
                .orElse(null);
        metrics.ifPresent(m -> m.watchGc(Optional.ofNullable(scheduledGc)));
        return new BerthServer(jetty, uri, backend, scheduledGc, tls.orElse(null), events,
                config.shutdown().timeout(), readiness);
    }

    /** This machine's name, as events name their source; {@code localhost} when it has none that resolves. */
    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    /**
     * Where upload digests live: in the upload records, unless the JVM was started with
     * {@value #DIGESTS_IN_MEMORY}{@code =true}, a switch for measuring what resumable hashing costs
     * (docs/performance.md) that breaks uploads across replicas and restarts; it is logged loudly.
     */
    private static UploadDigests uploadDigests() {
        if (Boolean.getBoolean(DIGESTS_IN_MEMORY)) {
            log.warn("{}=true: upload digests stay in this process (a benchmark setting; uploads cannot move between"
                    + " replicas or survive a restart)", DIGESTS_IN_MEMORY);
            return UploadDigests.inProcessMemory();
        }
        return UploadDigests.inRecord();
    }

    /**
     * Opens the configured backend, unwrapped: {@link #start(BerthConfig, ObjectStore)} adds the checks every backend
     * shares, and other commands wrap it in {@link CheckedStore} themselves. The caller closes it when it is
     * {@link AutoCloseable}.
     */
    public static ObjectStore openStore(BerthConfig config) {
        return switch (config.storage().driver()) {
            case FILESYSTEM -> new FilesystemStore(config.storage().filesystem().root().toAbsolutePath().normalize());
            case S3 -> S3Store.open(s3Settings(config.storage().s3()));
            case SWIFT -> openSwift(config.storage().swift());
            case MEMORY -> new MemoryStore();
        };
    }

    /** Swift with Keystone v3 when the auth URL ends in {@code /v3}, tempauth otherwise. */
    private static ObjectStore openSwift(BerthConfig.Swift swift) {
        URI authUrl = URI.create(swift.authUrl());
        return swift.keystone()
                ? SwiftStore.keystone(authUrl, swift.user(), swift.password(), swift.project(), swift.domain(),
                        swift.region(), swift.container())
                : SwiftStore.tempauth(authUrl, swift.user(), swift.key(), swift.container());
    }

    private static S3Settings s3Settings(BerthConfig.S3 s3) {
        return new S3Settings(s3.endpoint(), s3.region(), s3.bucket(), s3.prefix(), s3.accessKey(), s3.secretKey(),
                s3.pathStyle());
    }

    /** The base URI clients reach this server on, such as {@code http://127.0.0.1:5000} or {@code https://...}. */
    public URI uri() {
        return uri;
    }

    /** The base URI of the admin listener ({@code admin.listen}), when there is one. */
    public Optional<URI> adminUri() {
        return HttpServerFactory.adminUri(jetty);
    }

    /** Blocks until the server stops. */
    public void join() throws InterruptedException {
        jetty.join();
    }

    /** What each event endpoint has delivered, dropped and retried so far. */
    public List<EndpointStats> eventStats() {
        return events.stats();
    }

    /**
     * Stops gracefully: stops accepting connections, lets the requests in flight finish and the queued events be
     * delivered, together within {@code shutdown.timeout} (a request still running then is cut, and what it had not
     * published stays unpublished; undelivered events are abandoned), then releases the backend's connections.
     */
    @Override
    public void close() throws Exception {
        Instant deadline = Instant.now().plus(shutdownTimeout);
        GracefulHandler graceful = jetty.getDescendant(GracefulHandler.class);
        long inFlight = graceful == null ? 0 : graceful.getCurrentRequestCount();
        if (inFlight > 0) {
            log.info("Berth stopping: finishing {} requests in flight (up to {} s)", inFlight,
                    shutdownTimeout.toSeconds());
        }
        // The graceful part is done here rather than inside Jetty's stop, so the log can say what the timeout cut, and
        // so the wait ends with the last request: idle connections are closed by the stop, not waited for.
        CompletableFuture<Void> stopping = Graceful.shutdown(jetty); // stops accepting; new requests get 503
        try {
            (graceful == null ? stopping : graceful.shutdown()).get(shutdownTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            log.warn("Berth stopping: {} requests still running after {} s are cut; what they had not published stays"
                    + " unpublished", graceful == null ? "some" : graceful.getCurrentRequestCount(),
                    shutdownTimeout.toSeconds());
        } catch (ExecutionException e) {
            log.warn("Berth stopping: waiting for requests in flight failed: {}", e.getCause().toString());
        }
        jetty.setStopTimeout(0); // the wait is over: stop at once
        try {
            jetty.stop();
        } catch (Exception e) {
            log.warn("Berth stopping: the HTTP server did not stop cleanly: {}", e.toString());
        }
        events.close(deadline);
        if (scheduledGc != null) {
            scheduledGc.close();
        }
        if (tls != null) {
            tls.close();
        }
        readiness.close();
        if (backend instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }
}
