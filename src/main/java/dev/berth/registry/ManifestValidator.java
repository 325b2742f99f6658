package dev.berth.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.DeserializationFeature;
import dev.berth.registry.digest.Digest;
import dev.berth.registry.digest.InvalidDigestException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a manifest body on its own: JSON, schema version, media type, structure and descriptors. Whether the
 * content it references is present is the {@link ManifestStore}'s check, since it needs the repository.
 */
public final class ManifestValidator {
    /** Header values that say nothing about which manifest type a body is. */
    private static final Set<String> GENERIC_TYPES = Set.of("", "application/json", "application/octet-stream",
            "text/plain", "application/x-www-form-urlencoded");
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** Validates {@code body}, pushed with the {@code Content-Type} header {@code contentType}. */
    public ParsedManifest validate(byte[] body, String contentType) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw invalid("manifest is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw invalid("manifest is not valid JSON: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw invalid("manifest is not a JSON object");
        }
        JsonNode schemaVersion = root.get("schemaVersion");
        if (schemaVersion == null || !schemaVersion.isIntegralNumber() || schemaVersion.asInt() != 2) {
            throw invalid("schemaVersion must be 2");
        }
        String bodyType = optionalString(root, "mediaType");
        String headerType = MediaTypes.essence(contentType);
        String mediaType = mediaType(root, bodyType, headerType);

        List<Descriptor> blobs = new ArrayList<>();
        List<Descriptor> manifests = new ArrayList<>();
        String configType = null;
        if (MediaTypes.INDEXES.contains(mediaType)) {
            if (root.has("config") || root.has("layers")) {
                throw invalid("an index (" + mediaType + ") must not have config or layers");
            }
            manifests.addAll(descriptors(root, "manifests"));
        } else {
            if (root.has("manifests")) {
                throw invalid("an image manifest (" + mediaType + ") must not have manifests");
            }
            JsonNode config = root.get("config");
            if (config == null) {
                throw invalid("config is required in an image manifest");
            }
            Descriptor configDescriptor = descriptor(config, "config");
            configType = configDescriptor.mediaType();
            blobs.add(configDescriptor);
            blobs.addAll(descriptors(root, "layers"));
        }
        Descriptor subject = root.has("subject") ? descriptor(root.get("subject"), "subject") : null;
        String artifactType = optionalString(root, "artifactType");
        if (artifactType == null && configType != null) {
            artifactType = configType;
        }
        return new ParsedManifest(mediaType, blobs, manifests, subject, artifactType, annotations(root, "annotations"));
    }

    private static String mediaType(JsonNode root, String bodyType, String headerType) {
        boolean headerSays = !GENERIC_TYPES.contains(headerType);
        if (bodyType != null && headerSays && !bodyType.equals(headerType)) {
            throw invalid("Content-Type " + headerType + " does not match the manifest's mediaType " + bodyType);
        }
        String type = bodyType != null ? bodyType : headerSays ? headerType : guess(root);
        if (type.equals(MediaTypes.DOCKER_SCHEMA1) || type.equals(MediaTypes.DOCKER_SCHEMA1_SIGNED)) {
            throw invalid("Docker schema 1 manifests are not supported");
        }
        if (!MediaTypes.isManifest(type)) {
            throw invalid("unsupported manifest media type " + type);
        }
        return type;
    }

    /** A body without a mediaType and pushed without a specific type is read by its shape, as Distribution does. */
    private static String guess(JsonNode root) {
        if (root.has("manifests")) {
            return MediaTypes.OCI_INDEX;
        }
        if (root.has("config") || root.has("layers")) {
            return MediaTypes.OCI_MANIFEST;
        }
        throw invalid("manifest has no mediaType and neither config nor manifests");
    }

    private static List<Descriptor> descriptors(JsonNode root, String field) {
        JsonNode array = root.get(field);
        if (array == null || !array.isArray()) {
            throw invalid(field + " must be an array");
        }
        List<Descriptor> result = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            result.add(descriptor(array.get(i), field + "[" + i + "]"));
        }
        return result;
    }

    private static Descriptor descriptor(JsonNode node, String where) {
        if (node == null || !node.isObject()) {
            throw invalid(where + " must be a descriptor object");
        }
        String mediaType = optionalString(node, "mediaType", where);
        if (mediaType == null || mediaType.isEmpty()) {
            throw invalid(where + ".mediaType is required");
        }
        String digestText = optionalString(node, "digest", where);
        if (digestText == null) {
            throw invalid(where + ".digest is required");
        }
        Digest digest;
        try {
            digest = Digest.parse(digestText);
        } catch (InvalidDigestException e) {
            throw invalid(where + ".digest: " + e.getMessage());
        }
        JsonNode size = node.get("size");
        if (size == null || !size.isIntegralNumber() || size.asLong() < 0 || !size.canConvertToLong()) {
            throw invalid(where + ".size must be a non-negative integer");
        }
        List<String> urls = new ArrayList<>();
        JsonNode urlNode = node.get("urls");
        if (urlNode != null && !urlNode.isNull()) {
            if (!urlNode.isArray()) {
                throw invalid(where + ".urls must be an array of strings");
            }
            for (JsonNode u : urlNode) {
                if (!u.isTextual()) {
                    throw invalid(where + ".urls must be an array of strings");
                }
                urls.add(u.asText());
            }
        }
        optionalString(node, "artifactType", where);
        annotations(node, where + ".annotations");
        return new Descriptor(mediaType, digest, size.asLong(), urls);
    }

    private static Map<String, String> annotations(JsonNode node, String where) {
        JsonNode annotations = node.get("annotations");
        Map<String, String> result = new LinkedHashMap<>();
        if (annotations == null || annotations.isNull()) {
            return result;
        }
        if (!annotations.isObject()) {
            throw invalid(where + " must be an object of strings");
        }
        for (Map.Entry<String, JsonNode> e : annotations.properties()) {
            if (!e.getValue().isTextual()) {
                throw invalid(where + "." + e.getKey() + " must be a string");
            }
            result.put(e.getKey(), e.getValue().asText());
        }
        return result;
    }

    private static String optionalString(JsonNode node, String field) {
        return optionalString(node, field, null);
    }

    private static String optionalString(JsonNode node, String field, String where) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw invalid((where == null ? "" : where + ".") + field + " must be a string");
        }
        return value.asText();
    }

    private static RegistryException invalid(String message) {
        return new RegistryException(ErrorCode.MANIFEST_INVALID, message);
    }
}
