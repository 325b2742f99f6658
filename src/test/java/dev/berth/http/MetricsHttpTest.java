package dev.berth.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.BerthServer;
import dev.berth.config.BerthConfig;
import dev.berth.conformance.Client;
import dev.berth.conformance.Descriptor;
import dev.berth.conformance.Digests;
import dev.berth.conformance.Expect;
import dev.berth.conformance.Http;
import dev.berth.conformance.MediaTypes;
import dev.berth.registry.Namespace;
import dev.berth.registry.StorageLayout;
import dev.berth.registry.digest.Digest;
import dev.berth.storage.FaultInjectingStore;
import dev.berth.storage.FaultInjectingStore.Action;
import dev.berth.storage.FaultInjectingStore.Op;
import dev.berth.storage.FilesystemStore;
import dev.berth.storage.MemoryStore;
import dev.berth.storage.ObjectInfo;
import dev.berth.storage.PutCondition;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /metrics} and {@code /readyz} of an in-process Berth on a backend that can be made to fail: pushes, pulls,
 * failed uploads, store failures and corrupt stored bytes each move the counters they should, by exactly as much.
 * Counters are shared by the tests of this class, so each compares a scrape before with one after.
 */
class MetricsHttpTest {
    private static final AtomicInteger REPOSITORIES = new AtomicInteger();
    private static final Set<String> ROUTES = Set.of("base", "catalog", "blob", "blob_upload", "manifest", "tags",
            "referrers", "token", "other");

    private static FaultInjectingStore faults;
    private static BerthServer server;
    private static Http http;
    private static Client client;

    @BeforeAll
    static void start() throws Exception {
        faults = new FaultInjectingStore(new MemoryStore());
        BerthConfig config = BerthConfig.defaults().withListen("127.0.0.1:0")
                .withAdmin(BerthConfig.Admin.defaults().withReadinessTimeout(Duration.ofSeconds(1))
                        .withReadinessCache(Duration.ZERO));
        server = BerthServer.start(config, faults);
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

    private static String repository() {
        return "metrics/repo-" + REPOSITORIES.incrementAndGet();
    }

    private static MetricsScrape scrape() {
        Http.Response response = Expect.status(http.get("/metrics"), 200);
        assertThat(response.header("Content-Type")).startsWith("text/plain; version=0.0.4");
        return MetricsScrape.parse(response.text());
    }

    @Test
    void aPushAndAPullCountRequestsByRouteMethodAndStatusWithTheirBytes() {
        String repo = repository();
        MetricsScrape before = scrape();
        Client.Image image = client.pushImage(repo, "1.0");
        Expect.status(client.getManifest(repo, "1.0"), 200);
        Expect.status(client.headManifest(repo, "1.0"), 200);
        Expect.status(client.getManifest(repo, "absent"), 404);
        Expect.status(http.get("/v2/" + repo + "/blobs/" + image.layer().digest()), 200);
        MetricsScrape after = scrape();

        long manifestSize = image.manifest().bytes().length;
        long blobBytes = image.config().size() + image.layer().size();
        assertThat(delta(before, after, "berth_http_requests_total", "route=blob_upload", "method=POST",
                "status=202")).isEqualTo(2);
        assertThat(delta(before, after, "berth_http_requests_total", "route=blob_upload", "method=PUT",
                "status=201")).isEqualTo(2);
        assertThat(delta(before, after, "berth_http_requests_total", "route=manifest", "method=PUT", "status=201"))
                .isEqualTo(1);
        assertThat(delta(before, after, "berth_http_requests_total", "route=manifest", "method=GET", "status=200"))
                .isEqualTo(1);
        assertThat(delta(before, after, "berth_http_requests_total", "route=manifest", "method=HEAD", "status=200"))
                .isEqualTo(1);
        assertThat(delta(before, after, "berth_http_requests_total", "route=manifest", "method=GET", "status=404"))
                .isEqualTo(1);
        assertThat(delta(before, after, "berth_http_requests_total", "route=blob", "method=GET", "status=200"))
                .isEqualTo(1);
        assertThat(delta(before, after, "berth_http_request_duration_seconds_count", "route=manifest",
                "method=GET")).isEqualTo(2);
        assertThat(delta(before, after, "berth_http_request_bytes_total", "route=blob_upload")).isEqualTo(blobBytes);
        assertThat(delta(before, after, "berth_http_request_bytes_total", "route=manifest")).isEqualTo(manifestSize);
        assertThat(delta(before, after, "berth_http_response_bytes_total", "route=blob"))
                .isEqualTo(image.layer().size());
        assertThat(delta(before, after, "berth_uploads_started_total")).isEqualTo(2);
        assertThat(delta(before, after, "berth_uploads_completed_total")).isEqualTo(2);
        assertThat(delta(before, after, "berth_storage_operation_duration_seconds_count", "backend=memory",
                "operation=put")).isPositive();
    }

    @Test
    void labelsNameOnlyTheFixedRoutesNeverAPathOrRepository() {
        String repo = repository();
        client.pushImage(repo, "labels");
        Expect.status(http.get("/not/a/registry/path"), 404);
        MetricsScrape scrape = scrape();
        assertThat(scrape.labelValues("route")).isSubsetOf(ROUTES).contains("other", "manifest");
        assertThat(scrape.text()).doesNotContain(repo).doesNotContain("/not/a");
    }

    @Test
    void theJvmsOwnMetricsFollowBerths() {
        MetricsScrape scrape = scrape();
        assertThat(scrape.has("jvm_memory_used_bytes")).isTrue();
        assertThat(scrape.has("process_cpu_seconds_total")).isTrue();
        assertThat(scrape.text().indexOf("# TYPE berth_")).isLessThan(scrape.text().indexOf("# TYPE jvm_"));
    }

    @Test
    void aRefusedRequestIsCountedUnderItsRouteAndAnUnusualMethodAsOther() {
        MetricsScrape before = scrape();
        Expect.status(http.get("/v2/" + repository() + "/tags/list?n=x"), 400);
        Expect.status(http.send("OPTIONS", "/v2/" + repository() + "/referrers/" + Digests.unknownSha256(), null),
                405);
        MetricsScrape after = scrape();
        assertThat(delta(before, after, "berth_http_requests_total", "route=tags", "method=GET", "status=400"))
                .isEqualTo(1);
        assertThat(delta(before, after, "berth_http_requests_total", "route=referrers", "method=OTHER",
                "status=405")).isEqualTo(1);
    }

    @Test
    void uploadsCountStartedCompletedCancelledAndFailedByReason() {
        String repo = repository();
        MetricsScrape before = scrape();
        byte[] content = Digests.randomBytes(1000);
        // a chunked upload whose digest is wrong: started, then failed for its digest
        String wrong = client.startUpload(repo);
        Expect.status(http.patch(wrong, content, "Content-Type", "application/octet-stream",
                "Content-Range", "0-999"), 202);
        Expect.error(http.put(Http.withQuery(wrong, "digest=" + Digests.sha256("other".getBytes(
                StandardCharsets.UTF_8))), null), 400, "DIGEST_INVALID");
        // one cancelled
        String cancelled = client.startUpload(repo);
        Expect.status(http.delete(cancelled), 204);
        // one right
        client.pushBlob(repo, MediaTypes.OCI_LAYER, content);
        MetricsScrape after = scrape();

        assertThat(delta(before, after, "berth_uploads_started_total")).isEqualTo(3);
        assertThat(delta(before, after, "berth_uploads_completed_total")).isEqualTo(1);
        assertThat(delta(before, after, "berth_uploads_cancelled_total")).isEqualTo(1);
        assertThat(delta(before, after, "berth_uploads_failed_total", "reason=digest")).isEqualTo(1);
        assertThat(delta(before, after, "berth_uploads_failed_total", "reason=integrity")).isZero();
        assertThat(delta(before, after, "berth_http_requests_total", "route=blob_upload", "method=PATCH",
                "status=202")).isEqualTo(1);
        assertThat(delta(before, after, "berth_http_requests_total", "route=blob_upload", "method=PUT",
                "status=400")).isEqualTo(1);
        assertThat(delta(before, after, "berth_http_requests_total", "route=blob_upload", "method=DELETE",
                "status=204")).isEqualTo(1);
    }

    @Test
    void aStoreFailureIsCountedAsAnErrorOfItsBackendAndOperation() {
        String repo = repository();
        MetricsScrape before = scrape();
        faults.once(Op.PUT, ".*/chunk-.*", Action.fail());
        String location = client.startUpload(repo);
        Expect.status(http.patch(location, Digests.randomBytes(100), "Content-Type", "application/octet-stream"),
                500);
        MetricsScrape after = scrape();
        assertThat(delta(before, after, "berth_storage_errors_total", "backend=memory", "operation=put"))
                .isEqualTo(1);
        assertThat(delta(before, after, "berth_storage_errors_total")).isEqualTo(1);
        assertThat(delta(before, after, "berth_http_requests_total", "route=blob_upload", "method=PATCH",
                "status=500")).isEqualTo(1);
    }

    @Test
    void aMissingObjectIsAnAnswerNotAStoreError() {
        MetricsScrape before = scrape();
        Expect.status(http.get("/v2/" + repository() + "/blobs/" + Digests.unknownSha256()), 404);
        MetricsScrape after = scrape();
        assertThat(delta(before, after, "berth_storage_errors_total")).isZero();
    }

    @Test
    void aChunkTheStoreKeptWronglyIsAnIntegrityFailure() {
        String repo = repository();
        MetricsScrape before = scrape();
        faults.once(Op.PUT, ".*/chunk-.*", Action.wrongCrc32c());
        String location = client.startUpload(repo);
        Expect.status(http.patch(location, Digests.randomBytes(100), "Content-Type", "application/octet-stream"),
                500);
        MetricsScrape after = scrape();
        assertThat(delta(before, after, "berth_integrity_failures_total", "check=upload_chunk")).isEqualTo(1);
    }

    @Test
    void anAssembledBlobTheStoreGotWrongFailsTheUploadForIntegrity() {
        String repo = repository();
        MetricsScrape before = scrape();
        faults.once(Op.CONCATENATE, ".*", Action.corruptTarget());
        String location = client.startUpload(repo);
        byte[] first = Digests.randomBytes(100);
        byte[] second = Digests.randomBytes(100);
        location = Expect.header(Expect.status(http.patch(location, first, "Content-Type",
                "application/octet-stream", "Content-Range", "0-99"), 202), "Location");
        location = Expect.header(Expect.status(http.patch(location, second, "Content-Type",
                "application/octet-stream", "Content-Range", "100-199"), 202), "Location");
        byte[] whole = new byte[200];
        System.arraycopy(first, 0, whole, 0, 100);
        System.arraycopy(second, 0, whole, 100, 100);
        Expect.status(http.put(Http.withQuery(location, "digest=" + Digests.sha256(whole)), null), 500);
        MetricsScrape after = scrape();
        assertThat(delta(before, after, "berth_integrity_failures_total", "check=upload_publish")).isEqualTo(1);
        assertThat(delta(before, after, "berth_uploads_failed_total", "reason=integrity")).isEqualTo(1);
    }

    @Test
    void storedBytesThatNoLongerMatchTheirDigestAreCountedWhenRead() {
        String repo = repository();
        // Larger than one write, so the response has begun when the last bytes are withheld.
        Descriptor layer = client.pushBlob(repo, MediaTypes.OCI_LAYER, Digests.randomBytes(1 << 20));
        Client.Image image = client.pushImage(repo, "corrupt");
        flipFirstByte(layer.digest());
        flipFirstByte(image.manifest().digest());
        MetricsScrape before = scrape();
        // The first full read of a blob is verified: its last bytes are withheld and the response aborted.
        Http.Response blob = tryGet("/v2/" + repo + "/blobs/" + layer.digest());
        assertThat(blob == null || blob.body().length < layer.size()).isTrue();
        Expect.status(client.getManifest(repo, image.manifest().digest()), 500);
        MetricsScrape after = scrape();
        assertThat(delta(before, after, "berth_integrity_failures_total", "check=blob_read")).isEqualTo(1);
        assertThat(delta(before, after, "berth_blob_reads_verified_total", "result=failed")).isEqualTo(1);
        assertThat(delta(before, after, "berth_integrity_failures_total", "check=manifest_read")).isEqualTo(1);
        assertThat(delta(before, after, "berth_http_responses_aborted_total", "route=blob")).isEqualTo(1);
    }

    @Test
    void readinessIs503WithItsReasonWhileTheStoreFailsAnd200Again() {
        Expect.status(http.get("/readyz"), 200);
        faults.always(Op.STAT, "berth-readiness-probe", Action.fail());
        Http.Response failing = Expect.status(http.get("/readyz"), 503);
        assertThat(failing.json().path("status").asText()).isEqualTo("unready");
        assertThat(failing.json().path("reason").asText()).startsWith("the store failed");
        Expect.status(http.get("/healthz"), 200);
        faults.clear();
        Http.Response ready = Expect.status(http.get("/readyz"), 200);
        assertThat(ready.json().path("status").asText()).isEqualTo("ready");
    }

    @Test
    void readinessIs503WhenTheStoreDoesNotAnswerInTime() {
        faults.always(Op.STAT, "berth-readiness-probe", Action.timeout(Duration.ofSeconds(60)));
        Http.Response stalled = Expect.status(http.get("/readyz"), 503);
        assertThat(stalled.json().path("reason").asText()).isEqualTo("the store did not answer within 1000 ms");
        faults.clear(); // releases the stalled call
        awaitStatus("/readyz", 200);
    }

    @Test
    void theAdminEndpointsAnswerOnlyGetAndHead() {
        Http.Response post = Expect.status(http.post("/metrics", new byte[0]), 405);
        assertThat(post.header("Allow")).isEqualTo("GET, HEAD");
        Expect.status(http.head("/healthz"), 200);
    }

    @Test
    void gcRunsAndWhatTheyFreedAreCounted(@TempDir Path root) throws Exception {
        // The filesystem keeps a moved object's age, which the collector's last check before deleting relies on.
        FilesystemStore store = new FilesystemStore(root);
        BerthConfig config = BerthConfig.defaults().withListen("127.0.0.1:0")
                .withLifecycle(BerthConfig.defaults().lifecycle().withGc(new BerthConfig.Gc(
                        java.util.Optional.of(Duration.ofSeconds(1)), Duration.ZERO, false)));
        try (BerthServer gcServer = BerthServer.start(config, store)) {
            Http gcHttp = new Http(gcServer.uri());
            // An untagged, unreferenced blob: the next collection frees it.
            byte[] garbage = Digests.randomBytes(3000);
            new Client(gcHttp).pushBlob("gc/repo", MediaTypes.OCI_LAYER, garbage);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            MetricsScrape scrape = MetricsScrape.parse(Expect.status(gcHttp.get("/metrics"), 200).text());
            while (scrape.sum("berth_gc_freed_bytes_total") < garbage.length && System.nanoTime() < deadline) {
                Thread.sleep(200);
                scrape = MetricsScrape.parse(Expect.status(gcHttp.get("/metrics"), 200).text());
            }
            assertThat(scrape.sum("berth_gc_runs_total", "outcome=completed")).isGreaterThanOrEqualTo(1);
            assertThat(scrape.sum("berth_gc_freed_bytes_total")).isGreaterThanOrEqualTo(garbage.length);
            assertThat(scrape.sum("berth_gc_deleted_objects_total")).isGreaterThanOrEqualTo(1);
            assertThat(scrape.sum("berth_gc_last_completed_timestamp_seconds")).isPositive();
            assertThat(scrape.sum("berth_gc_runs_total", "outcome=failed")).isZero();
        }
    }

    @Test
    void withMetricsOffThereIsNoMetricsEndpointButHealthRemains() throws Exception {
        BerthConfig config = BerthConfig.defaults().withListen("127.0.0.1:0")
                .withAdmin(BerthConfig.Admin.defaults().withMetrics(false));
        try (BerthServer plain = BerthServer.start(config, new MemoryStore())) {
            Http plainHttp = new Http(plain.uri());
            Expect.status(plainHttp.get("/metrics"), 404);
            Expect.status(plainHttp.get("/healthz"), 200);
            Expect.status(plainHttp.get("/readyz"), 200);
            new Client(plainHttp).pushImage("plain/repo", "1.0");
        }
    }

    private static double delta(MetricsScrape before, MetricsScrape after, String name, String... labels) {
        return after.sum(name, labels) - before.sum(name, labels);
    }

    /**
     * Overwrites the stored bytes of {@code digest} with the same number of bytes, the first one flipped, while the
     * store goes on reporting the CRC32C written with the original bytes, as bit rot would leave them.
     */
    private static void flipFirstByte(String digest) {
        String key = StorageLayout.blobData(Namespace.DEFAULT, Digest.parse(digest));
        String written = faults.delegate().stat(key).orElseThrow().crc32c();
        byte[] bytes = faults.delegate().read(key);
        bytes[0] ^= 1;
        faults.delegate().put(key, bytes, PutCondition.always());
        faults.always(Op.STAT, Pattern.quote(key), Action.misreport(info -> new ObjectInfo(info.key(), info.size(),
                info.etag(), info.lastModified(), written)));
    }

    /** The response, or null when the server cut it off so that the client saw no complete response. */
    private static Http.Response tryGet(String path) {
        try {
            return http.get(path);
        } catch (java.io.UncheckedIOException cutOff) {
            return null;
        }
    }

    private static void awaitStatus(String path, int status) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        Http.Response response = http.get(path);
        while (response.status() != status && System.nanoTime() < deadline) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            response = http.get(path);
        }
        Expect.status(response, status);
    }
}
