package dev.berth.observe;

import dev.berth.lifecycle.ScheduledGc;
import dev.berth.registry.BlobReader;
import dev.berth.registry.Registry;
import dev.berth.registry.UploadService;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Every metric one Berth server exposes, in a registry of its own (never the library's global one, so two servers in
 * one JVM keep their counts apart), followed by the JVM's. Requests and store calls are counted as they happen;
 * uploads, integrity checks and collections are read from the domain's own counters when {@code /metrics} is scraped,
 * so they cost the requests nothing.
 */
public final class BerthMetrics {
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter text = PrometheusTextFormatWriter.create();
    private final HttpMetrics http;
    private final StoreMetrics storage;

    private BerthMetrics() {
        http = new HttpMetrics(registry);
        storage = new StoreMetrics(registry);
    }

    /**
     * The JVM's metrics describe the whole process, and the client library keeps every registry they were registered
     * in for good: so one registry holds them for all servers of the process, made when the first is.
     */
    private static final class JvmRegistry {
        static final PrometheusRegistry INSTANCE = create();

        private static PrometheusRegistry create() {
            PrometheusRegistry jvm = new PrometheusRegistry();
            JvmMetrics.builder().register(jvm);
            return jvm;
        }
    }

    /** A fresh set of metrics, with the JVM's own (memory, threads, garbage collection, CPU). */
    public static BerthMetrics create() {
        return new BerthMetrics();
    }

    /** Request counts, latency and bytes. */
    public HttpMetrics http() {
        return http;
    }

    /** Store call latency and failures. */
    public StoreMetrics storage() {
        return storage;
    }

    /** Exposes the counts of uploads, integrity checks and verified blob reads that {@code domain} keeps. */
    public void watch(Registry domain) {
        UploadService uploads = domain.uploads();
        BlobReader reader = domain.reader();
        callbackCounter("berth_uploads_started_total", "blob uploads started (a monolithic push counts too)",
                c -> c.call(uploads.stats().started()));
        callbackCounter("berth_uploads_completed_total", "blob uploads completed: their blob was published",
                c -> c.call(uploads.stats().completed()));
        CounterWithCallback.builder().name("berth_uploads_failed_total")
                .help("upload completions that published nothing, by reason: digest (the content does not hash to"
                        + " the client's digest), integrity (stored data contradicts what was recorded), other")
                .labelNames("reason")
                .callback(c -> {
                    UploadService.Stats stats = uploads.stats();
                    c.call(stats.failedDigest(), "digest");
                    c.call(stats.failedIntegrity(), "integrity");
                    c.call(stats.failedOther(), "other");
                })
                .register(registry);
        callbackCounter("berth_uploads_cancelled_total", "blob uploads the client cancelled",
                c -> c.call(uploads.stats().cancelled()));
        CounterWithCallback.builder().name("berth_integrity_failures_total")
                .help("checks that found stored bytes other than the ones that belong there, by check: upload_chunk"
                        + " (a chunk as stored), upload_publish (chunks or blob at completion), blob_read (verify on"
                        + " read), manifest_read (a manifest read back)")
                .labelNames("check")
                .callback(c -> {
                    UploadService.Stats stats = uploads.stats();
                    c.call(stats.chunkIntegrityFailures(), "upload_chunk");
                    c.call(stats.publishIntegrityFailures(), "upload_publish");
                    c.call(reader.stats().failed(), "blob_read");
                    c.call(domain.manifests().corruptReads(), "manifest_read");
                })
                .register(registry);
        CounterWithCallback.builder().name("berth_blob_reads_verified_total")
                .help("blob reads checked as they streamed (verify on read), by result: passed | failed")
                .labelNames("result")
                .callback(c -> {
                    BlobReader.Stats stats = reader.stats();
                    c.call(stats.passed(), "passed");
                    c.call(stats.failed(), "failed");
                })
                .register(registry);
    }

    /** Exposes what the scheduled collections of this process did; all zero when none is scheduled. */
    public void watchGc(Optional<ScheduledGc> gc) {
        ScheduledGc.Stats none = new ScheduledGc.Stats(0, 0, 0, 0, 0, 0);
        CounterWithCallback.builder().name("berth_gc_runs_total")
                .help("scheduled garbage collection turns, by outcome: completed | skipped (another replica held the"
                        + " lease) | failed")
                .labelNames("outcome")
                .callback(c -> {
                    ScheduledGc.Stats stats = gc.map(ScheduledGc::stats).orElse(none);
                    c.call(stats.completed(), "completed");
                    c.call(stats.skipped(), "skipped");
                    c.call(stats.failed(), "failed");
                })
                .register(registry);
        callbackCounter("berth_gc_deleted_objects_total", "objects garbage collection deleted",
                c -> c.call(gc.map(ScheduledGc::stats).orElse(none).deleted()));
        CounterWithCallback.builder().name("berth_gc_freed_bytes_total").unit(Unit.BYTES)
                .help("bytes garbage collection freed")
                .callback(c -> c.call(gc.map(ScheduledGc::stats).orElse(none).bytesFreed()))
                .register(registry);
        GaugeWithCallback.builder().name("berth_gc_last_completed_timestamp_seconds")
                .help("when garbage collection last completed in this process, in seconds since the epoch; 0: never")
                .callback(c -> c.call(gc.map(ScheduledGc::stats).orElse(none).lastCompletedMillis() / 1000.0))
                .register(registry);
    }

    private void callbackCounter(String name, String help, Consumer<CounterWithCallback.Callback> callback) {
        CounterWithCallback.builder().name(name).help(help).callback(callback).register(registry);
    }

    /** The media type of {@link #writeText}'s output: Prometheus text format 0.0.4. */
    public String contentType() {
        return text.getContentType();
    }

    /** Writes every metric's current value in the Prometheus text format: Berth's, then the JVM's. */
    public void writeText(OutputStream out) throws IOException {
        text.write(out, registry.scrape(), EscapingScheme.DEFAULT);
        text.write(out, JvmRegistry.INSTANCE.scrape(), EscapingScheme.DEFAULT);
    }
}
