package dev.berth.conformance;

import dev.berth.conformance.Http.Response;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Push and pull of manifests: the manifest types, exact bytes, tags, digests and validation. */
@ExtendWith(RegistryUnderTest.Extension.class)
class ManifestTest {
    private static final long FOUR_MIB = 4L * 1024 * 1024;

    private final RegistryUnderTest registry;
    private final Http http;
    private final Client client;

    ManifestTest(RegistryUnderTest registry) {
        this.registry = registry;
        this.http = registry.http();
        this.client = registry.client();
    }

    private Response getManifest(String repo, String reference, String accept) {
        return http.get("/v2/" + repo + "/manifests/" + reference, "Accept", accept);
    }

    private static String allManifestTypes() {
        return String.join(", ", MediaTypes.OCI_MANIFEST, MediaTypes.OCI_INDEX, MediaTypes.DOCKER_MANIFEST,
                MediaTypes.DOCKER_MANIFEST_LIST);
    }

    /** Asserts the manifest is served at {@code reference} with its exact bytes, type and digest. */
    private void assertServed(String repo, String reference, Manifest manifest, String contentType) {
        Response get = Expect.status(getManifest(repo, reference, allManifestTypes() + ", " + contentType), 200);
        Expect.body(get, manifest.bytes());
        Expect.header(get, "Docker-Content-Digest", Digests.sha256(manifest.bytes()));
        Expect.that(contentType.equals(get.mediaType()), "Content-Type must be " + contentType, get);
    }

    private Descriptor layer(String repo) {
        return client.pushBlob(repo, MediaTypes.OCI_LAYER, Digests.randomBytes(256));
    }

    private Descriptor config(String repo) {
        return client.pushBlob(repo, MediaTypes.OCI_CONFIG, Client.configJson());
    }

    @Test
    void ociImageManifestPushedByTagIsCreatedWithLocationAndDigest() {
        String repo = registry.newRepository("manifest");
        Manifest manifest = Manifest.ociImage(config(repo), List.of(layer(repo)));

        Response put = Expect.status(client.putManifest(repo, "v1", manifest), 201);
        Expect.header(put, "Location");
        Expect.header(put, "Docker-Content-Digest", manifest.digest());
        assertServed(repo, "v1", manifest, MediaTypes.OCI_MANIFEST);
        assertServed(repo, manifest.digest(), manifest, MediaTypes.OCI_MANIFEST);
    }

    @Test
    void locationOfThePushedManifestIsPullable() {
        String repo = registry.newRepository("manifest");
        Manifest manifest = Manifest.ociImage(config(repo), List.of(layer(repo)));
        Response put = Expect.status(client.putManifest(repo, "v1", manifest), 201);

        Response get = Expect.status(http.get(Expect.header(put, "Location"), "Accept", MediaTypes.OCI_MANIFEST), 200);
        Expect.body(get, manifest.bytes());
    }

    @Test
    void manifestPushedByDigestIsServedByDigest() {
        String repo = registry.newRepository("manifest");
        Manifest manifest = Manifest.ociImage(config(repo), List.of(layer(repo)));

        Response put = Expect.status(client.putManifest(repo, manifest.digest(), manifest), 201);
        Expect.header(put, "Docker-Content-Digest", manifest.digest());
        assertServed(repo, manifest.digest(), manifest, MediaTypes.OCI_MANIFEST);
    }

    @Test
    void manifestPushedBySha512DigestIsServedBySha512Digest() {
        String repo = registry.newRepository("manifest");
        Manifest manifest = Manifest.ociImage(config(repo), List.of(layer(repo)));
        String sha512 = Digests.sha512(manifest.bytes());

        Response put = Expect.status(client.putManifest(repo, sha512, manifest), 201);
        Expect.header(put, "Docker-Content-Digest", sha512);
        Response get = Expect.status(getManifest(repo, sha512, MediaTypes.OCI_MANIFEST), 200);
        Expect.body(get, manifest.bytes());
        Expect.header(get, "Docker-Content-Digest", sha512);
        Response head = Expect.status(http.head("/v2/" + repo + "/manifests/" + sha512, "Accept", MediaTypes.OCI_MANIFEST), 200);
        Expect.header(head, "Docker-Content-Digest", sha512);
    }

    @Test
    void manifestReferencingSha512BlobsIsAccepted() {
        String repo = registry.newRepository("manifest");
        Descriptor config = client.pushBlob(repo, MediaTypes.OCI_CONFIG, Client.configJson(), "sha512");
        Descriptor layer = client.pushBlob(repo, MediaTypes.OCI_LAYER, Digests.randomBytes(100), "sha512");
        Manifest manifest = Manifest.ociImage(config, List.of(layer));

        client.pushManifest(repo, "sha512-blobs", manifest);
        assertServed(repo, "sha512-blobs", manifest, MediaTypes.OCI_MANIFEST);
    }

    @Test
    void manifestPutByDigestThatDoesNotMatchTheBodyIsRefusedWithDigestInvalid() {
        String repo = registry.newRepository("manifest");
        Manifest manifest = Manifest.ociImage(config(repo), List.of(layer(repo)));
        String wrong = Digests.unknownSha256();

        Expect.error(client.putManifest(repo, wrong, manifest), 400, "DIGEST_INVALID");
        Expect.status(client.headManifest(repo, wrong), 404);
    }

    @Test
    void manifestBytesAreStoredExactlyIncludingOddWhitespaceAndTrailingNewline() {
        String repo = registry.newRepository("manifest");
        Descriptor config = config(repo);
        Descriptor layer = layer(repo);
        String text = "{\n\t\"schemaVersion\" :   2,\r\n  \"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\n"
                + "  \"config\": {\"mediaType\": \"" + config.mediaType() + "\", \"digest\": \"" + config.digest()
                + "\", \"size\": " + config.size() + "},\n"
                + "      \"layers\": [ {  \"size\": " + layer.size() + ", \"digest\": \"" + layer.digest() + "\", \"mediaType\": \""
                + layer.mediaType() + "\" } ]   \n}\n\n";
        Manifest manifest = Manifest.ofText(MediaTypes.OCI_MANIFEST, text);

        Response put = Expect.status(client.putManifest(repo, "odd", manifest), 201);
        Expect.header(put, "Docker-Content-Digest", manifest.digest());
        assertServed(repo, "odd", manifest, MediaTypes.OCI_MANIFEST);
        Response head = Expect.status(http.head("/v2/" + repo + "/manifests/odd", "Accept", MediaTypes.OCI_MANIFEST), 200);
        Expect.header(head, "Content-Length", Integer.toString(manifest.bytes().length));
    }

    @Test
    void ociIndexIsAcceptedAndServedWithItsType() {
        String repo = registry.newRepository("manifest");
        Manifest child = client.pushImage(repo, null).manifest();
        Manifest index = Manifest.ociIndex(List.of(child.descriptor()));

        Response put = Expect.status(client.putManifest(repo, "multi", index), 201);
        Expect.header(put, "Docker-Content-Digest", index.digest());
        assertServed(repo, "multi", index, MediaTypes.OCI_INDEX);
    }

    @Test
    void indexOfIndexesIsAccepted() {
        String repo = registry.newRepository("manifest");
        Manifest child = client.pushImage(repo, null).manifest();
        Manifest inner = client.pushManifest(repo, Manifest.ociIndex(List.of(child.descriptor())).digest(),
                Manifest.ociIndex(List.of(child.descriptor())));
        Manifest outer = Manifest.ociIndex(List.of(inner.descriptor()));

        client.pushManifest(repo, "nested", outer);
        assertServed(repo, "nested", outer, MediaTypes.OCI_INDEX);
    }

    @Test
    void dockerSchema2ManifestIsAcceptedAndServedWithItsType() {
        String repo = registry.newRepository("manifest");
        Descriptor config = client.pushBlob(repo, MediaTypes.DOCKER_CONFIG, Client.configJson());
        Descriptor layer = client.pushBlob(repo, MediaTypes.DOCKER_LAYER, Digests.randomBytes(300));
        Manifest manifest = Manifest.dockerImage(config, List.of(layer));

        Response put = Expect.status(client.putManifest(repo, "docker", manifest), 201);
        Expect.header(put, "Docker-Content-Digest", manifest.digest());
        assertServed(repo, "docker", manifest, MediaTypes.DOCKER_MANIFEST);
    }

    @Test
    void dockerManifestListIsAcceptedAndServedWithItsType() {
        String repo = registry.newRepository("manifest");
        Descriptor config = client.pushBlob(repo, MediaTypes.DOCKER_CONFIG, Client.configJson());
        Descriptor layer = client.pushBlob(repo, MediaTypes.DOCKER_LAYER, Digests.randomBytes(300));
        Manifest child = client.pushManifest(repo, Manifest.dockerImage(config, List.of(layer)).digest(),
                Manifest.dockerImage(config, List.of(layer)));
        Manifest list = Manifest.dockerList(List.of(child.descriptor()));

        Response put = Expect.status(client.putManifest(repo, "list", list), 201);
        Expect.header(put, "Docker-Content-Digest", list.digest());
        assertServed(repo, "list", list, MediaTypes.DOCKER_MANIFEST_LIST);
    }

    @Test
    void artifactWithEmptyConfigIsAccepted() {
        String repo = registry.newRepository("manifest");
        Descriptor empty = client.pushEmptyConfig(repo);
        Descriptor payload = client.pushBlob(repo, "application/vnd.example.payload", Digests.uniqueText("artifact"));
        Manifest artifact = Manifest.ociImage(empty, List.of(payload), "application/vnd.example.artifact", null,
                Map.of("org.example.note", "hello"));

        Response put = Expect.status(client.putManifest(repo, "artifact", artifact), 201);
        Expect.header(put, "Docker-Content-Digest", artifact.digest());
        assertServed(repo, "artifact", artifact, MediaTypes.OCI_MANIFEST);
    }

    @Test
    void artifactWithNoLayersIsAccepted() {
        String repo = registry.newRepository("manifest");
        Descriptor empty = client.pushEmptyConfig(repo);
        Manifest artifact = Manifest.ociImage(empty, List.of(), "application/vnd.example.bare", null, Map.of());

        client.pushManifest(repo, "bare", artifact);
        assertServed(repo, "bare", artifact, MediaTypes.OCI_MANIFEST);
    }

    @Test
    void manifestWithoutMediaTypeFieldIsServedWithThePushedContentType() {
        String repo = registry.newRepository("manifest");
        Descriptor config = config(repo);
        Descriptor layer = layer(repo);
        String text = "{\"schemaVersion\":2,\"config\":" + config.toJson() + ",\"layers\":[" + layer.toJson() + "]}";
        Manifest manifest = Manifest.ofText(MediaTypes.OCI_MANIFEST, text);

        client.pushManifest(repo, "untyped", manifest);
        assertServed(repo, "untyped", manifest, MediaTypes.OCI_MANIFEST);
    }

    @Test
    void contentTypeParametersArePermittedOnPush() {
        String repo = registry.newRepository("manifest");
        Manifest manifest = Manifest.ociImage(config(repo), List.of(layer(repo)));

        Expect.status(http.put("/v2/" + repo + "/manifests/params", manifest.bytes(),
                "Content-Type", MediaTypes.OCI_MANIFEST + "; charset=utf-8"), 201);
        assertServed(repo, "params", manifest, MediaTypes.OCI_MANIFEST);
    }

    @Test
    void tagIsServedWithItsOwnTypeEvenWhenAcceptDoesNotListIt() {
        String repo = registry.newRepository("manifest");
        Manifest manifest = client.pushImage(repo, "oci").manifest();

        Response get = Expect.status(getManifest(repo, "oci", MediaTypes.DOCKER_MANIFEST), 200);
        Expect.body(get, manifest.bytes());
        Expect.that(MediaTypes.OCI_MANIFEST.equals(get.mediaType()), "Content-Type must stay the manifest's own type", get);
    }

    @Test
    void manifestIsServedWithoutAnyAcceptHeader() {
        String repo = registry.newRepository("manifest");
        Manifest manifest = client.pushImage(repo, "plain").manifest();

        Response get = Expect.status(http.get("/v2/" + repo + "/manifests/plain"), 200);
        Expect.body(get, manifest.bytes());
        Expect.that(MediaTypes.OCI_MANIFEST.equals(get.mediaType()), "Content-Type must be the manifest's own type", get);
    }

    @Test
    void pushByDigestWithTagParametersTagsEveryTagAndAnswersOciTag() {
        String repo = registry.newRepository("manifest");
        Manifest manifest = Manifest.ociImage(config(repo), List.of(layer(repo)));

        Response put = Expect.status(http.put("/v2/" + repo + "/manifests/" + manifest.digest() + "?tag=1.2.3&tag=1.2&tag=latest",
                manifest.bytes(), "Content-Type", manifest.mediaType()), 201);
        Expect.that(Expect.ociTags(put).equals(Set.of("1.2.3", "1.2", "latest")),
                "OCI-Tag headers must name exactly the tags 1.2.3, 1.2 and latest, got " + Expect.ociTags(put), put);
        for (String tag : List.of("1.2.3", "1.2", "latest")) {
            Response get = Expect.status(getManifest(repo, tag, MediaTypes.OCI_MANIFEST), 200);
            Expect.header(get, "Docker-Content-Digest", manifest.digest());
        }
    }

    @Test
    void pushByDigestWithTenTagsTagsThemAll() {
        String repo = registry.newRepository("manifest");
        Manifest manifest = Manifest.ociImage(config(repo), List.of(layer(repo)));
        StringBuilder query = new StringBuilder();
        Set<String> tags = new java.util.TreeSet<>();
        for (int i = 0; i < 10; i++) {
            tags.add("t" + i);
            query.append(i == 0 ? "?" : "&").append("tag=t").append(i);
        }

        Response put = Expect.status(http.put("/v2/" + repo + "/manifests/" + manifest.digest() + query, manifest.bytes(),
                "Content-Type", manifest.mediaType()), 201);
        Expect.that(Expect.ociTags(put).equals(tags), "OCI-Tag headers must name all ten tags, got " + Expect.ociTags(put), put);
    }

    @Test
    void oneInvalidTagParameterRefusesTheWholeRequest() {
        String repo = registry.newRepository("manifest");
        client.pushImage(repo, "existing");
        Manifest manifest = Manifest.ociImage(config(repo), List.of(layer(repo)));

        Response put = http.put("/v2/" + repo + "/manifests/" + manifest.digest() + "?tag=good&tag=-bad", manifest.bytes(),
                "Content-Type", manifest.mediaType());
        Expect.error(put, 400, "TAG_INVALID", "MANIFEST_INVALID");
        Expect.status(client.headManifest(repo, "good"), 404);
        Expect.status(client.headManifest(repo, manifest.digest()), 404);
    }

    @Test
    void repushingATagMovesItToTheNewDigest() {
        String repo = registry.newRepository("manifest");
        Manifest first = client.pushImage(repo, "moving").manifest();
        Manifest second = client.pushImage(repo, "moving").manifest();

        Response get = Expect.status(getManifest(repo, "moving", MediaTypes.OCI_MANIFEST), 200);
        Expect.header(get, "Docker-Content-Digest", second.digest());
        Expect.body(get, second.bytes());
        Expect.status(getManifest(repo, first.digest(), MediaTypes.OCI_MANIFEST), 200);
        Response tags = Expect.status(http.get("/v2/" + repo + "/tags/list"), 200);
        Expect.that(tags.json().get("tags").size() == 1, "the tag must be listed once", tags);
    }

    @Test
    void tagCanMoveBetweenManifestTypes() {
        String repo = registry.newRepository("manifest");
        Manifest image = client.pushImage(repo, "shifty").manifest();
        Manifest index = client.pushManifest(repo, "shifty", Manifest.ociIndex(List.of(image.descriptor())));

        assertServed(repo, "shifty", index, MediaTypes.OCI_INDEX);
    }

    @Test
    void malformedJsonIsRefusedWithManifestInvalid() {
        String repo = registry.newRepository("manifest");
        client.pushImage(repo, "base");
        Expect.error(client.putManifest(repo, "broken", Manifest.ofText(MediaTypes.OCI_MANIFEST, "{\"schemaVersion\": 2, ")),
                400, "MANIFEST_INVALID");
        Expect.error(client.putManifest(repo, "broken", Manifest.ofText(MediaTypes.OCI_MANIFEST, "")), 400, "MANIFEST_INVALID");
        Expect.error(client.putManifest(repo, "broken", Manifest.ofText(MediaTypes.OCI_MANIFEST, "[]")), 400, "MANIFEST_INVALID");
        Expect.status(client.headManifest(repo, "broken"), 404);
    }

    @Test
    void unsupportedSchemaVersionIsRefusedWithManifestInvalid() {
        String repo = registry.newRepository("manifest");
        Manifest good = Manifest.ociImage(config(repo), List.of(layer(repo)));
        String text = good.text().replace("\"schemaVersion\":2", "\"schemaVersion\":3");

        Expect.error(client.putManifest(repo, "v3", Manifest.ofText(MediaTypes.OCI_MANIFEST, text)), 400, "MANIFEST_INVALID");
        String schema1 = good.text().replace("\"schemaVersion\":2", "\"schemaVersion\":1");
        Expect.error(client.putManifest(repo, "v1", Manifest.ofText(MediaTypes.OCI_MANIFEST, schema1)), 400, "MANIFEST_INVALID");
    }

    @Test
    void mediaTypeFieldThatContradictsContentTypeIsRefusedWithManifestInvalid() {
        String repo = registry.newRepository("manifest");
        Manifest manifest = Manifest.ociImage(config(repo), List.of(layer(repo)));

        Response put = http.put("/v2/" + repo + "/manifests/mismatch", manifest.bytes(), "Content-Type", MediaTypes.OCI_INDEX);
        Expect.error(put, 400, "MANIFEST_INVALID");
        Expect.status(client.headManifest(repo, "mismatch"), 404);
    }

    @Test
    void missingBlobsAreReportedAsOneManifestBlobUnknownPerReference() {
        String repo = registry.newRepository("manifest");
        client.pushImage(repo, "base");
        Descriptor missingConfig = new Descriptor(MediaTypes.OCI_CONFIG, Digests.unknownSha256(), 100);
        Descriptor missingLayer1 = new Descriptor(MediaTypes.OCI_LAYER, Digests.unknownSha256(), 200);
        Descriptor presentLayer = layer(repo);
        Descriptor missingLayer2 = new Descriptor(MediaTypes.OCI_LAYER, Digests.unknownSha256(), 300);
        Manifest manifest = Manifest.ociImage(missingConfig, List.of(missingLayer1, presentLayer, missingLayer2));

        Response put = client.putManifest(repo, "incomplete", manifest);
        List<String> codes = Expect.error(put, 400, "MANIFEST_BLOB_UNKNOWN");
        Expect.that(codes.stream().filter("MANIFEST_BLOB_UNKNOWN"::equals).count() == 3,
                "expected one MANIFEST_BLOB_UNKNOWN per missing reference (3), got " + codes, put);
        Expect.status(client.headManifest(repo, "incomplete"), 404);
    }

    @Test
    void blobOnlyInAnotherRepositoryDoesNotSatisfyAManifest() {
        String repo = registry.newRepository("manifest");
        String elsewhere = registry.newRepository("manifest-elsewhere");
        Descriptor config = config(repo);
        Descriptor foreignLayer = client.pushBlob(elsewhere, MediaTypes.OCI_LAYER, Digests.randomBytes(128));

        Expect.error(client.putManifest(repo, "foreign", Manifest.ociImage(config, List.of(foreignLayer))), 400,
                "MANIFEST_BLOB_UNKNOWN");
    }

    @Test
    void layerDeclaredWithTheWrongSizeIsRefusedWithManifestInvalid() {
        String repo = registry.newRepository("manifest");
        Descriptor config = config(repo);
        Descriptor layer = layer(repo);

        Expect.error(client.putManifest(repo, "liar", Manifest.ociImage(config, List.of(layer.withSize(layer.size() + 1)))),
                400, "MANIFEST_INVALID");
        Expect.error(client.putManifest(repo, "liar", Manifest.ociImage(config.withSize(config.size() - 1), List.of(layer))),
                400, "MANIFEST_INVALID");
        Expect.status(client.headManifest(repo, "liar"), 404);
    }

    @Test
    void indexWithAnAbsentChildIsRefusedByDefault() {
        String repo = registry.newRepository("manifest");
        Manifest present = client.pushImage(repo, null).manifest();
        Descriptor absent = new Descriptor(MediaTypes.OCI_MANIFEST, Digests.unknownSha256(), 500);

        Expect.error(client.putManifest(repo, "sparse", Manifest.ociIndex(List.of(present.descriptor(), absent))), 400,
                "MANIFEST_BLOB_UNKNOWN");
        Expect.status(client.headManifest(repo, "sparse"), 404);
    }

    @Test
    void dockerManifestListWithAnAbsentChildIsRefused() {
        String repo = registry.newRepository("manifest");
        client.pushImage(repo, "base");
        Descriptor absent = new Descriptor(MediaTypes.DOCKER_MANIFEST, Digests.unknownSha256(), 400);

        Expect.error(client.putManifest(repo, "sparse-list", Manifest.dockerList(List.of(absent))), 400, "MANIFEST_BLOB_UNKNOWN");
    }

    @Test
    void indexReferencingAChildBySha512DigestIsAccepted() {
        String repo = registry.newRepository("manifest");
        Manifest child = Manifest.ociImage(config(repo), List.of(layer(repo)));
        String sha512 = Digests.sha512(child.bytes());
        Expect.status(client.putManifest(repo, sha512, child), 201);
        Manifest index = Manifest.ociIndex(List.of(new Descriptor(child.mediaType(), sha512, child.bytes().length)));

        client.pushManifest(repo, "sha512-index", index);
        assertServed(repo, "sha512-index", index, MediaTypes.OCI_INDEX);
    }

    @Test
    void indexWithAChildOfTheWrongSizeIsRefusedWithManifestInvalid() {
        String repo = registry.newRepository("manifest");
        Manifest present = client.pushImage(repo, null).manifest();
        Descriptor wrongSize = present.descriptor().withSize(present.bytes().length + 7);

        Expect.error(client.putManifest(repo, "lying-index", Manifest.ociIndex(List.of(wrongSize))), 400, "MANIFEST_INVALID");
    }

    @Test
    void indexWithAnAbsentChildIsAcceptedWhenSparseIndexesAreAllowed(
            @RegistryUnderTest.Configured(RegistryUnderTest.Setup.SPARSE_INDEX_ALLOWED) RegistryUnderTest sparse) {
        String repo = sparse.newRepository("sparse");
        Client sparseClient = sparse.client();
        Manifest present = sparseClient.pushImage(repo, null).manifest();
        Descriptor absent = new Descriptor(MediaTypes.OCI_MANIFEST, Digests.unknownSha256(), 500);
        Manifest index = Manifest.ociIndex(List.of(present.descriptor(), absent));

        Expect.status(sparseClient.putManifest(repo, "sparse", index), 201);
        Response get = Expect.status(sparse.http().get("/v2/" + repo + "/manifests/sparse", "Accept", MediaTypes.OCI_INDEX), 200);
        Expect.body(get, index.bytes());
    }

    @Test
    void manifestOfExactlyTheSizeLimitIsAccepted() {
        String repo = registry.newRepository("manifest");
        Manifest manifest = paddedTo(repo, FOUR_MIB);

        Expect.status(client.putManifest(repo, "big", manifest), 201);
        Response head = Expect.status(http.head("/v2/" + repo + "/manifests/big", "Accept", MediaTypes.OCI_MANIFEST), 200);
        Expect.header(head, "Content-Length", Long.toString(FOUR_MIB));
    }

    @Test
    void manifestAboveTheSizeLimitIsRefusedWith413ManifestInvalid() {
        String repo = registry.newRepository("manifest");
        Manifest manifest = paddedTo(repo, FOUR_MIB + 1);

        Expect.error(client.putManifest(repo, "too-big", manifest), 413, "MANIFEST_INVALID");
        Expect.status(client.headManifest(repo, "too-big"), 404);
    }

    /** A valid image manifest padded with an annotation to exactly {@code size} bytes. */
    private Manifest paddedTo(String repo, long size) {
        Descriptor config = config(repo);
        Descriptor layer = layer(repo);
        String prefix = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":" + config.toJson()
                + ",\"layers\":[" + layer.toJson() + "],\"annotations\":{\"org.example.padding\":\"";
        String suffix = "\"}}";
        int padding = (int) (size - prefix.length() - suffix.length());
        byte[] bytes = (prefix + "x".repeat(padding) + suffix).getBytes(StandardCharsets.UTF_8);
        if (bytes.length != size) {
            throw new IllegalStateException("padded manifest is " + bytes.length + " bytes");
        }
        return new Manifest(MediaTypes.OCI_MANIFEST, bytes);
    }

    @Test
    void tagOf128CharactersIsAccepted() {
        String repo = registry.newRepository("manifest");
        String tag = "T_" + "a".repeat(120) + ".-_9x8";
        Manifest manifest = Manifest.ociImage(config(repo), List.of(layer(repo)));

        Expect.status(client.putManifest(repo, tag, manifest), 201);
        assertServed(repo, tag, manifest, MediaTypes.OCI_MANIFEST);
    }

    @Test
    void invalidTagsAreRefusedWith400() {
        String repo = registry.newRepository("manifest");
        Manifest manifest = Manifest.ociImage(config(repo), List.of(layer(repo)));

        for (String tag : List.of("a".repeat(129), "-leading-dash", ".leading-dot", "has+plus", "has%20space")) {
            Expect.error(client.putManifest(repo, tag, manifest), 400, "TAG_INVALID", "MANIFEST_INVALID");
        }
        Response tags = http.get("/v2/" + repo + "/tags/list");
        if (tags.status() == 200) {
            Expect.that(tags.json().path("tags").isEmpty() || tags.json().path("tags").isNull(), "no tag may have been created", tags);
        }
    }
}
