package dev.berth.http;

import static dev.berth.http.HostClient.errorCode;
import static dev.berth.http.HostClient.json;
import static dev.berth.http.HostClient.sha256;
import static dev.berth.http.HostClient.texts;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.BerthServer;
import dev.berth.config.BerthConfig;
import dev.berth.config.BerthConfig.NamespaceSpec;
import dev.berth.registry.Namespace;
import dev.berth.registry.StorageLayout;
import dev.berth.registry.digest.Digest;
import dev.berth.storage.MemoryStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Several isolated registries in one in-process Berth: team-a chosen by host name ({@code localhost}), team-b by
 * the prefix {@code team-b/} on any other host ({@code 127.0.0.1}), team-c both ways, and the default namespace
 * for everything else.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NamespacesHttpTest {
    private static final Namespace TEAM_A = new Namespace("team-a");
    private static final Namespace TEAM_B = new Namespace("team-b");

    private MemoryStore store;
    private BerthServer server;
    /** team-a's site. */
    private HostClient a;
    /** The root site: the default namespace, and team-b and team-c by prefix. */
    private HostClient root;

    @BeforeAll
    void start() throws Exception {
        store = new MemoryStore();
        server = BerthServer.start(config(), store);
        a = HostClient.at(server.uri(), "localhost");
        root = HostClient.at(server.uri(), "127.0.0.1");
    }

    static BerthConfig config() {
        return BerthConfig.defaults().withListen("127.0.0.1:0")
                .withStorage(new BerthConfig.Storage(BerthConfig.StorageDriver.MEMORY, null))
                .withNamespaces(List.of(
                        new NamespaceSpec("team-a", List.of("localhost", "a.registry.example.com"), Optional.empty(),
                                ""),
                        new NamespaceSpec("team-b", List.of(), Optional.of("team-b"), ""),
                        new NamespaceSpec("team-c", List.of("c.registry.example.com"), Optional.of("team-c"), "")));
    }

    @AfterAll
    void stop() throws Exception {
        server.close();
    }

    @Test
    void theSameRepositoryNameHoldsDifferentContentInEachNamespace() {
        byte[] inA = a.pushImage("same/app", "v1", "{\"team\":\"a\"}");
        byte[] inDefault = root.pushImage("same/app", "v1", "{\"team\":\"default\"}");
        byte[] inB = root.pushImage("team-b/same/app", "v1", "{\"team\":\"b\"}");

        assertThat(a.get("/v2/same/app/manifests/v1").body()).isEqualTo(new String(inA, StandardCharsets.UTF_8));
        assertThat(root.get("/v2/same/app/manifests/v1").body())
                .isEqualTo(new String(inDefault, StandardCharsets.UTF_8));
        assertThat(root.get("/v2/team-b/same/app/manifests/v1").body())
                .isEqualTo(new String(inB, StandardCharsets.UTF_8));
        assertThat(List.of(sha256(inA), sha256(inDefault), sha256(inB))).doesNotHaveDuplicates();
        // team-b's repository is "same/app" inside team-b: the prefix chose the namespace and is not stored.
        assertThat(store.stat(StorageLayout.tag(TEAM_B, new dev.berth.registry.RepositoryName("same/app"),
                new dev.berth.registry.Tag("v1")))).isPresent();
    }

    @Test
    void aDigestOfOneNamespaceIsUnknownInEveryOther() {
        byte[] secret = "only in team-a".getBytes(StandardCharsets.UTF_8);
        String digest = a.pushBlob("vault", secret);
        assertThat(a.get("/v2/vault/blobs/" + digest).body()).isEqualTo("only in team-a");

        for (String path : List.of("/v2/vault/blobs/" + digest, "/v2/team-b/vault/blobs/" + digest,
                "/v2/team-c/vault/blobs/" + digest)) {
            HttpResponse<String> get = root.get(path);
            assertThat(get.statusCode()).as(path).isEqualTo(404);
            assertThat(errorCode(get)).as(path).isEqualTo("BLOB_UNKNOWN");
            assertThat(root.send("HEAD", path, null).statusCode()).as(path).isEqualTo(404);
        }
        assertThat(store.stat(StorageLayout.blobData(Namespace.DEFAULT, Digest.parse(digest)))).isEmpty();
    }

    @Test
    void aMountFromAnotherNamespaceIsAnUploadSessionAndOneWithinTheNamespaceLinks() {
        String digest = root.pushBlob("source", "mount me".getBytes(StandardCharsets.UTF_8));

        // From the default namespace into team-b, named and automatic: both fall back to a new upload session.
        for (String query : List.of("?mount=" + digest + "&from=source", "?mount=" + digest)) {
            HttpResponse<String> mount = root.send("POST", "/v2/team-b/target/blobs/uploads/" + query, null);
            assertThat(mount.statusCode()).as(query).isEqualTo(202);
            assertThat(mount.headers().firstValue("Location")).get().asString()
                    .contains("/v2/team-b/target/blobs/uploads/");
        }
        // From team-a (by host) the default's repository name means team-a's repository, which lacks the blob.
        assertThat(a.send("POST", "/v2/target/blobs/uploads/?mount=" + digest + "&from=source", null).statusCode())
                .isEqualTo(202);
        assertThat(root.get("/v2/team-b/target/blobs/" + digest).statusCode()).isEqualTo(404);

        // Within team-b a mount links, and answers with the name the client used.
        root.pushBlob("team-b/source", "mount me".getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> mounted = root.send("POST",
                "/v2/team-b/copy/blobs/uploads/?mount=" + digest + "&from=team-b/source", null);
        assertThat(mounted.statusCode()).isEqualTo(201);
        assertThat(mounted.headers().firstValue("Location")).hasValue(root.base() + "/v2/team-b/copy/blobs/" + digest);
        assertThat(root.get("/v2/team-b/copy/blobs/" + digest).body()).isEqualTo("mount me");
    }

    @Test
    void theSameDigestInTwoNamespacesIsStoredTwice() {
        byte[] content = "stored twice".getBytes(StandardCharsets.UTF_8);
        Digest digest = Digest.parse(root.pushBlob("twice", content));
        a.pushBlob("twice", content);

        assertThat(store.stat(StorageLayout.blobData(Namespace.DEFAULT, digest))).isPresent();
        assertThat(store.stat(StorageLayout.blobData(TEAM_A, digest))).isPresent();
        assertThat(store.stat(StorageLayout.blobData(TEAM_B, digest))).isEmpty();
    }

    @Test
    void locationsTagListsAndErrorsShowTheNamesClientsUse() {
        HttpResponse<String> start = root.send("POST", "/v2/team-b/shown/blobs/uploads/", null);
        assertThat(start.statusCode()).isEqualTo(202);
        assertThat(start.headers().firstValue("Location")).get().asString()
                .startsWith(root.base() + "/v2/team-b/shown/blobs/uploads/");

        byte[] content = "{}".getBytes(StandardCharsets.UTF_8);
        String digest = sha256(content);
        HttpResponse<String> blob = root.send("PUT", start.headers().firstValue("Location").get()
                .substring(root.base().toString().length()) + "?digest=" + digest, content);
        assertThat(blob.statusCode()).as(blob.body()).isEqualTo(201);
        assertThat(blob.headers().firstValue("Location")).hasValue(root.base() + "/v2/team-b/shown/blobs/" + digest);

        byte[] manifest = HostClient.manifest(digest, content.length, null);
        for (String tag : List.of("one", "two")) {
            HttpResponse<String> put = root.send("PUT", "/v2/team-b/shown/manifests/" + tag, manifest);
            assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
            assertThat(put.headers().firstValue("Location"))
                    .hasValue(root.base() + "/v2/team-b/shown/manifests/" + sha256(manifest));
        }

        HttpResponse<String> tags = root.get("/v2/team-b/shown/tags/list?n=1");
        assertThat(json(tags).path("name").asText()).isEqualTo("team-b/shown");
        assertThat(texts(json(tags).path("tags"))).containsExactly("one");
        assertThat(tags.headers().firstValue("Link"))
                .hasValue("</v2/team-b/shown/tags/list?n=1&last=one>; rel=\"next\"");

        HttpResponse<String> unknown = root.get("/v2/team-b/nothing/tags/list");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(errorCode(unknown)).isEqualTo("NAME_UNKNOWN");
        assertThat(json(unknown).path("errors").get(0).path("detail").asText()).isEqualTo("team-b/nothing");
    }

    @Test
    void aPrefixAloneNamesNoRepository() {
        HttpResponse<String> response = root.get("/v2/team-b/manifests/latest");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(errorCode(response)).isEqualTo("NAME_INVALID");
    }

    @Test
    void eachSiteCatalogsWhatItReachesUnderTheNamesItsClientsUse() {
        a.pushImage("listed/in-a", "v1", "{\"catalog\":\"a\"}");
        root.pushImage("listed/in-default", "v1", "{\"catalog\":\"default\"}");
        root.pushImage("team-b/listed/in-b", "v1", "{\"catalog\":\"b\"}");
        root.pushImage("team-c/listed/in-c", "v1", "{\"catalog\":\"c\"}");

        List<String> rootCatalog = root.catalog("");
        assertThat(rootCatalog).contains("listed/in-default", "team-b/listed/in-b", "team-c/listed/in-c")
                .doesNotContain("listed/in-a", "listed/in-b", "listed/in-c")
                .isSorted();
        assertThat(a.catalog("")).contains("listed/in-a")
                .doesNotContain("listed/in-default", "team-b/listed/in-b", "listed/in-b");
        assertThat(rawGet("c.registry.example.com", "/v2/_catalog")).contains("\"listed/in-c\"")
                .doesNotContain("team-c/").doesNotContain("listed/in-default");

        // Pages walk the merged list in order, across namespaces.
        List<String> paged = new java.util.ArrayList<>();
        String last = null;
        do {
            List<String> page = root.catalog("?n=1" + (last == null ? "" : "&last=" + last));
            paged.addAll(page);
            last = page.isEmpty() ? null : page.get(0);
        } while (last != null);
        assertThat(paged).isEqualTo(rootCatalog);
    }

    @Test
    void aDefaultRepositoryUnderAPrefixClaimedLaterIsOutOfReachButKept() throws Exception {
        // Pushed by a Berth on the same store that has no namespaces: "team-b/legacy" is then a default repository.
        try (BerthServer before = BerthServer.start(BerthConfig.defaults().withListen("127.0.0.1:0"), store)) {
            HostClient.at(before.uri(), "127.0.0.1").pushImage("team-b/legacy", "v1", "{\"legacy\":true}");
        }

        assertThat(root.get("/v2/team-b/legacy/manifests/v1").statusCode()).isEqualTo(404);
        assertThat(root.catalog("")).doesNotContain("team-b/legacy", "legacy");
        assertThat(store.stat(StorageLayout.tag(Namespace.DEFAULT,
                new dev.berth.registry.RepositoryName("team-b/legacy"), new dev.berth.registry.Tag("v1"))))
                .isPresent();
    }

    @Test
    void aNamespaceChosenByHostAndByPrefixIsTheSameRegistryBothWays() {
        byte[] manifest = root.pushImage("team-c/both/ways", "v1", "{\"team\":\"c\"}");

        String viaHost = rawGet("c.registry.example.com", "/v2/both/ways/manifests/v1");
        assertThat(viaHost).startsWith("HTTP/1.1 200").contains("Docker-Content-Digest: " + sha256(manifest));
    }

    @Test
    void hostNamesMatchWhateverTheirCaseAndPort() {
        a.pushImage("by-host/app", "v1", "{\"host\":\"a\"}");

        String response = rawGet("A.Registry.Example.COM:8443", "/v2/by-host/app/tags/list");
        assertThat(response).startsWith("HTTP/1.1 200").contains("\"tags\":[\"v1\"]");
        assertThat(rawGet("b.registry.example.com", "/v2/by-host/app/tags/list")).startsWith("HTTP/1.1 404");
    }

    @Test
    void referrersStayInTheirNamespace() {
        byte[] config = "{}".getBytes(StandardCharsets.UTF_8);
        byte[] subject = root.pushImage("team-b/signed", "v1", "{}");
        String subjectDigest = sha256(subject);
        String subjectJson = "{\"mediaType\":\"" + HostClient.OCI_MANIFEST + "\",\"digest\":\"" + subjectDigest
                + "\",\"size\":" + subject.length + "}";
        byte[] referrer = HostClient.manifest(sha256(config), config.length, subjectJson);
        HttpResponse<String> put = root.send("PUT", "/v2/team-b/signed/manifests/" + sha256(referrer), referrer);
        assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
        assertThat(put.headers().firstValue("OCI-Subject")).hasValue(subjectDigest);

        assertThat(json(root.get("/v2/team-b/signed/referrers/" + subjectDigest)).path("manifests")).hasSize(1);
        root.pushImage("signed", "v1", "{}"); // the same subject bytes in the default namespace
        assertThat(json(root.get("/v2/signed/referrers/" + subjectDigest)).path("manifests")).isEmpty();
    }

    @Test
    void anUploadOfOneNamespaceIsUnknownInAnother() {
        HttpResponse<String> start = a.send("POST", "/v2/upload/blobs/uploads/", null);
        String id = start.headers().firstValue("Docker-Upload-UUID").orElseThrow();

        HttpResponse<String> elsewhere = root.get("/v2/upload/blobs/uploads/" + id);
        assertThat(elsewhere.statusCode()).isEqualTo(404);
        assertThat(errorCode(elsewhere)).isEqualTo("BLOB_UPLOAD_UNKNOWN");
        assertThat(a.get("/v2/upload/blobs/uploads/" + id).statusCode()).isEqualTo(204);
    }

    /** A GET over a plain socket with any {@code Host} header; the whole response as text. */
    private String rawGet(String host, String path) {
        try (Socket socket = new Socket("127.0.0.1", server.uri().getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream response = new ByteArrayOutputStream();
            in.transferTo(response);
            return response.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
