package dev.berth.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The small image the manifest, tag and catalog scenarios read: a config and four layers of random bytes and an
 * OCI image manifest of about 1 KB naming them, the same bytes on every run, so that {@code berth bench-baseline}
 * serves exactly what the registries serve. A minimal manifest (config and first layer) fills the catalog.
 */
public record ImageFixture(List<FixtureBlob> blobs, byte[] manifest, String manifestDigest, byte[] minimalManifest,
        String minimalDigest) {
    public static final String MANIFEST_TYPE = "application/vnd.oci.image.manifest.v1+json";
    static final String CONFIG_TYPE = "application/vnd.oci.image.config.v1+json";
    static final String LAYER_TYPE = "application/vnd.oci.image.layer.v1.tar+gzip";
    /** The tag the image is pushed under. */
    public static final String TAG = "latest";
    private static final int LAYERS = 4;
    private static final int LAYER_SIZE = 4096;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One blob of the image. */
    public record FixtureBlob(byte[] bytes, String digest, String mediaType) {}

    /** The image; the same on every call. */
    public static ImageFixture create() {
        SplittableRandom random = new SplittableRandom(0x6265727468L);
        List<FixtureBlob> layers = new ArrayList<>();
        for (int i = 0; i < LAYERS; i++) {
            byte[] bytes = new byte[LAYER_SIZE];
            random.nextBytes(bytes);
            layers.add(new FixtureBlob(bytes, sha256(bytes), LAYER_TYPE));
        }
        ObjectNode config = JSON.createObjectNode();
        config.put("created", "2025-01-01T00:00:00Z");
        config.put("architecture", "amd64");
        config.put("os", "linux");
        ObjectNode runtime = config.putObject("config");
        runtime.putArray("Env").add("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        runtime.putArray("Cmd").add("/bin/sh");
        ObjectNode rootfs = config.putObject("rootfs");
        rootfs.put("type", "layers");
        ArrayNode diffIds = rootfs.putArray("diff_ids");
        layers.forEach(layer -> diffIds.add(layer.digest()));
        byte[] configBytes = config.toString().getBytes(StandardCharsets.UTF_8);
        FixtureBlob configBlob = new FixtureBlob(configBytes, sha256(configBytes), CONFIG_TYPE);

        List<FixtureBlob> blobs = new ArrayList<>();
        blobs.add(configBlob);
        blobs.addAll(layers);
        byte[] manifest = manifest(configBlob, layers, true);
        byte[] minimal = manifest(configBlob, layers.subList(0, 1), false);
        return new ImageFixture(List.copyOf(blobs), manifest, sha256(manifest), minimal, sha256(minimal));
    }

    /** The blobs the minimal manifest needs: the config and the first layer. */
    public List<FixtureBlob> minimalBlobs() {
        return blobs.subList(0, 2);
    }

    private static byte[] manifest(FixtureBlob config, List<FixtureBlob> layers, boolean annotated) {
        ObjectNode root = JSON.createObjectNode();
        root.put("schemaVersion", 2);
        root.put("mediaType", MANIFEST_TYPE);
        root.set("config", descriptor(config));
        ArrayNode list = root.putArray("layers");
        layers.forEach(layer -> list.add(descriptor(layer)));
        if (annotated) {
            ObjectNode annotations = root.putObject("annotations");
            annotations.put("org.opencontainers.image.created", "2025-01-01T00:00:00Z");
            annotations.put("org.opencontainers.image.title", "berth benchmark fixture");
        }
        return root.toPrettyString().getBytes(StandardCharsets.UTF_8);
    }

    private static ObjectNode descriptor(FixtureBlob blob) {
        ObjectNode d = JSON.createObjectNode();
        d.put("mediaType", blob.mediaType());
        d.put("digest", blob.digest());
        d.put("size", blob.bytes().length);
        return d;
    }

    static String sha256(byte[] bytes) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
