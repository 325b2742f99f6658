package dev.berth.e2e;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Runs command-line clients (skopeo, podman, buildah, ctr) with a timeout, keeping their output for failure messages. */
public final class Tools {
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private Tools() {
    }

    /** What a finished command printed and returned. */
    public record Result(List<String> command, int exitCode, String stdout, String stderr, Duration took) {
        /** This result, or an AssertionError showing the command and its output when it exited non-zero. */
        public Result check() {
            if (exitCode != 0) {
                throw new AssertionError("command failed with exit code " + exitCode + "\n" + describe());
            }
            return this;
        }

        /** The command and everything it printed. */
        public String describe() {
            return "$ " + String.join(" ", command) + "\n--- stdout ---\n" + stdout + "--- stderr ---\n" + stderr
                    + "--- took " + took.toMillis() + " ms ---";
        }
    }

    /** Fails with a clear message when {@code command} is not on the PATH; tests never skip for a missing client. */
    public static void require(String command, String aptPackage) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) {
                return;
            }
        }
        throw new AssertionError(command + " is not installed (not on PATH " + path + "); the end-to-end tests need it."
                + " Run ./run-tests, which installs it, or as root: apt-get install -y " + aptPackage);
    }

    /** Runs {@code command} with extra environment variables; fails if it does not finish within {@code timeout}. */
    public static Result run(Duration timeout, Map<String, String> env, List<String> command) throws IOException {
        Path dir = E2eLogs.dir();
        int n = SEQUENCE.incrementAndGet();
        String base = Path.of(command.getFirst()).getFileName() + "-" + n;
        // Files instead of pipes: a chatty client can never block on a full pipe buffer.
        Path out = dir.resolve(base + ".out");
        Path err = dir.resolve(base + ".err");
        ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        builder.environment().putAll(env);
        long started = System.nanoTime();
        Process process = builder.start();
        boolean finished;
        try {
            finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + command, e);
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        if (!finished) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            Result partial = new Result(command, -1, read(out), read(err), took);
            throw new AssertionError("command did not finish within " + timeout + "\n" + partial.describe());
        }
        return new Result(List.copyOf(command), process.exitValue(), read(out), read(err), took);
    }

    private static String read(Path file) throws IOException {
        // Lenient decoding: a client's output is shown, never parsed strictly.
        return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    }
}
