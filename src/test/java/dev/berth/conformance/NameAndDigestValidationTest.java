package dev.berth.conformance;

import dev.berth.conformance.Http.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;

/** Repository names, tags and digests: the spec grammar and limits, and refusals before storage is touched. */
@ExtendWith(RegistryUnderTest.Extension.class)
class NameAndDigestValidationTest {
    private final RegistryUnderTest registry;
    private final Http http;
    private final Client client;

    NameAndDigestValidationTest(RegistryUnderTest registry) {
        this.registry = registry;
        this.http = registry.http();
        this.client = registry.client();
    }

    /** Invalid names built under a fresh prefix, each with the marker {@code escaped} where a traversal could land. */
    private List<String> invalidNames(String base) {
        return List.of(
                base + "/Upper",
                base + "//empty",
                base + "/../escaped",
                base + "/./dot",
                base + "/%2e%2e/escaped",
                base + "/%2E%2E%2Fescaped",
                base + "/a;b",
                base + "%2Fescaped",
                base + "/a%2Fb",
                base + "/-dash",
                base + "/dash-",
                base + "/a..b",
                base + "/a___b",
                base + "/.hidden",
                base + "/under_",
                base + "/sp ace".replace(" ", "%20"),
                base + "/" + "a".repeat(256));
    }

    @TestFactory
    Stream<DynamicTest> invalidRepositoryNamesAreRefusedWith400NameInvalid() {
        String base = registry.newRepository("names");
        Manifest manifest = Manifest.ociImage(new Descriptor(MediaTypes.OCI_CONFIG, Digests.unknownSha256(), 10), List.of());
        return invalidNames(base).stream().map(name -> DynamicTest.dynamicTest(name.length() > 80 ? name.substring(0, 80) + "..." : name, () -> {
            Expect.error(http.get("/v2/" + name + "/tags/list"), 400, "NAME_INVALID");
            Expect.error(http.post("/v2/" + name + "/blobs/uploads/", null), 400, "NAME_INVALID");
            Expect.error(http.get("/v2/" + name + "/blobs/" + Digests.unknownSha256()), 400, "NAME_INVALID");
            Expect.error(http.get("/v2/" + name + "/manifests/latest", "Accept", MediaTypes.ALL_MANIFESTS), 400, "NAME_INVALID");
            Expect.error(http.put("/v2/" + name + "/manifests/latest", manifest.bytes(), "Content-Type", manifest.mediaType()), 400,
                    "NAME_INVALID");
            Expect.error(http.get("/v2/" + name + "/referrers/" + Digests.unknownSha256()), 400, "NAME_INVALID");
        }));
    }

    @Test
    void invalidNamesCreateNoRepository() {
        String base = registry.newRepository("names");
        byte[] content = Digests.randomBytes(20);
        for (String name : invalidNames(base)) {
            http.post("/v2/" + name + "/blobs/uploads/?digest=" + Digests.sha256(content), content);
            Response started = http.post("/v2/" + name + "/blobs/uploads/", null);
            String location = started.header("Location");
            if (location != null) {
                http.put(Http.withQuery(location, "digest=" + Digests.sha256(content)), content);
            }
        }
        List<String> all = catalog();
        List<String> leaked = all.stream().filter(n -> n.equals(base) || n.startsWith(base + "/") || n.contains("escaped")).toList();
        Expect.that(leaked.isEmpty(), "invalid names must not create repositories, found " + leaked, http.get("/v2/_catalog"));
    }

    private List<String> catalog() {
        List<String> all = new ArrayList<>();
        String next = "/v2/_catalog?n=1000";
        int guard = 0;
        while (next != null && guard++ < 100) {
            Response page = Expect.status(http.get(next), 200);
            page.json().path("repositories").forEach(r -> all.add(r.asText()));
            String link = page.header("Link");
            next = link == null ? null : link.substring(link.indexOf('<') + 1, link.indexOf('>'));
        }
        return all;
    }

    @Test
    void namesUsingEverySeparatorAreAccepted() {
        String name = registry.newRepository("names") + "/a.b_c__d---e/f0/9";
        client.pushImage(name, "latest");
        Expect.status(http.get("/v2/" + name + "/tags/list"), 200);
    }

    @Test
    void longNamesWithinTheLimitAreAccepted() {
        String base = registry.newRepository("names");
        String name = base + "/" + "n".repeat(200 - base.length() - 1);
        client.pushImage(name, "latest");
        Response tags = Expect.status(http.get("/v2/" + name + "/tags/list"), 200);
        Expect.that(name.equals(tags.json().path("name").asText()), "name must round-trip", tags);
    }

    @Test
    void malformedTagsAreRefusedOnPull() {
        String repo = registry.newRepository("names");
        client.pushImage(repo, "latest");
        for (String tag : List.of("-dash", ".dot", "a".repeat(129))) {
            Expect.error(client.getManifest(repo, tag), 400, "TAG_INVALID", "MANIFEST_INVALID");
        }
    }

    private static List<String> malformedDigests() {
        return List.of(
                "sha256:abc",
                "sha256:" + "a".repeat(63),
                "sha256:" + "a".repeat(65),
                "sha256:" + "A".repeat(64),
                "sha256:" + "g".repeat(64),
                "SHA256:" + "a".repeat(64),
                "sha512:" + "a".repeat(64),
                "md5:" + "a".repeat(32),
                "sha256:",
                ":" + "a".repeat(64));
    }

    @TestFactory
    Stream<DynamicTest> malformedOrUnsupportedDigestsAreRefusedWith400DigestInvalid() {
        String repo = registry.newRepository("digests");
        client.pushImage(repo, "latest");
        return malformedDigests().stream().map(digest -> DynamicTest.dynamicTest(digest, () -> {
            Expect.error(http.get("/v2/" + repo + "/blobs/" + digest), 400, "DIGEST_INVALID");
            Expect.status(http.head("/v2/" + repo + "/blobs/" + digest), 400);
            Expect.error(http.delete("/v2/" + repo + "/blobs/" + digest), 400, "DIGEST_INVALID");
            Expect.error(client.getManifest(repo, digest), 400, "DIGEST_INVALID");
            Expect.error(http.get("/v2/" + repo + "/referrers/" + digest), 400, "DIGEST_INVALID");
            byte[] content = Digests.randomBytes(8);
            Expect.error(http.post("/v2/" + repo + "/blobs/uploads/?digest=" + digest, content,
                    "Content-Type", "application/octet-stream"), 400, "DIGEST_INVALID");
            String location = client.startUpload(repo);
            Expect.error(http.put(Http.withQuery(location, "digest=" + digest), content,
                    "Content-Type", "application/octet-stream"), 400, "DIGEST_INVALID");
        }));
    }

    @Test
    void unsupportedDigestAlgorithmParameterIsRefusedWith400() {
        String repo = registry.newRepository("digests");
        Expect.error(http.post("/v2/" + repo + "/blobs/uploads/?digest-algorithm=md5", null), 400,
                "DIGEST_INVALID", "UNSUPPORTED", "BLOB_UPLOAD_INVALID");
    }

    @Test
    void manifestReferencingAMalformedDigestIsRefused() {
        String repo = registry.newRepository("digests");
        Descriptor config = client.pushBlob(repo, MediaTypes.OCI_CONFIG, Client.configJson());
        Manifest manifest = Manifest.ociImage(config, List.of(new Descriptor(MediaTypes.OCI_LAYER, "sha256:nothex", 10)));

        Expect.error(client.putManifest(repo, "bad-ref", manifest), 400, "MANIFEST_INVALID", "DIGEST_INVALID");
    }
}
