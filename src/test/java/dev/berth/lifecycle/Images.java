package dev.berth.lifecycle;

import dev.berth.registry.IncomingChunk;
import dev.berth.registry.MediaTypes;
import dev.berth.registry.Namespace;
import dev.berth.registry.Registry;
import dev.berth.registry.RepositoryName;
import dev.berth.registry.UploadRecord;
import dev.berth.registry.digest.Digest;
import dev.berth.registry.digest.DigestAlgorithm;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Pushes small images, indexes and referrers through the registry domain, as a client would. */
final class Images {
    private final Registry registry;
    private final Namespace ns;

    Images(Registry registry, Namespace ns) {
        this.registry = registry;
        this.ns = ns;
    }

    /** Pushes an image manifest with one layer made from {@code seed}; tagged with {@code tags} (none: by digest). */
    Digest image(String repo, String seed, String... tags) {
        return push(repo, imageManifest(repo, seed, null), MediaTypes.OCI_MANIFEST, tags);
    }

    /** Pushes an artifact whose subject is {@code subject}, as a signature is pushed: untagged. */
    Digest referrer(String repo, Digest subject, String seed) {
        return push(repo, imageManifest(repo, seed, subject), MediaTypes.OCI_MANIFEST);
    }

    /** Pushes an index of the given manifests (pushed before, by digest), tagged with {@code tags}. */
    Digest index(String repo, List<Digest> children, String... tags) {
        StringBuilder manifests = new StringBuilder();
        for (Digest child : children) {
            if (!manifests.isEmpty()) {
                manifests.append(',');
            }
            long size = registry.manifests().stat(ns, new RepositoryName(repo), child.toString()).size();
            manifests.append("{\"mediaType\":\"").append(MediaTypes.OCI_MANIFEST).append("\",\"digest\":\"")
                    .append(child).append("\",\"size\":").append(size)
                    .append(",\"platform\":{\"architecture\":\"amd64\",\"os\":\"linux\"}}");
        }
        String body = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\",\"manifests\":["
                + manifests + "]}";
        return push(repo, body.getBytes(StandardCharsets.UTF_8), MediaTypes.OCI_INDEX, tags);
    }

    /** Points {@code tag} at an already pushed manifest by pushing its bytes again under the tag. */
    void tag(String repo, Digest manifest, String tag) {
        var m = registry.manifests().get(ns, new RepositoryName(repo), manifest.toString());
        registry.manifests().put(ns, new RepositoryName(repo), tag, m.body(), m.info().mediaType(), List.of());
    }

    private Digest push(String repo, byte[] body, String mediaType, String... tags) {
        RepositoryName name = new RepositoryName(repo);
        String reference = tags.length == 0 ? Digest.sha256(body).toString() : tags[0];
        List<String> more = tags.length <= 1 ? List.of() : List.of(tags).subList(1, tags.length);
        return registry.manifests().put(ns, name, reference, body, mediaType, more).digest();
    }

    private byte[] imageManifest(String repo, String seed, Digest subject) {
        Digest config = blob(repo, "{\"seed\":\"" + seed + "\"}");
        Digest layer = blob(repo, "layer of " + seed);
        String body = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\","
                + (subject == null ? "" : "\"artifactType\":\"application/vnd.example.signature\",")
                + "\"config\":" + descriptor("application/vnd.oci.image.config.v1+json", config, repo) + ","
                + "\"layers\":[" + descriptor("application/vnd.oci.image.layer.v1.tar", layer, repo) + "]"
                + (subject == null ? "" : ",\"subject\":" + descriptor(MediaTypes.OCI_MANIFEST, subject, repo))
                + "}";
        return body.getBytes(StandardCharsets.UTF_8);
    }

    private String descriptor(String mediaType, Digest digest, String repo) {
        long size = mediaType.equals(MediaTypes.OCI_MANIFEST)
                ? registry.manifests().stat(ns, new RepositoryName(repo), digest.toString()).size()
                : registry.blobs().statData(ns, digest).orElseThrow().size();
        return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + digest + "\",\"size\":" + size + "}";
    }

    /** Uploads {@code text} as a blob of {@code repo} in one chunk. */
    Digest blob(String repo, String text) {
        byte[] data = text.getBytes(StandardCharsets.UTF_8);
        RepositoryName name = new RepositoryName(repo);
        UploadRecord upload = registry.uploads().start(ns, name, DigestAlgorithm.SHA256);
        Digest digest = Digest.sha256(data);
        registry.uploads().complete(ns, name, upload.id(), digest,
                new IncomingChunk(new ByteArrayInputStream(data), data.length, null));
        return digest;
    }

    /** Starts an upload in {@code repo} and sends one chunk, leaving it unfinished. */
    String unfinishedUpload(String repo, String text) {
        RepositoryName name = new RepositoryName(repo);
        UploadRecord upload = registry.uploads().start(ns, name, DigestAlgorithm.SHA256);
        appendChunk(repo, upload.id(), text);
        return upload.id();
    }

    /** Sends one more chunk to an unfinished upload. */
    void appendChunk(String repo, String id, String text) {
        byte[] data = text.getBytes(StandardCharsets.UTF_8);
        registry.uploads().append(ns, new RepositoryName(repo), id,
                new IncomingChunk(new ByteArrayInputStream(data), data.length, null));
    }
}
