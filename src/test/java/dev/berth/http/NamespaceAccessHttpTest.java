package dev.berth.http;

import static dev.berth.http.HostClient.errorCode;
import static dev.berth.http.HostClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.BerthServer;
import dev.berth.auth.HtpasswdEditor;
import dev.berth.config.BerthConfig;
import dev.berth.config.BerthConfig.AccessRule;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Access rules with a {@code namespace} key, and bearer tokens, on a Berth serving team-a by host name
 * ({@code localhost}), team-b by prefix and the default namespace ({@code 127.0.0.1}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NamespaceAccessHttpTest {
    private static final String SERVICE = "berth-test";
    private static final Map<String, String> PASSWORDS = Map.of("alice", "alice-pw", "bob", "bob-pw",
            "carol", "carol-pw", "erin", "erin-pw");
    private static final List<AccessRule> RULES = List.of(
            new AccessRule("**", List.of("alice"), List.of(), List.of("pull", "push"), "team-a"),
            new AccessRule("app", List.of("bob"), List.of(), List.of("pull", "push"), "team-b"),
            new AccessRule("**", List.of("carol"), List.of(), List.of("pull", "push")),
            new AccessRule("**", List.of("erin"), List.of(), List.of("admin"), "*"));

    private Path dir;
    private BerthServer server;
    private HostClient a;
    private HostClient root;

    @BeforeAll
    void start() throws Exception {
        dir = Files.createTempDirectory("berth-namespace-access-");
        Path htpasswd = dir.resolve("users.htpasswd");
        for (var user : PASSWORDS.entrySet()) {
            HtpasswdEditor.put(htpasswd, user.getKey(), user.getValue().toCharArray());
        }
        BerthConfig.Auth auth = new BerthConfig.Auth(Optional.of(htpasswd), false,
                BerthConfig.Token.defaults().withEnabled(true).withService(SERVICE), Map.of(), RULES);
        server = BerthServer.start(NamespacesHttpTest.config().withAuth(Optional.of(auth)));
        a = HostClient.at(server.uri(), "localhost");
        root = HostClient.at(server.uri(), "127.0.0.1");
        a.as("erin", "erin-pw").pushImage("app", "v1", "{\"in\":\"team-a\"}");
        root.as("erin", "erin-pw").pushImage("app", "v1", "{\"in\":\"default\"}");
        root.as("erin", "erin-pw").pushImage("team-b/app", "v1", "{\"in\":\"team-b\"}");
        root.as("erin", "erin-pw").pushImage("team-b/other", "v1", "{\"in\":\"team-b\"}");
    }

    @AfterAll
    void stop() throws Exception {
        server.close();
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private HostClient as(HostClient site, String user) {
        return site.as(user, PASSWORDS.get(user));
    }

    @Test
    void aRuleWithANamespaceGrantsInThatNamespaceOnly() {
        assertThat(as(a, "alice").send("POST", "/v2/app/blobs/uploads/", null).statusCode()).isEqualTo(202);
        as(a, "alice").pushImage("alice/tool", "v1", "{}");

        HttpResponse<String> inB = as(root, "alice").send("POST", "/v2/team-b/app/blobs/uploads/", null);
        assertThat(inB.statusCode()).isEqualTo(403);
        assertThat(errorCode(inB)).isEqualTo("DENIED");
        assertThat(json(inB).path("errors").get(0).path("detail").get(0).path("Name").asText())
                .isEqualTo("team-b/app");
        assertThat(as(root, "alice").send("POST", "/v2/app/blobs/uploads/", null).statusCode()).isEqualTo(403);
        assertThat(as(root, "alice").get("/v2/app/manifests/v1").statusCode()).isEqualTo(403);
    }

    @Test
    void aRulesGlobMatchesTheNameInsideTheNamespace() {
        assertThat(as(root, "bob").get("/v2/team-b/app/manifests/v1").statusCode()).isEqualTo(200);
        assertThat(as(root, "bob").send("POST", "/v2/team-b/app/blobs/uploads/", null).statusCode()).isEqualTo(202);
        assertThat(as(root, "bob").get("/v2/team-b/other/manifests/v1").statusCode()).isEqualTo(403);
        assertThat(as(root, "bob").get("/v2/app/manifests/v1").statusCode()).isEqualTo(403);
        assertThat(as(a, "bob").get("/v2/app/manifests/v1").statusCode()).isEqualTo(403);
    }

    @Test
    void aRuleWithoutANamespaceGrantsInTheDefaultNamespaceOnly() {
        assertThat(as(root, "carol").send("POST", "/v2/app/blobs/uploads/", null).statusCode()).isEqualTo(202);
        assertThat(as(a, "carol").send("POST", "/v2/app/blobs/uploads/", null).statusCode()).isEqualTo(403);
        assertThat(as(root, "carol").send("POST", "/v2/team-b/app/blobs/uploads/", null).statusCode())
                .isEqualTo(403);
    }

    @Test
    void theCatalogListsWhatTheRulesOfEachNamespaceLetTheCallerPull() {
        assertThat(as(root, "bob").catalog("")).containsExactly("team-b/app");
        assertThat(as(a, "bob").catalog("")).isEmpty();
        assertThat(as(a, "alice").catalog("")).contains("app").doesNotContain("team-b/app");
        assertThat(as(root, "alice").catalog("")).isEmpty();
        assertThat(as(root, "erin").catalog("")).contains("app", "team-b/app", "team-b/other");
    }

    @Test
    void challengesNameTheServiceOfTheSiteReached() {
        HttpResponse<String> atA = a.get("/v2/");
        assertThat(atA.statusCode()).isEqualTo(401);
        assertThat(atA.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"" + a.base()
                + "/token\",service=\"" + SERVICE + "/team-a\"");
        assertThat(root.get("/v2/team-b/app/manifests/v1").headers().firstValue("WWW-Authenticate"))
                .hasValue("Bearer realm=\"" + root.base() + "/token\",service=\"" + SERVICE
                        + "\",scope=\"repository:team-b/app:pull\"");
    }

    @Test
    void aTokenIsGoodOnTheSiteWhoseServiceItNamesOnly() {
        // No service named: the host name the token request reached chooses the site.
        String token = token(a, "alice", null, "repository:app:pull,push");
        assertThat(claims(token).path("aud").asText()).isEqualTo(SERVICE + "/team-a");
        assertThat(a.bearer(token).send("POST", "/v2/app/blobs/uploads/", null).statusCode()).isEqualTo(202);

        HttpResponse<String> elsewhere = root.bearer(token).get("/v2/app/manifests/v1");
        assertThat(elsewhere.statusCode()).isEqualTo(401);
        assertThat(elsewhere.headers().firstValue("WWW-Authenticate")).get().asString()
                .contains("service=\"" + SERVICE + "\"", "error=\"insufficient_scope\"");

        // The service chooses the site wherever the token endpoint was reached (a realm on another host).
        String viaRoot = token(root, "alice", SERVICE + "/team-a", "repository:app:pull,push");
        assertThat(a.bearer(viaRoot).send("POST", "/v2/app/blobs/uploads/", null).statusCode()).isEqualTo(202);
    }

    @Test
    void aScopeNamesTheRepositoryAsClientsOfTheSiteNameIt() {
        String token = token(root, "bob", SERVICE,
                "repository:team-b/app:pull,push repository:team-b/other:pull repository:app:pull");
        JsonNode access = claims(token).path("access");
        assertThat(access).hasSize(1);
        assertThat(access.get(0).path("name").asText()).isEqualTo("team-b/app");
        assertThat(HostClient.texts(access.get(0).path("actions"))).containsExactlyInAnyOrder("pull", "push");
        assertThat(root.bearer(token).send("POST", "/v2/team-b/app/blobs/uploads/", null).statusCode())
                .isEqualTo(202);
        // On team-a's host "team-b/app" is a repository of team-a: the token is not for that site.
        assertThat(a.bearer(token).get("/v2/team-b/app/tags/list").statusCode()).isEqualTo(401);
    }

    private static String token(HostClient site, String user, String service, String scope) {
        // Several scopes go as repeated scope parameters, as Docker clients send them.
        StringBuilder query = new StringBuilder(service == null ? "?"
                : "?service=" + URLEncoder.encode(service, StandardCharsets.UTF_8) + "&");
        query.append(String.join("&", java.util.Arrays.stream(scope.split(" "))
                .map(s -> "scope=" + URLEncoder.encode(s, StandardCharsets.UTF_8)).toList()));
        HttpResponse<String> response = site.as(user, PASSWORDS.get(user)).get("/token" + query);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json(response).path("token").asText();
    }

    private static JsonNode claims(String token) {
        try {
            return HostClient.JSON.readTree(Base64.getUrlDecoder().decode(token.split("\\.")[1]));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
