package dev.berth.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.BerthServer;
import dev.berth.auth.HtpasswdEditor;
import dev.berth.config.BerthConfig.AccessRule;
import dev.berth.config.BerthConfig.LogFormat;
import dev.berth.config.BerthConfig.LogLevel;
import dev.berth.config.BerthConfig;
import dev.berth.conformance.Digests;
import dev.berth.observe.LogLevels;
import dev.berth.storage.MemoryStore;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Credentials never reach a log: a registry with users and tokens is driven with Basic credentials, wrong passwords,
 * the token endpoint in both of its forms, refresh tokens, bearer tokens good and bad, and a password put in a query
 * string, with Berth's loggers at debug; then every captured line (messages, arguments, logging context, exceptions)
 * is searched for each secret, in its plain and its Base64 form. The request log still names the user.
 */
class SecretsInLogsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SERVICE = "berth-secrets";

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @ParameterizedTest
    @EnumSource(LogFormat.class)
    void noPasswordOrTokenAppearsInAnyLogLine(LogFormat format, @TempDir Path dir) throws Exception {
        String password = "pw-" + HexFormat.of().formatHex(Digests.randomBytes(12));
        String wrongPassword = "wrong-" + HexFormat.of().formatHex(Digests.randomBytes(12));
        String queryPassword = "query-" + HexFormat.of().formatHex(Digests.randomBytes(12));
        String forgedToken = "eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJtYWxsb3J5In0." + HexFormat.of().formatHex(
                Digests.randomBytes(16));
        Path htpasswd = dir.resolve("users.htpasswd");
        HtpasswdEditor.put(htpasswd, "alice", password.toCharArray());
        BerthConfig config = BerthConfig.defaults().withListen("127.0.0.1:0")
                .withLog(BerthConfig.Log.defaults().withFormat(format))
                .withAuth(Optional.of(new BerthConfig.Auth(Optional.of(htpasswd), false,
                        BerthConfig.Token.defaults().withEnabled(true).withService(SERVICE), Map.of(),
                        List.of(new AccessRule("team/*", List.of("alice"), List.of(), List.of("pull", "push"))))));
        List<String> secrets = new ArrayList<>();
        LogLevel before = LogLevels.apply(LogLevel.DEBUG);
        try (CapturedLogs logs = new CapturedLogs(); BerthServer server = BerthServer.start(config, new MemoryStore())) {
            URI base = server.uri();
            String basic = basic("alice", password);
            String wrongBasic = basic("alice", wrongPassword);
            String scope = "repository:team/app:pull,push";

            assertThat(send(base, "GET", "/v2/", basic, null, null).statusCode()).isEqualTo(200);
            assertThat(send(base, "GET", "/v2/", wrongBasic, null, null).statusCode()).isEqualTo(401);
            HttpResponse<String> viaGet = send(base, "GET", "/token?service=" + SERVICE + "&scope=" + scope, basic,
                    null, null);
            assertThat(viaGet.statusCode()).isEqualTo(200);
            String getToken = JSON.readTree(viaGet.body()).path("token").asText();
            HttpResponse<String> viaPost = send(base, "POST", "/token", null, form(Map.of("grant_type", "password",
                    "username", "alice", "password", password, "service", SERVICE, "scope", scope,
                    "access_type", "offline")), "application/x-www-form-urlencoded");
            assertThat(viaPost.statusCode()).isEqualTo(200);
            JsonNode posted = JSON.readTree(viaPost.body());
            String postToken = posted.path("access_token").asText();
            String refresh = posted.path("refresh_token").asText();
            HttpResponse<String> refreshed = send(base, "POST", "/token", null, form(Map.of(
                    "grant_type", "refresh_token", "refresh_token", refresh, "service", SERVICE, "scope", scope)),
                    "application/x-www-form-urlencoded");
            assertThat(refreshed.statusCode()).isEqualTo(200);
            String refreshedToken = JSON.readTree(refreshed.body()).path("access_token").asText();
            assertThat(send(base, "POST", "/token", null, form(Map.of("grant_type", "password",
                    "username", "alice", "password", wrongPassword, "service", SERVICE, "scope", scope)),
                    "application/x-www-form-urlencoded").statusCode()).isEqualTo(401);
            assertThat(send(base, "GET", "/token?service=" + SERVICE + "&password=" + queryPassword, wrongBasic,
                    null, null).statusCode()).isEqualTo(401);

            // a blob pushed and pulled with a bearer token
            byte[] content = Digests.randomBytes(2000);
            HttpResponse<String> pushed = send(base, "POST", "/v2/team/app/blobs/uploads/?digest="
                    + Digests.sha256(content), "Bearer " + postToken, content, "application/octet-stream");
            assertThat(pushed.statusCode()).isEqualTo(201);
            assertThat(send(base, "GET", "/v2/team/app/blobs/" + Digests.sha256(content), "Bearer " + getToken,
                    null, null).statusCode()).isEqualTo(200);
            assertThat(send(base, "GET", "/v2/team/app/tags/list?password=" + queryPassword,
                    "Bearer " + refreshedToken, null, null).statusCode()).isIn(200, 404);
            assertThat(send(base, "GET", "/v2/team/app/tags/list", "Bearer " + forgedToken, null, null)
                    .statusCode()).isEqualTo(401);
            String pushId = pushed.headers().firstValue("X-Request-Id").orElseThrow();

            secrets.addAll(List.of(password, wrongPassword, queryPassword, forgedToken, getToken, postToken, refresh,
                    refreshedToken, basic.substring("Basic ".length()), wrongBasic.substring("Basic ".length())));
            String pushLine = logs.awaitAccessLine(pushId);
            assertThat(pushLine).contains(format == LogFormat.JSON ? "\"user\":\"alice\"" : "user=alice");
            assertThat(logs.accessLines()).anySatisfy(line -> assertThat(line).contains("token"));
            List<String> everything = logs.allText();
            assertThat(everything).hasSizeGreaterThan(10);
            for (String line : everything) {
                for (String secret : secrets) {
                    assertThat(line).as("a log line").doesNotContain(secret);
                }
            }
        } finally {
            LogLevels.apply(before);
        }
        assertThat(secrets).allSatisfy(secret -> assertThat(secret).hasSizeGreaterThan(20));
    }

    @org.junit.jupiter.api.Test
    void aPasswordWrittenIntoAWebhookUrlNeverReachesTheLog() throws Exception {
        String password = "hook-" + HexFormat.of().formatHex(Digests.randomBytes(12));
        BerthConfig config = BerthConfig.defaults().withListen("127.0.0.1:0").withNotifications(
                new BerthConfig.Notifications(List.of(BerthConfig.NotificationEndpoint.to("audit",
                        "http://hooks:" + password + "@127.0.0.1:9/registry"))));
        try (CapturedLogs logs = new CapturedLogs(); BerthServer server = BerthServer.start(config, new MemoryStore())) {
            List<String> everything = logs.allText();
            assertThat(everything).anySatisfy(line -> assertThat(line).contains("events: endpoint audit")
                    .contains("<redacted>@127.0.0.1:9/registry"));
            assertThat(everything).allSatisfy(line -> assertThat(line).doesNotContain(password));
        }
    }

    private HttpResponse<String> send(URI base, String method, String path, String authorization, byte[] body,
            String contentType) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
                .getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] form(Map<String, String> fields) {
        StringBuilder text = new StringBuilder();
        fields.forEach((name, value) -> text.append(text.isEmpty() ? "" : "&").append(name).append('=')
                .append(URLEncoder.encode(value, StandardCharsets.UTF_8)));
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }
}
