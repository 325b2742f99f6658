package dev.berth.lifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.registry.digest.Digest;
import dev.berth.registry.digest.InvalidDigestException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * What a stored manifest refers to, read leniently for marking: every digest that any known manifest shape names
 * (OCI and Docker image manifests, indexes and manifest lists, artifact manifests, schema 1), whether or not the
 * manifest would pass today's validation. Marking too much only keeps garbage; marking too little loses images.
 *
 * @param blobs configs and layers (and an artifact manifest's blobs)
 * @param manifests child manifests of an index or manifest list
 * @param subject the manifest this one refers to, or null
 */
record ManifestReferences(List<Digest> blobs, List<Digest> manifests, Digest subject) {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final ManifestReferences NONE = new ManifestReferences(List.of(), List.of(), null);

    ManifestReferences {
        blobs = List.copyOf(blobs);
        manifests = List.copyOf(manifests);
    }

    /** The references in {@code body}; {@link #NONE} when it is not JSON. */
    static ManifestReferences of(byte[] body) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (IOException notJson) {
            return NONE;
        }
        if (root == null || !root.isObject()) {
            return NONE;
        }
        List<Digest> blobs = new ArrayList<>();
        add(blobs, root.path("config").path("digest"));
        for (String field : List.of("layers", "blobs")) {
            for (JsonNode d : root.path(field)) {
                add(blobs, d.path("digest"));
            }
        }
        for (JsonNode d : root.path("fsLayers")) {
            add(blobs, d.path("blobSum"));
        }
        List<Digest> manifests = new ArrayList<>();
        for (JsonNode d : root.path("manifests")) {
            add(manifests, d.path("digest"));
        }
        List<Digest> subject = new ArrayList<>();
        add(subject, root.path("subject").path("digest"));
        return new ManifestReferences(blobs, manifests, subject.isEmpty() ? null : subject.get(0));
    }

    private static void add(List<Digest> into, JsonNode digest) {
        if (digest.isTextual()) {
            try {
                into.add(Digest.parse(digest.asText()));
            } catch (InvalidDigestException unusable) {
                // an unsupported or malformed digest names nothing this registry stores
            }
        }
    }
}
