package dev.berth.e2e;

import dev.berth.tls.TestPki;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A registry running as a separate OS process on 127.0.0.1: Berth from {@code target/berth.jar}, or CNCF
 * Distribution when {@code -Dberth.e2e.target=distribution} (to validate the tests themselves).
 */
public final class BerthProcess implements AutoCloseable {
    /**
     * How to launch Berth: a storage directory ({@code --storage}), or configuration settings written to a
     * {@code --config} file (dotted keys such as {@code storage.driver} → {@code s3}), plus extra environment
     * variables and the JVM heap. The process never inherits the test JVM's {@code BERTH_*} variables: Berth
     * refuses those that name no configuration key, and a developer's own must not change what a test runs.
     * With {@code trustedCa} (null: plain HTTP) Berth serves TLS, and that CA's certificate (PEM) is what the
     * tests' own HTTP checks trust.
     */
    public record Launch(Path storage, Map<String, String> settings, Map<String, String> environment, String heap,
            Path trustedCa) {
        /** Validates and copies. */
        public Launch {
            if ((storage == null) == settings.isEmpty()) {
                throw new IllegalArgumentException("a launch needs either a storage directory or settings, not both");
            }
            settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
            environment = Map.copyOf(environment);
        }

        /** The filesystem driver on {@code storage}, a 256 MiB heap. */
        public static Launch filesystem(Path storage) {
            return new Launch(storage, Map.of(), Map.of(), "256m", null);
        }

        /** Configuration {@code settings} (dotted keys, e.g. {@code storage.s3.bucket}), a 256 MiB heap. */
        public static Launch configured(Map<String, String> settings) {
            return new Launch(null, settings, Map.of(), "256m", null);
        }

        /** This launch with {@code heap} (e.g. "512m"). */
        public Launch withHeap(String heap) {
            return new Launch(storage, settings, environment, heap, trustedCa);
        }

        /** This launch with more settings (a {@code storage} directory launch keeps its directory). */
        public Launch withSettings(Map<String, String> more) {
            Map<String, String> all = new LinkedHashMap<>(settings);
            all.putAll(more);
            if (storage != null) {
                all.putIfAbsent("storage.driver", "filesystem");
                all.putIfAbsent("storage.filesystem.root", storage.toString());
            }
            return new Launch(null, all, environment, heap, trustedCa);
        }

        /** This launch with extra environment variables. */
        public Launch withEnvironment(Map<String, String> more) {
            Map<String, String> all = new LinkedHashMap<>(environment);
            all.putAll(more);
            return new Launch(storage, settings, all, heap, trustedCa);
        }

        /**
         * This launch serving TLS with {@code cert} and {@code key}, asking for client certificates signed by
         * {@code clientCa} (null: none), its certificate signed by {@code ca}.
         */
        public Launch withTls(Path cert, Path key, Path clientCa, Path ca) {
            Map<String, String> tls = new LinkedHashMap<>();
            tls.put("tls.cert", cert.toString());
            tls.put("tls.key", key.toString());
            if (clientCa != null) {
                tls.put("tls.client-ca", clientCa.toString());
            }
            Launch configured = withSettings(tls);
            return new Launch(configured.storage(), configured.settings(), environment, heap, ca);
        }
    }

    /** Which server the end-to-end tests run against. */
    public enum Target {
        BERTH, DISTRIBUTION;

        /** The target named by {@code berth.e2e.target}; Berth unless told otherwise. */
        public static Target fromSystemProperty() {
            String value = System.getProperty("berth.e2e.target", "berth").trim();
            try {
                return value.isEmpty() ? BERTH : valueOf(value.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("-Dberth.e2e.target=" + value + ": expected berth or distribution", e);
            }
        }
    }

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(15);
    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    // Registries still running when the test JVM goes away (a failsafe timeout, Ctrl-C) must not
    // outlive it, holding ports and disk.
    private static final java.util.Set<Process> LIVE = java.util.concurrent.ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly),
                "berth-e2e-reaper"));
    }
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();

    private final Target target;
    private final String name;
    private final Launch launch;
    private final int port;
    private final Path logDir;
    private Process process;
    private Path logFile;
    private int starts;

    private BerthProcess(Target target, String name, Launch launch, int port) {
        this.target = target;
        this.name = name;
        this.launch = launch;
        this.port = port;
        this.logDir = E2eLogs.dir();
    }

    /** Starts the configured target on a free port, serving {@code storage}, with a JVM heap of {@code heap} (e.g. "256m"). */
    public static BerthProcess start(String name, Path storage, String heap) throws IOException {
        return start(name, Launch.filesystem(storage).withHeap(heap));
    }

    /** Starts the configured target on a free port as {@code launch} says. */
    public static BerthProcess start(String name, Launch launch) throws IOException {
        // The free port is only free when we look: another process may bind it before the registry does,
        // so a start that fails (the registry exits at once) is tried again on another port.
        IllegalStateException failure = null;
        for (int attempt = 1; attempt <= 3; attempt++) {
            BerthProcess registry = new BerthProcess(Target.fromSystemProperty(),
                    name + "-" + SEQUENCE.incrementAndGet(), launch, freePort());
            try {
                registry.launch();
                return registry;
            } catch (IllegalStateException e) {
                if (failure != null) {
                    e.addSuppressed(failure);
                }
                failure = e;
            }
        }
        throw failure;
    }

    /** Starts the configured target with a 256 MiB heap. */
    public static BerthProcess start(String name, Path storage) throws IOException {
        return start(name, storage, "256m");
    }

    /** Stops the process and starts it again on the same port and storage directory. */
    public void restart() throws IOException {
        stop();
        launch();
    }

    /** Stops the process (SIGTERM, then SIGKILL after a grace period); {@link #startAgain()} brings it back. */
    public void stopNow() {
        stop();
    }

    /**
     * Sends SIGTERM and returns at once, while the process stops gracefully; {@link #awaitExit} waits for its end and
     * {@link #startAgain()} brings it back.
     */
    public void terminate() {
        if (process == null) {
            throw new IllegalStateException(this + " is not running");
        }
        process.destroy(); // SIGTERM on Linux, which runs Berth's shutdown hook
    }

    /** Waits up to {@code timeout} for the process to exit after {@link #terminate()}; its exit status. */
    public int awaitExit(Duration timeout) throws InterruptedException {
        if (process == null) {
            throw new IllegalStateException(this + " is not running");
        }
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError(this + " did not exit within " + timeout + " of SIGTERM\n" + logTail(40));
        }
        int status = process.exitValue();
        LIVE.remove(process);
        process = null;
        return status;
    }

    /** Kills the process at once (SIGKILL), as a crash would; {@link #startAgain()} brings it back. */
    public void kill() {
        if (process == null) {
            return;
        }
        List<ProcessHandle> children = new ArrayList<>(process.descendants().toList());
        process.destroyForcibly();
        try {
            process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        children.forEach(ProcessHandle::destroyForcibly);
        LIVE.remove(process);
        process = null;
    }

    /** Starts a stopped or killed process again on the same port with the same launch settings. */
    public void startAgain() throws IOException {
        if (process != null) {
            throw new IllegalStateException(this + " is still running");
        }
        launch();
    }

    /** The port the process listens on (kept across restarts). */
    public int port() {
        return port;
    }

    /** The base URI, such as {@code http://127.0.0.1:5000}, or {@code https://...} for a launch with TLS. */
    public URI uri() {
        return URI.create((launch.trustedCa() == null ? "http://" : "https://") + hostPort());
    }

    /** An HTTP/1.1 client for this registry: over TLS it trusts the launch's CA (and only that). */
    public HttpClient httpClient() throws IOException {
        HttpClient.Builder builder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2));
        if (launch.trustedCa() != null) {
            builder.sslContext(TestPki.trusting(launch.trustedCa()));
        }
        return builder.build();
    }

    /** {@code 127.0.0.1:PORT}, the registry part of an image reference. */
    public String hostPort() {
        return "127.0.0.1:" + port;
    }

    /** Whether the process is running (it may have died, e.g. of an OutOfMemoryError). */
    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** The operating system's id of the running process, e.g. to read its peak memory from {@code /proc}. */
    public long pid() {
        if (process == null) {
            throw new IllegalStateException(this + " is not running");
        }
        return process.pid();
    }

    /** Which server this is. */
    public Target target() {
        return target;
    }

    /** The log of the current (or last) run of the process. */
    public Path logFile() {
        return logFile;
    }

    /** The last {@code maxLines} lines of every log this registry wrote, for failure messages. */
    public String logTail(int maxLines) {
        StringBuilder out = new StringBuilder();
        for (int run = 1; run <= starts; run++) {
            Path file = logPath(run);
            out.append("----- ").append(file).append(" -----\n");
            try {
                List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                int from = Math.max(0, lines.size() - maxLines);
                if (from > 0) {
                    out.append("... (").append(from).append(" earlier lines)\n");
                }
                lines.subList(from, lines.size()).forEach(line -> out.append(line).append('\n'));
            } catch (IOException e) {
                out.append("(cannot read: ").append(e).append(")\n");
            }
        }
        return out.toString();
    }

    private void launch() throws IOException {
        if (launch.storage() != null) {
            Files.createDirectories(launch.storage());
        }
        starts++;
        logFile = logPath(starts);
        ProcessBuilder builder = new ProcessBuilder(command())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(logFile.toFile()));
        builder.environment().keySet().removeIf(variable -> variable.startsWith("BERTH_"));
        builder.environment().putAll(launch.environment());
        process = builder.start();
        LIVE.add(process);
        FailureLogs.register(this);
        try {
            awaitReady();
        } catch (IOException | RuntimeException e) {
            stop();
            throw new IllegalStateException(target + " process " + name + " did not become ready: " + e.getMessage()
                    + "\ncommand: " + String.join(" ", command()) + "\n" + logTail(80), e);
        }
    }

    private Path logPath(int run) {
        return logDir.resolve(name + "-run" + run + ".log");
    }

    private List<String> command() throws IOException {
        return switch (target) {
            case BERTH -> berthCommand();
            case DISTRIBUTION -> distributionCommand();
        };
    }

    private List<String> berthCommand() throws IOException {
        String jarProperty = System.getProperty("berth.jar", "target/berth.jar");
        Path jar = Path.of(jarProperty).toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new AssertionError("Berth jar not found at " + jar
                    + " (system property berth.jar); build it with mvn package, or run ./run-tests");
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "--add-opens", "java.base/sun.security.provider=ALL-UNNAMED",
                "-Xmx" + launch.heap(), "-jar", jar.toString(), "serve", "--listen", hostPort()));
        if (launch.storage() != null) {
            command.addAll(List.of("--storage", launch.storage().toString()));
        } else {
            command.addAll(List.of("--config", writeConfig().toString()));
        }
        return command;
    }

    /** The launch's settings as a YAML file in the log directory (nested by the dots of the keys). */
    private Path writeConfig() throws IOException {
        Map<String, Object> tree = new TreeMap<>();
        for (Map.Entry<String, String> setting : launch.settings().entrySet()) {
            String[] parts = setting.getKey().split("\\.");
            Map<String, Object> node = tree;
            for (int i = 0; i < parts.length - 1; i++) {
                Object child = node.computeIfAbsent(parts[i], k -> new TreeMap<String, Object>());
                if (!(child instanceof Map)) {
                    throw new IllegalArgumentException("setting " + setting.getKey() + " is below a value");
                }
                @SuppressWarnings("unchecked")
                Map<String, Object> map = (Map<String, Object>) child;
                node = map;
            }
            node.put(parts[parts.length - 1], setting.getValue());
        }
        StringBuilder yaml = new StringBuilder("# written by the end-to-end tests for " + name + "\n");
        appendYaml(yaml, tree, 0);
        Path file = logDir.resolve(name + "-berth.yml");
        Files.writeString(file, yaml);
        return file;
    }

    private static void appendYaml(StringBuilder out, Map<String, Object> node, int depth) {
        for (Map.Entry<String, Object> entry : node.entrySet()) {
            out.append("  ".repeat(depth)).append(entry.getKey()).append(':');
            if (entry.getValue() instanceof Map<?, ?> child) {
                out.append('\n');
                @SuppressWarnings("unchecked")
                Map<String, Object> map = (Map<String, Object>) child;
                appendYaml(out, map, depth + 1);
            } else {
                out.append(' ').append(quoted(entry.getValue().toString())).append('\n');
            }
        }
    }

    /** A YAML double-quoted scalar (JSON string escapes are valid YAML). */
    private static String quoted(String value) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    private List<String> distributionCommand() throws IOException {
        Path storage = launch.storage();
        if (storage == null) {
            throw new AssertionError("the Distribution target runs on a storage directory only, not on settings "
                    + launch.settings().keySet());
        }
        // The same http.secret on every process sharing a storage directory lets them (and a restarted
        // process) accept each other's upload state tokens, as replicas behind a load balancer must.
        String config = """
                version: 0.1
                log:
                  level: info
                  accesslog:
                    disabled: true
                storage:
                  filesystem:
                    rootdirectory: %s
                  delete:
                    enabled: true
                http:
                  addr: %s
                  secret: berth-e2e-shared-secret
                """.formatted(storage, hostPort());
        Path file = logDir.resolve(name + "-distribution.yml");
        Files.writeString(file, config);
        Tools.require("docker-registry", "docker-registry");
        return List.of("docker-registry", "serve", file.toString());
    }

    private void awaitReady() throws IOException {
        try (HttpClient http = launch.trustedCa() == null ? null : httpClient()) {
            awaitReady(http == null ? HTTP : http);
        }
    }

    private void awaitReady(HttpClient client) throws IOException {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        HttpRequest request = HttpRequest.newBuilder(uri().resolve("/v2/")).timeout(Duration.ofSeconds(2)).GET().build();
        String last = "no answer yet";
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IOException("process exited with status " + process.exitValue());
            }
            try {
                HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
                // A registry with access control answers the base endpoint with a challenge: up all the same.
                if (response.statusCode() == 200 || response.statusCode() == 401
                        && response.headers().firstValue("WWW-Authenticate").isPresent()) {
                    return;
                }
                last = "GET /v2/ answered " + response.statusCode();
            } catch (IOException e) {
                last = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
            sleep(Duration.ofMillis(100));
        }
        throw new IOException("no 200 (or 401 challenge) from GET /v2/ within " + START_TIMEOUT + "; last: " + last);
    }

    private void stop() {
        if (process == null) {
            return;
        }
        List<ProcessHandle> children = new ArrayList<>(process.descendants().toList());
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        children.forEach(ProcessHandle::destroyForcibly);
        LIVE.remove(process);
        process = null;
    }

    @Override
    public void close() {
        stop();
    }

    @Override
    public String toString() {
        return target + " " + name + " at " + hostPort();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void sleep(Duration duration) throws IOException {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
