package dev.berth.e2e;

import java.io.File;
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
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * nginx on a free 127.0.0.1 port doing plain round-robin over registry processes: no stickiness, request and
 * response bodies streamed both ways, no body size limit, HTTP/1.1 keep-alive to the replicas, and the
 * client's {@code Host} passed through so that Berth's {@code Location} headers point at the balancer. Every
 * response carries {@value #UPSTREAM_HEADER} naming the replica ({@code 127.0.0.1:PORT}) that answered, and
 * the access log records it too. Its prefix, configuration, pid and logs live under {@code target/e2e-logs}.
 */
public final class LoadBalancer implements AutoCloseable {
    /** Response header naming the replica(s) nginx sent the request to, last one answering. */
    public static final String UPSTREAM_HEADER = "X-Berth-Upstream";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    // nginx must not outlive the test JVM (a failsafe timeout, Ctrl-C), holding its port.
    private static final java.util.Set<Process> LIVE = java.util.concurrent.ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly),
                "berth-e2e-nginx-reaper"));
    }
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();

    private final String name;
    private final List<BerthProcess> replicas;
    private final int port;
    private final Path prefix;
    private Process process;

    private LoadBalancer(String name, List<BerthProcess> replicas, int port, Path prefix) {
        this.name = name;
        this.replicas = List.copyOf(replicas);
        this.port = port;
        this.prefix = prefix;
    }

    /** Starts nginx balancing over {@code replicas} (all already running); fails with its error log if it does not. */
    public static LoadBalancer start(String name, List<BerthProcess> replicas) throws IOException {
        if (replicas.isEmpty()) {
            throw new IllegalArgumentException("a load balancer needs at least one replica");
        }
        String nginx = nginxBinary();
        IllegalStateException failure = null;
        // As with the registries: a free port may be taken before nginx binds it, so try another.
        for (int attempt = 1; attempt <= 3; attempt++) {
            String unique = name + "-" + SEQUENCE.incrementAndGet();
            LoadBalancer balancer = new LoadBalancer(unique, replicas, freePort(),
                    E2eLogs.dir().resolve("nginx-" + unique));
            try {
                balancer.launch(nginx);
                FailureLogs.register(balancer);
                return balancer;
            } catch (IllegalStateException e) {
                if (failure != null) {
                    e.addSuppressed(failure);
                }
                failure = e;
            }
        }
        throw failure;
    }

    /** The balancer's base URI, such as {@code http://127.0.0.1:5000}. */
    public URI uri() {
        return URI.create("http://" + hostPort());
    }

    /** {@code 127.0.0.1:PORT}, the registry part of an image reference pushed through the balancer. */
    public String hostPort() {
        return "127.0.0.1:" + port;
    }

    /** The replicas, in the order of the {@code upstream} block. */
    public List<BerthProcess> replicas() {
        return replicas;
    }

    /** The replica that answered {@code response} (sent through this balancer), from {@value #UPSTREAM_HEADER}. */
    public BerthProcess servedBy(HttpResponse<?> response) {
        String upstreams = response.headers().firstValue(UPSTREAM_HEADER)
                .orElseThrow(() -> new AssertionError("no " + UPSTREAM_HEADER + " header: not sent through " + this
                        + "?\n" + RegistryHttp.describe(response)));
        // "a, b" when nginx moved on from a replica that refused the connection: the last one answered.
        String last = upstreams.substring(upstreams.lastIndexOf(',') + 1).trim();
        return replica(last).orElseThrow(() -> new AssertionError(UPSTREAM_HEADER + " " + upstreams
                + " names no replica of " + this));
    }

    /** The replica listening on {@code hostPort} ({@code 127.0.0.1:PORT}), if it is one of these. */
    public Optional<BerthProcess> replica(String hostPort) {
        return replicas.stream().filter(r -> r.hostPort().equals(hostPort)).findFirst();
    }

    /** One line of the access log: the request, its status, and the replica(s) nginx tried. */
    public record Access(String method, String uri, int status, List<String> upstreams) {
        /** The replica that answered (the last one tried), or "-" when none did. */
        public String answeredBy() {
            return upstreams.isEmpty() ? "-" : upstreams.getLast();
        }
    }

    /** Every request logged so far, oldest first. */
    public List<Access> accessLog() throws IOException {
        List<Access> entries = new ArrayList<>();
        Path file = prefix.resolve("access.log");
        if (!Files.exists(file)) {
            return entries;
        }
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            // Format "access": METHOD<TAB>URI<TAB>STATUS<TAB>UPSTREAMS
            String[] fields = line.split("\t", -1);
            if (fields.length < 4) {
                continue;
            }
            List<String> upstreams = new ArrayList<>();
            // "a, b" when nginx tried several replicas; "a : b" across an internal redirect.
            for (String upstream : fields[3].split(",\\s*|\\s+:\\s+")) {
                if (!upstream.isBlank() && !upstream.equals("-")) {
                    upstreams.add(upstream.trim());
                }
            }
            entries.add(new Access(fields[0], fields[1], Integer.parseInt(fields[2]), upstreams));
        }
        return entries;
    }

    /** The last {@code maxLines} lines of the access and error logs, for failure messages. */
    public String logTail(int maxLines) {
        StringBuilder out = new StringBuilder();
        for (String log : List.of("access.log", "error.log", "nginx.out")) {
            Path file = prefix.resolve(log);
            out.append("----- ").append(file).append(" -----\n");
            try {
                List<String> lines = Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
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

    private void launch(String nginx) throws IOException {
        Files.createDirectories(prefix.resolve("temp"));
        Path config = prefix.resolve("nginx.conf");
        Files.writeString(config, config());
        List<String> command = List.of(nginx, "-p", prefix + "/", "-c", config.toString(), "-e",
                prefix.resolve("error.log").toString());
        process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(prefix.resolve("nginx.out").toFile()))
                .start();
        LIVE.add(process);
        try {
            awaitReady();
        } catch (IOException | RuntimeException e) {
            stop();
            throw new IllegalStateException("nginx " + name + " did not become ready: " + e.getMessage()
                    + "\ncommand: " + String.join(" ", command) + "\n" + logTail(40), e);
        }
    }

    private String config() {
        StringBuilder servers = new StringBuilder();
        for (BerthProcess replica : replicas) {
            // A replica that refuses connections (stopped, restarting) is skipped for one second only.
            servers.append("        server ").append(replica.hostPort()).append(" max_fails=1 fail_timeout=1s;\n");
        }
        Path temp = prefix.resolve("temp");
        return """
                # Written by the end-to-end tests: round-robin over the Berth replicas, nothing sticky.
                daemon off;
                # One process: as root the workers would otherwise run as nobody, unable to use this prefix.
                master_process off;
                pid %1$s/nginx.pid;
                error_log %1$s/error.log info;
                events {
                    worker_connections 1024;
                }
                http {
                    log_format access '$request_method\\t$request_uri\\t$status\\t$upstream_addr';
                    access_log %1$s/access.log access;
                    client_body_temp_path %2$s/client_body;
                    proxy_temp_path %2$s/proxy;
                    fastcgi_temp_path %2$s/fastcgi;
                    uwsgi_temp_path %2$s/uwsgi;
                    scgi_temp_path %2$s/scgi;

                    upstream berth {
                %3$s        keepalive 16;
                    }
                    server {
                        listen 127.0.0.1:%4$d;
                        client_max_body_size 0;
                        location / {
                            proxy_pass http://berth;
                            proxy_http_version 1.1;
                            proxy_set_header Connection "";
                            proxy_set_header Host $http_host;
                            proxy_request_buffering off;
                            proxy_buffering off;
                            proxy_connect_timeout 5s;
                            proxy_send_timeout 300s;
                            proxy_read_timeout 300s;
                            add_header %5$s $upstream_addr always;
                        }
                    }
                }
                """.formatted(prefix, temp, servers, port, UPSTREAM_HEADER);
    }

    private void awaitReady() throws IOException {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        HttpRequest request = HttpRequest.newBuilder(uri().resolve("/v2/")).timeout(Duration.ofSeconds(2)).GET().build();
        String last = "no answer yet";
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IOException("nginx exited with status " + process.exitValue());
            }
            try {
                HttpResponse<Void> response = HTTP.send(request, HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200 && response.headers().firstValue(UPSTREAM_HEADER).isPresent()) {
                    return;
                }
                last = "GET /v2/ answered " + response.statusCode() + " " + response.headers().map();
            } catch (IOException e) {
                last = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }
        throw new IOException("no 200 from GET /v2/ through nginx within " + START_TIMEOUT + "; last: " + last);
    }

    private void stop() {
        if (process == null) {
            return;
        }
        process.destroy(); // SIGTERM: nginx's fast shutdown
        try {
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        LIVE.remove(process);
        process = null;
    }

    @Override
    public void close() {
        stop();
    }

    @Override
    public String toString() {
        return "nginx " + name + " at " + hostPort() + " over " + replicas.stream().map(BerthProcess::hostPort).toList();
    }

    /** nginx from the PATH, or from /usr/sbin (Debian's place, not always on a non-root PATH). */
    private static String nginxBinary() {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "nginx"))) {
                return Path.of(dir, "nginx").toString();
            }
        }
        if (Files.isExecutable(Path.of("/usr/sbin/nginx"))) {
            return "/usr/sbin/nginx";
        }
        Tools.require("nginx", "nginx"); // fails with the install hint
        throw new AssertionError("unreachable");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
