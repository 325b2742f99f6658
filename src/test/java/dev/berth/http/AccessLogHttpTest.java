package dev.berth.http;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.spi.ILoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.BerthServer;
import dev.berth.config.BerthConfig;
import dev.berth.config.BerthConfig.LogFormat;
import dev.berth.config.BerthConfig.LogLevel;
import dev.berth.conformance.Client;
import dev.berth.conformance.Digests;
import dev.berth.conformance.Expect;
import dev.berth.conformance.Http;
import dev.berth.observe.LogLevels;
import dev.berth.storage.FaultInjectingStore;
import dev.berth.storage.FaultInjectingStore.Action;
import dev.berth.storage.FaultInjectingStore.Op;
import dev.berth.storage.MemoryStore;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The request log of an in-process Berth: one line per request with what an operator needs (method, route,
 * repository, status, bytes, duration, request id, upload id), as {@code key=value} text or as JSON; the id a
 * client sent, or a new one, both in the line and in the response; and the debug lines of each upload chunk's checks.
 */
class AccessLogHttpTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static BerthServer start(BerthConfig.Log log, FaultInjectingStore store) throws Exception {
        return BerthServer.start(BerthConfig.defaults().withListen("127.0.0.1:0").withLog(log), store);
    }

    @Test
    void aChunkedPushAndAPullLogOneTextLineEachWithEveryField() throws Exception {
        try (CapturedLogs logs = new CapturedLogs();
                BerthServer server = start(BerthConfig.Log.defaults(), new FaultInjectingStore(new MemoryStore()))) {
            Http http = new Http(server.uri());
            byte[] content = Digests.randomBytes(3000);
            Http.Response post = Expect.status(http.post("/v2/logs/text/blobs/uploads/", null), 202);
            String uploadId = post.header("Docker-Upload-UUID");
            Http.Response patch = Expect.status(http.patch(post.header("Location"), content,
                    "Content-Type", "application/octet-stream"), 202);
            Http.Response put = Expect.status(http.put(Http.withQuery(patch.header("Location"),
                    "digest=" + Digests.sha256(content)), null), 201);
            Http.Response get = Expect.status(http.get("/v2/logs/text/blobs/" + Digests.sha256(content)), 200);

            Map<String, String> started = parseText(logs.awaitAccessLine(post.header("X-Request-Id")));
            assertThat(started).containsEntry("method", "POST").containsEntry("route", "blob_upload")
                    .containsEntry("repository", "logs/text").containsEntry("status", "202")
                    .containsEntry("upload_id", uploadId).containsEntry("path", "/v2/logs/text/blobs/uploads/")
                    .containsEntry("client", "127.0.0.1").containsKeys("time", "duration_ms")
                    .doesNotContainKey("user");
            Map<String, String> chunk = parseText(logs.awaitAccessLine(patch.header("X-Request-Id")));
            assertThat(chunk).containsEntry("method", "PATCH").containsEntry("upload_id", uploadId)
                    .containsEntry("bytes_in", "3000").containsEntry("status", "202");
            Map<String, String> completed = parseText(logs.awaitAccessLine(put.header("X-Request-Id")));
            assertThat(completed).containsEntry("method", "PUT").containsEntry("upload_id", uploadId)
                    .containsEntry("status", "201");
            Map<String, String> pulled = parseText(logs.awaitAccessLine(get.header("X-Request-Id")));
            assertThat(pulled).containsEntry("method", "GET").containsEntry("route", "blob")
                    .containsEntry("repository", "logs/text").containsEntry("status", "200")
                    .containsEntry("bytes_in", "0").containsEntry("bytes_out", "3000").doesNotContainKey("upload_id");
            assertThat(pulled.get("duration_ms")).matches("[0-9]+\\.[0-9]{3}");
            assertThat(pulled.get("request_id")).matches("[0-9a-f]{24}");
        }
    }

    @Test
    void jsonLinesAreOneObjectEachWithNumbersAsNumbers() throws Exception {
        try (CapturedLogs logs = new CapturedLogs();
                BerthServer server = start(BerthConfig.Log.defaults().withFormat(LogFormat.JSON),
                        new FaultInjectingStore(new MemoryStore()))) {
            Http http = new Http(server.uri());
            Client.Image image = new Client(http).pushImage("logs/json", "1.0");
            Http.Response get = Expect.status(new Client(http).getManifest("logs/json", "1.0"), 200);
            Http.Response missing = Expect.status(http.get("/v2/logs/json/manifests/absent"), 404);

            JsonNode pulled = JSON.readTree(logs.awaitAccessLine(get.header("X-Request-Id")));
            assertThat(pulled.path("method").asText()).isEqualTo("GET");
            assertThat(pulled.path("route").asText()).isEqualTo("manifest");
            assertThat(pulled.path("repository").asText()).isEqualTo("logs/json");
            assertThat(pulled.path("path").asText()).isEqualTo("/v2/logs/json/manifests/1.0");
            assertThat(pulled.path("status").isInt()).isTrue();
            assertThat(pulled.path("status").asInt()).isEqualTo(200);
            assertThat(pulled.path("bytes_out").asLong()).isEqualTo(image.manifest().bytes().length);
            assertThat(pulled.path("bytes_in").asLong()).isZero();
            assertThat(pulled.path("duration_ms").isNumber()).isTrue();
            assertThat(pulled.path("request_id").asText()).isEqualTo(get.header("X-Request-Id"));
            assertThat(pulled.has("time")).isTrue();
            assertThat(pulled.has("user")).isFalse();
            JsonNode notFound = JSON.readTree(logs.awaitAccessLine(missing.header("X-Request-Id")));
            assertThat(notFound.path("status").asInt()).isEqualTo(404);
            assertThat(logs.accessLines()).allSatisfy(line -> assertThat(JSON.readTree(line).isObject()).isTrue());
        }
    }

    @Test
    void aSaneClientRequestIdIsKeptAndAnyOtherReplaced() throws Exception {
        try (CapturedLogs logs = new CapturedLogs();
                BerthServer server = start(BerthConfig.Log.defaults(), new FaultInjectingStore(new MemoryStore()))) {
            Http http = new Http(server.uri());
            Http.Response kept = http.get("/v2/", "X-Request-Id", "f81d4fae-7dec-11d0-a765-00a0c91e6bf6");
            assertThat(kept.header("X-Request-Id")).isEqualTo("f81d4fae-7dec-11d0-a765-00a0c91e6bf6");
            assertThat(parseText(logs.awaitAccessLine("f81d4fae-7dec-11d0-a765-00a0c91e6bf6")))
                    .containsEntry("route", "base").containsEntry("status", "200");
            Http.Response replaced = http.get("/v2/", "X-Request-Id", "two words\"and=quotes");
            assertThat(replaced.header("X-Request-Id")).matches("[0-9a-f]{24}");
            Http.Response tooLong = http.get("/v2/", "X-Request-Id", "a".repeat(129));
            assertThat(tooLong.header("X-Request-Id")).matches("[0-9a-f]{24}");
            assertThat(String.join("\n", logs.accessLines())).doesNotContain("two words")
                    .doesNotContain("a".repeat(129));
        }
    }

    @Test
    void aPathAClientChoseCannotBreakTheLineOrForgeFields() throws Exception {
        try (CapturedLogs logs = new CapturedLogs();
                BerthServer server = start(BerthConfig.Log.defaults(), new FaultInjectingStore(new MemoryStore()))) {
            Http http = new Http(server.uri());
            Http.Response response = http.get("/v2/x%0Atime=forged%20status=200/manifests/a%22b");
            String line = logs.awaitAccessLine(response.header("X-Request-Id"));
            Map<String, String> fields = parseText(line);
            // The path is logged as it came, still percent-encoded, and quoted because it holds '='.
            assertThat(fields.get("path")).isEqualTo("/v2/x%0Atime=forged%20status=200/manifests/a%22b");
            assertThat(fields.get("status")).isEqualTo(String.valueOf(response.status()));
            assertThat(fields).doesNotContainKey("forged").containsKey("time");
            assertThat(fields.get("time")).doesNotContain("forged");
        }
    }

    @Test
    void anErrorLineWrittenDuringARequestCarriesItsRequestId() throws Exception {
        FaultInjectingStore faults = new FaultInjectingStore(new MemoryStore());
        try (CapturedLogs logs = new CapturedLogs();
                BerthServer server = start(BerthConfig.Log.defaults(), faults)) {
            Http http = new Http(server.uri());
            faults.always(Op.STAT, ".*/_manifests/tags/.*", Action.fail());
            faults.always(Op.GET, ".*/_manifests/tags/.*", Action.fail());
            Http.Response failed = Expect.status(http.get("/v2/logs/mdc/manifests/latest"), 500);
            String id = failed.header("X-Request-Id");
            assertThat(id).isNotNull();
            assertThat(parseText(logs.awaitAccessLine(id))).containsEntry("status", "500");
            List<ILoggingEvent> errors = logs.events().stream()
                    .filter(e -> e.getLevel().toString().equals("ERROR")
                            && e.getLoggerName().startsWith("dev.berth.http")).toList();
            assertThat(errors).isNotEmpty().allSatisfy(e -> assertThat(e.getMDCPropertyMap())
                    .containsEntry("request_id", id));
        }
    }

    @Test
    void withTheRequestLogOffNothingIsLoggedPerRequest() throws Exception {
        try (CapturedLogs logs = new CapturedLogs();
                BerthServer server = start(BerthConfig.Log.defaults().withAccess(false),
                        new FaultInjectingStore(new MemoryStore()))) {
            Http http = new Http(server.uri());
            Http.Response response = Expect.status(http.get("/v2/"), 200);
            new Client(http).pushImage("logs/off", "1.0");
            assertThat(response.header("X-Request-Id")).matches("[0-9a-f]{24}");
            Expect.status(http.get("/metrics"), 200); // after the requests above ended on this connection
            assertThat(logs.accessLines()).isEmpty();
        }
    }

    @Test
    void debugLevelLogsEachChunksChecksWithTheUploadId() throws Exception {
        LogLevel before = LogLevels.apply(LogLevel.DEBUG);
        try (CapturedLogs logs = new CapturedLogs();
                BerthServer server = start(BerthConfig.Log.defaults(), new FaultInjectingStore(new MemoryStore()))) {
            Http http = new Http(server.uri());
            byte[] first = Digests.randomBytes(1000);
            byte[] second = Digests.randomBytes(500);
            Http.Response post = Expect.status(http.post("/v2/logs/debug/blobs/uploads/", null), 202);
            String id = post.header("Docker-Upload-UUID");
            Http.Response one = Expect.status(http.patch(post.header("Location"), first, "Content-Range", "0-999"),
                    202);
            Expect.status(http.patch(one.header("Location"), second, "Content-Range", "1000-1499"), 202);

            List<String> checks = logs.events().stream().map(ILoggingEvent::getFormattedMessage)
                    .filter(m -> m.startsWith("upload " + id + ": chunk")).toList();
            assertThat(checks).hasSize(2);
            assertThat(checks.get(0)).contains("chunk 1 checks: 1000 bytes (Content-Range 0-999")
                    .containsPattern("crc32c [0-9a-f]{8}; the store reports 1000 bytes, crc32c ")
                    .endsWith("1000 bytes hashed so far");
            assertThat(checks.get(1)).contains("chunk 2 checks: 500 bytes (Content-Range 1000-1499")
                    .endsWith("1500 bytes hashed so far");
        } finally {
            LogLevels.apply(before);
        }
    }

    @Test
    void atInfoLevelChunkChecksAreNotLogged() throws Exception {
        LogLevel before = LogLevels.apply(LogLevel.INFO);
        try (CapturedLogs logs = new CapturedLogs();
                BerthServer server = start(BerthConfig.Log.defaults(), new FaultInjectingStore(new MemoryStore()))) {
            Http http = new Http(server.uri());
            Http.Response post = Expect.status(http.post("/v2/logs/info/blobs/uploads/", null), 202);
            Expect.status(http.patch(post.header("Location"), Digests.randomBytes(100)), 202);
            assertThat(logs.events()).noneMatch(e -> e.getFormattedMessage().contains("checks:"));
        } finally {
            LogLevels.apply(before);
        }
    }

    /** The fields of a {@code key=value} line; quoted values unescaped. */
    static Map<String, String> parseText(String line) {
        Map<String, String> fields = new LinkedHashMap<>();
        int i = 0;
        while (i < line.length()) {
            int eq = line.indexOf('=', i);
            String key = line.substring(i, eq);
            StringBuilder value = new StringBuilder();
            int j = eq + 1;
            if (j < line.length() && line.charAt(j) == '"') {
                j++;
                while (line.charAt(j) != '"') {
                    char c = line.charAt(j);
                    if (c == '\\') {
                        char next = line.charAt(j + 1);
                        switch (next) {
                            case 'n' -> value.append('\n');
                            case 'r' -> value.append('\r');
                            case 't' -> value.append('\t');
                            case 'u' -> {
                                value.append((char) Integer.parseInt(line.substring(j + 2, j + 6), 16));
                                j += 4;
                            }
                            default -> value.append(next);
                        }
                        j += 2;
                    } else {
                        value.append(c);
                        j++;
                    }
                }
                j++;
            } else {
                while (j < line.length() && line.charAt(j) != ' ') {
                    value.append(line.charAt(j++));
                }
            }
            if (fields.put(key, value.toString()) != null) {
                throw new AssertionError("key " + key + " twice in " + line);
            }
            i = j + 1;
        }
        return fields;
    }
}
