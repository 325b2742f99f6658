package dev.berth.e2e;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A program run from an unpacked image's root filesystem the way a container runtime runs it: in new PID and mount
 * namespaces, with /proc and the usual device nodes mounted, as the image's user, in its working directory, with only
 * its environment. The mounts belong to the mount namespace and vanish with it; nothing else is isolated (the network
 * is the host's, so a test reaches it on 127.0.0.1). Needs root, util-linux's unshare and mount.
 */
public final class RootfsProcess implements AutoCloseable {
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);
    // $1 is the root filesystem, the rest is the command to exec once /proc and /dev are in place. A runtime gives a
    // container these device nodes; without /dev/urandom the JVM's SecureRandom would wait for entropy.
    private static final String MOUNT_THEN_EXEC = """
            set -e
            root=$1; shift
            mkdir -p "$root/proc" "$root/dev"
            mount -t proc proc "$root/proc"
            for device in null zero full random urandom tty; do
              touch "$root/dev/$device"
              mount --bind "/dev/$device" "$root/dev/$device"
            done
            exec "$@"
            """;

    private final Process process;
    private final List<String> command;

    private RootfsProcess(Process process, List<String> command) {
        this.process = process;
        this.command = command;
    }

    /** The host command that runs {@code argv} (absolute in the image) from {@code image}'s root filesystem. */
    public static List<String> command(UnpackedImage image, List<String> argv) {
        Tools.require("unshare", "util-linux");
        Tools.require("mount", "mount");
        String[] user = image.user().split(":");
        if (user.length != 2 || !user[0].matches("[0-9]+") || !user[1].matches("[0-9]+")) {
            throw new AssertionError("the image's user is " + image.user() + "; this runner takes only numeric UID:GID");
        }
        // --kill-child: should the outer unshare be killed (the test JVM going away), the program gets SIGTERM.
        List<String> command = new ArrayList<>(List.of("unshare", "--mount", "--pid", "--fork",
                "--kill-child=SIGTERM", "--", "sh", "-c", MOUNT_THEN_EXEC, "sh", image.rootfs().toString(), "env", "-i"));
        image.environment().forEach((name, value) -> command.add(name + "=" + value));
        command.addAll(List.of("unshare", "--root=" + image.rootfs(), "--wd=" + image.workingDir(),
                "--setuid", user[0], "--setgid", user[1], "--"));
        command.addAll(argv);
        return command;
    }

    /** Runs {@code argv} to completion. */
    public static Tools.Result run(UnpackedImage image, List<String> argv, Duration timeout) throws IOException {
        return Tools.run(timeout, Map.of(), command(image, argv));
    }

    /** Starts {@code argv}, its output going to {@code log}. */
    public static RootfsProcess start(UnpackedImage image, List<String> argv, Path log) throws IOException {
        List<String> command = command(image, argv);
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(log.toFile())).start();
        return new RootfsProcess(process, command);
    }

    /** Whether the program still runs. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** The host command line. */
    public List<String> command() {
        return command;
    }

    /**
     * Stops the program as a runtime does, with SIGTERM to it (the outer unshare ignores SIGTERM while it waits);
     * returns whether it ended within the grace period. After that, SIGKILL.
     */
    public boolean stop() {
        if (!process.isAlive()) {
            return true;
        }
        process.descendants().forEach(ProcessHandle::destroy);
        try {
            if (process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                return true;
            }
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        return false;
    }

    @Override
    public void close() {
        stop();
    }
}
