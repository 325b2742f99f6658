package dev.berth.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.BerthServer;
import dev.berth.auth.HtpasswdEditor;
import dev.berth.config.BerthConfig;
import dev.berth.config.BerthConfig.AccessRule;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Berth with an auth section, in-process, over HTTP: who may call which route, and what refusals reveal. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthorizationHttpTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    /** Users and their passwords; the rules below say what each may do. */
    private static final Map<String, String> PASSWORDS = Map.of("alice", "alice-pw", "bob", "bob-pw",
            "carol", "carol-pw", "dave", "dave-pw");
    private static final List<AccessRule> RULES = List.of(
            new AccessRule("team-a/*", List.of("alice"), List.of(), List.of("pull", "push", "delete")),
            new AccessRule("team-a/*", List.of("bob"), List.of(), List.of("pull")),
            new AccessRule("other/*", List.of("alice"), List.of(), List.of("pull", "push")),
            new AccessRule("drop/*", List.of("dave"), List.of(), List.of("push")),
            new AccessRule("**", List.of(), List.of("admins"), List.of("pull", "push", "delete", "admin")));

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private Path dir;
    private BerthServer server;
    private BerthServer anonymousPullServer;
    private String configDigest;

    @BeforeAll
    void start() throws Exception {
        dir = Files.createTempDirectory("berth-auth-http-");
        Path htpasswd = dir.resolve("users.htpasswd");
        for (var user : PASSWORDS.entrySet()) {
            HtpasswdEditor.put(htpasswd, user.getKey(), user.getValue().toCharArray());
        }
        server = BerthServer.start(config(htpasswd, false));
        anonymousPullServer = BerthServer.start(config(htpasswd, true));
        for (BerthServer s : List.of(server, anonymousPullServer)) {
            for (String repo : List.of("team-a/app", "other/secret", "drop/box")) {
                configDigest = pushImage(s.uri(), repo, "latest");
            }
        }
    }

    private static BerthConfig config(Path htpasswd, boolean anonymousPull) {
        return BerthConfig.defaults().withListen("127.0.0.1:0")
                .withStorage(new BerthConfig.Storage(BerthConfig.StorageDriver.MEMORY, null))
                .withAuth(Optional.of(new BerthConfig.Auth(Optional.of(htpasswd), anonymousPull,
                        BerthConfig.Token.defaults(), Map.of("admins", List.of("carol")), RULES)));
    }

    @AfterAll
    void stop() throws Exception {
        server.close();
        anonymousPullServer.close();
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    // ---- authentication

    @Test
    void theBaseEndpointChallengesCallersWithoutCredentials() throws Exception {
        HttpResponse<String> response = send(server.uri(), "GET", "/v2/", null, null);
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"Berth\"");
        assertThat(errorCode(response)).isEqualTo("UNAUTHORIZED");
        assertThat(send(server.uri(), "GET", "/v2/", "bob", null).statusCode()).isEqualTo(200);
    }

    @Test
    void aWrongPasswordAndAnUnknownUserGetTheSame401() throws Exception {
        HttpResponse<String> wrong = send(server.uri(), "GET", "/v2/", "alice", "not-her-password", null);
        HttpResponse<String> unknown = send(server.uri(), "GET", "/v2/", "zed", "whatever", null);
        for (HttpResponse<String> response : List.of(wrong, unknown)) {
            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"Berth\"");
            assertThat(errorCode(response)).isEqualTo("UNAUTHORIZED");
        }
        assertThat(unknown.body().replace("zed", "alice")).isEqualTo(wrong.body());
        // A wrong password is refused even where anonymous callers may pull.
        assertThat(send(anonymousPullServer.uri(), "GET", "/v2/team-a/app/tags/list", "alice", "nope", null)
                .statusCode()).isEqualTo(401);
    }

    @Test
    void malformedCredentialsAndOtherSchemesGet401() throws Exception {
        for (String header : List.of("Basic !!!", "Basic " + b64("no-colon"), "Bearer abc.def.ghi")) {
            HttpRequest request = HttpRequest.newBuilder(server.uri().resolve("/v2/"))
                    .header("Authorization", header).GET().build();
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(header).isEqualTo(401);
            assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"Berth\"");
        }
    }

    @Test
    void anEmptyBasicLoginIsTheAnonymousCaller() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(anonymousPullServer.uri().resolve("/v2/team-a/app/tags/list"))
                .header("Authorization", "Basic " + b64(":")).GET().build();
        assertThat(client.send(request, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        HttpRequest push = HttpRequest.newBuilder(anonymousPullServer.uri().resolve("/v2/team-a/app/blobs/uploads/"))
                .header("Authorization", "Basic " + b64(":")).POST(HttpRequest.BodyPublishers.noBody()).build();
        assertThat(client.send(push, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
    }

    @Test
    void anonymousRequestsToRepositoriesAreChallengedWithWhatTheyNeeded() throws Exception {
        HttpResponse<String> response = send(server.uri(), "GET", "/v2/team-a/app/manifests/latest", null, null);
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"Berth\"");
        JsonNode error = JSON.readTree(response.body()).path("errors").get(0);
        assertThat(error.path("code").asText()).isEqualTo("UNAUTHORIZED");
        assertThat(error.path("detail").get(0).path("Name").asText()).isEqualTo("team-a/app");
        assertThat(error.path("detail").get(0).path("Action").asText()).isEqualTo("pull");
    }

    // ---- each route's action

    @ParameterizedTest(name = "{0} {1} as {2}: {3}")
    @CsvSource({
        // pull: GET and HEAD of blobs, manifests, tags and referrers
        "GET,    /v2/team-a/app/manifests/latest,   bob,  200",
        "HEAD,   /v2/team-a/app/manifests/latest,   bob,  200",
        "GET,    /v2/team-a/app/blobs/CONFIG,       bob,  200",
        "HEAD,   /v2/team-a/app/blobs/CONFIG,       bob,  200",
        "GET,    /v2/team-a/app/tags/list,          bob,  200",
        "GET,    /v2/team-a/app/referrers/CONFIG,   bob,  200",
        "GET,    /v2/drop/box/manifests/latest,     dave, 403",
        "HEAD,   /v2/drop/box/blobs/CONFIG,         dave, 403",
        "GET,    /v2/drop/box/tags/list,            dave, 403",
        "GET,    /v2/drop/box/referrers/CONFIG,     dave, 403",
        // push: uploads and manifest PUT
        "POST,   /v2/team-a/app/blobs/uploads/,     bob,  403",
        "PATCH,  /v2/team-a/app/blobs/uploads/x,    bob,  403",
        "PUT,    /v2/team-a/app/blobs/uploads/x,    bob,  403",
        "GET,    /v2/team-a/app/blobs/uploads/x,    bob,  403",
        "DELETE, /v2/team-a/app/blobs/uploads/x,    bob,  403",
        "PUT,    /v2/team-a/app/manifests/latest,   bob,  403",
        "POST,   /v2/drop/box/blobs/uploads/,       dave, 202",
        "POST,   /v2/team-a/app/blobs/uploads/,     alice, 202",
        // delete
        "DELETE, /v2/team-a/app/manifests/nothing,  bob,  403",
        "DELETE, /v2/team-a/app/blobs/CONFIG,       bob,  403",
        "DELETE, /v2/other/secret/manifests/latest, alice, 403",
        "DELETE, /v2/team-a/app/manifests/nothing,  alice, 404",
        // admin implies everything
        "GET,    /v2/drop/box/manifests/latest,     carol, 200",
        "DELETE, /v2/drop/box/manifests/nothing,    carol, 404",
    })
    void eachRouteNeedsItsAction(String method, String path, String user, int status) throws Exception {
        HttpResponse<String> response = send(server.uri(), method, path.replace("CONFIG", configDigest), user, null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        if (status == 403 && !method.equals("HEAD")) {
            assertThat(errorCode(response)).isEqualTo("DENIED");
        }
    }

    @Test
    void aPullOnlyUserCannotPushAManifest() throws Exception {
        HttpResponse<String> response = send(server.uri(), "PUT", "/v2/team-a/app/manifests/v2", "bob",
                manifest(configDigest));
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(errorCode(response)).isEqualTo("DENIED");
        assertThat(send(server.uri(), "PUT", "/v2/team-a/app/manifests/v2", "alice", manifest(configDigest))
                .statusCode()).isEqualTo(201);
    }

    // ---- mounts

    @Test
    void aMountNeedsPullOnItsSource() throws Exception {
        String mountFromTeamA = "/v2/drop/box/blobs/uploads/?mount=" + configDigest + "&from=team-a/app";
        // dave may push to drop/* but not pull team-a/app: an upload session, as if the blob were not there.
        assertThat(send(server.uri(), "POST", mountFromTeamA, "dave", null).statusCode()).isEqualTo(202);
        String intoOther = "/v2/other/mounted/blobs/uploads/?mount=" + configDigest + "&from=team-a/app";
        HttpResponse<String> mounted = send(server.uri(), "POST", intoOther, "alice", null);
        assertThat(mounted.statusCode()).isEqualTo(201);
        assertThat(mounted.headers().firstValue("Docker-Content-Digest")).hasValue(configDigest);
    }

    @Test
    void anAutomaticMountOnlyTakesBlobsFromRepositoriesTheCallerMayPull() throws Exception {
        String secret = pushBlob(server.uri(), "other/secret", "carol", "only in other/secret".getBytes());
        // dave pushes to drop/*, cannot pull other/secret: the blob must not appear in his repository.
        HttpResponse<String> dave = send(server.uri(), "POST", "/v2/drop/auto/blobs/uploads/?mount=" + secret,
                "dave", null);
        assertThat(dave.statusCode()).isEqualTo(202);
        assertThat(send(server.uri(), "HEAD", "/v2/drop/auto/blobs/" + secret, "carol", null).statusCode())
                .isEqualTo(404);
        // alice may pull other/secret, so her automatic mount finds it.
        HttpResponse<String> alice = send(server.uri(), "POST", "/v2/team-a/auto/blobs/uploads/?mount=" + secret,
                "alice", null);
        assertThat(alice.statusCode()).isEqualTo(201);
    }

    // ---- catalog

    @Test
    void theCatalogListsOnlyRepositoriesTheCallerMayPull() throws Exception {
        // Other tests add repositories (team-a/auto, other/mounted, drop/auto), so only prefixes are certain.
        assertThat(catalog(server.uri(), "bob")).contains("team-a/app").allMatch(name -> name.startsWith("team-a/"));
        assertThat(catalog(server.uri(), "dave")).isEmpty();
        assertThat(catalog(server.uri(), "alice")).contains("team-a/app", "other/secret")
                .noneMatch(name -> name.startsWith("drop/"));
        assertThat(catalog(server.uri(), "carol")).contains("team-a/app", "other/secret", "drop/box");
        assertThat(send(server.uri(), "GET", "/v2/_catalog", null, null).statusCode()).isEqualTo(401);
    }

    @Test
    void catalogPagesCountOnlyVisibleRepositories() throws Exception {
        HttpResponse<String> page = send(server.uri(), "GET", "/v2/_catalog?n=1", "alice", null);
        assertThat(page.statusCode()).isEqualTo(200);
        List<String> names = names(page);
        assertThat(names).hasSize(1);
        assertThat(page.headers().firstValue("Link")).isPresent();
    }

    // ---- what refusals reveal

    @Test
    void anExistingAndAMissingRepositoryAreRefusedAlike() throws Exception {
        for (String user : new String[] {"bob", null}) {
            for (String route : List.of("/manifests/latest", "/tags/list", "/blobs/" + configDigest)) {
                for (String method : List.of("GET", "HEAD")) {
                    if (route.startsWith("/tags") && method.equals("HEAD")) {
                        continue;
                    }
                    HttpResponse<String> existing = send(server.uri(), method, "/v2/other/secret" + route, user, null);
                    HttpResponse<String> missing = send(server.uri(), method, "/v2/other/absent" + route, user, null);
                    String what = method + " " + route + " as " + user;
                    assertThat(existing.statusCode()).as(what).isEqualTo(user == null ? 401 : 403);
                    assertThat(missing.statusCode()).as(what).isEqualTo(existing.statusCode());
                    assertThat(missing.body().replace("other/absent", "other/secret")).as(what)
                            .isEqualTo(existing.body());
                    assertThat(headersWithoutDate(missing)).as(what).isEqualTo(headersWithoutDate(existing));
                }
            }
        }
    }

    // ---- anonymous pull

    @Test
    void anonymousPullLetsCallersWithoutCredentialsPullButNotPush() throws Exception {
        URI uri = anonymousPullServer.uri();
        // The base endpoint still challenges, or clients holding credentials would never send them (see AuthIT).
        assertThat(send(uri, "GET", "/v2/", null, null).statusCode()).isEqualTo(401);
        assertThat(send(uri, "GET", "/v2/other/secret/manifests/latest", null, null).statusCode()).isEqualTo(200);
        assertThat(catalog(uri, null)).contains("team-a/app", "other/secret", "drop/box");
        HttpResponse<String> push = send(uri, "POST", "/v2/team-a/app/blobs/uploads/", null, null);
        assertThat(push.statusCode()).isEqualTo(401);
        assertThat(push.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"Berth\"");
        // Logging in adds to what anonymous may do: bob may pull drop/box too.
        assertThat(send(uri, "GET", "/v2/drop/box/manifests/latest", "bob", null).statusCode()).isEqualTo(200);
        assertThat(send(uri, "POST", "/v2/team-a/app/blobs/uploads/", "alice", null).statusCode()).isEqualTo(202);
    }

    // ---- helpers

    private HttpResponse<String> send(URI base, String method, String path, String user, byte[] body)
            throws IOException, InterruptedException {
        return send(base, method, path, user, user == null ? null : PASSWORDS.get(user), body);
    }

    private HttpResponse<String> send(URI base, String method, String path, String user, String password,
            byte[] body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        if (user != null) {
            request.header("Authorization", "Basic " + b64(user + ":" + password));
        }
        if (method.equals("PUT") && path.contains("/manifests/")) {
            request.header("Content-Type", OCI_MANIFEST);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private List<String> catalog(URI base, String user) throws Exception {
        HttpResponse<String> response = send(base, "GET", "/v2/_catalog", user, null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return names(response);
    }

    private static List<String> names(HttpResponse<String> response) throws IOException {
        List<String> names = new ArrayList<>();
        JSON.readTree(response.body()).path("repositories").forEach(n -> names.add(n.asText()));
        return names;
    }

    /** The headers without those that differ for every request anyway: the date and the request id. */
    private static Map<String, List<String>> headersWithoutDate(HttpResponse<String> response) {
        Map<String, List<String>> headers = new java.util.TreeMap<>(response.headers().map());
        headers.remove("date");
        headers.remove("x-request-id");
        return headers;
    }

    private static String errorCode(HttpResponse<String> response) throws IOException {
        return JSON.readTree(response.body()).path("errors").get(0).path("code").asText();
    }

    /** Pushes a config blob and a manifest naming it as carol (admin); returns the config's digest. */
    private String pushImage(URI base, String repo, String tag) throws Exception {
        String config = pushBlob(base, repo, "carol", "{}".getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> put = send(base, "PUT", "/v2/" + repo + "/manifests/" + tag, "carol", manifest(config));
        assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
        return config;
    }

    private String pushBlob(URI base, String repo, String user, byte[] content) throws Exception {
        String digest = sha256(content);
        HttpResponse<String> response = send(base, "POST", "/v2/" + repo + "/blobs/uploads/?digest=" + digest, user,
                content);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return digest;
    }

    private static byte[] manifest(String configDigest) {
        return ("{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\",\"config\":{\"mediaType\":"
                + "\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + configDigest + "\",\"size\":2},"
                + "\"layers\":[]}").getBytes(StandardCharsets.UTF_8);
    }

    private static String sha256(byte[] content) throws NoSuchAlgorithmException {
        return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    }

    private static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
