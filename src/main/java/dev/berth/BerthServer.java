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
import dev.berth.registry.Namespace;
import dev.berth.registry.Registry;
import dev.berth.storage.CheckedStore;
import dev.berth.storage.FilesystemStore;
import dev.berth.storage.MemoryStore;
import dev.berth.storage.ObjectStore;
import dev.berth.storage.S3Settings;
import dev.berth.storage.S3Store;
import dev.berth.storage.SwiftStore;
import dev.berth.tls.ServerTls;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.eclipse.jetty.server.Server;

/**
 * A running Berth: the store, the registry and the HTTP listener wired from one configuration.
 * The composition root; every other class receives its collaborators.
 */
public final class BerthServer implements AutoCloseable {
    private final Server jetty;
    private final URI uri;
    private final ObjectStore backend;
    private final ScheduledGc scheduledGc;
    private final ServerTls tls;
    private final Readiness readiness;

    private BerthServer(Server jetty, URI uri, ObjectStore backend, ScheduledGc scheduledGc, ServerTls tls,
            Readiness readiness) {
        this.jetty = jetty;
        this.uri = uri;
        this.backend = backend;
        this.scheduledGc = scheduledGc;
        this.tls = tls;
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
        Registry registry = Registry.open(store, config, Clock.systemUTC());
        metrics.ifPresent(m -> m.watch(registry));
        Readiness readiness = new Readiness(store, config.admin().readinessTimeout(),
                config.admin().readinessCache());
        AccessControl access = config.auth()
                .<AccessControl>map(auth -> EnforcedAccess.from(auth, config.publicUrl(), store, Clock.systemUTC()))
                .orElseGet(OpenAccess::new);
        Server jetty = HttpServerFactory.create(config, registry, access, tls.map(ServerTls::sslContextFactory),
                metrics, readiness);
        jetty.start();
        tls.ifPresent(ServerTls::watch);
        URI uri = HttpServerFactory.boundUri(jetty);
        BerthConfig.Gc gc = config.lifecycle().gc();
        ScheduledGc scheduledGc = gc.schedule()
                .map(interval -> ScheduledGc.start(store, Clock.systemUTC(), List.of(Namespace.DEFAULT),
                        GcOptions.from(gc), interval, config.lifecycle()))
                .orElse(null);
        metrics.ifPresent(m -> m.watchGc(Optional.ofNullable(scheduledGc)));
        return new BerthServer(jetty, uri, backend, scheduledGc, tls.orElse(null), readiness);
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

    /** Stops serving, then releases the backend's connections. */
    @Override
    public void close() throws Exception {
        if (scheduledGc != null) {
            scheduledGc.close();
        }
        if (tls != null) {
            tls.close();
        }
        jetty.stop();
        readiness.close();
        if (backend instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }
}
