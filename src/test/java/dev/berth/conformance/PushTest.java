package dev.berth.conformance;

import dev.berth.conformance.Http.Response;
import java.util.Arrays;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Push of blobs: upload sessions, monolithic and chunked uploads, digests, mounts and cancellation. */
@ExtendWith(RegistryUnderTest.Extension.class)
class PushTest {
    private static final Pattern RANGE = Pattern.compile("0-[0-9]+");

    private final RegistryUnderTest registry;
    private final Http http;
    private final Client client;

    PushTest(RegistryUnderTest registry) {
        this.registry = registry;
        this.http = registry.http();
        this.client = registry.client();
    }

    private static byte[] slice(byte[] content, int from, int to) {
        return Arrays.copyOfRange(content, from, to);
    }

    private void assertBlobServed(String repo, String digest, byte[] content) {
        Response get = Expect.status(http.get("/v2/" + repo + "/blobs/" + digest), 200);
        Expect.body(get, content);
        Expect.header(get, "Docker-Content-Digest", digest);
    }

    /** Asserts a 202 carrying Location and {@code Range: 0-<end>}; returns the Location. */
    private static String accepted(Response response, long end) {
        Expect.status(response, 202);
        String location = Expect.header(response, "Location");
        Expect.header(response, "Range", "0-" + end);
        return location;
    }

    @Test
    void postStartsAnUploadSessionWith202LocationAndRange() {
        String repo = registry.newRepository("push");
        Response post = Expect.status(http.post("/v2/" + repo + "/blobs/uploads/", null), 202);
        Expect.header(post, "Location");
        String range = Expect.header(post, "Range");
        Expect.that(RANGE.matcher(range).matches(), "Range must look like 0-<end>", post);
    }

    @Test
    void postThenPutUploadsABlobMonolithically() {
        String repo = registry.newRepository("push");
        byte[] content = Digests.randomBytes(2048);
        String digest = Digests.sha256(content);
        String location = client.startUpload(repo);

        Response put = Expect.status(http.put(Http.withQuery(location, "digest=" + digest), content,
                "Content-Type", "application/octet-stream"), 201);
        Expect.header(put, "Location");
        Expect.header(put, "Docker-Content-Digest", digest);
        assertBlobServed(repo, digest, content);
    }

    @Test
    void locationOfTheCreatedBlobIsPullable() {
        String repo = registry.newRepository("push");
        byte[] content = Digests.randomBytes(99);
        String digest = Digests.sha256(content);
        String location = client.startUpload(repo);
        Response put = Expect.status(http.put(Http.withQuery(location, "digest=" + digest), content), 201);

        Response get = Expect.status(http.get(Expect.header(put, "Location")), 200);
        Expect.body(get, content);
    }

    @Test
    void singlePostWithDigestUploadsTheBlobWith201() {
        String repo = registry.newRepository("push");
        byte[] content = Digests.randomBytes(1500);
        String digest = Digests.sha256(content);

        Response post = Expect.status(http.post("/v2/" + repo + "/blobs/uploads/?digest=" + digest, content,
                "Content-Type", "application/octet-stream"), 201);
        Expect.header(post, "Location");
        Expect.header(post, "Docker-Content-Digest", digest);
        assertBlobServed(repo, digest, content);
    }

    @Test
    void singlePostWithSha512DigestUploadsTheBlob() {
        String repo = registry.newRepository("push");
        byte[] content = Digests.randomBytes(1500);
        String digest = Digests.sha512(content);

        Response post = Expect.status(http.post("/v2/" + repo + "/blobs/uploads/?digest=" + digest, content,
                "Content-Type", "application/octet-stream"), 201);
        Expect.header(post, "Docker-Content-Digest", digest);
        assertBlobServed(repo, digest, content);
    }

    @Test
    void singlePostWithWrongDigestIsRefusedWithDigestInvalid() {
        String repo = registry.newRepository("push");
        byte[] content = Digests.randomBytes(100);
        String other = Digests.unknownSha256();

        Expect.error(http.post("/v2/" + repo + "/blobs/uploads/?digest=" + other, content,
                "Content-Type", "application/octet-stream"), 400, "DIGEST_INVALID");
        Expect.status(http.head("/v2/" + repo + "/blobs/" + other), 404);
    }

    @Test
    void uploadStartedWithDigestAlgorithmSha512CompletesWithSha512Digest() {
        String repo = registry.newRepository("push");
        byte[] content = Digests.randomBytes(4000);
        String digest = Digests.sha512(content);

        Response post = Expect.status(http.post("/v2/" + repo + "/blobs/uploads/?digest-algorithm=sha512", null), 202);
        String location = Expect.header(post, "Location");
        location = accepted(http.patch(location, content, "Content-Type", "application/octet-stream"), content.length - 1);
        Response put = Expect.status(http.put(Http.withQuery(location, "digest=" + digest), null), 201);
        Expect.header(put, "Docker-Content-Digest", digest);
        assertBlobServed(repo, digest, content);
    }

    @Test
    void sha512DigestIsAcceptedOnPutForASessionStartedWithoutDigestAlgorithm() {
        String repo = registry.newRepository("push");
        byte[] content = Digests.randomBytes(3000);
        String digest = Digests.sha512(content);
        String location = client.startUpload(repo);

        location = accepted(http.patch(location, slice(content, 0, 1000), "Content-Type", "application/octet-stream"), 999);
        Response put = Expect.status(http.put(Http.withQuery(location, "digest=" + digest), slice(content, 1000, 3000),
                "Content-Type", "application/octet-stream"), 201);
        Expect.header(put, "Docker-Content-Digest", digest);
        assertBlobServed(repo, digest, content);
    }

    @Test
    void streamedPatchWithoutContentRangeIsAcceptedAndCompleted() {
        String repo = registry.newRepository("push");
        byte[] content = Digests.randomBytes(10_000);
        String digest = Digests.sha256(content);
        String location = client.startUpload(repo);

        location = accepted(http.patchStreamed(location, content, "Content-Type", "application/octet-stream"), content.length - 1);
        Expect.status(http.put(Http.withQuery(location, "digest=" + digest), null), 201);
        assertBlobServed(repo, digest, content);
    }

    @Test
    void consecutiveStreamedPatchesAppend() {
        String repo = registry.newRepository("push");
        byte[] content = Digests.randomBytes(3000);
        String digest = Digests.sha256(content);
        String location = client.startUpload(repo);

        location = accepted(http.patch(location, slice(content, 0, 1000), "Content-Type", "application/octet-stream"), 999);
        location = accepted(http.patchStreamed(location, slice(content, 1000, 3000), "Content-Type", "application/octet-stream"), 2999);
        Expect.status(http.put(Http.withQuery(location, "digest=" + digest), null), 201);
        assertBlobServed(repo, digest, content);
    }

    @Test
    void chunkedUploadWithContentRangeAssemblesTheBlob() {
        String repo = registry.newRepository("push");
        byte[] content = Digests.randomBytes(30);
        String digest = Digests.sha256(content);
        String location = client.startUpload(repo);

        location = accepted(http.patch(location, slice(content, 0, 10),
                "Content-Type", "application/octet-stream", "Content-Range", "0-9"), 9);
        location = accepted(http.patch(location, slice(content, 10, 20),
                "Content-Type", "application/octet-stream", "Content-Range", "10-19"), 19);
        Response put = Expect.status(http.put(Http.withQuery(location, "digest=" + digest), slice(content, 20, 30),
                "Content-Type", "application/octet-stream", "Content-Range", "20-29"), 201);
        Expect.header(put, "Location");
        assertBlobServed(repo, digest, content);
    }

    @Test
    void largeBlobUploadedInChunksIsReassembledExactly() {
        String repo = registry.newRepository("push");
        byte[] content = Digests.randomBytes(6 * 1024 * 1024 + 123);
        String digest = Digests.sha256(content);
        String location = client.startUpload(repo);
        int[] cuts = {0, 1024 * 1024, 1024 * 1024 + 1, 5 * 1024 * 1024};
        for (int i = 0; i < cuts.length - 1; i++) {
            location = accepted(http.patch(location, slice(content, cuts[i], cuts[i + 1]), "Content-Type", "application/octet-stream",
                    "Content-Range", cuts[i] + "-" + (cuts[i + 1] - 1)), cuts[i + 1] - 1);
        }
        int last = cuts[cuts.length - 1];
        Expect.status(http.put(Http.withQuery(location, "digest=" + digest), slice(content, last, content.length),
                "Content-Type", "application/octet-stream", "Content-Range", last + "-" + (content.length - 1)), 201);
        assertBlobServed(repo, digest, content);
        Response head = Expect.status(http.head("/v2/" + repo + "/blobs/" + digest), 200);
        Expect.header(head, "Content-Length", Integer.toString(content.length));
    }

    @Test
    void concurrentUploadsOfTheSameBlobAllSucceed() throws Exception {
        String repo = registry.newRepository("push");
        byte[] content = Digests.randomBytes(256 * 1024);
        String digest = Digests.sha256(content);
        java.util.List<String> locations = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            locations.add(client.startUpload(repo));
        }
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(4)) {
            var results = new java.util.ArrayList<java.util.concurrent.Future<Response>>();
            for (String location : locations) {
                results.add(pool.submit(() -> http.put(Http.withQuery(location, "digest=" + digest), content,
                        "Content-Type", "application/octet-stream")));
            }
            for (var result : results) {
                Expect.status(result.get(), 201);
            }
        }
        assertBlobServed(repo, digest, content);
    }

    @Test
    void chunkUploadedOutOfOrderIsRefusedWith416AndCurrentRange() {
        String repo = registry.newRepository("push");
        byte[] content = Digests.randomBytes(30);
        String location = client.startUpload(repo);
        location = accepted(http.patch(location, slice(content, 0, 10),
                "Content-Type", "application/octet-stream", "Content-Range", "0-9"), 9);

        Response gap = Expect.status(http.patch(location, slice(content, 20, 30),
                "Content-Type", "application/octet-stream", "Content-Range", "20-29"), 416);
        Expect.header(gap, "Range", "0-9");
        Expect.errorCodes(gap);
    }

    @Test
    void replayedChunkIsRefusedWith416AndCurrentRange() {
        String repo = registry.newRepository("push");
        byte[] content = Digests.randomBytes(30);
        String location = client.startUpload(repo);
        location = accepted(http.patch(location, slice(content, 0, 10),
                "Content-Type", "application/octet-stream", "Content-Range", "0-9"), 9);

        Response replay = Expect.status(http.patch(location, slice(content, 0, 10),
                "Content-Type", "application/octet-stream", "Content-Range", "0-9"), 416);
        Expect.header(replay, "Range", "0-9");
        Expect.errorCodes(replay);
    }

    @Test
    void uploadContinuesAfterARefusedChunk() {
        String repo = registry.newRepository("push");
        byte[] content = Digests.randomBytes(30);
        String digest = Digests.sha256(content);
        String location = client.startUpload(repo);
        location = accepted(http.patch(location, slice(content, 0, 10),
                "Content-Type", "application/octet-stream", "Content-Range", "0-9"), 9);
        Expect.status(http.patch(location, slice(content, 20, 30),
                "Content-Type", "application/octet-stream", "Content-Range", "20-29"), 416);

        Response status = Expect.status(http.get(location), 204);
        Expect.header(status, "Range", "0-9");
        location = Expect.header(status, "Location");
        location = accepted(http.patch(location, slice(content, 10, 30),
                "Content-Type", "application/octet-stream", "Content-Range", "10-29"), 29);
        Expect.status(http.put(Http.withQuery(location, "digest=" + digest), null), 201);
        assertBlobServed(repo, digest, content);
    }

    @Test
    void uploadStatusIs204WithRangeAndLocation() {
        String repo = registry.newRepository("push");
        byte[] content = Digests.randomBytes(25);
        String location = client.startUpload(repo);
        location = accepted(http.patch(location, content, "Content-Type", "application/octet-stream", "Content-Range", "0-24"), 24);

        Response status = Expect.status(http.get(location), 204);
        Expect.header(status, "Range", "0-24");
        Expect.header(status, "Location");
    }

    @Test
    void finalChunkOutOfOrderOnPutIsRefusedWith416() {
        String repo = registry.newRepository("push");
        byte[] content = Digests.randomBytes(30);
        String digest = Digests.sha256(content);
        String location = client.startUpload(repo);
        location = accepted(http.patch(location, slice(content, 0, 10),
                "Content-Type", "application/octet-stream", "Content-Range", "0-9"), 9);

        Expect.status(http.put(Http.withQuery(location, "digest=" + digest), slice(content, 20, 30),
                "Content-Type", "application/octet-stream", "Content-Range", "20-29"), 416);
        Expect.status(http.head("/v2/" + repo + "/blobs/" + digest), 404);
    }

    @Test
    void putWithWrongDigestIsRefusedWithDigestInvalid() {
        String repo = registry.newRepository("push");
        byte[] content = Digests.randomBytes(100);
        String wrong = Digests.unknownSha256();
        String location = client.startUpload(repo);

        Expect.error(http.put(Http.withQuery(location, "digest=" + wrong), content,
                "Content-Type", "application/octet-stream"), 400, "DIGEST_INVALID");
        Expect.status(http.head("/v2/" + repo + "/blobs/" + wrong), 404);
    }

    @Test
    void putWithMalformedDigestIsRefusedWithDigestInvalid() {
        String repo = registry.newRepository("push");
        byte[] content = Digests.randomBytes(100);
        for (String bad : new String[] {"sha256:abc", "sha256:" + "Z".repeat(64), "nodigest", "sha256:"}) {
            String location = client.startUpload(repo);
            Expect.error(http.put(Http.withQuery(location, "digest=" + bad), content,
                    "Content-Type", "application/octet-stream"), 400, "DIGEST_INVALID");
        }
    }

    @Test
    void putWithUnsupportedDigestAlgorithmIsRefusedWithDigestInvalid() {
        String repo = registry.newRepository("push");
        byte[] content = Digests.randomBytes(100);
        String location = client.startUpload(repo);
        Expect.error(http.put(Http.withQuery(location, "digest=md5:" + "0".repeat(32)), content,
                "Content-Type", "application/octet-stream"), 400, "DIGEST_INVALID");
    }

    @Test
    void putWithoutDigestIsRefused() {
        String repo = registry.newRepository("push");
        String location = client.startUpload(repo);
        Expect.error(http.put(location, Digests.randomBytes(10), "Content-Type", "application/octet-stream"), 400,
                "DIGEST_INVALID", "BLOB_UPLOAD_INVALID");
    }

    @Test
    void emptyBlobCanBeUploaded() {
        String repo = registry.newRepository("push");
        byte[] content = new byte[0];
        String digest = Digests.sha256(content);
        String location = client.startUpload(repo);

        Expect.status(http.put(Http.withQuery(location, "digest=" + digest), content), 201);
        Response head = Expect.status(http.head("/v2/" + repo + "/blobs/" + digest), 200);
        Expect.header(head, "Content-Length", "0");
    }

    @Test
    void pushingABlobThatAlreadyExistsSucceedsAgain() {
        String repo = registry.newRepository("push");
        byte[] content = Digests.randomBytes(300);
        client.pushBlob(repo, MediaTypes.OCI_LAYER, content);
        Descriptor again = client.pushBlob(repo, MediaTypes.OCI_LAYER, content);
        assertBlobServed(repo, again.digest(), content);
    }

    @Test
    void crossRepositoryMountReturns201WithLocation() {
        String source = registry.newRepository("mount-source");
        String target = registry.newRepository("mount-target");
        byte[] content = Digests.randomBytes(500);
        Descriptor blob = client.pushBlob(source, MediaTypes.OCI_LAYER, content);

        Response mount = Expect.status(http.post("/v2/" + target + "/blobs/uploads/?mount=" + blob.digest() + "&from=" + source, null), 201);
        Expect.header(mount, "Location");
        Expect.header(mount, "Docker-Content-Digest", blob.digest());
        assertBlobServed(target, blob.digest(), content);
    }

    @Test
    void sha512BlobCanBeMountedFromAnotherRepository() {
        String source = registry.newRepository("mount-source");
        String target = registry.newRepository("mount-target");
        byte[] content = Digests.randomBytes(300);
        Descriptor blob = client.pushBlob(source, MediaTypes.OCI_LAYER, content, "sha512");

        Response mount = Expect.status(http.post("/v2/" + target + "/blobs/uploads/?mount=" + blob.digest() + "&from=" + source, null), 201);
        Expect.header(mount, "Docker-Content-Digest", blob.digest());
        assertBlobServed(target, blob.digest(), content);
    }

    @Test
    void mountWithoutFromMountsABlobThatExistsElsewhereInTheRegistry() {
        String source = registry.newRepository("mount-source");
        String target = registry.newRepository("mount-target");
        byte[] content = Digests.randomBytes(500);
        Descriptor blob = client.pushBlob(source, MediaTypes.OCI_LAYER, content);

        Response mount = Expect.status(http.post("/v2/" + target + "/blobs/uploads/?mount=" + blob.digest(), null), 201);
        Expect.header(mount, "Location");
        assertBlobServed(target, blob.digest(), content);
    }

    @Test
    void mountOfAnUnknownBlobStartsAnUploadSessionWith202() {
        String source = registry.newRepository("mount-source");
        String target = registry.newRepository("mount-target");
        client.pushBlob(source, MediaTypes.OCI_LAYER, Digests.randomBytes(10));
        byte[] content = Digests.randomBytes(200);
        String digest = Digests.sha256(content);

        Response post = Expect.status(http.post("/v2/" + target + "/blobs/uploads/?mount=" + digest + "&from=" + source, null), 202);
        String location = Expect.header(post, "Location");
        Expect.status(http.put(Http.withQuery(location, "digest=" + digest), content), 201);
        assertBlobServed(target, digest, content);
    }

    @Test
    void mountWithoutFromOfAnUnknownBlobStartsAnUploadSessionWith202() {
        String target = registry.newRepository("mount-target");
        Response post = Expect.status(http.post("/v2/" + target + "/blobs/uploads/?mount=" + Digests.unknownSha256(), null), 202);
        Expect.header(post, "Location");
    }

    @Test
    void mountFromARepositoryThatLacksTheBlobDoesNotExposeIt() {
        String source = registry.newRepository("mount-source");
        String target = registry.newRepository("mount-target");
        client.pushBlob(source, MediaTypes.OCI_LAYER, Digests.randomBytes(10));
        String digest = Digests.unknownSha256();

        Expect.status(http.post("/v2/" + target + "/blobs/uploads/?mount=" + digest + "&from=" + source, null), 202);
        Expect.status(http.head("/v2/" + target + "/blobs/" + digest), 404);
    }

    @Test
    void cancelledUploadAnswers204AndIsThenUnknown() {
        String repo = registry.newRepository("push");
        String location = client.startUpload(repo);
        location = accepted(http.patch(location, Digests.randomBytes(10), "Content-Type", "application/octet-stream"), 9);

        Expect.status(http.delete(location), 204);
        Expect.error(http.get(location), 404, "BLOB_UPLOAD_UNKNOWN");
        Expect.error(http.patch(location, Digests.randomBytes(10), "Content-Type", "application/octet-stream"), 404, "BLOB_UPLOAD_UNKNOWN");
    }

    @Test
    void cancellingAnUnknownUploadIs404BlobUploadUnknown() {
        String repo = registry.newRepository("push");
        client.pushBlob(repo, MediaTypes.OCI_LAYER, Digests.randomBytes(10));
        Expect.error(http.delete("/v2/" + repo + "/blobs/uploads/00000000-0000-4000-8000-000000000000"), 404, "BLOB_UPLOAD_UNKNOWN");
    }

    @Test
    void statusOfAnUnknownUploadIs404BlobUploadUnknown() {
        String repo = registry.newRepository("push");
        client.pushBlob(repo, MediaTypes.OCI_LAYER, Digests.randomBytes(10));
        Expect.error(http.get("/v2/" + repo + "/blobs/uploads/00000000-0000-4000-8000-000000000000"), 404, "BLOB_UPLOAD_UNKNOWN");
    }

    @Test
    void patchAndPutToAnUnknownUploadAre404BlobUploadUnknown() {
        String repo = registry.newRepository("push");
        client.pushBlob(repo, MediaTypes.OCI_LAYER, Digests.randomBytes(10));
        String unknown = "/v2/" + repo + "/blobs/uploads/00000000-0000-4000-8000-000000000000";
        byte[] content = Digests.randomBytes(10);
        Expect.error(http.patch(unknown, content, "Content-Type", "application/octet-stream"), 404, "BLOB_UPLOAD_UNKNOWN");
        Expect.error(http.put(unknown + "?digest=" + Digests.sha256(content), content,
                "Content-Type", "application/octet-stream"), 404, "BLOB_UPLOAD_UNKNOWN");
    }

    @Test
    void completedUploadSessionIsNoLongerKnown() {
        String repo = registry.newRepository("push");
        byte[] content = Digests.randomBytes(10);
        String location = client.startUpload(repo);
        Expect.status(http.put(Http.withQuery(location, "digest=" + Digests.sha256(content)), content), 201);

        Expect.error(http.get(location), 404, "BLOB_UPLOAD_UNKNOWN");
    }

    @Test
    void uploadSessionOfOneRepositoryIsUnknownInAnother() {
        String repo = registry.newRepository("push");
        String other = registry.newRepository("push");
        client.pushBlob(other, MediaTypes.OCI_LAYER, Digests.randomBytes(10));
        String location = client.startUpload(repo);
        String path = http.resolve(location).getRawPath();
        String session = path.substring(path.lastIndexOf('/') + 1);

        Expect.status(http.get("/v2/" + other + "/blobs/uploads/" + session), 404);
    }
}
