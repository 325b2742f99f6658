package dev.berth.observe;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** How the request log writes a line: fields, quoting, escaping and the cap on long values. */
class AccessLogTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long NOON = 1_767_268_800_000L; // 2026-01-01T12:00:00Z

    private static AccessEntry entry(String path, String repository, String user) {
        return new AccessEntry(NOON + 5, "abc123", "10.0.0.7", user, "GET", Route.MANIFEST, repository, path, null,
                200, 0, 1234, 842_513, false);
    }

    @Test
    void aTextLineHasItsFieldsInAFixedOrderAndLeavesOutThoseAbsent() {
        assertThat(AccessLog.text(entry("/v2/team/app/manifests/1.0", "team/app", "alice"))).isEqualTo(
                "time=2026-01-01T12:00:00.005Z request_id=abc123 client=10.0.0.7 user=alice method=GET route=manifest"
                        + " repository=team/app path=/v2/team/app/manifests/1.0 status=200 bytes_in=0 bytes_out=1234"
                        + " duration_ms=0.842");
    }

    @Test
    void textValuesWithSpacesQuotesOrControlCharactersAreQuotedAndEscaped() {
        String line = AccessLog.text(entry("/v2/a b\"c\\d\ne\u0001", null, null));
        assertThat(line).contains(" path=\"/v2/a b\\\"c\\\\d\\ne\\u0001\" ").doesNotContain("\n")
                .doesNotContain("repository=").doesNotContain("user=");
    }

    @Test
    void aJsonLineIsOneObjectThatReadsBackToTheSameValues() throws Exception {
        AccessEntry e = new AccessEntry(NOON, "id-1", "::1", "bob", "PATCH", Route.BLOB_UPLOAD, "x/y",
                "/v2/x/y/blobs/uploads/u\n\"1\"", "u-1", 202, 4096, 0, 12_000_000_001L, true);
        String line = AccessLog.json(e);
        assertThat(line).doesNotContain("\n");
        JsonNode json = JSON.readTree(line);
        assertThat(json.path("time").asText()).isEqualTo("2026-01-01T12:00:00.000Z");
        assertThat(json.path("path").asText()).isEqualTo("/v2/x/y/blobs/uploads/u\n\"1\"");
        assertThat(json.path("upload_id").asText()).isEqualTo("u-1");
        assertThat(json.path("route").asText()).isEqualTo("blob_upload");
        assertThat(json.path("status").asInt()).isEqualTo(202);
        assertThat(json.path("bytes_in").asLong()).isEqualTo(4096);
        assertThat(json.path("duration_ms").decimalValue()).isEqualByComparingTo("12000.000");
        assertThat(json.path("aborted").asBoolean()).isTrue();
    }

    @Test
    void aVeryLongValueIsCut() {
        String line = AccessLog.text(entry("/v2/" + "a".repeat(5000), null, null));
        assertThat(line.length()).isLessThan(AccessLog.MAX_VALUE + 300);
        assertThat(line).contains("a...");
    }

    @Test
    void requestIdsFromClientsAreKeptOnlyWhenPlainAndShort() {
        assertThat(RequestIds.acceptOrCreate("f81d4fae-7dec-11d0-a765-00a0c91e6bf6"))
                .isEqualTo("f81d4fae-7dec-11d0-a765-00a0c91e6bf6");
        assertThat(RequestIds.acceptOrCreate("1-5759e988:bd862e3f.x_y")).isEqualTo("1-5759e988:bd862e3f.x_y");
        assertThat(RequestIds.acceptOrCreate("Root=1-5759e988")).matches("[0-9a-f]{24}");
        assertThat(RequestIds.acceptOrCreate(null)).matches("[0-9a-f]{24}");
        assertThat(RequestIds.acceptOrCreate("")).matches("[0-9a-f]{24}");
        assertThat(RequestIds.acceptOrCreate("has space")).matches("[0-9a-f]{24}");
        assertThat(RequestIds.acceptOrCreate("x".repeat(RequestIds.MAX_LENGTH))).hasSize(RequestIds.MAX_LENGTH);
        assertThat(RequestIds.acceptOrCreate("x".repeat(RequestIds.MAX_LENGTH + 1))).matches("[0-9a-f]{24}");
        assertThat(RequestIds.create()).isNotEqualTo(RequestIds.create());
    }

    @Test
    void aPathsShapeNamesItsRouteForRequestsRefusedBeforeRouting() {
        assertThat(Route.ofPath("/v2/")).isEqualTo(Route.BASE);
        assertThat(Route.ofPath("/v2/_catalog")).isEqualTo(Route.CATALOG);
        assertThat(Route.ofPath("/v2/a/b/blobs/uploads/")).isEqualTo(Route.BLOB_UPLOAD);
        assertThat(Route.ofPath("/v2/a/blobs/uploads/123")).isEqualTo(Route.BLOB_UPLOAD);
        assertThat(Route.ofPath("/v2/a/blobs/sha256:ab")).isEqualTo(Route.BLOB);
        assertThat(Route.ofPath("/v2/a/manifests/latest")).isEqualTo(Route.MANIFEST);
        assertThat(Route.ofPath("/v2/a/tags/list")).isEqualTo(Route.TAGS);
        assertThat(Route.ofPath("/v2/a/referrers/sha256:ab")).isEqualTo(Route.REFERRERS);
        assertThat(Route.ofPath("/token")).isEqualTo(Route.TOKEN);
        assertThat(Route.ofPath("/favicon.ico")).isEqualTo(Route.OTHER);
    }
}
