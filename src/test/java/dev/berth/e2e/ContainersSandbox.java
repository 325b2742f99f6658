package dev.berth.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;

/**
 * The private storage, run root, policy, configuration and credentials one podman or buildah instance runs with, so
 * tests never touch the machine's own containers storage or logins.
 *
 * @param dir the instance's directory: image storage under {@code root}, configuration under {@code etc}
 * @param runRoot a short-path run root (the tools refuse run roots longer than 50 characters)
 * @param policy the signature policy accepting everything
 * @param env the environment pointing the tool at this configuration
 */
record ContainersSandbox(Path dir, Path runRoot, Path policy, Map<String, String> env) {

    /** A sandbox in {@code dir}, with its run root under /tmp named after {@code runRootPrefix}. */
    static ContainersSandbox create(Path dir, String runRootPrefix) throws IOException {
        Files.createDirectories(dir.resolve("tmp"));
        Path policy = ContainersConfig.writePolicy(dir.resolve("etc"));
        Path registries = ContainersConfig.writeRegistries(dir.resolve("etc"));
        Path conf = ContainersConfig.writeContainersConf(dir.resolve("etc"));
        Path auth = ContainersConfig.writeAuth(dir.resolve("etc"));
        Map<String, String> env = Map.of(
                "CONTAINERS_REGISTRIES_CONF", registries.toString(),
                "CONTAINERS_CONF", conf.toString(),
                // podman login keeps credentials here rather than in the machine's own auth.json.
                "REGISTRY_AUTH_FILE", auth.toString(),
                // Image copies, commits and pushes stage big temporary files; keep them inside the test's directory.
                "TMPDIR", dir.resolve("tmp").toString());
        // A JUnit temp dir is too long for a run root.
        Path runRoot = Files.createTempDirectory(Path.of("/tmp"), runRootPrefix);
        return new ContainersSandbox(dir, runRoot, policy, env);
    }

    /** Removes the short-path run root (the storage goes with the caller's temp dir). */
    void deleteRunRoot() throws IOException {
        try (var files = Files.walk(runRoot)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }
}
