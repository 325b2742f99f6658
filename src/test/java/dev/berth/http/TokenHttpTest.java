package dev.berth.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.BerthServer;
import dev.berth.auth.HtpasswdEditor;
import dev.berth.auth.token.JwsAlgorithm;
import dev.berth.auth.token.Jws;
import dev.berth.auth.token.Jwks;
import dev.berth.auth.token.KeySet;
import dev.berth.auth.token.ResourceScope;
import dev.berth.auth.token.SigningKey;
import dev.berth.auth.token.StoredSigningKey;
import dev.berth.auth.token.TokenSigner;
import dev.berth.auth.token.TokenVerifier;
import dev.berth.config.BerthConfig;
import dev.berth.config.BerthConfig.AccessRule;
import dev.berth.registry.Namespace;
import dev.berth.storage.FilesystemStore;
import dev.berth.storage.MemoryStore;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
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

/** Berth with tokens on, in-process, over HTTP: the token endpoint, challenges, and what tokens let through. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TokenHttpTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    private static final String SERVICE = "berth-test";
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
    private Path htpasswd;
    private MemoryStore store;
    private BerthServer server;
    private String configDigest;

    @BeforeAll
    void start() throws Exception {
        dir = Files.createTempDirectory("berth-token-http-");
        htpasswd = dir.resolve("users.htpasswd");
        for (var user : PASSWORDS.entrySet()) {
            HtpasswdEditor.put(htpasswd, user.getKey(), user.getValue().toCharArray());
        }
        store = new MemoryStore();
        server = BerthServer.start(config(BerthConfig.LoginLimit.defaults()), store);
        for (String repo : List.of("team-a/app", "other/secret", "drop/box")) {
            configDigest = pushImage(repo);
        }
    }

    private BerthConfig config(BerthConfig.LoginLimit limit) {
        return BerthConfig.defaults().withListen("127.0.0.1:0")
                .withStorage(new BerthConfig.Storage(BerthConfig.StorageDriver.MEMORY, null))
                .withAuth(Optional.of(new BerthConfig.Auth(Optional.of(htpasswd), false,
                        BerthConfig.Token.defaults().withEnabled(true).withService(SERVICE),
                        Map.of("admins", List.of("carol")), RULES, limit)));
    }

    @AfterAll
    void stop() throws Exception {
        server.close();
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    // ---- challenges

    @Test
    void theBaseEndpointChallengesWithBearerNamingTheTokenEndpointAndService() throws Exception {
        HttpResponse<String> response = send("GET", "/v2/", null, null);
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate"))
                .hasValue("Bearer realm=\"" + server.uri() + "/token\",service=\"" + SERVICE + "\"");
        assertThat(errorCode(response)).isEqualTo("UNAUTHORIZED");
    }

    @Test
    void aRepositoryChallengeNamesTheScopeTheRouteNeeded() throws Exception {
        HttpResponse<String> pull = send("GET", "/v2/team-a/app/manifests/latest", null, null);
        assertThat(pull.statusCode()).isEqualTo(401);
        assertThat(pull.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"" + server.uri()
                + "/token\",service=\"" + SERVICE + "\",scope=\"repository:team-a/app:pull\"");
        HttpResponse<String> push = send("POST", "/v2/team-a/app/blobs/uploads/", null, null);
        assertThat(push.headers().firstValue("WWW-Authenticate").orElseThrow())
                .endsWith(",scope=\"repository:team-a/app:pull,push\"");
        HttpResponse<String> catalog = send("GET", "/v2/_catalog", null, null);
        assertThat(catalog.headers().firstValue("WWW-Authenticate").orElseThrow())
                .endsWith(",scope=\"registry:catalog:*\"");
    }

    // ---- the token endpoint

    @Test
    void aTokenGrantsWhatWasAskedForAndTheRulesAllow() throws Exception {
        HttpResponse<String> response = tokenResponse("alice", "alice-pw",
                "scope=repository:team-a/app:pull,push&scope=repository:other/secret:pull,delete");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("access_token").asText()).isEqualTo(body.path("token").asText());
        assertThat(body.path("expires_in").asLong()).isEqualTo(300);
        Instant issuedAt = Instant.parse(body.path("issued_at").asText());
        JsonNode claims = claims(body.path("token").asText());
        assertThat(claims.path("iss").asText()).isEqualTo("berth");
        assertThat(claims.path("sub").asText()).isEqualTo("alice");
        assertThat(claims.path("aud").asText()).isEqualTo(SERVICE);
        assertThat(claims.path("iat").asLong()).isEqualTo(issuedAt.getEpochSecond());
        assertThat(claims.path("exp").asLong() - claims.path("iat").asLong()).isEqualTo(300);
        assertThat(claims.path("access").toString()).isEqualTo("[{\"type\":\"repository\",\"name\":\"team-a/app\","
                + "\"actions\":[\"pull\",\"push\"]},{\"type\":\"repository\",\"name\":\"other/secret\","
                + "\"actions\":[\"pull\"]}]");
    }

    @Test
    void theTokenNamesTheServiceAskedFor() throws Exception {
        HttpResponse<String> issued = basic(server.uri(), "GET",
                "/token?service=elsewhere&scope=repository:team-a/app:pull", "alice", "alice-pw");
        String token = JSON.readTree(issued.body()).path("token").asText();
        assertThat(claims(token).path("aud").asText()).isEqualTo("elsewhere");
        // ... which this registry, whose service is another, refuses.
        HttpResponse<String> response = withToken("GET", "/v2/team-a/app/manifests/latest", token);
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate").orElseThrow())
                .contains("error=\"invalid_token\"");
    }

    @Test
    void unknownTypesAndInvalidNamesAreDroppedAndTextOutsideTheGrammarRefused() throws Exception {
        String token = token("carol", "carol-pw",
                "scope=plugin:x:pull&scope=repository:Not_Valid:pull&scope=repository:team-a/app:pull,fly");
        assertThat(claims(token).path("access").toString())
                .isEqualTo("[{\"type\":\"repository\",\"name\":\"team-a/app\",\"actions\":[\"pull\"]}]");
        HttpResponse<String> bad = tokenResponse("carol", "carol-pw", "scope=" + encode("repository:team-a/app"));
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(bad.body()).path("error").asText()).isEqualTo("invalid_scope");
    }

    @Test
    void wrongCredentialsAtTheTokenEndpointGet401WithABasicChallenge() throws Exception {
        HttpResponse<String> response = tokenResponse("alice", "wrong", "scope=repository:team-a/app:pull");
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"Berth\"");
        assertThat(errorCode(response)).isEqualTo("UNAUTHORIZED");
    }

    @Test
    void anAnonymousTokenGrantsOnlyWhatAnonymousMayDo() throws Exception {
        HttpResponse<String> response = get("/token?service=" + SERVICE + "&scope=repository:team-a/app:pull", null);
        assertThat(response.statusCode()).isEqualTo(200);
        String token = JSON.readTree(response.body()).path("token").asText();
        assertThat(claims(token).path("sub").asText()).isEmpty();
        assertThat(claims(token).path("access")).isEmpty();
        assertThat(withToken("GET", "/v2/team-a/app/manifests/latest", token).statusCode()).isEqualTo(401);
    }

    @Test
    void theJwksHoldsTheKeyTokensVerifyWith() throws Exception {
        HttpResponse<String> jwks = get("/token/jwks", null);
        assertThat(jwks.statusCode()).isEqualTo(200);
        var keys = Jwks.parse(jwks.body().getBytes(StandardCharsets.UTF_8));
        assertThat(keys).hasSize(1);
        String token = token("bob", "bob-pw", "scope=repository:team-a/app:pull");
        var verified = new TokenVerifier("berth", SERVICE, KeySet.of(keys), Clock.systemUTC()).verify(token);
        assertThat(verified.subject()).isEqualTo("bob");
        assertThat(Jws.parse(token).header().path("kid").asText()).isEqualTo(keys.get(0).kid());
    }

    // ---- using tokens

    @Test
    void aTokenWithTheScopePullsAndPushes() throws Exception {
        String token = token("alice", "alice-pw", "scope=repository:team-a/app:pull,push");
        assertThat(withToken("GET", "/v2/", token).statusCode()).isEqualTo(200);
        assertThat(withToken("GET", "/v2/team-a/app/manifests/latest", token).statusCode()).isEqualTo(200);
        assertThat(withToken("POST", "/v2/team-a/app/blobs/uploads/", token).statusCode()).isEqualTo(202);
    }

    @Test
    void aTokenLackingTheScopeGets401InsufficientScope() throws Exception {
        // bob asked for push and got pull only.
        String token = token("bob", "bob-pw", "scope=repository:team-a/app:pull,push");
        assertThat(claims(token).path("access").get(0).path("actions").toString()).isEqualTo("[\"pull\"]");
        HttpResponse<String> push = withToken("POST", "/v2/team-a/app/blobs/uploads/", token);
        assertThat(push.statusCode()).isEqualTo(401);
        assertThat(errorCode(push)).isEqualTo("UNAUTHORIZED");
        assertThat(push.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"" + server.uri()
                + "/token\",service=\"" + SERVICE + "\",scope=\"repository:team-a/app:pull,push\","
                + "error=\"insufficient_scope\"");
    }

    @Test
    void aTokenForAnotherRepositoryOpensNothingElse() throws Exception {
        String token = token("alice", "alice-pw", "scope=repository:team-a/app:pull");
        HttpResponse<String> response = withToken("GET", "/v2/other/secret/manifests/latest", token);
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate").orElseThrow())
                .contains("scope=\"repository:other/secret:pull\"").contains("error=\"insufficient_scope\"");
        // The same answer for a repository that does not exist.
        HttpResponse<String> missing = withToken("GET", "/v2/other/absent/manifests/latest", token);
        assertThat(missing.body().replace("other/absent", "other/secret")).isEqualTo(response.body());
    }

    @Test
    void tamperedExpiredAndForeignTokensGet401InvalidToken() throws Exception {
        String token = token("alice", "alice-pw", "scope=repository:team-a/app:pull");
        String[] parts = token.split("\\.");
        String widened = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("team-a/app", "other/secret");
        String tampered = parts[0] + "." + Jws.encode(widened.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];

        SigningKey key = StoredSigningKey.loadOrCreate(store, Namespace.DEFAULT, JwsAlgorithm.ES256);
        Clock past = Clock.fixed(Instant.now().minus(Duration.ofMinutes(10)), ZoneOffset.UTC);
        List<ResourceScope> pull = List.of(new ResourceScope("repository", "team-a/app", List.of("pull")));
        String expired = new TokenSigner("berth", key, Duration.ofMinutes(5), past).issue("alice", SERVICE, pull)
                .token();
        String wrongIssuer = new TokenSigner("mallory", key, Duration.ofMinutes(5), Clock.systemUTC())
                .issue("alice", SERVICE, pull).token();
        String foreign = new TokenSigner("berth", SigningKey.generate(JwsAlgorithm.ES256), Duration.ofMinutes(5),
                Clock.systemUTC()).issue("alice", SERVICE, pull).token();

        for (String bad : List.of(tampered, expired, wrongIssuer, foreign, "not-a-token")) {
            HttpResponse<String> response = withToken("GET", "/v2/team-a/app/manifests/latest", bad);
            assertThat(response.statusCode()).as(bad).isEqualTo(401);
            assertThat(errorCode(response)).isEqualTo("UNAUTHORIZED");
            assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"" + server.uri()
                    + "/token\",service=\"" + SERVICE + "\",error=\"invalid_token\"");
        }
    }

    @Test
    void basicStaysAcceptedAndAnAuthenticatedUserWithoutTheRightGets403() throws Exception {
        assertThat(send("GET", "/v2/team-a/app/manifests/latest", "bob", null).statusCode()).isEqualTo(200);
        HttpResponse<String> push = send("POST", "/v2/team-a/app/blobs/uploads/", "bob", null);
        assertThat(push.statusCode()).isEqualTo(403);
        assertThat(errorCode(push)).isEqualTo("DENIED");
    }

    @Test
    void theCatalogNeedsTheCatalogScopeAndListsWhatTheRulesLetTheSubjectPull() throws Exception {
        String noCatalog = token("bob", "bob-pw", "scope=repository:team-a/app:pull");
        HttpResponse<String> refused = withToken("GET", "/v2/_catalog", noCatalog);
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.headers().firstValue("WWW-Authenticate").orElseThrow())
                .contains("scope=\"registry:catalog:*\"").contains("error=\"insufficient_scope\"");

        assertThat(catalog(token("bob", "bob-pw", "scope=registry:catalog:*")))
                .contains("team-a/app").allMatch(name -> name.startsWith("team-a/"));
        assertThat(catalog(token("carol", "carol-pw", "scope=registry:catalog:*")))
                .contains("team-a/app", "other/secret", "drop/box");
        String anonymous = JSON.readTree(get("/token?scope=registry:catalog:*", null).body()).path("token").asText();
        assertThat(claims(anonymous).path("access")).isEmpty();
    }

    @Test
    void aMountNeedsAPullClaimOnTheSource() throws Exception {
        String mount = "/v2/drop/box/blobs/uploads/?mount=" + configDigest + "&from=team-a/app";
        // carol may do everything, but her token only names drop/box: no pull claim on the source, no mount.
        String pushOnly = token("carol", "carol-pw", "scope=repository:drop/box:push");
        assertThat(withToken("POST", mount, pushOnly).statusCode()).isEqualTo(202);
        String both = token("carol", "carol-pw", "scope=repository:drop/box:push&scope=repository:team-a/app:pull");
        HttpResponse<String> mounted = withToken("POST", mount, both);
        assertThat(mounted.statusCode()).isEqualTo(201);
        assertThat(mounted.headers().firstValue("Docker-Content-Digest")).hasValue(configDigest);
    }

    // ---- the OAuth2 flow

    @Test
    void aPasswordGrantGivesAnAccessTokenAndOnRequestARefreshToken() throws Exception {
        HttpResponse<String> response = post("grant_type=password&username=alice&password=alice-pw&client_id=test"
                + "&service=" + SERVICE + "&scope=" + encode("repository:team-a/app:pull,push repository:drop/x:push")
                + "&access_type=offline");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("scope").asText()).isEqualTo("repository:team-a/app:pull,push");
        assertThat(body.path("expires_in").asLong()).isEqualTo(300);
        String access = body.path("access_token").asText();
        assertThat(withToken("POST", "/v2/team-a/app/blobs/uploads/", access).statusCode()).isEqualTo(202);

        String refresh = body.path("refresh_token").asText();
        assertThat(refresh).isNotEmpty();
        // A refresh token is no access token.
        HttpResponse<String> misuse = withToken("GET", "/v2/team-a/app/manifests/latest", refresh);
        assertThat(misuse.statusCode()).isEqualTo(401);
        assertThat(misuse.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("invalid_token");

        HttpResponse<String> refreshed = post("grant_type=refresh_token&client_id=test&service=" + SERVICE
                + "&refresh_token=" + refresh + "&scope=" + encode("repository:other/secret:pull"));
        assertThat(refreshed.statusCode()).as(refreshed.body()).isEqualTo(200);
        JsonNode again = JSON.readTree(refreshed.body());
        assertThat(again.path("refresh_token").asText()).isEqualTo(refresh);
        assertThat(again.path("scope").asText()).isEqualTo("repository:other/secret:pull");
        assertThat(claims(again.path("access_token").asText()).path("sub").asText()).isEqualTo("alice");
    }

    @Test
    void withoutOfflineAccessThereIsNoRefreshToken() throws Exception {
        HttpResponse<String> response = post("grant_type=password&username=bob&password=bob-pw&client_id=test");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).has("refresh_token")).isFalse();
    }

    @Test
    void badGrantsAreRefused() throws Exception {
        HttpResponse<String> wrong = post("grant_type=password&username=alice&password=nope&client_id=test");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(errorCode(wrong)).isEqualTo("UNAUTHORIZED");
        HttpResponse<String> badRefresh = post("grant_type=refresh_token&refresh_token=abc.def.ghi&client_id=t");
        assertThat(badRefresh.statusCode()).isEqualTo(401);
        HttpResponse<String> unknown = post("grant_type=authorization_code&code=x&client_id=test");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(unknown.body()).path("error").asText()).isEqualTo("unsupported_grant_type");
        HttpResponse<String> incomplete = post("grant_type=password&username=alice&client_id=test");
        assertThat(incomplete.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(incomplete.body()).path("error").asText()).isEqualTo("invalid_request");
    }

    // ---- throttling, the stored key

    @Test
    void tooManyFailedLoginsGet429WithRetryAfterEvenWithTheRightPassword() throws Exception {
        try (BerthServer strict = BerthServer.start(config(new BerthConfig.LoginLimit(3, Duration.ofMinutes(1))))) {
            for (int i = 0; i < 3; i++) {
                assertThat(basic(strict.uri(), "GET", "/v2/team-a/app/tags/list", "alice", "wrong").statusCode())
                        .isEqualTo(401);
            }
            for (HttpResponse<String> refused : List.of(
                    basic(strict.uri(), "GET", "/v2/team-a/app/tags/list", "alice", "alice-pw"),
                    basic(strict.uri(), "GET", "/token?scope=repository:team-a/app:pull", "alice", "alice-pw"),
                    sendForm(strict.uri(), "grant_type=password&username=alice&password=alice-pw&client_id=t"))) {
                assertThat(refused.statusCode()).isEqualTo(429);
                assertThat(errorCode(refused)).isEqualTo("TOOMANYREQUESTS");
                long retryAfter = Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow());
                assertThat(retryAfter).isBetween(1L, 60L);
            }
            // Valid tokens are no logins: a token got before keeps working.
            assertThat(basic(strict.uri(), "GET", "/token", null, null).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void replicasOnOneStoreShareTheGeneratedKeyAndARestartReadsIt() throws Exception {
        Path root = dir.resolve("shared-store");
        BerthConfig config = config(BerthConfig.LoginLimit.defaults());
        String jwks;
        String token;
        try (BerthServer a = BerthServer.start(config, new FilesystemStore(root));
             BerthServer b = BerthServer.start(config, new FilesystemStore(root))) {
            jwks = get(a.uri(), "/token/jwks").body();
            assertThat(get(b.uri(), "/token/jwks").body()).isEqualTo(jwks);
            token = tokenAt(a.uri(), "carol", "carol-pw", "scope=registry:catalog:*");
            HttpResponse<String> onB = send(b.uri(), "GET", "/v2/_catalog", "Bearer " + token);
            assertThat(onB.statusCode()).as(onB.body()).isEqualTo(200);
        }
        try (BerthServer restarted = BerthServer.start(config, new FilesystemStore(root))) {
            assertThat(get(restarted.uri(), "/token/jwks").body()).isEqualTo(jwks);
            assertThat(send(restarted.uri(), "GET", "/v2/_catalog", "Bearer " + token).statusCode()).isEqualTo(200);
        }
    }

    // ---- helpers

    private String token(String user, String password, String query) throws Exception {
        return tokenAt(server.uri(), user, password, query);
    }

    private String tokenAt(URI base, String user, String password, String query) throws Exception {
        HttpResponse<String> response = basic(base, "GET", "/token?service=" + SERVICE + "&" + query, user, password);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body()).path("token").asText();
    }

    private HttpResponse<String> tokenResponse(String user, String password, String query) throws Exception {
        return basic(server.uri(), "GET", "/token?service=" + SERVICE + "&" + query, user, password);
    }

    private static JsonNode claims(String token) throws IOException {
        return JSON.readTree(Base64.getUrlDecoder().decode(token.split("\\.")[1]));
    }

    private HttpResponse<String> withToken(String method, String path, String token) throws Exception {
        return send(server.uri(), method, path, "Bearer " + token);
    }

    private HttpResponse<String> send(String method, String path, String user, byte[] body) throws Exception {
        return request(server.uri(), method, path, user == null ? null
                : "Basic " + b64(user + ":" + PASSWORDS.get(user)), body);
    }

    private HttpResponse<String> basic(URI base, String method, String path, String user, String password)
            throws Exception {
        return request(base, method, path, user == null ? null : "Basic " + b64(user + ":" + password), null);
    }

    private HttpResponse<String> send(URI base, String method, String path, String authorization) throws Exception {
        return request(base, method, path, authorization, null);
    }

    private HttpResponse<String> request(URI base, String method, String path, String authorization, byte[] body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        if (method.equals("PUT") && path.contains("/manifests/")) {
            request.header("Content-Type", OCI_MANIFEST);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path, String authorization) throws Exception {
        return send(server.uri(), "GET", path, authorization);
    }

    private HttpResponse<String> get(URI base, String path) throws Exception {
        return send(base, "GET", path, (String) null);
    }

    private HttpResponse<String> post(String form) throws Exception {
        return sendForm(server.uri(), form);
    }

    private HttpResponse<String> sendForm(URI base, String form) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private List<String> catalog(String token) throws Exception {
        HttpResponse<String> response = withToken("GET", "/v2/_catalog", token);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        List<String> names = new ArrayList<>();
        JSON.readTree(response.body()).path("repositories").forEach(n -> names.add(n.asText()));
        return names;
    }

    private static String errorCode(HttpResponse<String> response) throws IOException {
        return JSON.readTree(response.body()).path("errors").get(0).path("code").asText();
    }

    private String pushImage(String repo) throws Exception {
        byte[] config = "{}".getBytes(StandardCharsets.UTF_8);
        String digest = "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(config));
        HttpResponse<String> blob = send("POST", "/v2/" + repo + "/blobs/uploads/?digest=" + digest, "carol", config);
        assertThat(blob.statusCode()).as(blob.body()).isEqualTo(201);
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\",\"config\":{\"mediaType\":"
                + "\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + digest + "\",\"size\":2},"
                + "\"layers\":[]}").getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> put = send("PUT", "/v2/" + repo + "/manifests/latest", "carol", manifest);
        assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
        return digest;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
