package dev.berth.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A containerd 1.6 daemon started by hand (no systemd) as root with a private root, state and socket, driven with
 * {@code ctr}; images are pulled with the native snapshotter, which needs no kernel overlay support.
 */
public final class Containerd implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(15);
    private static final Duration CTR_TIMEOUT = Duration.ofMinutes(3);
    private static final AtomicInteger DAEMONS = new AtomicInteger();
    private static final AtomicInteger FILES = new AtomicInteger();
    // A daemon still running when the test JVM goes away (a failsafe timeout, Ctrl-C) must not outlive it.
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly),
                "containerd-e2e-reaper"));
    }

    private final Path dir;
    private final Path socketDir;
    private final Path socket;
    private final Path log;
    private Process process;

    private Containerd(Path dir, Path socketDir, Path log) {
        this.dir = dir;
        this.socketDir = socketDir;
        this.socket = socketDir.resolve("c.sock");
        this.log = log;
    }

    /** Starts a containerd whose root and state live in {@code dir} (empty at first) and waits until it answers. */
    public static Containerd start(Path dir) throws IOException {
        Tools.require("containerd", "containerd");
        Tools.require("ctr", "containerd");
        Files.createDirectories(dir);
        // A unix socket path must fit in 108 bytes, which a path inside a JUnit temp dir may not.
        Path socketDir = Files.createTempDirectory(Path.of("/tmp"), "berth-ctd");
        String name = "containerd-daemon-" + DAEMONS.incrementAndGet();
        Containerd containerd = new Containerd(dir, socketDir, E2eLogs.dir().resolve(name + ".log"));
        Path config = E2eLogs.dir().resolve(name + ".toml");
        // The CRI plugin would start a streaming server and look for CNI; nothing here needs Kubernetes.
        // The opt plugin would otherwise create /opt/containerd.
        Files.writeString(config, """
                version = 2
                root = "%s"
                state = "%s"
                disabled_plugins = ["io.containerd.grpc.v1.cri"]

                [grpc]
                  address = "%s"

                [ttrpc]
                  address = "%s.ttrpc"

                [plugins."io.containerd.internal.v1.opt"]
                  path = "%s"
                """.formatted(dir.resolve("root"), dir.resolve("state"), containerd.socket, containerd.socket,
                dir.resolve("opt")));
        containerd.launch(config);
        return containerd;
    }

    private void launch(Path config) throws IOException {
        process = new ProcessBuilder("containerd", "--config", config.toString(), "--log-level", "debug")
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()))
                .start();
        LIVE.add(process);
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        String last = "not started";
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                int status = process.exitValue();
                close();
                throw new AssertionError("containerd exited with status " + status + "; log: " + log
                        + "\n" + tail());
            }
            if (Files.exists(socket)) {
                Tools.Result version = ctr(List.of("version"));
                if (version.exitCode() == 0) {
                    return;
                }
                last = version.describe();
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }
        close();
        throw new AssertionError("containerd did not answer within " + START_TIMEOUT + "; last: " + last + "\n" + tail());
    }

    /** {@code ctr images pull --plain-http --snapshotter native [options] REF}; fails when ctr does. */
    public Tools.Result pull(List<String> options, String reference) throws IOException {
        List<String> args = new ArrayList<>(List.of("images", "pull", "--plain-http", "--snapshotter", "native"));
        args.addAll(options);
        args.add(reference);
        return checked(ctr(args));
    }

    /** {@code ctr images push --plain-http [options] REMOTE [LOCAL]}; fails when ctr does. */
    public Tools.Result push(List<String> options, String remote, String local) throws IOException {
        List<String> args = new ArrayList<>(List.of("images", "push", "--plain-http"));
        args.addAll(options);
        args.add(remote);
        args.add(local);
        return checked(ctr(args));
    }

    /** The digest of the manifest or index an image name points at, as {@code ctr images ls} shows it. */
    public String imageDigest(String reference) throws IOException {
        // Columns: REF TYPE DIGEST SIZE PLATFORMS LABELS.
        for (String line : ctr(List.of("images", "ls")).check().stdout().lines().skip(1).toList()) {
            String[] columns = line.trim().split("\\s+");
            if (columns.length >= 3 && columns[0].equals(reference)) {
                return columns[2];
            }
        }
        throw new AssertionError("ctr images ls does not list " + reference);
    }

    /** {@code ctr images check} line of an image: says whether all content is present and whether it is unpacked. */
    public String check(String reference) throws IOException {
        return ctr(List.of("images", "check", "--snapshotter", "native")).check().stdout().lines()
                .filter(line -> line.startsWith(reference + " "))
                .findFirst()
                .orElseThrow(() -> new AssertionError("ctr images check does not list " + reference));
    }

    /** The bytes of a blob in containerd's content store ({@code ctr content get}), hashed. */
    public Digests.Hashed content(String digest) throws IOException {
        Path out = dir.resolve("content-" + FILES.incrementAndGet());
        // Through a shell redirection: Tools.run keeps stdout as text, which would mangle binary layers.
        ctr(List.of("content", "get", digest), out);
        try (var in = Files.newInputStream(out)) {
            return Digests.of(in);
        } finally {
            Files.deleteIfExists(out);
        }
    }

    /** The native snapshotter's directory: one plain directory per snapshot, holding the unpacked files. */
    public Path nativeSnapshots() {
        return dir.resolve("root/io.containerd.snapshotter.v1.native/snapshots");
    }

    /** Runs {@code ctr --debug --address SOCKET ARGS} (debug: the registry requests and responses go to the log). */
    public Tools.Result ctr(List<String> args) throws IOException {
        List<String> command = new ArrayList<>(List.of("ctr", "--debug", "--address", socket.toString()));
        command.addAll(args);
        return Tools.run(CTR_TIMEOUT, Map.of(), command);
    }

    private void ctr(List<String> args, Path stdout) throws IOException {
        List<String> command = new ArrayList<>(List.of("sh", "-c", "exec \"$@\" > \"$0\"", stdout.toString(),
                "ctr", "--address", socket.toString()));
        command.addAll(args);
        Tools.run(CTR_TIMEOUT, Map.of(), command).check();
    }

    /**
     * Leaves an unfinished download of blob {@code digest} in the content store: {@code ctr content ingest} of the
     * first bytes only ({@code prefix}), under the ingest reference a pull of that blob uses, so the next pull resumes.
     */
    public void leavePartialDownload(String ingestRef, String digest, long size, Path prefix) throws IOException {
        List<String> command = List.of("sh", "-c", "exec \"$@\" < \"$0\"", prefix.toString(),
                "ctr", "--address", socket.toString(), "content", "ingest", "--expected-size", Long.toString(size),
                "--expected-digest", digest, ingestRef);
        // ctr writes the prefix, then fails on the short input and leaves the ingest active: that is the point.
        Tools.Result result = Tools.run(CTR_TIMEOUT, Map.of(), command);
        assertThatIngestIsActive(ingestRef, result);
    }

    private void assertThatIngestIsActive(String ingestRef, Tools.Result ingest) throws IOException {
        String active = ctr(List.of("content", "active")).check().stdout();
        if (active.lines().noneMatch(line -> line.startsWith(ingestRef + "\t") || line.startsWith(ingestRef + " "))) {
            throw new AssertionError("no active ingest " + ingestRef + " after a partial ingest:\n" + active + "\n"
                    + ingest.describe());
        }
    }

    /** The result, or an AssertionError with ctr's output and the end of the daemon's log when ctr failed. */
    private Tools.Result checked(Tools.Result result) {
        if (result.exitCode() != 0) {
            throw new AssertionError("ctr failed with exit code " + result.exitCode() + "\n" + result.describe()
                    + "\n--- end of " + log + " ---\n" + tail());
        }
        return result;
    }

    private String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }

    /** Stops the daemon (SIGTERM, then SIGKILL) and removes its short-path socket directory. */
    @Override
    public void close() throws IOException {
        if (process != null) {
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
            LIVE.remove(process);
            process = null;
        }
        try (var files = Files.walk(socketDir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }

    @Override
    public String toString() {
        return "containerd at " + socket + " (log " + log + ")";
    }
}
