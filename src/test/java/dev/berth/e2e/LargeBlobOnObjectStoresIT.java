package dev.berth.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.ConfiguredStores;
import dev.berth.storage.ObjectInfo;
import dev.berth.storage.ObjectStore;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A large blob pushed to Berth on the object stores (Swift, S3 on Swift's s3api, S3 on s3proxy), in chunks and in
 * one monolithic PUT, and pulled back intact, with Berth in a process of its own on a 256 MiB heap. In CI the blob
 * is {@value #CI_MIB} MiB; {@code -Dberth.test.long=true} makes it 6 GiB, above the 5 GiB that one Swift object or
 * one S3 PutObject may hold, so the stores must split it. Each run prints a {@code [figures]} line with the timings
 * and the peak resident memory of the Berth process. Needs {@code scripts/storage-servers start}.
 */
@ExtendWith(FailureLogs.class)
@Timeout(value = 120, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class LargeBlobOnObjectStoresIT {
    private static final long MiB = 1L << 20;
    private static final long GiB = 1L << 30;
    private static final long CI_MIB = 384;
    private static final long SIZE = Boolean.getBoolean("berth.test.long") ? 6 * GiB : CI_MIB * MiB;
    /** Chunk sizes in turn, so that chunks of every size the issue names meet the stores' part and segment rules. */
    private static final long[] CHUNKS = {32 * MiB, 16 * MiB, 64 * MiB};
    private static final String HEAP = "256m";
    /** Where scripts/storage-servers keeps Swift's devices and s3proxy's files. */
    private static final Path SERVER_DATA = Path.of(System.getProperty("berth.test.servers.dir", "").isBlank()
            ? "/tmp/berth-test-servers" : System.getProperty("berth.test.servers.dir"));
    /** Assembling gigabytes on the server (copies of every chunk) runs long before the closing PUT answers. */
    private static final Duration ASSEMBLY_TIMEOUT = Duration.ofMinutes(30);

    @TempDir
    Path dir;

    /** Every store, or those {@code -Dberth.test.large-blob.stores=swift,s3-on-s3proxy} names (for runs by hand). */
    static Stream<Arguments> stores() {
        String chosen = System.getProperty("berth.test.large-blob.stores", "").trim();
        List<String> names = chosen.isEmpty() ? List.of() : List.of(chosen.split("\\s*,\\s*"));
        List<Arguments> all = List.of(
                Arguments.of("swift", SharedStore.swift()),
                Arguments.of("s3-on-swift-s3api", SharedStore.s3OnSwift()),
                Arguments.of("s3-on-s3proxy", SharedStore.s3OnS3proxy()));
        List<Arguments> picked = all.stream()
                .filter(arguments -> names.isEmpty() || names.contains((String) arguments.get()[0]))
                .toList();
        if (picked.size() != (names.isEmpty() ? all.size() : names.size())) {
            throw new IllegalArgumentException("-Dberth.test.large-blob.stores=" + chosen
                    + ": expected a comma-separated choice of swift, s3-on-swift-s3api, s3-on-s3proxy");
        }
        return picked.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stores")
    void blobPushedInChunksOf16To64MiBAndPulledBack(String backend, SharedStore store) throws Exception {
        requireFreeSpace();
        ChunkedBlob blob = new ChunkedBlob(909, chunkSizes());
        Digests.Hashed expected = blob.digest();
        BerthProcess.Launch launch = store.launch(dir, "large-chunked-" + backend + "-" + shortId()).withHeap(HEAP);
        try (BerthProcess registry = BerthProcess.start("large-chunked-" + backend, launch)) {
            RegistryHttp http = new RegistryHttp(registry);
            long pushStart = System.nanoTime();
            URI upload = http.startUpload("e2e/large");
            for (int i = 0; i < blob.chunkSizes().size(); i++) {
                upload = blob.patch(http, upload, i);
            }
            long closeStart = System.nanoTime();
            HttpResponse<String> done = http.completeUpload(upload, expected.digest(), ASSEMBLY_TIMEOUT);
            Duration close = since(closeStart);
            Duration push = since(pushStart);
            RegistryHttp.expect(done, 201, "PUT ?digest= after " + blob.chunkSizes().size() + " chunks");
            assertThat(done.headers().firstValue("Docker-Content-Digest")).hasValue(expected.digest());

            long pullStart = System.nanoTime();
            assertThat(http.hashBlob("e2e/large", expected.digest())).isEqualTo(expected);
            Duration pull = since(pullStart);

            String peak = peakResidentMemory(registry);
            assertHealthy(registry);
            System.out.printf(Locale.ROOT, "[figures] %s: %d MiB blob in %d chunks of 16-64 MiB, heap %s: push %.1f s"
                            + " (%.0f MiB/s, the closing PUT %.1f s of it), pull %.1f s (%.0f MiB/s), peak RSS %s%n",
                    backend, SIZE / MiB, blob.chunkSizes().size(), HEAP, seconds(push), SIZE / MiB / seconds(push),
                    seconds(close), seconds(pull), SIZE / MiB / seconds(pull), peak);
        } finally {
            empty(launch);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stores")
    void blobPushedInOneMonolithicPutAndPulledBack(String backend, SharedStore store) throws Exception {
        requireFreeSpace();
        Digests.Hashed expected;
        try (var data = new SeededBytes(919, SIZE)) {
            expected = Digests.of(data);
        }
        BerthProcess.Launch launch = store.launch(dir, "large-whole-" + backend + "-" + shortId()).withHeap(HEAP);
        try (BerthProcess registry = BerthProcess.start("large-whole-" + backend, launch)) {
            RegistryHttp http = new RegistryHttp(registry);
            long pushStart = System.nanoTime();
            URI upload = http.startUpload("e2e/large");
            HttpResponse<String> done = http.putWholeBlob(upload, expected.digest(), SIZE,
                    () -> new SeededBytes(919, SIZE));
            Duration push = since(pushStart);
            RegistryHttp.expect(done, 201, "monolithic PUT ?digest= of " + SIZE + " bytes");
            assertThat(done.headers().firstValue("Docker-Content-Digest")).hasValue(expected.digest());

            long pullStart = System.nanoTime();
            assertThat(http.hashBlob("e2e/large", expected.digest())).isEqualTo(expected);
            Duration pull = since(pullStart);

            String peak = peakResidentMemory(registry);
            assertHealthy(registry);
            System.out.printf(Locale.ROOT, "[figures] %s: %d MiB blob in one streamed PUT, heap %s: push %.1f s"
                            + " (%.0f MiB/s), pull %.1f s (%.0f MiB/s), peak RSS %s%n",
                    backend, SIZE / MiB, HEAP, seconds(push), SIZE / MiB / seconds(push), seconds(pull),
                    SIZE / MiB / seconds(pull), peak);
        } finally {
            empty(launch);
        }
    }

    private static List<Long> chunkSizes() {
        List<Long> sizes = new ArrayList<>();
        for (long offset = 0; offset < SIZE; ) {
            long size = Math.min(CHUNKS[sizes.size() % CHUNKS.length], SIZE - offset);
            sizes.add(size);
            offset += size;
        }
        return sizes;
    }

    private static void assertHealthy(BerthProcess registry) throws IOException {
        assertThat(registry.isAlive()).as("registry still running after the transfer").isTrue();
        assertThat(Files.readString(registry.logFile())).doesNotContain("OutOfMemoryError");
    }

    /**
     * Fails (never skips) when the servers' disk cannot hold the blob about three times over: its chunks, the
     * copies the store assembles from them (Swift and S3 copy server-side) and, on S3, the blob copied once more
     * by the final move.
     */
    private static void requireFreeSpace() throws IOException {
        Path existing = SERVER_DATA;
        while (existing != null && !Files.isDirectory(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            existing = Path.of("/");
        }
        long needed = 3 * SIZE + GiB;
        long usable = Files.getFileStore(existing).getUsableSpace();
        if (usable < needed) {
            throw new AssertionError(String.format(Locale.ROOT,
                    "not enough disk space for the %d MiB object-store test: the storage servers keep their data in"
                            + " %s, which needs %.1f GiB free (the blob about three times over: chunks, server-side"
                            + " copies, the published blob), only %.1f GiB are available",
                    SIZE / MiB, SERVER_DATA, needed / (double) GiB, usable / (double) GiB));
        }
    }

    /** Removes what the test stored, so gigabytes do not stay on the servers' disk. */
    private static void empty(BerthProcess.Launch launch) {
        try {
            ObjectStore store = ConfiguredStores.open(launch.settings());
            List<String> keys = new ArrayList<>();
            for (ObjectInfo info : store.listAll("", 1000)) {
                keys.add(info.key());
            }
            keys.forEach(store::delete);
        } catch (Exception | AssertionError e) {
            System.out.println("[cleanup] could not empty " + launch.settings() + ": " + e);
        }
    }

    /** The process's peak resident set size (VmHWM), or "unknown" where /proc does not tell. */
    private static String peakResidentMemory(BerthProcess registry) {
        try {
            String status = Files.readString(Path.of("/proc", Long.toString(registry.pid()), "status"));
            Matcher hwm = Pattern.compile("VmHWM:\\s+(\\d+) kB").matcher(status);
            return hwm.find() ? Long.parseLong(hwm.group(1)) / 1024 + " MiB" : "unknown";
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static String shortId() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    private static Duration since(long start) {
        return Duration.ofNanos(System.nanoTime() - start);
    }

    private static double seconds(Duration duration) {
        return Math.max(duration.toMillis(), 1) / 1000.0;
    }
}
