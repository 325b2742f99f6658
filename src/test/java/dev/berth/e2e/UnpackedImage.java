package dev.berth.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An image of an OCI layout unpacked with {@code umoci raw unpack} into a root filesystem, with the parts of its
 * configuration that say how to run it (entrypoint, command, environment, user, working directory).
 */
public record UnpackedImage(Path rootfs, Path manifest, JsonNode config) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofMinutes(3);

    /** Unpacks {@code tag} of the layout at {@code layout} into {@code rootfs}, which must not exist yet. */
    public static UnpackedImage unpack(Path layout, String tag, Path rootfs) throws IOException {
        Tools.require("umoci", "umoci");
        // As root, umoci keeps the owners the layers give (raw unpack writes no runtime configuration beside it).
        Tools.run(TIMEOUT, Map.of(), List.of("umoci", "raw", "unpack", "--image", layout + ":" + tag,
                rootfs.toString())).check();
        JsonNode index = JSON.readTree(layout.resolve("index.json").toFile());
        for (JsonNode entry : index.path("manifests")) {
            if (tag.equals(entry.path("annotations").path("org.opencontainers.image.ref.name").asText())) {
                Path manifest = blob(layout, entry.path("digest").asText());
                JsonNode config = JSON.readTree(blob(layout, JSON.readTree(manifest.toFile())
                        .path("config").path("digest").asText()).toFile());
                return new UnpackedImage(rootfs, manifest, config);
            }
        }
        throw new AssertionError("no manifest tagged " + tag + " in " + layout.resolve("index.json"));
    }

    /** The path of blob {@code digest} in the layout. */
    public static Path blob(Path layout, String digest) {
        return layout.resolve("blobs").resolve("sha256").resolve(Digests.hex(digest));
    }

    /** The layer blobs of the manifest, bottom first. */
    public List<String> layerDigests() throws IOException {
        List<String> digests = new ArrayList<>();
        JSON.readTree(manifest.toFile()).path("layers").forEach(layer -> digests.add(layer.path("digest").asText()));
        return digests;
    }

    /** The image's {@code Entrypoint} followed by its {@code Cmd}: what a runtime runs when told nothing else. */
    public List<String> defaultCommand() {
        List<String> command = new ArrayList<>(strings(config.path("config").path("Entrypoint")));
        command.addAll(strings(config.path("config").path("Cmd")));
        return command;
    }

    /** The image's {@code Entrypoint} alone. */
    public List<String> entrypoint() {
        return strings(config.path("config").path("Entrypoint"));
    }

    /** {@code Env} as a map, after a runtime's default PATH that it may override. */
    public Map<String, String> environment() {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        for (String variable : strings(config.path("config").path("Env"))) {
            int equals = variable.indexOf('=');
            environment.put(variable.substring(0, equals), variable.substring(equals + 1));
        }
        return environment;
    }

    /** {@code User}, or root when empty. */
    public String user() {
        String user = config.path("config").path("User").asText("");
        return user.isEmpty() ? "0:0" : user;
    }

    /** {@code WorkingDir}, or / when empty. */
    public String workingDir() {
        String dir = config.path("config").path("WorkingDir").asText("");
        return dir.isEmpty() ? "/" : dir;
    }

    /** A label of the configuration, or "" when absent. */
    public String label(String name) {
        return config.path("config").path("Labels").path(name).asText("");
    }

    /** Whether {@code path} (absolute in the image) exists in the root filesystem. */
    public boolean has(String path) {
        return Files.exists(rootfs.resolve(path.substring(1)));
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asText()));
        return values;
    }
}
