package dev.berth.e2e;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;

/**
 * Writes OCI image layouts from Java: deterministic tar+gzip layers from a seed, config, manifest,
 * {@code index.json} and {@code oci-layout}; the same seed always gives the same digests.
 */
public final class OciLayout {
    public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    public static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
    public static final String OCI_LAYER_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip";
    private static final String REF_NAME = "org.opencontainers.image.ref.name";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final Map<String, String> refs = new LinkedHashMap<>();
    private final List<Descriptor> roots = new ArrayList<>();

    /** A content descriptor: media type, digest and size. */
    public record Descriptor(String mediaType, String digest, long size) {
    }

    /** A single-platform image: its manifest, config and layers (compressed digests) and uncompressed diff ids. */
    public record Image(Descriptor manifest, Descriptor config, List<Descriptor> layers, List<String> diffIds,
                        String architecture) {
        /** Every blob the image needs (manifest excluded). */
        public List<Descriptor> blobs() {
            List<Descriptor> all = new ArrayList<>();
            all.add(config);
            all.addAll(layers);
            return all;
        }
    }

    /** An image index over several platform images. */
    public record MultiPlatform(Descriptor index, List<Image> images) {
    }

    private OciLayout(Path dir) {
        this.dir = dir;
    }

    /** An empty layout in {@code dir} (created if needed). */
    public static OciLayout create(Path dir) throws IOException {
        Files.createDirectories(dir.resolve("blobs/sha256"));
        Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        OciLayout layout = new OciLayout(dir);
        layout.writeIndex();
        return layout;
    }

    /** The layout's directory. */
    public Path dir() {
        return dir;
    }

    /** The {@code oci:DIR:TAG} reference skopeo understands. */
    public String reference(String tag) {
        return "oci:" + dir + ":" + tag;
    }

    /** Where a blob's bytes are stored in this layout. */
    public Path blobPath(String digest) {
        return dir.resolve("blobs/sha256").resolve(Digests.hex(digest));
    }

    /** A blob's bytes. */
    public byte[] blob(String digest) throws IOException {
        return Files.readAllBytes(blobPath(digest));
    }

    /** Adds a linux image with {@code layerCount} layers derived from {@code seed}, tagged {@code tag}. */
    public Image addImage(String tag, long seed, int layerCount, String architecture) throws IOException {
        Image image = buildImage(seed, layerCount, architecture);
        addRoot(tag, image.manifest());
        return image;
    }

    /** Adds an index of one linux image per architecture (each from its own seed), tagged {@code tag}. */
    public MultiPlatform addMultiPlatform(String tag, long seed, int layerCount, List<String> architectures)
            throws IOException {
        List<Image> images = new ArrayList<>();
        ArrayNode manifests = JSON.createArrayNode();
        for (int i = 0; i < architectures.size(); i++) {
            String architecture = architectures.get(i);
            Image image = buildImage(seed * 31 + i, layerCount, architecture);
            images.add(image);
            ObjectNode entry = descriptorJson(image.manifest());
            ObjectNode platform = entry.putObject("platform");
            platform.put("architecture", architecture);
            platform.put("os", "linux");
            if (architecture.equals("arm64")) {
                platform.put("variant", "v8");
            }
            manifests.add(entry);
        }
        ObjectNode index = JSON.createObjectNode();
        index.put("schemaVersion", 2);
        index.put("mediaType", OCI_INDEX);
        index.set("manifests", manifests);
        Descriptor descriptor = writeBlob(OCI_INDEX, JSON.writeValueAsBytes(index));
        addRoot(tag, descriptor);
        return new MultiPlatform(descriptor, images);
    }

    private Image buildImage(long seed, int layerCount, String architecture) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        List<Descriptor> layers = new ArrayList<>();
        List<String> diffIds = new ArrayList<>();
        ArrayNode history = JSON.createArrayNode();
        for (int i = 0; i < layerCount; i++) {
            byte[] tar = layerTar(random.nextLong(), "layer" + i, 1 + random.nextInt(4));
            diffIds.add(Digests.of(tar));
            layers.add(writeBlob(OCI_LAYER_GZIP, gzip(tar)));
            history.addObject().put("created", "2024-01-01T00:00:00Z").put("created_by", "berth-e2e layer " + i);
        }
        ObjectNode config = JSON.createObjectNode();
        config.put("created", "2024-01-01T00:00:00Z");
        config.put("architecture", architecture);
        config.put("os", "linux");
        if (architecture.equals("arm64")) {
            config.put("variant", "v8");
        }
        ObjectNode runtime = config.putObject("config");
        runtime.putArray("Env").add("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin")
                .add("BERTH_E2E_SEED=" + seed);
        runtime.putArray("Cmd").add("/layer0/file0.bin");
        ObjectNode rootfs = config.putObject("rootfs");
        rootfs.put("type", "layers");
        ArrayNode ids = rootfs.putArray("diff_ids");
        diffIds.forEach(ids::add);
        config.set("history", history);
        Descriptor configDescriptor = writeBlob(OCI_CONFIG, JSON.writeValueAsBytes(config));

        ObjectNode manifest = JSON.createObjectNode();
        manifest.put("schemaVersion", 2);
        manifest.put("mediaType", OCI_MANIFEST);
        manifest.set("config", descriptorJson(configDescriptor));
        ArrayNode layerArray = manifest.putArray("layers");
        layers.forEach(layer -> layerArray.add(descriptorJson(layer)));
        manifest.putObject("annotations").put("dev.berth.e2e.seed", Long.toString(seed));
        Descriptor manifestDescriptor = writeBlob(OCI_MANIFEST, JSON.writeValueAsBytes(manifest));
        return new Image(manifestDescriptor, configDescriptor, List.copyOf(layers), List.copyOf(diffIds), architecture);
    }

    private void addRoot(String tag, Descriptor descriptor) throws IOException {
        refs.put(tag, descriptor.digest());
        roots.removeIf(d -> d.digest().equals(descriptor.digest()));
        roots.add(descriptor);
        writeIndex();
    }

    private void writeIndex() throws IOException {
        ObjectNode index = JSON.createObjectNode();
        index.put("schemaVersion", 2);
        index.put("mediaType", OCI_INDEX);
        ArrayNode manifests = index.putArray("manifests");
        for (Map.Entry<String, String> ref : refs.entrySet()) {
            Descriptor root = roots.stream().filter(d -> d.digest().equals(ref.getValue())).findFirst().orElseThrow();
            ObjectNode entry = descriptorJson(root);
            entry.putObject("annotations").put(REF_NAME, ref.getKey());
            manifests.add(entry);
        }
        Files.write(dir.resolve("index.json"), JSON.writeValueAsBytes(index));
    }

    private Descriptor writeBlob(String mediaType, byte[] bytes) throws IOException {
        String digest = Digests.of(bytes);
        Files.write(blobPath(digest), bytes);
        return new Descriptor(mediaType, digest, bytes.length);
    }

    private static ObjectNode descriptorJson(Descriptor descriptor) {
        ObjectNode node = JSON.createObjectNode();
        node.put("mediaType", descriptor.mediaType());
        node.put("digest", descriptor.digest());
        node.put("size", descriptor.size());
        return node;
    }

    /** A tar with one directory and {@code files} pseudo-random files (up to ~1.5 MiB each) under it. */
    static byte[] layerTar(long seed, String directory, int files) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Tar tar = new Tar(out);
        tar.directory(directory + "/");
        for (int i = 0; i < files; i++) {
            int size = random.nextInt(1 << 10, 3 << 19);
            tar.file(directory + "/file" + i + ".bin", SeededBytes.array(random.nextLong(), size));
        }
        tar.finish();
        return out.toByteArray();
    }

    static byte[] gzip(byte[] bytes) throws IOException {
        // GZIPOutputStream writes a fixed header (no name, mtime 0), so equal input gives equal output.
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length / 2 + 64);
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(bytes);
        }
        return out.toByteArray();
    }

    /** A minimal ustar writer: enough for directories and regular files with fixed owner, mode and time. */
    static final class Tar {
        private static final int BLOCK = 512;
        private final OutputStream out;

        Tar(OutputStream out) {
            this.out = out;
        }

        void directory(String name) throws IOException {
            header(name, 0755, 0, '5');
        }

        void file(String name, byte[] content) throws IOException {
            header(name, 0644, content.length, '0');
            out.write(content);
            pad(content.length);
        }

        void finish() throws IOException {
            out.write(new byte[2 * BLOCK]);
        }

        private void header(String name, int mode, long size, char type) throws IOException {
            byte[] h = new byte[BLOCK];
            byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
            if (nameBytes.length > 100) {
                throw new IllegalArgumentException("tar name too long: " + name);
            }
            System.arraycopy(nameBytes, 0, h, 0, nameBytes.length);
            octal(h, 100, 8, mode);
            octal(h, 108, 8, 0);
            octal(h, 116, 8, 0);
            octal(h, 124, 12, size);
            octal(h, 136, 12, 1704067200L); // 2024-01-01: a fixed time keeps the layer digest stable
            h[156] = (byte) type;
            ascii(h, 257, "ustar\0");
            ascii(h, 263, "00");
            ascii(h, 265, "root");
            ascii(h, 297, "root");
            // The checksum is computed with its own field read as eight spaces.
            for (int i = 148; i < 156; i++) {
                h[i] = ' ';
            }
            long sum = 0;
            for (byte b : h) {
                sum += b & 0xff;
            }
            String checksum = String.format("%06o", sum);
            ascii(h, 148, checksum);
            h[154] = 0;
            h[155] = ' ';
            out.write(h);
        }

        private void pad(long size) throws IOException {
            int rest = (int) (size % BLOCK);
            if (rest != 0) {
                out.write(new byte[BLOCK - rest]);
            }
        }

        private static void octal(byte[] h, int offset, int length, long value) {
            String text = String.format("%0" + (length - 1) + "o", value);
            ascii(h, offset, text);
            h[offset + length - 1] = 0;
        }

        private static void ascii(byte[] h, int offset, String text) {
            byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(bytes, 0, h, offset, bytes.length);
        }
    }
}
