package dev.berth.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.conformance.Http.Response;
import dev.berth.conformance.RegistryUnderTest.Configured;
import dev.berth.conformance.RegistryUnderTest.Setup;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Content management: deleting tags, manifests and blobs, and refusing deletes when they are disabled. */
@ExtendWith(RegistryUnderTest.Extension.class)
class ContentManagementTest {
    private final RegistryUnderTest registry;
    private final Http http;
    private final Client client;

    ContentManagementTest(RegistryUnderTest registry) {
        this.registry = registry;
        this.http = registry.http();
        this.client = registry.client();
    }

    private List<String> tags(String repo) {
        Response response = http.get("/v2/" + repo + "/tags/list");
        List<String> tags = new ArrayList<>();
        if (response.status() == 200) {
            response.json().path("tags").forEach(t -> tags.add(t.asText()));
        } else {
            Expect.error(response, 404, "NAME_UNKNOWN");
        }
        return tags;
    }

    @Test
    void deletingATagRemovesOnlyThatTag() {
        String repo = registry.newRepository("delete");
        Manifest manifest = client.pushImage(repo, "keep").manifest();
        client.pushManifest(repo, "drop", manifest);

        Expect.status(http.delete("/v2/" + repo + "/manifests/drop"), 202);
        Expect.error(client.getManifest(repo, "drop"), 404, "MANIFEST_UNKNOWN");
        Expect.status(client.headManifest(repo, "keep"), 200);
        Expect.status(client.headManifest(repo, manifest.digest()), 200);
        List<String> tags = tags(repo);
        Expect.that(tags.equals(List.of("keep")), "only the tag keep must remain, got " + tags, http.get("/v2/" + repo + "/tags/list"));
    }

    @Test
    void deletingAManifestByDigestRemovesItAndEveryTagOnIt() {
        String repo = registry.newRepository("delete");
        Manifest manifest = client.pushImage(repo, "one").manifest();
        client.pushManifest(repo, "two", manifest);
        Manifest other = client.pushImage(repo, "other").manifest();

        Expect.status(http.delete("/v2/" + repo + "/manifests/" + manifest.digest()), 202);
        Expect.error(client.getManifest(repo, manifest.digest()), 404, "MANIFEST_UNKNOWN");
        Expect.error(client.getManifest(repo, "one"), 404, "MANIFEST_UNKNOWN");
        Expect.error(client.getManifest(repo, "two"), 404, "MANIFEST_UNKNOWN");
        Expect.status(client.headManifest(repo, other.digest()), 200);
        List<String> tags = tags(repo);
        Expect.that(tags.equals(List.of("other")), "only the tag other must remain, got " + tags, http.get("/v2/" + repo + "/tags/list"));
    }

    @Test
    void deletedManifestCanBePushedAgain() {
        String repo = registry.newRepository("delete");
        Client.Image image = client.pushImage(repo, "again");
        Expect.status(http.delete("/v2/" + repo + "/manifests/" + image.manifest().digest()), 202);

        client.pushManifest(repo, "again", image.manifest());
        Response get = Expect.status(http.get("/v2/" + repo + "/manifests/again", "Accept", MediaTypes.OCI_MANIFEST), 200);
        Expect.body(get, image.manifest().bytes());
    }

    @Test
    void deletingAnUnknownManifestIs404() {
        String repo = registry.newRepository("delete");
        client.pushImage(repo, "present");

        Expect.error(http.delete("/v2/" + repo + "/manifests/" + Digests.unknownSha256()), 404, "MANIFEST_UNKNOWN");
        Expect.error(http.delete("/v2/" + repo + "/manifests/absent"), 404, "MANIFEST_UNKNOWN");
    }

    @Test
    void deletingAManifestInAnUnknownRepositoryIs404() {
        Expect.error(http.delete("/v2/" + registry.newRepository("never-pushed") + "/manifests/" + Digests.unknownSha256()), 404,
                "NAME_UNKNOWN", "MANIFEST_UNKNOWN");
    }

    @Test
    void deletingABlobAnswers202AndThenTheBlobIs404() {
        String repo = registry.newRepository("delete");
        Descriptor blob = client.pushBlob(repo, MediaTypes.OCI_LAYER, Digests.randomBytes(200));

        Expect.status(http.delete("/v2/" + repo + "/blobs/" + blob.digest()), 202);
        Expect.error(http.get("/v2/" + repo + "/blobs/" + blob.digest()), 404, "BLOB_UNKNOWN");
        Expect.status(http.head("/v2/" + repo + "/blobs/" + blob.digest()), 404);
    }

    @Test
    void deletingASha512BlobAnswers202AndThenTheBlobIs404() {
        String repo = registry.newRepository("delete");
        Descriptor blob = client.pushBlob(repo, MediaTypes.OCI_LAYER, Digests.randomBytes(200), "sha512");

        Expect.status(http.delete("/v2/" + repo + "/blobs/" + blob.digest()), 202);
        Expect.error(http.get("/v2/" + repo + "/blobs/" + blob.digest()), 404, "BLOB_UNKNOWN");
    }

    @Test
    void deletingAManifestBySha512DigestRemovesIt() {
        String repo = registry.newRepository("delete");
        Client.Image image = client.pushImage(repo, null);
        String sha512 = Digests.sha512(image.manifest().bytes());
        Expect.status(client.putManifest(repo, sha512, image.manifest()), 201);

        Expect.status(http.delete("/v2/" + repo + "/manifests/" + sha512), 202);
        Expect.error(client.getManifest(repo, sha512), 404, "MANIFEST_UNKNOWN");
    }

    /** Pushes a config and a layer to {@code repo}, deletes the layer, and returns both descriptors. */
    private Descriptor[] pushThenDeleteLayer(String repo) {
        Descriptor config = client.pushBlob(repo, MediaTypes.OCI_CONFIG, Client.configJson());
        Descriptor layer = client.pushBlob(repo, MediaTypes.OCI_LAYER, Digests.randomBytes(200));
        Expect.status(http.delete("/v2/" + repo + "/blobs/" + layer.digest()), 202);
        return new Descriptor[] {config, layer};
    }

    @Test
    void deletedBlobNoLongerSatisfiesAManifest() {
        String repo = registry.newRepository("delete");
        Descriptor[] pushed = pushThenDeleteLayer(repo);

        Expect.error(client.putManifest(repo, "stale", Manifest.ociImage(pushed[0], List.of(pushed[1]))), 400, "MANIFEST_BLOB_UNKNOWN");
    }

    @Test
    void deletedBlobCannotBeMountedFromItsFormerRepository() {
        String repo = registry.newRepository("delete");
        String target = registry.newRepository("delete");
        Descriptor layer = pushThenDeleteLayer(repo)[1];

        Expect.status(http.post("/v2/" + target + "/blobs/uploads/?mount=" + layer.digest() + "&from=" + repo, null), 202);
        Expect.status(http.head("/v2/" + target + "/blobs/" + layer.digest()), 404);
    }

    @Test
    void blobDeletedFromEveryRepositoryIsNotMountedAutomatically() {
        String repo = registry.newRepository("delete");
        String target = registry.newRepository("delete");
        Descriptor layer = pushThenDeleteLayer(repo)[1];

        Expect.status(http.post("/v2/" + target + "/blobs/uploads/?mount=" + layer.digest(), null), 202);
        Expect.status(http.head("/v2/" + target + "/blobs/" + layer.digest()), 404);
    }

    @Test
    void pushingTheSameManifestTwiceSucceedsBothTimes() {
        String repo = registry.newRepository("delete");
        Client.Image image = client.pushImage(repo, "twice");
        Response again = Expect.status(client.putManifest(repo, "twice", image.manifest()), 201);
        Expect.header(again, "Docker-Content-Digest", image.manifest().digest());
    }

    @Test
    void deletingABlobInOneRepositoryLeavesItInAnother() {
        String repo = registry.newRepository("delete");
        String other = registry.newRepository("delete");
        byte[] content = Digests.randomBytes(200);
        Descriptor blob = client.pushBlob(repo, MediaTypes.OCI_LAYER, content);
        client.pushBlob(other, MediaTypes.OCI_LAYER, content);

        Expect.status(http.delete("/v2/" + repo + "/blobs/" + blob.digest()), 202);
        Response get = Expect.status(http.get("/v2/" + other + "/blobs/" + blob.digest()), 200);
        Expect.body(get, content);
    }

    @Test
    void deletingAnUnknownBlobIs404BlobUnknown() {
        String repo = registry.newRepository("delete");
        client.pushBlob(repo, MediaTypes.OCI_LAYER, Digests.randomBytes(10));
        Expect.error(http.delete("/v2/" + repo + "/blobs/" + Digests.unknownSha256()), 404, "BLOB_UNKNOWN");
    }

    @Test
    void deletedReferrerDisappearsFromTheReferrersList() {
        String repo = registry.newRepository("delete");
        Client.Image subject = client.pushImage(repo, "subject");
        Descriptor empty = client.pushEmptyConfig(repo);
        Manifest keep = Manifest.ociImage(empty, List.of(), "application/vnd.example.keep", subject.manifest().descriptor(), Map.of());
        Manifest drop = Manifest.ociImage(empty, List.of(), "application/vnd.example.drop", subject.manifest().descriptor(), Map.of());
        client.pushManifest(repo, keep.digest(), keep);
        client.pushManifest(repo, drop.digest(), drop);

        Expect.status(http.delete("/v2/" + repo + "/manifests/" + drop.digest()), 202);
        Response referrers = Expect.status(http.get("/v2/" + repo + "/referrers/" + subject.manifest().digest()), 200);
        List<String> listed = new ArrayList<>();
        for (JsonNode d : referrers.json().path("manifests")) {
            listed.add(d.path("digest").asText());
        }
        Expect.that(listed.equals(List.of(keep.digest())), "only the remaining referrer must be listed, got " + listed, referrers);
    }

    @Test
    void manifestDeleteIsRefusedWith405UnsupportedWhenDeletesAreDisabled(
            @Configured(Setup.DELETE_DISABLED) RegistryUnderTest readOnly) {
        String repo = readOnly.newRepository("no-delete");
        Manifest manifest = readOnly.client().pushImage(repo, "kept").manifest();

        Expect.error(readOnly.http().delete("/v2/" + repo + "/manifests/" + manifest.digest()), 405, "UNSUPPORTED");
        Expect.status(readOnly.client().headManifest(repo, manifest.digest()), 200);
    }

    @Test
    void tagDeleteIsRefusedWith405UnsupportedWhenDeletesAreDisabled(
            @Configured(Setup.DELETE_DISABLED) RegistryUnderTest readOnly) {
        String repo = readOnly.newRepository("no-delete");
        readOnly.client().pushImage(repo, "kept");

        Expect.error(readOnly.http().delete("/v2/" + repo + "/manifests/kept"), 405, "UNSUPPORTED");
        Expect.status(readOnly.client().headManifest(repo, "kept"), 200);
    }

    @Test
    void blobDeleteIsRefusedWith405UnsupportedWhenDeletesAreDisabled(
            @Configured(Setup.DELETE_DISABLED) RegistryUnderTest readOnly) {
        String repo = readOnly.newRepository("no-delete");
        Descriptor blob = readOnly.client().pushBlob(repo, MediaTypes.OCI_LAYER, Digests.randomBytes(50));

        Expect.error(readOnly.http().delete("/v2/" + repo + "/blobs/" + blob.digest()), 405, "UNSUPPORTED");
        Expect.status(readOnly.http().head("/v2/" + repo + "/blobs/" + blob.digest()), 200);
    }
}
