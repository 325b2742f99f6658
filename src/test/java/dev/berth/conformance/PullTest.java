package dev.berth.conformance;

import dev.berth.conformance.Http.Response;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Pull: the base endpoint, blob and manifest GET and HEAD, and ranged blob reads. */
@ExtendWith(RegistryUnderTest.Extension.class)
class PullTest {
    private final RegistryUnderTest registry;
    private final Http http;
    private final Client client;

    PullTest(RegistryUnderTest registry) {
        this.registry = registry;
        this.http = registry.http();
        this.client = registry.client();
    }

    @Test
    void baseEndpointAnswers200() {
        Expect.status(http.get("/v2/"), 200);
    }

    @Test
    void blobGetReturnsContentWithDigestAndLength() {
        String repo = registry.newRepository("pull");
        byte[] content = Digests.randomBytes(1000);
        Descriptor blob = client.pushBlob(repo, MediaTypes.OCI_LAYER, content);

        Response get = Expect.status(http.get("/v2/" + repo + "/blobs/" + blob.digest()), 200);
        Expect.body(get, content);
        Expect.header(get, "Docker-Content-Digest", blob.digest());
        Expect.header(get, "Content-Length", "1000");
    }

    @Test
    void blobHeadReturnsDigestAndLengthWithoutBody() {
        String repo = registry.newRepository("pull");
        byte[] content = Digests.randomBytes(321);
        Descriptor blob = client.pushBlob(repo, MediaTypes.OCI_LAYER, content);

        Response head = Expect.status(http.head("/v2/" + repo + "/blobs/" + blob.digest()), 200);
        Expect.header(head, "Docker-Content-Digest", blob.digest());
        Expect.header(head, "Content-Length", "321");
        Expect.that(head.body().length == 0, "HEAD must not carry a body", head);
    }

    @Test
    void sha512BlobIsServedUnderItsSha512Digest() {
        String repo = registry.newRepository("pull");
        byte[] content = Digests.randomBytes(700);
        Descriptor blob = client.pushBlob(repo, MediaTypes.OCI_LAYER, content, "sha512");

        Response get = Expect.status(http.get("/v2/" + repo + "/blobs/" + blob.digest()), 200);
        Expect.body(get, content);
        Expect.header(get, "Docker-Content-Digest", blob.digest());
        Response head = Expect.status(http.head("/v2/" + repo + "/blobs/" + blob.digest()), 200);
        Expect.header(head, "Docker-Content-Digest", blob.digest());
        Expect.header(head, "Content-Length", "700");
    }

    @Test
    void blobRangeRequestIsAnsweredWith206AndContentRange() {
        String repo = registry.newRepository("pull");
        byte[] content = Digests.randomBytes(100);
        Descriptor blob = client.pushBlob(repo, MediaTypes.OCI_LAYER, content);

        Response part = Expect.status(http.get("/v2/" + repo + "/blobs/" + blob.digest(), "Range", "bytes=10-19"), 206);
        Expect.body(part, Arrays.copyOfRange(content, 10, 20));
        Expect.header(part, "Content-Range", "bytes 10-19/100");
    }

    @Test
    void openEndedAndSuffixRangesAreServed() {
        String repo = registry.newRepository("pull");
        byte[] content = Digests.randomBytes(100);
        Descriptor blob = client.pushBlob(repo, MediaTypes.OCI_LAYER, content);

        Response tail = Expect.status(http.get("/v2/" + repo + "/blobs/" + blob.digest(), "Range", "bytes=90-"), 206);
        Expect.body(tail, Arrays.copyOfRange(content, 90, 100));
        Expect.header(tail, "Content-Range", "bytes 90-99/100");

        Response suffix = Expect.status(http.get("/v2/" + repo + "/blobs/" + blob.digest(), "Range", "bytes=-5"), 206);
        Expect.body(suffix, Arrays.copyOfRange(content, 95, 100));
        Expect.header(suffix, "Content-Range", "bytes 95-99/100");
    }

    @Test
    void rangeEndingBeyondTheBlobIsClampedToItsLastByte() {
        String repo = registry.newRepository("pull");
        byte[] content = Digests.randomBytes(50);
        Descriptor blob = client.pushBlob(repo, MediaTypes.OCI_LAYER, content);

        Response part = Expect.status(http.get("/v2/" + repo + "/blobs/" + blob.digest(), "Range", "bytes=40-1000"), 206);
        Expect.body(part, Arrays.copyOfRange(content, 40, 50));
        Expect.header(part, "Content-Range", "bytes 40-49/50");
    }

    @Test
    void unsatisfiableRangeIsRefusedWith416AndContentRangeOfTheSize() {
        String repo = registry.newRepository("pull");
        byte[] content = Digests.randomBytes(100);
        Descriptor blob = client.pushBlob(repo, MediaTypes.OCI_LAYER, content);

        Response refused = Expect.status(http.get("/v2/" + repo + "/blobs/" + blob.digest(), "Range", "bytes=200-300"), 416);
        Expect.header(refused, "Content-Range", "bytes */100");
        Expect.errorCodes(refused);
    }

    @Test
    void unknownBlobIs404BlobUnknown() {
        String repo = registry.newRepository("pull");
        client.pushBlob(repo, MediaTypes.OCI_LAYER, Digests.randomBytes(10));

        Expect.error(http.get("/v2/" + repo + "/blobs/" + Digests.unknownSha256()), 404, "BLOB_UNKNOWN");
        Expect.status(http.head("/v2/" + repo + "/blobs/" + Digests.unknownSha256()), 404);
    }

    @Test
    void blobInUnknownRepositoryIs404() {
        String repo = registry.newRepository("never-pushed");
        Expect.error(http.get("/v2/" + repo + "/blobs/" + Digests.unknownSha256()), 404, "NAME_UNKNOWN", "BLOB_UNKNOWN");
    }

    @Test
    void blobIsNotServedFromARepositoryItWasNeverPushedOrMountedTo() {
        String owner = registry.newRepository("owner");
        String other = registry.newRepository("other");
        Descriptor blob = client.pushBlob(owner, MediaTypes.OCI_LAYER, Digests.randomBytes(64));
        client.pushBlob(other, MediaTypes.OCI_LAYER, Digests.randomBytes(64));

        Expect.error(http.get("/v2/" + other + "/blobs/" + blob.digest()), 404, "BLOB_UNKNOWN");
        Expect.status(http.head("/v2/" + other + "/blobs/" + blob.digest()), 404);
    }

    @Test
    void manifestIsServedByTagAndByDigestWithTheSameBytesAndDigest() {
        String repo = registry.newRepository("pull");
        Client.Image image = client.pushImage(repo, "v1");
        String digest = image.manifest().digest();

        for (String reference : List.of("v1", digest)) {
            Response get = Expect.status(http.get("/v2/" + repo + "/manifests/" + reference, "Accept", MediaTypes.OCI_MANIFEST), 200);
            Expect.body(get, image.manifest().bytes());
            Expect.header(get, "Docker-Content-Digest", digest);
            Expect.that(MediaTypes.OCI_MANIFEST.equals(get.mediaType()), "Content-Type must be the manifest's media type", get);
        }
    }

    @Test
    void manifestHeadReturnsDigestLengthAndContentTypeWithoutBody() {
        String repo = registry.newRepository("pull");
        Client.Image image = client.pushImage(repo, "v1");

        for (String reference : List.of("v1", image.manifest().digest())) {
            Response head = Expect.status(http.head("/v2/" + repo + "/manifests/" + reference, "Accept", MediaTypes.OCI_MANIFEST), 200);
            Expect.header(head, "Docker-Content-Digest", image.manifest().digest());
            Expect.header(head, "Content-Length", Integer.toString(image.manifest().bytes().length));
            Expect.that(MediaTypes.OCI_MANIFEST.equals(head.mediaType()), "Content-Type must be the manifest's media type", head);
            Expect.that(head.body().length == 0, "HEAD must not carry a body", head);
        }
    }

    @Test
    void unknownManifestIs404ManifestUnknown() {
        String repo = registry.newRepository("pull");
        client.pushImage(repo, "present");

        Expect.error(client.getManifest(repo, "absent"), 404, "MANIFEST_UNKNOWN");
        Expect.error(client.getManifest(repo, Digests.unknownSha256()), 404, "MANIFEST_UNKNOWN");
        Expect.status(client.headManifest(repo, "absent"), 404);
    }

    @Test
    void manifestInUnknownRepositoryIs404() {
        String repo = registry.newRepository("never-pushed");
        Expect.error(client.getManifest(repo, "latest"), 404, "NAME_UNKNOWN", "MANIFEST_UNKNOWN");
        Expect.status(client.headManifest(repo, "latest"), 404);
    }
}
