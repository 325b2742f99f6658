package dev.berth.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.auth.HtpasswdEditor;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real clients against Berth processes with bearer tokens on, over plain HTTP: skopeo and podman get their tokens
 * from Berth's token endpoint; tokens for other repositories, tampered and expired ones are refused; and a second
 * Berth with no users accepts the tokens of the first through its JWKS.
 */
@ExtendWith(FailureLogs.class)
@Timeout(value = 8, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TokenAuthIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SERVICE = "berth-e2e";
    private static final String RULES = "[{repositories: \"e2e/**\", users: [alice], actions: [pull, push]},"
            + " {repositories: \"e2e/**\", users: [bob], actions: [pull]}]";
    private static final String MANIFEST_TYPES = "application/vnd.oci.image.manifest.v1+json,"
            + " application/vnd.docker.distribution.manifest.v2+json";

    @TempDir
    Path dir;

    private Path htpasswd;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeEach
    void users() throws Exception {
        // Tokens and rules only mean something to Berth; the Distribution target has no such configuration.
        Assumptions.assumeTrue(BerthProcess.Target.fromSystemProperty() == BerthProcess.Target.BERTH);
        htpasswd = dir.resolve("users.htpasswd");
        HtpasswdEditor.put(htpasswd, "alice", "alice secret".toCharArray());
        HtpasswdEditor.put(htpasswd, "bob", "bob secret".toCharArray());
    }

    /** A token-issuing Berth with users and rules on its own storage directory. */
    private BerthProcess.Launch issuer(String storage, Map<String, String> more) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("storage.driver", "filesystem");
        settings.put("storage.filesystem.root", dir.resolve(storage).toString());
        settings.put("auth.htpasswd", htpasswd.toString());
        settings.put("auth.rules", RULES);
        settings.put("auth.token.enabled", "true");
        settings.put("auth.token.service", SERVICE);
        settings.putAll(more);
        return BerthProcess.Launch.configured(settings);
    }

    @Test
    void skopeoPushesAndPullsWithTokensAndWrongOrMissingRightsFail() throws Exception {
        OciLayout layout = OciLayout.create(dir.resolve("src"));
        OciLayout.Image image = layout.addImage("v1", 701, 2, "amd64");
        Skopeo skopeo = Skopeo.in(dir.resolve("skopeo"));
        try (BerthProcess registry = BerthProcess.start("token-skopeo", issuer("storage", Map.of()))) {
            String ref = "docker://" + registry.hostPort() + "/e2e/secured:v1";
            HttpResponse<String> challenge = send(registry.uri(), "GET", "/v2/", null);
            assertThat(challenge.headers().firstValue("WWW-Authenticate")).hasValue(
                    "Bearer realm=\"" + registry.uri() + "/token\",service=\"" + SERVICE + "\"");

            Tools.Result wrong = skopeo.tryCopy(List.of("--dest-creds", "alice:not her password"),
                    layout.reference("v1"), ref);
            assertThat(wrong.exitCode()).as(wrong.describe()).isNotZero();
            assertThat(wrong.stderr().toLowerCase(Locale.ROOT)).containsAnyOf("unauthorized", "authentication");

            Tools.Result none = skopeo.tryCopy(List.of(), layout.reference("v1"), ref);
            assertThat(none.exitCode()).as(none.describe()).isNotZero();

            Tools.Result pullOnly = skopeo.tryCopy(List.of("--dest-creds", "bob:bob secret"),
                    layout.reference("v1"), ref);
            assertThat(pullOnly.exitCode()).as(pullOnly.describe()).isNotZero();
            assertThat(pullOnly.stderr().toLowerCase(Locale.ROOT)).containsAnyOf("denied", "unauthorized");

            skopeo.copy(List.of("--dest-creds", "alice:alice secret"), layout.reference("v1"), ref);
            Path out = dir.resolve("pulled");
            skopeo.copy(List.of("--src-creds", "bob:bob secret"), ref, "oci:" + out + ":v1");
            assertThat(Files.readAllBytes(out.resolve("blobs/sha256").resolve(Digests.hex(image.manifest().digest()))))
                    .isEqualTo(layout.blob(image.manifest().digest()));

            Tools.Result anonymous = skopeo.tryCopy(List.of(), ref, "oci:" + dir.resolve("anonymous") + ":v1");
            assertThat(anonymous.exitCode()).as(anonymous.describe()).isNotZero();
            // skopeo went through the token endpoint, not Basic on the registry's routes.
            assertThat(Files.readString(registry.logFile()))
                    .contains("token for alice at " + SERVICE + ": asked [repository:e2e/secured:pull,push]");
        }
    }

    @Test
    void podmanLogsInPushesAndPullsWithTokens() throws Exception {
        OciLayout layout = OciLayout.create(dir.resolve("src"));
        OciLayout.Image image = layout.addImage("v1", 702, 2, "amd64");
        Skopeo skopeo = Skopeo.in(dir.resolve("skopeo"));
        try (BerthProcess registry = BerthProcess.start("token-podman", issuer("storage", Map.of()));
             Podman podman = Podman.in(dir.resolve("podman"))) {
            skopeo.copy(List.of("--dest-creds", "alice:alice secret"), layout.reference("v1"),
                    "docker://" + registry.hostPort() + "/e2e/source:v1");
            String auth = dir.resolve("podman-auth.json").toString();

            Tools.Result wrong = podman.run(List.of("login", "--authfile", auth, "--tls-verify=false",
                    "--username", "alice", "--password", "wrong", registry.hostPort()));
            assertThat(wrong.exitCode()).as(wrong.describe()).isNotZero();
            podman.run(List.of("login", "--authfile", auth, "--tls-verify=false", "--username", "alice",
                    "--password", "alice secret", registry.hostPort())).check();

            String source = registry.hostPort() + "/e2e/source:v1";
            String pulledId = podman.pull("docker://" + source, List.of("--authfile", auth));
            assertThat(pulledId).isEqualTo(Digests.hex(image.config().digest()));
            podman.tryPush(source, "docker://" + registry.hostPort() + "/e2e/copy:v1", List.of("--authfile", auth))
                    .check();

            String token = token(registry.uri(), "bob", "bob secret", "repository:e2e/copy:pull");
            HttpResponse<String> copied = send(registry.uri(), "GET", "/v2/e2e/copy/manifests/v1", "Bearer " + token);
            assertThat(copied.statusCode()).as(copied.body()).isEqualTo(200);
            assertThat(JSON.readTree(copied.body()).path("config").path("digest").asText())
                    .isEqualTo(image.config().digest());

            // bob may pull but not push, logged in or not.
            String bobAuth = dir.resolve("podman-bob.json").toString();
            podman.run(List.of("login", "--authfile", bobAuth, "--tls-verify=false", "--username", "bob",
                    "--password", "bob secret", registry.hostPort())).check();
            Tools.Result bobPush = podman.tryPush(source, "docker://" + registry.hostPort() + "/e2e/bob:v1",
                    List.of("--authfile", bobAuth));
            assertThat(bobPush.exitCode()).as(bobPush.describe()).isNotZero();
        }
    }

    @Test
    void tokensForAnotherRepositoryTamperedAndExpiredOnesAreRefused() throws Exception {
        try (BerthProcess registry = BerthProcess.start("token-refusals",
                issuer("storage", Map.of("auth.token.expiry", "2s")))) {
            URI uri = registry.uri();
            String basic = "Basic " + Base64.getEncoder().encodeToString(
                    "alice:alice secret".getBytes(StandardCharsets.UTF_8));
            for (String repo : List.of("e2e/mine", "e2e/theirs")) {
                pushTiny(uri, repo, basic);
            }
            String token = token(uri, "alice", "alice secret", "repository:e2e/mine:pull");
            assertThat(send(uri, "GET", "/v2/e2e/mine/manifests/v1", "Bearer " + token).statusCode()).isEqualTo(200);

            HttpResponse<String> other = send(uri, "GET", "/v2/e2e/theirs/manifests/v1", "Bearer " + token);
            assertThat(other.statusCode()).isEqualTo(401);
            assertThat(other.headers().firstValue("WWW-Authenticate").orElseThrow())
                    .contains("scope=\"repository:e2e/theirs:pull\"").contains("error=\"insufficient_scope\"");

            String[] parts = token.split("\\.");
            String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                    .replace("e2e/mine", "e2e/theirs");
            String tampered = parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
            HttpResponse<String> forged = send(uri, "GET", "/v2/e2e/theirs/manifests/v1", "Bearer " + tampered);
            assertThat(forged.statusCode()).isEqualTo(401);
            assertThat(forged.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("error=\"invalid_token\"");

            // The token lives 2 s, and Berth allows 5 s of clock skew: wait until both are over.
            long exp = JSON.readTree(Base64.getUrlDecoder().decode(parts[1])).path("exp").asLong();
            Duration wait = Duration.between(Instant.now(), Instant.ofEpochSecond(exp + 6));
            Thread.sleep(Math.max(0, wait.toMillis()));
            HttpResponse<String> expired = send(uri, "GET", "/v2/e2e/mine/manifests/v1", "Bearer " + token);
            assertThat(expired.statusCode()).isEqualTo(401);
            assertThat(expired.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("error=\"invalid_token\"");
            assertThat(expired.body()).contains("expired");
            // Basic still works on the registry's routes, and anonymous access stays off.
            assertThat(send(uri, "GET", "/v2/e2e/mine/manifests/v1", basic).statusCode()).isEqualTo(200);
            assertThat(send(uri, "GET", "/v2/e2e/mine/manifests/v1", null).statusCode()).isEqualTo(401);
        }
    }

    @Test
    void aBerthWithoutUsersAcceptsTokensOfAnotherBerthThroughItsJwks() throws Exception {
        OciLayout layout = OciLayout.create(dir.resolve("src"));
        OciLayout.Image image = layout.addImage("v1", 703, 2, "amd64");
        Skopeo skopeo = Skopeo.in(dir.resolve("skopeo"));
        try (BerthProcess issuer = BerthProcess.start("token-issuer",
                issuer("issuer-storage", Map.of("auth.token.issuer", "berth-a")))) {
            Map<String, String> trusting = new LinkedHashMap<>();
            trusting.put("storage.driver", "filesystem");
            trusting.put("storage.filesystem.root", dir.resolve("trusting-storage").toString());
            trusting.put("auth.token.enabled", "true");
            trusting.put("auth.token.issuer", "berth-a");
            trusting.put("auth.token.service", "berth-b");
            trusting.put("auth.token.jwks", issuer.uri() + "/token/jwks");
            trusting.put("auth.token.realm", issuer.uri() + "/token");
            try (BerthProcess registry = BerthProcess.start("token-trusting", BerthProcess.Launch.configured(trusting))) {
                HttpResponse<String> challenge = send(registry.uri(), "GET", "/v2/e2e/x/tags/list", null);
                assertThat(challenge.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\""
                        + issuer.uri() + "/token\",service=\"berth-b\",scope=\"repository:e2e/x:pull\"");
                assertThat(send(registry.uri(), "GET", "/token", null).statusCode()).isEqualTo(404);

                String ref = "docker://" + registry.hostPort() + "/e2e/federated:v1";
                skopeo.copy(List.of("--dest-creds", "alice:alice secret"), layout.reference("v1"), ref);
                Path out = dir.resolve("pulled");
                skopeo.copy(List.of("--src-creds", "bob:bob secret"), ref, "oci:" + out + ":v1");
                assertThat(Files.readAllBytes(out.resolve("blobs/sha256")
                        .resolve(Digests.hex(image.manifest().digest()))))
                        .isEqualTo(layout.blob(image.manifest().digest()));
                Tools.Result bobPush = skopeo.tryCopy(List.of("--dest-creds", "bob:bob secret"),
                        layout.reference("v1"), "docker://" + registry.hostPort() + "/e2e/bob:v1");
                assertThat(bobPush.exitCode()).as(bobPush.describe()).isNotZero();
                // A token the issuer made for its own service is no good here.
                String own = token(issuer.uri(), "alice", "alice secret", "repository:e2e/federated:pull");
                assertThat(send(registry.uri(), "GET", "/v2/e2e/federated/manifests/v1", "Bearer " + own)
                        .statusCode()).isEqualTo(401);
                assertThat(Files.readString(issuer.logFile())).contains("token for alice at berth-b");
            }
        }
    }

    // ---- helpers

    private String token(URI registry, String user, String password, String scope) throws Exception {
        HttpResponse<String> response = send(registry, "GET", "/token?service=" + SERVICE + "&scope=" + scope,
                "Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
                        .getBytes(StandardCharsets.UTF_8)));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.body());
        return body.path("token").asText();
    }

    /** Pushes a config blob and a manifest naming it as {@code v1} with {@code authorization}. */
    private void pushTiny(URI registry, String repo, String authorization) throws Exception {
        byte[] config = "{}".getBytes(StandardCharsets.UTF_8);
        String digest = Digests.of(config);
        HttpResponse<String> blob = send(registry, "POST", "/v2/" + repo + "/blobs/uploads/?digest=" + digest,
                authorization, config, null);
        assertThat(blob.statusCode()).as(blob.body()).isEqualTo(201);
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"" + OciLayout.OCI_MANIFEST + "\",\"config\":"
                + "{\"mediaType\":\"" + OciLayout.OCI_CONFIG + "\",\"digest\":\"" + digest + "\",\"size\":2},"
                + "\"layers\":[]}").getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> put = send(registry, "PUT", "/v2/" + repo + "/manifests/v1", authorization, manifest,
                OciLayout.OCI_MANIFEST);
        assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
    }

    private HttpResponse<String> send(URI base, String method, String path, String authorization) throws Exception {
        return send(base, method, path, authorization, null, null);
    }

    private HttpResponse<String> send(URI base, String method, String path, String authorization, byte[] body,
            String contentType) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).header("Accept", MANIFEST_TYPES)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
