package dev.berth.conformance;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** The common push steps, each asserting the spec's success response. */
public final class Client {
    private final Http http;

    /** A client over {@code http}. */
    public Client(Http http) {
        this.http = http;
    }

    /** An image pushed by {@link #pushImage}: its config, one layer and its manifest. */
    public record Image(Descriptor config, Descriptor layer, Manifest manifest) {}

    /** Starts an upload session with POST and returns its Location. */
    public String startUpload(String repository) {
        Http.Response response = Expect.status(http.post("/v2/" + repository + "/blobs/uploads/", null), 202);
        return Expect.header(response, "Location");
    }

    /** Pushes {@code content} as a blob with POST then PUT, by sha256; returns its descriptor. */
    public Descriptor pushBlob(String repository, String mediaType, byte[] content) {
        return pushBlob(repository, mediaType, content, "sha256");
    }

    /** Pushes {@code content} as a blob with POST then PUT, by the digest of {@code algorithm}. */
    public Descriptor pushBlob(String repository, String mediaType, byte[] content, String algorithm) {
        String digest = Digests.digest(algorithm, content);
        String location = startUpload(repository);
        Http.Response put = http.put(Http.withQuery(location, "digest=" + digest), content,
                "Content-Type", "application/octet-stream");
        Expect.status(put, 201);
        return new Descriptor(mediaType, digest, content.length);
    }

    /** Pushes the OCI empty config {@code {}}; returns its descriptor. */
    public Descriptor pushEmptyConfig(String repository) {
        Descriptor d = pushBlob(repository, MediaTypes.OCI_EMPTY, "{}".getBytes(StandardCharsets.UTF_8));
        if (!d.digest().equals(Digests.EMPTY_JSON_SHA256)) {
            throw new IllegalStateException("empty config digest " + d.digest());
        }
        return d;
    }

    /** PUTs {@code manifest} at {@code reference} with its media type as Content-Type; no assertion. */
    public Http.Response putManifest(String repository, String reference, Manifest manifest) {
        return http.put("/v2/" + repository + "/manifests/" + reference, manifest.bytes(), "Content-Type", manifest.mediaType());
    }

    /** PUTs {@code manifest} at {@code reference} and asserts 201. */
    public Manifest pushManifest(String repository, String reference, Manifest manifest) {
        Expect.status(putManifest(repository, reference, manifest), 201);
        return manifest;
    }

    /** GETs the manifest at {@code reference}, accepting every manifest type; no assertion. */
    public Http.Response getManifest(String repository, String reference) {
        return http.get("/v2/" + repository + "/manifests/" + reference, "Accept", MediaTypes.ALL_MANIFESTS);
    }

    /** HEADs the manifest at {@code reference}, accepting every manifest type; no assertion. */
    public Http.Response headManifest(String repository, String reference) {
        return http.head("/v2/" + repository + "/manifests/" + reference, "Accept", MediaTypes.ALL_MANIFESTS);
    }

    /** Pushes a config and a layer, then an OCI image manifest over them at {@code reference}. */
    public Image pushImage(String repository, String reference) {
        Descriptor config = pushBlob(repository, MediaTypes.OCI_CONFIG, configJson());
        Descriptor layer = pushBlob(repository, MediaTypes.OCI_LAYER, Digests.randomBytes(512));
        Manifest manifest = Manifest.ociImage(config, List.of(layer));
        pushManifest(repository, reference == null ? manifest.digest() : reference, manifest);
        return new Image(config, layer, manifest);
    }

    /** A small, unique image config. */
    public static byte[] configJson() {
        String created = "2026-01-01T00:00:00Z";
        return ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"created\":\"" + created + "\",\"config\":{\"Labels\":{\"nonce\":\""
                + java.util.HexFormat.of().formatHex(Digests.randomBytes(8)) + "\"}},"
                + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}").getBytes(StandardCharsets.UTF_8);
    }
}
