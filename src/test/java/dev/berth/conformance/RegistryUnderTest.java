package dev.berth.conformance;

import dev.berth.BerthServer;
import dev.berth.config.BerthConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The registry the conformance tests talk to: Berth started in-process (the default), or an already
 * running registry named by the system property {@code berth.conformance.url}.
 *
 * <p>Tests that need a non-default configuration ask for a {@link Setup}; in-process each setup is its
 * own Berth, and against an external registry each setup other than the default needs its own URL in
 * {@code berth.conformance.url.<setup>} (for example {@code berth.conformance.url.delete-disabled}).
 * {@code berth.conformance.storage=filesystem} runs the in-process Berth on filesystem storage.
 */
public final class RegistryUnderTest implements AutoCloseable {
    private static final AtomicLong REPOSITORY_COUNTER = new AtomicLong();
    private static final String RUN_ID = Long.toString(System.currentTimeMillis() % 1_000_000_000L, 36);

    /** The configurations the tests run against. */
    public enum Setup {
        /** Berth's defaults: deletes on, sparse indexes rejected, 4 MiB manifest limit. */
        DEFAULT,
        /** {@code delete.enabled: false}. */
        DELETE_DISABLED,
        /** {@code validation.sparse-index: allow}. */
        SPARSE_INDEX_ALLOWED;

        String propertySuffix() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        BerthConfig apply(BerthConfig config) {
            return switch (this) {
                case DEFAULT -> config;
                case DELETE_DISABLED -> config.withDelete(new BerthConfig.Delete(false));
                case SPARSE_INDEX_ALLOWED -> config.withValidation(
                        new BerthConfig.Validation(BerthConfig.SparseIndexPolicy.ALLOW));
            };
        }
    }

    /** Picks the {@link Setup} of an injected {@link RegistryUnderTest} parameter; without it, {@link Setup#DEFAULT}. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.PARAMETER)
    public @interface Configured {
        /** The setup wanted. */
        Setup value();
    }

    private final Setup setup;
    private final BerthServer server;
    private final Path storageRoot;
    private final Http http;

    private RegistryUnderTest(Setup setup, BerthServer server, Path storageRoot, URI uri) {
        this.setup = setup;
        this.server = server;
        this.storageRoot = storageRoot;
        this.http = new Http(uri);
    }

    static RegistryUnderTest start(Setup setup) {
        String external = System.getProperty(setup == Setup.DEFAULT
                ? "berth.conformance.url"
                : "berth.conformance.url." + setup.propertySuffix());
        if (external != null && !external.isBlank()) {
            return new RegistryUnderTest(setup, null, null, URI.create(external.trim()));
        }
        if (setup != Setup.DEFAULT && System.getProperty("berth.conformance.url") != null) {
            throw new IllegalStateException("testing an external registry, but no URL for setup " + setup
                    + ": set -Dberth.conformance.url." + setup.propertySuffix() + "=http://HOST:PORT");
        }
        Path root = null;
        try {
            // A namespace beside the default one, chosen by a host name and a prefix the suite never uses: the suite
            // runs on the default namespace with the routing between namespaces in the path of every request.
            BerthConfig config = BerthConfig.defaults().withListen("127.0.0.1:0").withNamespaces(List.of(
                    new BerthConfig.NamespaceSpec("elsewhere", List.of("elsewhere.invalid"), Optional.of("elsewhere"),
                            "")));
            if ("filesystem".equalsIgnoreCase(System.getProperty("berth.conformance.storage", "memory"))) {
                root = Files.createTempDirectory("berth-conformance-");
                config = config.withStorage(new BerthConfig.Storage(BerthConfig.StorageDriver.FILESYSTEM,
                        new BerthConfig.Filesystem(root)));
            } else {
                config = config.withStorage(new BerthConfig.Storage(BerthConfig.StorageDriver.MEMORY, null));
            }
            BerthServer server = BerthServer.start(setup.apply(config));
            return new RegistryUnderTest(setup, server, root, server.uri());
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("Berth did not start for setup " + setup, e);
        }
    }

    /** The configuration this registry runs with. */
    public Setup setup() {
        return setup;
    }

    /** The HTTP client aimed at this registry. */
    public Http http() {
        return http;
    }

    /** A client for the common push and pull steps. */
    public Client client() {
        return new Client(http);
    }

    /** A repository name no other test uses, such as {@code conformance/k2j9x/push-7}. */
    public String newRepository(String hint) {
        return "conformance/" + RUN_ID + "/" + hint + "-" + REPOSITORY_COUNTER.incrementAndGet();
    }

    @Override
    public void close() throws Exception {
        if (server != null) {
            server.close();
        }
        if (storageRoot != null) {
            try (Stream<Path> paths = Files.walk(storageRoot)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                    try {
                        Files.deleteIfExists(p);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            }
        }
    }

    /** Injects a {@link RegistryUnderTest}, started once per setup for the whole test run. */
    public static final class Extension implements ParameterResolver {
        private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(RegistryUnderTest.class);

        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            return parameter.getParameter().getType() == RegistryUnderTest.class;
        }

        @Override
        public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
            Setup setup = parameter.findAnnotation(Configured.class).map(Configured::value).orElse(Setup.DEFAULT);
            return context.getRoot().getStore(NAMESPACE)
                    .computeIfAbsent(setup, RegistryUnderTest::start, RegistryUnderTest.class);
        }
    }
}
