package dev.berth.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Private containers configuration files, so the tests do not depend on (or change) /etc/containers. */
final class ContainersConfig {
    private ContainersConfig() {
    }

    static Path writePolicy(Path dir) throws IOException {
        // The test images are unsigned; accepting anything is the point of a local loopback test.
        return write(dir.resolve("policy.json"), """
                {"default": [{"type": "insecureAcceptAnything"}]}
                """);
    }

    static Path writeRegistries(Path dir) throws IOException {
        // Every reference in the tests is fully qualified; no search registries, no mirrors.
        return write(dir.resolve("registries.conf"), """
                unqualified-search-registries = []
                """);
    }

    static Path writeContainersConf(Path dir) throws IOException {
        return write(dir.resolve("containers.conf"), """
                [engine]
                events_logger = "file"
                cgroup_manager = "cgroupfs"
                """);
    }

    static Path writeAuth(Path dir) throws IOException {
        // No logins yet; the tools refuse a REGISTRY_AUTH_FILE that does not exist.
        return write(dir.resolve("auth.json"), """
                {"auths": {}}
                """);
    }

    private static Path write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.writeString(file, text);
    }
}
