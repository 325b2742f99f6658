package dev.berth.http;

import static dev.berth.storage.FaultInjectingStore.Op.CONCATENATE;
import static dev.berth.storage.FaultInjectingStore.Op.GET;
import static dev.berth.storage.FaultInjectingStore.Op.MOVE;
import static dev.berth.storage.FaultInjectingStore.Op.PUT;
import static dev.berth.storage.FaultInjectingStore.Op.STAT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.BerthServer;
import dev.berth.config.BerthConfig;
import dev.berth.conformance.Client;
import dev.berth.conformance.Descriptor;
import dev.berth.conformance.Digests;
import dev.berth.conformance.Expect;
import dev.berth.conformance.Http;
import dev.berth.conformance.Manifest;
import dev.berth.conformance.MediaTypes;
import dev.berth.registry.LogCapture;
import dev.berth.registry.Namespace;
import dev.berth.registry.StorageLayout;
import dev.berth.registry.digest.Digest;
import dev.berth.storage.FaultInjectingStore;
import dev.berth.storage.FaultInjectingStore.Action;
import dev.berth.storage.FaultInjectingStore.Rule;
import dev.berth.storage.MemoryStore;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Berth over HTTP on a backend that misbehaves: every fault of the backend reaches the client as an OCI error or
 * an aborted response, never as a success with wrong bytes, and the registry keeps serving throughout.
 */
class FaultyBackendTest {
    private static final Namespace NS = Namespace.DEFAULT;
    private static final int SIZE = 300_000;
    private static final int FIRST = 120_000;
    /** Generous: only a hung request gets near it. */
    private static final Duration BOUND = Duration.ofSeconds(30);
    private static final AtomicInteger REPOSITORIES = new AtomicInteger();

    private static FaultInjectingStore faults;
    private static BerthServer server;
    private static Http http;
    private static Client client;

    @BeforeAll
    static void start() throws Exception {
        faults = new FaultInjectingStore(new MemoryStore());
        server = BerthServer.start(BerthConfig.defaults().withListen("127.0.0.1:0"), faults);
        http = new Http(server.uri());
        client = new Client(http);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @AfterEach
    void clearFaults() {
        faults.clear();
    }

    // ---- chunks

    static Stream<Arguments> chunkFaults() {
        return Stream.of(
                Arguments.of("corrupted", Action.corruptPut(1_000)),
                Arguments.of("truncated", Action.truncatePut(50_000)),
                Arguments.of("store stopped reading early", Action.stopReadingPut(50_000)),
                Arguments.of("wrong crc32c reported", Action.wrongCrc32c()),
                Arguments.of("timed out after storing", Action.failAfterApplying()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("chunkFaults")
    void chunkTheBackendGotWrongIsAnsweredWithAServerErrorAndCanBeResent(String fault, Action action) {
        String repo = repository();
        byte[] data = Digests.randomBytes(SIZE);
        String location = client.startUpload(repo);
        location = patch(location, data, 0, FIRST, 202);
        String id = uploadId(location);
        Rule rule = faults.once(PUT, id + "/chunk-000002$", action);

        try (LogCapture logs = new LogCapture()) {
            Http.Response failed = http.patch(location, Arrays.copyOfRange(data, FIRST, SIZE),
                    "Content-Type", "application/octet-stream", "Content-Range", FIRST + "-" + (SIZE - 1));
            assertServerError(failed);
            assertThat(logs.mentioning(id)).as("a log line naming upload " + id).isNotEmpty();
        }
        assertThat(rule.fired()).isEqualTo(1);
        Http.Response status = Expect.status(http.get(location), 204);
        Expect.header(status, "Range", "0-" + (FIRST - 1));
        assertThat(faults.delegate().stat(StorageLayout.uploadChunk(NS, id, 2))).isEmpty();

        location = patch(location, data, FIRST, SIZE, 202);
        String digest = Digests.sha256(data);
        Expect.status(http.put(Http.withQuery(location, "digest=" + digest), null), 201);
        assertServedCorrectly(repo, digest, data);
    }

    // ---- finalize

    static Stream<Arguments> finalizeFaults() {
        return Stream.of(
                Arguments.of("move fails", MOVE, "/data$", Action.fail()),
                Arguments.of("move loses the blob", MOVE, "/data$", Action.loseTarget()),
                Arguments.of("move corrupts the blob", MOVE, "/data$", Action.corruptTarget()),
                Arguments.of("concatenation is wrong", CONCATENATE, "/assembled$", Action.corruptTarget()),
                Arguments.of("chunk metadata changed", STAT, "/chunk-000001$", Action.wrongCrc32c()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("finalizeFaults")
    void failedFinalizePublishesNothingAndTheWholeUploadCanBeRetried(String fault, FaultInjectingStore.Op op,
            String key, Action action) {
        String repo = repository();
        byte[] data = Digests.randomBytes(SIZE);
        String digest = Digests.sha256(data);
        String location = client.startUpload(repo);
        location = patch(location, data, 0, FIRST, 202);
        location = patch(location, data, FIRST, SIZE, 202);
        String id = uploadId(location);
        Rule rule = faults.once(op, key, action);

        try (LogCapture logs = new LogCapture()) {
            assertServerError(http.put(Http.withQuery(location, "digest=" + digest), null));
            assertThat(logs.mentioning(id)).as("a log line naming upload " + id).isNotEmpty();
        }
        assertThat(rule.fired()).isEqualTo(1);
        Expect.status(http.head("/v2/" + repo + "/blobs/" + digest), 404);
        assertThat(faults.delegate().stat(StorageLayout.blobData(NS, Digest.parse(digest)))).isEmpty();

        // The client starts over, as docker does after a failed push.
        String retry = client.startUpload(repo);
        retry = patch(retry, data, 0, FIRST, 202);
        Expect.status(http.put(Http.withQuery(retry, "digest=" + digest), Arrays.copyOfRange(data, FIRST, SIZE),
                "Content-Type", "application/octet-stream"), 201);
        assertServedCorrectly(repo, digest, data);
    }

    // ---- a backend that stops answering

    @Test
    void backendThatTimesOutFailsTheRequestWhileTheRegistryKeepsServing() throws Exception {
        String repo = repository();
        byte[] existing = Digests.randomBytes(50_000);
        Descriptor pulled = client.pushBlob(repo, MediaTypes.OCI_LAYER, existing);
        byte[] data = Digests.randomBytes(SIZE);
        String location = client.startUpload(repo);
        String id = uploadId(location);
        Rule stall = faults.once(PUT, id + "/chunk-000001$", Action.timeout(BOUND.multipliedBy(2)));

        String stalledAt = location;
        CompletableFuture<Http.Response> stalled = CompletableFuture.supplyAsync(() -> http.patch(stalledAt,
                data, "Content-Type", "application/octet-stream", "Content-Range", "0-" + (SIZE - 1)));
        awaitWithin(() -> stall.fired() == 1, "the chunk put to reach the backend");

        // While one request waits on the backend, others are served: the base endpoint, pulls, and a whole push.
        Expect.status(http.get("/v2/"), 200);
        assertServedCorrectly(repo, pulled.digest(), existing);
        byte[] other = Digests.randomBytes(10_000);
        Descriptor pushed = client.pushBlob(repo, MediaTypes.OCI_LAYER, other);
        assertServedCorrectly(repo, pushed.digest(), other);
        assertThat(stalled).as("the stalled request is still waiting on the backend").isNotDone();

        faults.clear(); // the backend's timeout expires
        assertServerError(stalled.get(BOUND.toSeconds(), TimeUnit.SECONDS));

        Expect.status(http.get("/v2/"), 200);
        assertServedCorrectly(repo, pulled.digest(), existing);
        Expect.header(Expect.status(http.get(location), 204), "Range", "0-0");
        location = patch(location, data, 0, SIZE, 202);
        String digest = Digests.sha256(data);
        Expect.status(http.put(Http.withQuery(location, "digest=" + digest), null), 201);
        assertServedCorrectly(repo, digest, data);
    }

    @Test
    void blobReadThatTimesOutIsAnsweredWithAServerErrorBeforeAnyByte() {
        String repo = repository();
        byte[] content = Digests.randomBytes(10_000);
        Descriptor blob = client.pushBlob(repo, MediaTypes.OCI_LAYER, content);
        faults.once(GET, "/data$", Action.timeout(Duration.ofMillis(200)));

        Http.Response failed = http.get("/v2/" + repo + "/blobs/" + blob.digest());

        assertServerError(failed);
        // Nothing of the blob's success headers may stick to the error.
        assertThat(failed.header("Docker-Content-Digest")).isNull();
        assertThat(failed.header("Cache-Control")).isNull();
        assertServedCorrectly(repo, blob.digest(), content);
    }

    // ---- reads that break mid-stream

    static Stream<Arguments> brokenReads() {
        return Stream.of(
                Arguments.of("fails mid-stream", Action.failGetAfter(100_000)),
                Arguments.of("ends short", Action.truncateGet(100_000)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenReads")
    void blobReadThatBreaksMidStreamIsAbortedNotCompleted(String fault, Action action) {
        String repo = repository();
        byte[] content = Digests.randomBytes(SIZE);
        Descriptor blob = client.pushBlob(repo, MediaTypes.OCI_LAYER, content);
        Rule rule = faults.once(GET, "/data$", action);

        // java.net.http checks the body against Content-Length: a short body is an error, not a response.
        assertThatThrownBy(() -> http.get("/v2/" + repo + "/blobs/" + blob.digest()))
                .isInstanceOf(UncheckedIOException.class);
        assertThat(rule.fired()).isEqualTo(1);
        assertServedCorrectly(repo, blob.digest(), content);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenReads")
    void rangedBlobReadThatBreaksMidStreamIsAbortedNotCompleted(String fault, Action action) {
        String repo = repository();
        byte[] content = Digests.randomBytes(SIZE);
        Descriptor blob = client.pushBlob(repo, MediaTypes.OCI_LAYER, content);
        faults.once(GET, "/data$", action);

        assertThatThrownBy(() -> http.get("/v2/" + repo + "/blobs/" + blob.digest(), "Range", "bytes=1000-250000"))
                .isInstanceOf(UncheckedIOException.class);
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void curlSeesABrokenBlobReadAsAnIncompleteTransfer(boolean failMidStream) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/curl")), "curl is not installed");
        String repo = repository();
        byte[] content = Digests.randomBytes(SIZE);
        Descriptor blob = client.pushBlob(repo, MediaTypes.OCI_LAYER, content);
        faults.once(GET, "/data$", failMidStream ? Action.failGetAfter(100_000) : Action.truncateGet(100_000));

        Process curl = new ProcessBuilder("/usr/bin/curl", "-sS", "-o", "/dev/null", "-w", "%{http_code} %{size_download}",
                http.resolve("/v2/" + repo + "/blobs/" + blob.digest()).toString())
                .redirectErrorStream(true)
                .start();
        assertThat(curl.waitFor(BOUND.toSeconds(), TimeUnit.SECONDS)).as("curl finished").isTrue();
        String output = new String(curl.getInputStream().readAllBytes());

        // 18: "partial file", the transfer ended before Content-Length bytes arrived.
        assertThat(curl.exitValue()).as("curl's exit code; it printed: " + output).isEqualTo(18);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenReads")
    void manifestReadThatBreaksIsNeverServedAsAWholeManifest(String fault, Action action) {
        String repo = repository();
        Client.Image image = client.pushImage(repo, "v1");
        Manifest manifest = image.manifest();
        faults.once(GET, "/" + manifest.digest().substring("sha256:".length()) + "/data$",
                fault.startsWith("fails") ? Action.failGetAfter(10) : Action.truncateGet(10));

        // Manifests are read whole and checked against their digest before a byte is sent.
        assertServerError(client.getManifest(repo, "v1"));
        Expect.body(Expect.status(client.getManifest(repo, "v1"), 200), manifest.bytes());
    }

    // ---- helpers

    private static String repository() {
        return "faults/repo-" + REPOSITORIES.incrementAndGet();
    }

    /** PATCHes bytes {@code from} to {@code to} with a Content-Range, expects {@code status}, returns the new Location. */
    private static String patch(String location, byte[] data, int from, int to, int status) {
        Http.Response response = Expect.status(http.patch(location, Arrays.copyOfRange(data, from, to),
                "Content-Type", "application/octet-stream", "Content-Range", from + "-" + (to - 1)), status);
        Expect.header(response, "Range", "0-" + (to - 1));
        return Expect.header(response, "Location");
    }

    private static String uploadId(String location) {
        String path = location.replaceAll("\\?.*", "");
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /** A 5xx with an OCI-shaped JSON error body: the backend failed, and the client is told so. */
    private static void assertServerError(Http.Response response) {
        assertThat(response.status()).as(response.describe()).isBetween(500, 599);
        assertThat(response.mediaType()).as(response.describe()).isEqualTo("application/json");
        JsonNode errors = response.json().get("errors");
        assertThat(errors).as(response.describe()).isNotNull();
        assertThat(errors.isArray() && !errors.isEmpty()).as(response.describe()).isTrue();
        assertThat(errors.get(0).path("code").asText()).as(response.describe()).isNotEmpty();
    }

    private static void assertServedCorrectly(String repo, String digest, byte[] content) {
        Http.Response get = Expect.status(http.get("/v2/" + repo + "/blobs/" + digest), 200);
        Expect.body(get, content);
        assertThat(Digests.sha256(get.body())).isEqualTo(digest);
    }

    private static void awaitWithin(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waited " + BOUND + " for " + what);
            }
            Thread.sleep(10);
        }
    }
}
