package dev.berth.registry;

import java.util.List;
import java.util.Map;

/**
 * What validation learned from a manifest's body.
 *
 * @param mediaType the type it is stored and served as
 * @param blobs the config and layers it references (empty for an index)
 * @param manifests the child manifests it references (empty for an image manifest)
 * @param subject the manifest it refers to, or null
 * @param artifactType the type a referrers listing gives it: its artifactType, else its config's media type for
 *     an image manifest; null when neither applies
 * @param annotations its annotations, possibly empty
 */
public record ParsedManifest(
        String mediaType,
        List<Descriptor> blobs,
        List<Descriptor> manifests,
        Descriptor subject,
        String artifactType,
        Map<String, String> annotations) {

    public ParsedManifest {
        blobs = List.copyOf(blobs);
        manifests = List.copyOf(manifests);
        annotations = Map.copyOf(annotations);
    }

    /** True when the manifest lists child manifests rather than layers. */
    public boolean isIndex() {
        return MediaTypes.INDEXES.contains(mediaType);
    }
}
