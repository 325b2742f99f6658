package dev.berth.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM in the middle of pushes: Berth stops accepting at once, lets a request that ends within
 * {@code shutdown.timeout} finish, cuts the ones that do not, and leaves a store where every blob is whole or absent
 * and every upload can be resumed after a restart.
 */
@Timeout(300)
class GracefulShutdownIT {
    private static final long LONG = 64L * 1024 * 1024;
    /** 64 MiB at 2 MiB/s: half a minute, far beyond the shutdown timeout. */
    private static final long LONG_RATE = 2L * 1024 * 1024;
    private static final long SHORT = 1024 * 1024;
    /** 1 MiB at 256 KiB/s with a pause of 2 s halfway: six seconds, within the shutdown timeout. */
    private static final long SHORT_RATE = 256 * 1024;
    private static final Pattern BLOB_DATA = Pattern.compile(".*/blobs/(sha256|sha512)/[0-9a-f]{2}/([0-9a-f]+)/data");

    @TempDir
    Path dir;

    @Test
    void sigtermFinishesARequestWithinTheTimeoutCutsLongerOnesAndLeavesEveryBlobWholeOrAbsent() throws Exception {
        Path storage = dir.resolve("storage");
        BerthProcess berth = BerthProcess.start("graceful", BerthProcess.Launch.filesystem(storage)
                .withSettings(Map.of("shutdown.timeout", "10s")));
        // A thread per request: they all block while their bodies stream.
        try (berth; ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            RegistryHttp registry = new RegistryHttp(berth);
            HttpClient http = berth.httpClient();
            byte[] before = SeededBytes.array(7, 300_000);
            String beforeDigest = Digests.of(before);
            URI beforeUpload = registry.startUpload("graceful/app");
            RegistryHttp.expect(registry.putWholeBlob(beforeUpload, beforeDigest, before.length,
                    () -> new java.io.ByteArrayInputStream(before)), 201, "a blob pushed before");

            // Two long pushes (a chunk of an upload, a monolithic POST) and a short chunk, all streaming slowly.
            URI longUpload = registry.startUpload("graceful/app");
            ThrottledInputStream longChunk = new ThrottledInputStream(new SeededBytes(1, LONG), LONG_RATE);
            CompletableFuture<HttpResponse<String>> longPatch = CompletableFuture.supplyAsync(
                    () -> call(() -> registry.patchChunk(longUpload, 0, LONG, () -> longChunk)), clients);
            String monolithicDigest = digest(new SeededBytes(2, LONG));
            ThrottledInputStream monolithic = new ThrottledInputStream(new SeededBytes(2, LONG), LONG_RATE);
            CompletableFuture<HttpResponse<String>> longPost = CompletableFuture.supplyAsync(() -> call(
                    () -> http.send(HttpRequest.newBuilder(berth.uri().resolve(
                                    "/v2/graceful/app/blobs/uploads/?digest=" + monolithicDigest))
                            .header("Content-Type", "application/octet-stream")
                            .POST(HttpRequest.BodyPublishers.fromPublisher(
                                    HttpRequest.BodyPublishers.ofInputStream(() -> monolithic), LONG))
                            .build(), HttpResponse.BodyHandlers.ofString())), clients);
            URI shortUpload = registry.startUpload("graceful/app");
            // It pauses for longer than Jetty's usual idle timeout while stopping: a slow client is not cut for that.
            ThrottledInputStream shortChunk = new ThrottledInputStream(new SeededBytes(3, SHORT), SHORT_RATE, SHORT / 2,
                    Duration.ofSeconds(2));
            CompletableFuture<HttpResponse<String>> shortPatch = CompletableFuture.supplyAsync(
                    () -> call(() -> registry.patchChunk(shortUpload, 0, SHORT, () -> shortChunk)), clients);
            await("all three bodies are streaming", () -> longChunk.sent() > SHORT && monolithic.sent() > SHORT
                    && shortChunk.sent() > 64 * 1024);

            berth.terminate();

            await("Berth refuses new connections", () -> refusesConnections(berth));
            assertThat(shortPatch).as("the short chunk is still streaming when Berth stops accepting").isNotDone();
            HttpResponse<String> shortDone = shortPatch.get(60, TimeUnit.SECONDS);
            RegistryHttp.expect(shortDone, 202, "the short chunk in flight at SIGTERM");
            assertThat(shortDone.headers().firstValue("Range")).hasValue("0-" + (SHORT - 1));
            assertThat(outcome(longPatch)).as("the long chunk is cut, not accepted").isNotEqualTo("202");
            assertThat(outcome(longPost)).as("the long monolithic push is cut, not accepted").isNotEqualTo("201");
            assertThat(longChunk.sent()).as("cut before its end").isLessThan(LONG);
            berth.awaitExit(Duration.ofSeconds(60));
            assertThat(Files.readString(berth.logFile())).contains("Berth stopping", "Berth stopped");

            List<String> blobs = everyBlobIsWhole(storage);
            assertThat(blobs).contains(beforeDigest).doesNotContain(monolithicDigest);

            berth.startAgain();
            // The short chunk was recorded: the upload goes on from its end.
            HttpResponse<String> shortStatus = registry.uploadStatus(shortUpload);
            RegistryHttp.expect(shortStatus, 204, "the short upload after the restart");
            assertThat(shortStatus.headers().firstValue("Range")).hasValue("0-" + (SHORT - 1));
            RegistryHttp.expect(registry.patchChunk(shortUpload, SHORT, SHORT, () -> new SeededBytes(4, SHORT)), 202,
                    "the rest of the short upload");
            String shortDigest = digest(new java.io.SequenceInputStream(new SeededBytes(3, SHORT),
                    new SeededBytes(4, SHORT)));
            RegistryHttp.expect(registry.completeUpload(shortUpload, shortDigest), 201, "completing the short upload");
            assertThat(registry.hashBlob("graceful/app", shortDigest).digest()).isEqualTo(shortDigest);

            // The cut chunk was not recorded: its upload resumes from its last verified offset, or is unknown.
            HttpResponse<String> longStatus = registry.uploadStatus(longUpload);
            assertThat(longStatus.statusCode()).as(RegistryHttp.describe(longStatus)).isIn(204, 404);
            if (longStatus.statusCode() == 204) {
                // An upload without bytes reports 0-0, as Distribution's does; the cut chunk was all or nothing.
                String range = longStatus.headers().firstValue("Range").orElse("0-0");
                long offset = range.equals("0-0") ? 0 : Long.parseLong(range.split("-")[1]) + 1;
                assertThat(offset).as("the cut chunk is not recorded").isZero();
                String longDigest = digest(new SeededBytes(1, LONG));
                RegistryHttp.expect(registry.patchChunk(longUpload, offset, LONG - offset, () -> {
                    SeededBytes rest = new SeededBytes(1, LONG);
                    rest.skip(offset);
                    return rest;
                }), 202, "resuming the cut upload at " + offset);
                RegistryHttp.expect(registry.completeUpload(longUpload, longDigest), 201, "completing the cut upload");
                assertThat(registry.hashBlob("graceful/app", longDigest).digest()).isEqualTo(longDigest);
            }
            assertThat(registry.hashBlob("graceful/app", beforeDigest).digest()).isEqualTo(beforeDigest);
            RegistryHttp.expect(registry.getBlob("graceful/app", monolithicDigest), 404, "the cut monolithic push");
        }
    }

    /** Every blob's bytes under the store's blobs prefixes hash to the digest they are stored under; their digests. */
    private static List<String> everyBlobIsWhole(Path storage) throws IOException {
        List<String> digests = new ArrayList<>();
        try (Stream<Path> files = Files.walk(storage)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Matcher m = BLOB_DATA.matcher(storage.relativize(file).toString().replace('\\', '/'));
                if (!m.matches()) {
                    continue;
                }
                String algorithm = m.group(1);
                try (InputStream in = Files.newInputStream(file)) {
                    MessageDigest hash = MessageDigest.getInstance(algorithm.equals("sha256") ? "SHA-256" : "SHA-512");
                    byte[] buffer = new byte[1 << 16];
                    int n;
                    while ((n = in.read(buffer)) > 0) {
                        hash.update(buffer, 0, n);
                    }
                    assertThat(HexFormat.of().formatHex(hash.digest())).as("the bytes of %s", file)
                            .isEqualTo(m.group(2));
                } catch (java.security.NoSuchAlgorithmException e) {
                    throw new AssertionError(e);
                }
                digests.add(algorithm + ":" + m.group(2));
            }
        }
        assertThat(digests).as("blobs found under %s", storage).isNotEmpty();
        return digests;
    }

    private static boolean refusesConnections(BerthProcess berth) {
        try (HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
            HttpResponse<Void> response = client.send(HttpRequest.newBuilder(berth.uri().resolve("/v2/"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 503;
        } catch (java.net.ConnectException e) {
            return true;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The status of a finished request, or the exception that ended it. */
    private static String outcome(CompletableFuture<HttpResponse<String>> request) throws InterruptedException {
        try {
            return String.valueOf(request.get(120, TimeUnit.SECONDS).statusCode());
        } catch (java.util.concurrent.ExecutionException e) {
            return e.getCause().toString();
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("a request cut by the shutdown never ended", e);
        }
    }

    private static String digest(InputStream in) throws IOException {
        try (in) {
            return Digests.of(in).digest();
        }
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(60);
        while (!condition.getAsBoolean()) {
            assertThat(Instant.now()).as(what).isBefore(deadline);
            Thread.sleep(20);
        }
    }

    /** A call whose checked exception the future carries. */
    private interface Call<T> {
        T run() throws Exception;
    }

    private static <T> T call(Call<T> call) {
        try {
            return call.run();
        } catch (Exception e) {
            throw new CompletionException(e);
        }
    }
}
