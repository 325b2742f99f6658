package dev.berth.conformance;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** A manifest to push: its exact bytes and the content type to push it with. */
public record Manifest(String mediaType, byte[] bytes) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The manifest's sha256 digest. */
    public String digest() {
        return Digests.sha256(bytes);
    }

    /** This manifest's descriptor, as an index or a subject field names it. */
    public Descriptor descriptor() {
        return new Descriptor(mediaType, digest(), bytes.length);
    }

    /** The manifest as UTF-8 text. */
    public String text() {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** A manifest from literal text, pushed as {@code mediaType}. */
    public static Manifest ofText(String mediaType, String text) {
        return new Manifest(mediaType, text.getBytes(StandardCharsets.UTF_8));
    }

    /** An OCI image manifest over {@code config} and {@code layers}. */
    public static Manifest ociImage(Descriptor config, List<Descriptor> layers) {
        return ociImage(config, layers, null, null, Map.of());
    }

    /**
     * An OCI image manifest with optional {@code artifactType} and {@code subject} (null to omit) and
     * annotations (empty to omit).
     */
    public static Manifest ociImage(Descriptor config, List<Descriptor> layers, String artifactType,
            Descriptor subject, Map<String, String> annotations) {
        ObjectNode root = JSON.createObjectNode();
        root.put("schemaVersion", 2);
        root.put("mediaType", MediaTypes.OCI_MANIFEST);
        if (artifactType != null) {
            root.put("artifactType", artifactType);
        }
        root.set("config", config.toJson());
        ArrayNode layerArray = root.putArray("layers");
        layers.forEach(l -> layerArray.add(l.toJson()));
        if (subject != null) {
            root.set("subject", subject.toJson());
        }
        if (!annotations.isEmpty()) {
            ObjectNode a = root.putObject("annotations");
            annotations.forEach(a::put);
        }
        return new Manifest(MediaTypes.OCI_MANIFEST, write(root));
    }

    /** An OCI image index over {@code children}. */
    public static Manifest ociIndex(List<Descriptor> children) {
        return ociIndex(children, null, null, Map.of());
    }

    /** An OCI image index with optional {@code artifactType}, {@code subject} and annotations. */
    public static Manifest ociIndex(List<Descriptor> children, String artifactType, Descriptor subject,
            Map<String, String> annotations) {
        ObjectNode root = JSON.createObjectNode();
        root.put("schemaVersion", 2);
        root.put("mediaType", MediaTypes.OCI_INDEX);
        if (artifactType != null) {
            root.put("artifactType", artifactType);
        }
        ArrayNode manifests = root.putArray("manifests");
        for (Descriptor child : children) {
            ObjectNode node = child.toJson();
            ObjectNode platform = node.putObject("platform");
            platform.put("architecture", "amd64");
            platform.put("os", "linux");
            manifests.add(node);
        }
        if (subject != null) {
            root.set("subject", subject.toJson());
        }
        if (!annotations.isEmpty()) {
            ObjectNode a = root.putObject("annotations");
            annotations.forEach(a::put);
        }
        return new Manifest(MediaTypes.OCI_INDEX, write(root));
    }

    /** A Docker image manifest v2 schema 2 over {@code config} and {@code layers}. */
    public static Manifest dockerImage(Descriptor config, List<Descriptor> layers) {
        ObjectNode root = JSON.createObjectNode();
        root.put("schemaVersion", 2);
        root.put("mediaType", MediaTypes.DOCKER_MANIFEST);
        root.set("config", config.toJson());
        ArrayNode layerArray = root.putArray("layers");
        layers.forEach(l -> layerArray.add(l.toJson()));
        return new Manifest(MediaTypes.DOCKER_MANIFEST, write(root));
    }

    /** A Docker manifest list over {@code children}. */
    public static Manifest dockerList(List<Descriptor> children) {
        ObjectNode root = JSON.createObjectNode();
        root.put("schemaVersion", 2);
        root.put("mediaType", MediaTypes.DOCKER_MANIFEST_LIST);
        ArrayNode manifests = root.putArray("manifests");
        for (Descriptor child : children) {
            ObjectNode node = child.toJson();
            ObjectNode platform = node.putObject("platform");
            platform.put("architecture", "amd64");
            platform.put("os", "linux");
            manifests.add(node);
        }
        return new Manifest(MediaTypes.DOCKER_MANIFEST_LIST, write(root));
    }

    private static byte[] write(ObjectNode root) {
        try {
            return JSON.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
