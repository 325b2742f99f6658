package dev.berth.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.conformance.Http.Response;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Content discovery: tag listing, the repository catalog and the referrers API. */
@ExtendWith(RegistryUnderTest.Extension.class)
class ContentDiscoveryTest {
    private static final Pattern NEXT_LINK = Pattern.compile("<([^>]+)>\\s*;\\s*rel=\"?next\"?");
    private static final String SBOM = "application/vnd.example.sbom.v1+json";
    private static final String SIGNATURE_CONFIG = "application/vnd.example.signature.config.v1+json";

    private final RegistryUnderTest registry;
    private final Http http;
    private final Client client;

    ContentDiscoveryTest(RegistryUnderTest registry) {
        this.registry = registry;
        this.http = registry.http();
        this.client = registry.client();
    }

    /** One page of a paginated listing: its entries and the next link, or null. */
    private record Page(List<String> entries, String next, Response response) {}

    private Page page(String path, String field) {
        Response response = Expect.status(http.get(path), 200);
        JsonNode list = response.json().get(field);
        List<String> entries = new ArrayList<>();
        if (list != null && !list.isNull()) {
            Expect.that(list.isArray(), "\"" + field + "\" must be an array", response);
            list.forEach(e -> entries.add(e.asText()));
        }
        return new Page(entries, nextLink(response), response);
    }

    private static String nextLink(Response response) {
        String link = response.header("Link");
        if (link == null) {
            return null;
        }
        Matcher m = NEXT_LINK.matcher(link);
        Expect.that(m.find(), "Link header must be <url>; rel=\"next\"", response);
        return m.group(1);
    }

    private static void assertAsciiOrder(List<String> entries, Response response) {
        for (int i = 1; i < entries.size(); i++) {
            Expect.that(compareBytes(entries.get(i - 1), entries.get(i)) < 0,
                    "entries must be in strictly increasing ASCII byte order: " + entries, response);
        }
    }

    private static int compareBytes(String a, String b) {
        return java.util.Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    private List<String> tagRepository(String repo, List<String> tags) {
        Manifest manifest = client.pushImage(repo, tags.getFirst()).manifest();
        for (String tag : tags.subList(1, tags.size())) {
            client.pushManifest(repo, tag, manifest);
        }
        List<String> sorted = new ArrayList<>(tags);
        sorted.sort(ContentDiscoveryTest::compareBytes);
        return sorted;
    }

    @Test
    void tagsAreListedInAsciiByteOrder() {
        String repo = registry.newRepository("tags");
        List<String> expected = tagRepository(repo, List.of("b", "a", "Z-1", "_x", "1", "B", "a.b", "a-b", "A"));

        Page page = page("/v2/" + repo + "/tags/list", "tags");
        Expect.that(page.entries().equals(expected), "expected tags " + expected + " got " + page.entries(), page.response());
        Expect.that(repo.equals(page.response().json().path("name").asText()), "\"name\" must be the repository", page.response());
    }

    @Test
    void tagListPaginatesWithNAndLastAndALinkHeader() {
        String repo = registry.newRepository("tags");
        List<String> expected = tagRepository(repo, List.of("t1", "t2", "t3", "t4", "t5"));

        Page first = page("/v2/" + repo + "/tags/list?n=2", "tags");
        Expect.that(first.entries().equals(expected.subList(0, 2)), "first page must be " + expected.subList(0, 2), first.response());
        Expect.that(first.next() != null, "a Link rel=\"next\" header is required when more tags remain", first.response());

        List<String> seen = new ArrayList<>(first.entries());
        String next = first.next();
        int guard = 0;
        while (next != null && guard++ < 10) {
            Page p = page(next, "tags");
            Expect.that(p.entries().size() <= 2, "a page must hold at most n entries", p.response());
            seen.addAll(p.entries());
            next = p.next();
        }
        Expect.that(seen.equals(expected), "following Link must list every tag once in order; got " + seen, first.response());
    }

    @Test
    void tagListWithLastStartsAfterThatTag() {
        String repo = registry.newRepository("tags");
        tagRepository(repo, List.of("t1", "t2", "t3", "t4", "t5"));

        Page page = page("/v2/" + repo + "/tags/list?n=2&last=t2", "tags");
        Expect.that(page.entries().equals(List.of("t3", "t4")), "n=2&last=t2 must give [t3, t4]", page.response());
        Page rest = page("/v2/" + repo + "/tags/list?last=t3", "tags");
        Expect.that(rest.entries().equals(List.of("t4", "t5")), "last=t3 must give [t4, t5]", rest.response());
    }

    @Test
    void tagListWithLastBetweenTagsStartsAtTheNextTag() {
        String repo = registry.newRepository("tags");
        tagRepository(repo, List.of("a", "c", "e"));

        Page page = page("/v2/" + repo + "/tags/list?n=5&last=b", "tags");
        Expect.that(page.entries().equals(List.of("c", "e")), "last=b must give [c, e]", page.response());
        Expect.that(page.next() == null, "no Link once the list is exhausted", page.response());
    }

    @Test
    void tagListWithNCoveringEverythingHasNoLink() {
        String repo = registry.newRepository("tags");
        tagRepository(repo, List.of("x", "y"));

        Page page = page("/v2/" + repo + "/tags/list?n=10", "tags");
        Expect.that(page.entries().equals(List.of("x", "y")), "all tags", page.response());
        Expect.that(page.next() == null, "no Link when everything fits", page.response());
    }

    @Test
    void tagListWithNZeroIsEmptyAndHasNoLink() {
        String repo = registry.newRepository("tags");
        tagRepository(repo, List.of("x", "y"));

        Page page = page("/v2/" + repo + "/tags/list?n=0", "tags");
        Expect.that(page.entries().isEmpty(), "n=0 must return an empty list", page.response());
        Expect.that(page.response().header("Link") == null, "n=0 must not have a Link header", page.response());
    }

    @Test
    void tagListOfAnUnknownRepositoryIs404NameUnknown() {
        Expect.error(http.get("/v2/" + registry.newRepository("never-pushed") + "/tags/list"), 404, "NAME_UNKNOWN");
    }

    @Test
    void catalogListsRepositoriesInAsciiByteOrderAcrossPages() {
        String base = registry.newRepository("catalog");
        List<String> names = new ArrayList<>(List.of(base + "/a_b", base + "/a0", base + "/a/b", base + "/a.b", base + "/a-b", base + "/a"));
        for (String name : names) {
            client.pushImage(name, "latest");
        }
        names.sort(ContentDiscoveryTest::compareBytes);

        List<String> seen = new ArrayList<>();
        Page p = page("/v2/_catalog?n=2&last=" + base, "repositories");
        assertAsciiOrder(p.entries(), p.response());
        seen.addAll(p.entries());
        int guard = 0;
        while (p.next() != null && guard++ < 20 && seen.stream().filter(n -> n.startsWith(base + "/")).count() < names.size()) {
            Expect.that(p.entries().size() <= 2, "a page must hold at most n entries", p.response());
            p = page(p.next(), "repositories");
            assertAsciiOrder(p.entries(), p.response());
            seen.addAll(p.entries());
        }
        assertAsciiOrder(seen, p.response());
        List<String> ours = seen.stream().filter(n -> n.startsWith(base + "/")).toList();
        Expect.that(ours.equals(names), "catalog must list " + names + " in this order; got " + ours, p.response());
    }

    @Test
    void catalogWithoutParametersListsAPushedRepository() {
        String repo = registry.newRepository("catalog");
        client.pushImage(repo, "latest");

        List<String> all = new ArrayList<>();
        String next = "/v2/_catalog";
        int guard = 0;
        Response last = null;
        while (next != null && guard++ < 1000) {
            Page p = page(next, "repositories");
            all.addAll(p.entries());
            next = p.next();
            last = p.response();
        }
        assertAsciiOrder(all, last);
        Expect.that(all.contains(repo), "catalog must contain " + repo, last);
    }

    @Test
    void catalogWithNZeroIsEmptyAndHasNoLink() {
        client.pushImage(registry.newRepository("catalog"), "latest");

        Page page = page("/v2/_catalog?n=0", "repositories");
        Expect.that(page.entries().isEmpty(), "n=0 must return an empty list", page.response());
        Expect.that(page.response().header("Link") == null, "n=0 must not have a Link header", page.response());
    }

    // ---- referrers ----

    private record Referrers(Client.Image subject, Manifest sbom, Manifest signature, Manifest typedIndex, Manifest untypedIndex) {}

    private Referrers pushReferrers(String repo) {
        Client.Image subject = client.pushImage(repo, "subject");
        Descriptor empty = client.pushEmptyConfig(repo);
        Descriptor sbomLayer = client.pushBlob(repo, "application/json", Digests.uniqueText("sbom"));
        Manifest sbom = Manifest.ociImage(empty, List.of(sbomLayer), SBOM, subject.manifest().descriptor(),
                Map.of("org.opencontainers.image.created", "2026-01-01T00:00:00Z", "org.example.sbom.format", "json"));
        Descriptor sigConfig = client.pushBlob(repo, SIGNATURE_CONFIG, Digests.uniqueText("{}"));
        Manifest signature = Manifest.ociImage(sigConfig, List.of(), null, subject.manifest().descriptor(),
                Map.of("org.example.signature.fingerprint", "abcd"));
        Manifest typedIndex = Manifest.ociIndex(List.of(), "application/vnd.example.bundle", subject.manifest().descriptor(),
                Map.of("org.example.bundle", "yes"));
        Manifest untypedIndex = Manifest.ociIndex(List.of(sbom.descriptor()), null, subject.manifest().descriptor(),
                Map.of("org.example.kind", "untyped"));
        for (Manifest m : List.of(sbom, signature, typedIndex, untypedIndex)) {
            Response put = Expect.status(client.putManifest(repo, m.digest(), m), 201);
            Expect.header(put, "OCI-Subject", subject.manifest().digest());
        }
        return new Referrers(subject, sbom, signature, typedIndex, untypedIndex);
    }

    private Response referrers(String repo, String digest) {
        Response response = Expect.status(http.get("/v2/" + repo + "/referrers/" + digest), 200);
        assertIndex(response);
        return response;
    }

    private static void assertIndex(Response response) {
        Expect.that(MediaTypes.OCI_INDEX.equals(response.mediaType()), "Content-Type must be " + MediaTypes.OCI_INDEX, response);
        JsonNode root = response.json();
        Expect.that(root.path("schemaVersion").asInt() == 2, "schemaVersion must be 2", response);
        Expect.that(MediaTypes.OCI_INDEX.equals(root.path("mediaType").asText()), "mediaType must be the index type", response);
        Expect.that(root.path("manifests").isArray(), "manifests must be an array", response);
    }

    private static Map<String, JsonNode> byDigest(Response response) {
        Map<String, JsonNode> out = new HashMap<>();
        response.json().get("manifests").forEach(d -> out.put(d.path("digest").asText(), d));
        return out;
    }

    private static void assertDescriptor(Response response, JsonNode d, Manifest m, String artifactType, Map<String, String> annotations) {
        Expect.that(d != null, "referrers must list " + m.digest(), response);
        Expect.that(m.mediaType().equals(d.path("mediaType").asText()), "descriptor mediaType of " + m.digest(), response);
        Expect.that(d.path("size").asLong() == m.bytes().length, "descriptor size of " + m.digest(), response);
        if (artifactType == null) {
            Expect.that(!d.has("artifactType") || d.get("artifactType").asText().isEmpty(),
                    "artifactType must be omitted for an index without one: " + m.digest(), response);
        } else {
            Expect.that(artifactType.equals(d.path("artifactType").asText()), "artifactType of " + m.digest() + " must be " + artifactType, response);
        }
        annotations.forEach((k, v) -> Expect.that(v.equals(d.path("annotations").path(k).asText()),
                "annotation " + k + " of " + m.digest() + " must be copied", response));
    }

    @Test
    void referrersListEveryManifestWhoseSubjectIsTheDigest() {
        String repo = registry.newRepository("referrers");
        Referrers r = pushReferrers(repo);

        Response response = referrers(repo, r.subject().manifest().digest());
        Map<String, JsonNode> listed = byDigest(response);
        Expect.that(listed.size() == 4, "exactly the four referrers must be listed", response);
        assertDescriptor(response, listed.get(r.sbom().digest()), r.sbom(), SBOM,
                Map.of("org.opencontainers.image.created", "2026-01-01T00:00:00Z", "org.example.sbom.format", "json"));
        assertDescriptor(response, listed.get(r.signature().digest()), r.signature(), SIGNATURE_CONFIG,
                Map.of("org.example.signature.fingerprint", "abcd"));
        assertDescriptor(response, listed.get(r.typedIndex().digest()), r.typedIndex(), "application/vnd.example.bundle",
                Map.of("org.example.bundle", "yes"));
        assertDescriptor(response, listed.get(r.untypedIndex().digest()), r.untypedIndex(), null,
                Map.of("org.example.kind", "untyped"));
    }

    @Test
    void referrersCanBeFilteredByArtifactType() {
        String repo = registry.newRepository("referrers");
        Referrers r = pushReferrers(repo);

        Response response = Expect.status(http.get("/v2/" + repo + "/referrers/" + r.subject().manifest().digest()
                + "?artifactType=" + URLEncoder.encode(SBOM, StandardCharsets.UTF_8)), 200);
        assertIndex(response);
        Expect.header(response, "OCI-Filters-Applied", "artifactType");
        Map<String, JsonNode> listed = byDigest(response);
        Expect.that(listed.keySet().equals(java.util.Set.of(r.sbom().digest())), "only the sbom must be listed", response);
    }

    @Test
    void referrersFilterMatchesTheArtifactTypeTakenFromTheConfigMediaType() {
        String repo = registry.newRepository("referrers");
        Referrers r = pushReferrers(repo);

        Response response = Expect.status(http.get("/v2/" + repo + "/referrers/" + r.subject().manifest().digest()
                + "?artifactType=" + URLEncoder.encode(SIGNATURE_CONFIG, StandardCharsets.UTF_8)), 200);
        assertIndex(response);
        Expect.header(response, "OCI-Filters-Applied", "artifactType");
        Expect.that(byDigest(response).keySet().equals(java.util.Set.of(r.signature().digest())),
                "only the signature, whose artifactType comes from its config, must be listed", response);
    }

    @Test
    void referrersFilterMatchingNothingGivesAnEmptyIndex() {
        String repo = registry.newRepository("referrers");
        Referrers r = pushReferrers(repo);

        Response response = Expect.status(http.get("/v2/" + repo + "/referrers/" + r.subject().manifest().digest()
                + "?artifactType=" + URLEncoder.encode("application/vnd.example.none", StandardCharsets.UTF_8)), 200);
        assertIndex(response);
        Expect.that(response.json().get("manifests").isEmpty(), "nothing must match", response);
    }

    @Test
    void referrersOfAnUnknownDigestIsAnEmptyIndex() {
        String repo = registry.newRepository("referrers");
        client.pushImage(repo, "present");

        Response response = referrers(repo, Digests.unknownSha256());
        Expect.that(response.json().get("manifests").isEmpty(), "manifests must be empty", response);
    }

    @Test
    void referrersInAnUnknownRepositoryIsAnEmptyIndex() {
        Response response = referrers(registry.newRepository("never-pushed"), Digests.unknownSha256());
        Expect.that(response.json().get("manifests").isEmpty(), "manifests must be empty", response);
    }

    @Test
    void referrersWithAMalformedDigestIs400() {
        String repo = registry.newRepository("referrers");
        client.pushImage(repo, "present");

        Expect.error(http.get("/v2/" + repo + "/referrers/sha256:abc"), 400, "DIGEST_INVALID");
        Expect.error(http.get("/v2/" + repo + "/referrers/not-a-digest"), 400, "DIGEST_INVALID");
    }

    @Test
    void manifestWithAnAbsentSubjectIsAcceptedAndListed() {
        String repo = registry.newRepository("referrers");
        Descriptor empty = client.pushEmptyConfig(repo);
        Descriptor absentSubject = new Descriptor(MediaTypes.OCI_MANIFEST, Digests.unknownSha256(), 1234);
        Manifest artifact = Manifest.ociImage(empty, List.of(), "application/vnd.example.early", absentSubject, Map.of());

        Response put = Expect.status(client.putManifest(repo, artifact.digest(), artifact), 201);
        Expect.header(put, "OCI-Subject", absentSubject.digest());
        Response response = referrers(repo, absentSubject.digest());
        assertDescriptor(response, byDigest(response).get(artifact.digest()), artifact, "application/vnd.example.early", Map.of());
    }

    @Test
    void referrersAreScopedToTheRepository() {
        String repo = registry.newRepository("referrers");
        String other = registry.newRepository("referrers");
        Referrers r = pushReferrers(repo);
        Descriptor empty = client.pushEmptyConfig(other);
        Manifest foreign = Manifest.ociImage(empty, List.of(), "application/vnd.example.foreign", r.subject().manifest().descriptor(), Map.of());
        client.pushManifest(other, foreign.digest(), foreign);

        Response response = referrers(repo, r.subject().manifest().digest());
        Expect.that(!byDigest(response).containsKey(foreign.digest()), "a referrer in another repository must not be listed", response);
        Response theirs = referrers(other, r.subject().manifest().digest());
        Expect.that(byDigest(theirs).keySet().equals(java.util.Set.of(foreign.digest())), "only the other repository's referrer", theirs);
    }

    @Test
    void referrersOfASubjectNamedBySha512DigestAreListed() {
        String repo = registry.newRepository("referrers");
        Client.Image subject = client.pushImage(repo, null);
        String sha512 = Digests.sha512(subject.manifest().bytes());
        Expect.status(client.putManifest(repo, sha512, subject.manifest()), 201);
        Descriptor empty = client.pushEmptyConfig(repo);
        Descriptor subjectBySha512 = new Descriptor(MediaTypes.OCI_MANIFEST, sha512, subject.manifest().bytes().length);
        Manifest artifact = Manifest.ociImage(empty, List.of(), "application/vnd.example.sha512", subjectBySha512, Map.of());

        Response put = Expect.status(client.putManifest(repo, artifact.digest(), artifact), 201);
        Expect.header(put, "OCI-Subject", sha512);
        Response response = referrers(repo, sha512);
        Expect.that(byDigest(response).containsKey(artifact.digest()), "the referrer must be listed under the sha512 digest", response);
    }

    @Test
    void referrerPushedByTagIsListedToo() {
        String repo = registry.newRepository("referrers");
        Client.Image subject = client.pushImage(repo, "subject");
        Descriptor empty = client.pushEmptyConfig(repo);
        Manifest artifact = Manifest.ociImage(empty, List.of(), "application/vnd.example.tagged", subject.manifest().descriptor(), Map.of());

        Response put = Expect.status(client.putManifest(repo, "sig", artifact), 201);
        Expect.header(put, "OCI-Subject", subject.manifest().digest());
        Response response = referrers(repo, subject.manifest().digest());
        Expect.that(byDigest(response).containsKey(artifact.digest()), "the tagged referrer must be listed", response);
    }
}
