package dev.berth.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Drives podman as root with the vfs storage driver and its own private storage, run root and configuration. */
public final class Podman implements AutoCloseable {
    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    private final Path dir;
    private final Path runRoot;
    private final Path policy;
    private final Map<String, String> env;

    private Podman(Path dir, Path runRoot, Path policy, Map<String, String> env) {
        this.dir = dir;
        this.runRoot = runRoot;
        this.policy = policy;
        this.env = env;
    }

    /** A podman whose image storage (and blob-info cache, which lives inside it) is {@code dir}, empty at first. */
    public static Podman in(Path dir) throws IOException {
        Tools.require("podman", "podman");
        Files.createDirectories(dir.resolve("tmp"));
        Path policy = ContainersConfig.writePolicy(dir.resolve("etc"));
        Path registries = ContainersConfig.writeRegistries(dir.resolve("etc"));
        Path conf = ContainersConfig.writeContainersConf(dir.resolve("etc"));
        Map<String, String> env = Map.of(
                "CONTAINERS_REGISTRIES_CONF", registries.toString(),
                "CONTAINERS_CONF", conf.toString(),
                // Image copies stage big temporary files; keep them inside the test's directory.
                "TMPDIR", dir.resolve("tmp").toString());
        // podman refuses a run root longer than 50 characters, too short for a JUnit temp dir.
        Path runRoot = Files.createTempDirectory(Path.of("/tmp"), "berth-pr");
        return new Podman(dir, runRoot, policy, env);
    }

    /** {@code podman pull} from a plain-HTTP registry; returns the image id it prints. */
    public String pull(String image) throws IOException {
        Tools.Result result = run(List.of("pull", "--tls-verify=false", "--signature-policy", policy.toString(), image))
                .check();
        List<String> lines = result.stdout().lines().filter(line -> !line.isBlank()).toList();
        if (lines.isEmpty()) {
            throw new AssertionError("podman pull printed no image id\n" + result.describe());
        }
        return lines.getLast().trim();
    }

    /** {@code podman push} of a local image to a plain-HTTP registry. */
    public Tools.Result push(String localImage, String destination) throws IOException {
        return run(List.of("push", "--tls-verify=false", "--signature-policy", policy.toString(), localImage,
                destination)).check();
    }

    /** {@code podman image inspect --format FORMAT}. */
    public String inspect(String image, String format) throws IOException {
        return run(List.of("image", "inspect", "--format", format, image)).check().stdout().trim();
    }

    /** Removes the short-path run root (the storage goes with the caller's temp dir). */
    @Override
    public void close() throws IOException {
        try (var files = Files.walk(runRoot)) {
            for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }

    /** Runs any podman subcommand with this instance's storage options. */
    public Tools.Result run(List<String> args) throws IOException {
        List<String> command = new ArrayList<>(List.of("podman",
                "--root", dir.resolve("root").toString(),
                "--runroot", runRoot.toString(),
                "--storage-driver", "vfs",
                "--cgroup-manager", "cgroupfs",
                "--events-backend", "file",
                "--tmpdir", dir.resolve("libpod-tmp").toString()));
        command.addAll(args);
        return Tools.run(TIMEOUT, env, command);
    }
}
