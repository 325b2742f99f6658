package dev.berth.conformance;

import dev.berth.conformance.Http.Response;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;

/** Error responses: the OCI JSON error body with the spec's status, and no server error for bad input. */
@ExtendWith(RegistryUnderTest.Extension.class)
class ErrorFormatTest {
    private final RegistryUnderTest registry;
    private final Http http;
    private final Client client;

    ErrorFormatTest(RegistryUnderTest registry) {
        this.registry = registry;
        this.http = registry.http();
        this.client = registry.client();
    }

    /** A request expected to fail with {@code status} and, when codes are given, one of them. */
    private record Case(String name, int status, List<String> codes, Supplier<Response> request) {
        static Case of(String name, int status, Supplier<Response> request, String... codes) {
            return new Case(name, status, List.of(codes), request);
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @TestFactory
    Stream<DynamicTest> everyErrorHasAnOciErrorBodyAndTheSpecStatus() {
        String repo = registry.newRepository("errors");
        Client.Image image = client.pushImage(repo, "latest");
        String unknownRepo = registry.newRepository("never-pushed");
        String unknownUpload = "/v2/" + repo + "/blobs/uploads/00000000-0000-4000-8000-000000000000";
        byte[] content = Digests.randomBytes(16);

        List<Case> cases = List.of(
                Case.of("blob unknown", 404, () -> http.get("/v2/" + repo + "/blobs/" + Digests.unknownSha256()), "BLOB_UNKNOWN"),
                Case.of("manifest unknown by tag", 404, () -> client.getManifest(repo, "nope"), "MANIFEST_UNKNOWN"),
                Case.of("manifest unknown by digest", 404, () -> client.getManifest(repo, Digests.unknownSha256()), "MANIFEST_UNKNOWN"),
                Case.of("repository unknown", 404, () -> http.get("/v2/" + unknownRepo + "/tags/list"), "NAME_UNKNOWN"),
                Case.of("name invalid", 400, () -> http.get("/v2/" + repo + "/UPPER/tags/list"), "NAME_INVALID"),
                Case.of("digest invalid on blob GET", 400, () -> http.get("/v2/" + repo + "/blobs/sha256:xyz"), "DIGEST_INVALID"),
                Case.of("upload unknown", 404, () -> http.get(unknownUpload), "BLOB_UPLOAD_UNKNOWN"),
                Case.of("upload digest mismatch", 400, () -> http.put(Http.withQuery(client.startUpload(repo),
                        "digest=" + Digests.unknownSha256()), content), "DIGEST_INVALID"),
                Case.of("manifest invalid JSON", 400, () -> http.put("/v2/" + repo + "/manifests/bad", utf8("{oops"),
                        "Content-Type", MediaTypes.OCI_MANIFEST), "MANIFEST_INVALID"),
                Case.of("manifest blob unknown", 400, () -> client.putManifest(repo, "missing", Manifest.ociImage(
                        new Descriptor(MediaTypes.OCI_CONFIG, Digests.unknownSha256(), 2), List.of())), "MANIFEST_BLOB_UNKNOWN"),
                Case.of("manifest digest mismatch", 400, () -> client.putManifest(repo, Digests.unknownSha256(), image.manifest()),
                        "DIGEST_INVALID"),
                Case.of("blob delete unknown", 404, () -> http.delete("/v2/" + repo + "/blobs/" + Digests.unknownSha256()), "BLOB_UNKNOWN"),
                Case.of("manifest delete unknown", 404, () -> http.delete("/v2/" + repo + "/manifests/" + Digests.unknownSha256()),
                        "MANIFEST_UNKNOWN"),
                Case.of("chunk out of order", 416, () -> http.patch(client.startUpload(repo), content,
                        "Content-Type", "application/octet-stream", "Content-Range", "5-20")));

        return cases.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            Response response = c.request().get();
            Expect.error(response, c.status(), c.codes().toArray(String[]::new));
            Expect.that(response.mediaType() != null && response.mediaType().endsWith("json"),
                    "an error body must be served as JSON", response);
        }));
    }

    @Test
    void errorEntriesHaveCodeMessageAndOptionalDetail() {
        String repo = registry.newRepository("errors");
        client.pushImage(repo, "latest");
        Response response = http.get("/v2/" + repo + "/blobs/" + Digests.unknownSha256());
        Expect.error(response, 404, "BLOB_UNKNOWN");
        var error = response.json().get("errors").get(0);
        Expect.that(error.path("message").isTextual(), "message should be a string", response);
    }

    @Test
    void headErrorsCarryNoBody() {
        String repo = registry.newRepository("errors");
        client.pushImage(repo, "latest");
        Response head = Expect.status(http.head("/v2/" + repo + "/blobs/" + Digests.unknownSha256()), 404);
        Expect.that(head.body().length == 0, "HEAD responses carry no body", head);
    }

    @TestFactory
    Stream<DynamicTest> badInputNeverGetsAServerError() {
        String repo = registry.newRepository("errors");
        Client.Image image = client.pushImage(repo, "latest");
        String blob = "/v2/" + repo + "/blobs/" + image.layer().digest();
        byte[] content = Digests.randomBytes(16);
        String config = image.config().toJson().toString();

        List<Case> cases = List.of(
                Case.of("PATCH with a garbage Content-Range", 0, () -> http.patch(client.startUpload(repo), content,
                        "Content-Type", "application/octet-stream", "Content-Range", "garbage")),
                Case.of("PATCH with an inverted Content-Range", 0, () -> http.patch(client.startUpload(repo), content,
                        "Content-Type", "application/octet-stream", "Content-Range", "9-2")),
                Case.of("PATCH with a Content-Range longer than the body", 0, () -> http.patch(client.startUpload(repo), content,
                        "Content-Type", "application/octet-stream", "Content-Range", "0-99")),
                Case.of("PUT with a garbage Content-Range", 0, () -> http.put(Http.withQuery(client.startUpload(repo),
                        "digest=" + Digests.sha256(content)), content, "Content-Range", "bytes=x-y")),
                Case.of("PUT with an empty digest", 0, () -> http.put(Http.withQuery(client.startUpload(repo), "digest="), content)),
                Case.of("PUT with two digests", 0, () -> http.put(Http.withQuery(client.startUpload(repo),
                        "digest=" + Digests.sha256(content) + "&digest=" + Digests.unknownSha256()), content)),
                Case.of("upload session id with traversal", 0, () -> http.get("/v2/" + repo + "/blobs/uploads/..%2F..%2Fetc")),
                Case.of("upload session id that is not a UUID", 0, () -> http.patch("/v2/" + repo + "/blobs/uploads/not-a-session", content)),
                Case.of("tags list n=-1", 0, () -> http.get("/v2/" + repo + "/tags/list?n=-1")),
                Case.of("tags list n=abc", 0, () -> http.get("/v2/" + repo + "/tags/list?n=abc")),
                Case.of("tags list n overflowing a long", 0, () -> http.get("/v2/" + repo + "/tags/list?n=99999999999999999999999")),
                Case.of("tags list last that is not a tag", 0, () -> http.get("/v2/" + repo + "/tags/list?last=%00%FF")),
                Case.of("catalog n=abc", 0, () -> http.get("/v2/_catalog?n=abc")),
                Case.of("catalog n=-5", 0, () -> http.get("/v2/_catalog?n=-5")),
                Case.of("blob Range garbage", 0, () -> http.get(blob, "Range", "bytes=abc")),
                Case.of("blob Range inverted", 0, () -> http.get(blob, "Range", "bytes=9-2")),
                Case.of("blob Range multiple", 0, () -> http.get(blob, "Range", "bytes=0-1,5-6")),
                Case.of("manifest body binary", 0, () -> http.put("/v2/" + repo + "/manifests/bin", Digests.randomBytes(200),
                        "Content-Type", MediaTypes.OCI_MANIFEST)),
                Case.of("manifest body a JSON string", 0, () -> http.put("/v2/" + repo + "/manifests/str", utf8("\"manifest\""),
                        "Content-Type", MediaTypes.OCI_MANIFEST)),
                Case.of("manifest with null fields", 0, () -> http.put("/v2/" + repo + "/manifests/nulls",
                        utf8("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":null,\"layers\":null}"),
                        "Content-Type", MediaTypes.OCI_MANIFEST)),
                Case.of("manifest with layers as an object", 0, () -> http.put("/v2/" + repo + "/manifests/obj",
                        utf8("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":" + config + ",\"layers\":{}}"),
                        "Content-Type", MediaTypes.OCI_MANIFEST)),
                Case.of("manifest with a negative size", 0, () -> http.put("/v2/" + repo + "/manifests/neg",
                        utf8("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":"
                                + config.replaceAll("\"size\":\\d+", "\"size\":-1") + ",\"layers\":[]}"),
                        "Content-Type", MediaTypes.OCI_MANIFEST)),
                Case.of("manifest with a huge size", 0, () -> http.put("/v2/" + repo + "/manifests/huge",
                        utf8("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":"
                                + config.replaceAll("\"size\":\\d+", "\"size\":1e400") + ",\"layers\":[]}"),
                        "Content-Type", MediaTypes.OCI_MANIFEST)),
                Case.of("manifest with schemaVersion as a string", 0, () -> http.put("/v2/" + repo + "/manifests/sv",
                        utf8("{\"schemaVersion\":\"2\",\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":" + config + ",\"layers\":[]}"),
                        "Content-Type", MediaTypes.OCI_MANIFEST)),
                Case.of("manifest nested deeply", 0, () -> http.put("/v2/" + repo + "/manifests/deep",
                        utf8("[".repeat(100_000) + "]".repeat(100_000)), "Content-Type", MediaTypes.OCI_MANIFEST)),
                Case.of("manifest with an unknown Content-Type", 0, () -> http.put("/v2/" + repo + "/manifests/odd-type",
                        utf8("{\"schemaVersion\":2,\"layers\":[]}"), "Content-Type", "application/x-unknown")),
                Case.of("manifest without Content-Type", 0, () -> http.put("/v2/" + repo + "/manifests/no-type",
                        utf8("{\"schemaVersion\":2}"))),
                Case.of("manifest PUT with an empty tag parameter", 0, () -> http.put("/v2/" + repo + "/manifests/"
                        + image.manifest().digest() + "?tag=", image.manifest().bytes(), "Content-Type", MediaTypes.OCI_MANIFEST)),
                Case.of("referrers with a percent-encoding that is not UTF-8", 0, () -> http.get("/v2/" + repo + "/referrers/"
                        + image.manifest().digest() + "?artifactType=%C3%28")),
                Case.of("POST to a manifest", 0, () -> http.post("/v2/" + repo + "/manifests/latest", content)),
                Case.of("PATCH to a blob", 0, () -> http.patch(blob, content)),
                Case.of("mount with a malformed digest", 0, () -> http.post("/v2/" + repo + "/blobs/uploads/?mount=sha256:xyz&from=" + repo, null)),
                Case.of("mount from an invalid name", 0, () -> http.post("/v2/" + repo + "/blobs/uploads/?mount="
                        + image.layer().digest() + "&from=..%2F..", null)));

        return cases.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            Response response = c.request().get();
            Expect.that(response.status() < 500, "bad input must not get a server error", response);
            if (response.status() >= 400 && !"HEAD".equals(response.method())) {
                Expect.errorCodes(response);
            }
        }));
    }
}
