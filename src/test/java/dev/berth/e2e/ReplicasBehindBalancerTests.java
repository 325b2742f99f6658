package dev.berth.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scale-out: three Berth replicas (separate OS processes) on one shared store behind nginx round-robin are one
 * registry. A subclass names the store; a new backend's variant is a subclass of a few lines:
 *
 * <pre>{@code
 * class ReplicasOnSwiftBehindBalancerIT extends ReplicasBehindBalancerTests {
 *     @Override
 *     SharedStore store() {
 *         return SharedStore.swift();
 *     }
 * }
 * }</pre>
 */
@ExtendWith(FailureLogs.class)
@Timeout(value = 5, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
abstract class ReplicasBehindBalancerTests {
    private static final long MiB = 1L << 20;
    private static final int REPLICAS = 3;

    @TempDir
    Path dir;

    /** The store the replicas of each test share. */
    abstract SharedStore store();

    /** Three replicas on one store, and nginx over them. */
    record Cluster(List<BerthProcess> replicas, LoadBalancer balancer) implements AutoCloseable {
        /** A raw client through the balancer. */
        RegistryHttp viaBalancer() {
            return new RegistryHttp(balancer.uri());
        }

        @Override
        public void close() {
            balancer.close();
            replicas.forEach(BerthProcess::close);
        }
    }

    private Cluster startCluster(String name) throws IOException {
        String unique = name + "-" + ProcessHandle.current().pid() + "-" + System.nanoTime() % 1_000_000;
        BerthProcess.Launch launch = store().launch(dir, unique);
        // Started side by side: a JVM takes a few seconds to come up.
        List<CompletableFuture<BerthProcess>> starting = new ArrayList<>();
        for (int i = 0; i < REPLICAS; i++) {
            String replica = name + "-r" + i;
            starting.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return BerthProcess.start(replica, launch);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }));
        }
        List<BerthProcess> replicas = new ArrayList<>();
        Throwable failure = null;
        for (CompletableFuture<BerthProcess> future : starting) {
            try {
                replicas.add(future.get(2, TimeUnit.MINUTES));
            } catch (ExecutionException e) {
                failure = failure == null ? e.getCause() : failure;
            } catch (InterruptedException | TimeoutException e) {
                failure = failure == null ? e : failure;
            }
        }
        try {
            if (failure != null) {
                throw new AssertionError("a replica did not start: " + failure.getMessage(), failure);
            }
            return new Cluster(List.copyOf(replicas), LoadBalancer.start(name, replicas));
        } catch (IOException | RuntimeException | Error e) {
            replicas.forEach(BerthProcess::close);
            throw e;
        }
    }

    @Test
    void chunkedPushSpreadOverEveryReplicaPublishesTheSameBytesOnEach() throws Exception {
        // Uneven sizes, so no chunk boundary falls on a round number by luck.
        ChunkedBlob blob = new ChunkedBlob(4711, List.of(3 * MiB + 5, 2 * MiB, MiB + 1, 4 * MiB, 777L, 2 * MiB + 3,
                MiB, 1234L, 5L));
        Digests.Hashed expected = blob.digest();
        try (Cluster cluster = startCluster("chunks")) {
            LoadBalancer balancer = cluster.balancer();
            RegistryHttp viaBalancer = cluster.viaBalancer();
            URI upload = viaBalancer.startUpload("e2e/balanced");
            assertThat(upload.getRawAuthority()).as("Location of POST through the balancer").isEqualTo(balancer.hostPort());

            // Chunks 0-5 through the balancer: round-robin hands each to the next replica.
            List<BerthProcess> servedBy = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                HttpResponse<String> response = blob.send(viaBalancer, upload, i);
                servedBy.add(balancer.servedBy(response));
                upload = RegistryHttp.location(response);
                assertThat(upload.getRawAuthority()).as("Location after chunk %d", i).isEqualTo(balancer.hostPort());
            }
            assertThat(new LinkedHashSet<>(servedBy)).as("replicas that took the chunks sent through the balancer")
                    .containsExactlyInAnyOrderElementsOf(cluster.replicas());
            for (int i = 1; i < servedBy.size(); i++) {
                assertThat(servedBy.get(i)).as("replica of chunk %d, after chunk %d went to %s", i, i - 1,
                        servedBy.get(i - 1)).isNotSameAs(servedBy.get(i - 1));
            }

            // Chunks 6-8 straight to each replica in turn, as a balancer with another policy could send them.
            for (int i = 6; i < 9; i++) {
                BerthProcess replica = cluster.replicas().get(i % REPLICAS);
                upload = blob.patch(new RegistryHttp(replica), RegistryHttp.onRegistry(upload, replica), i);
            }
            for (BerthProcess replica : cluster.replicas()) {
                HttpResponse<String> status = new RegistryHttp(replica).uploadStatus(RegistryHttp.onRegistry(upload, replica));
                RegistryHttp.expect(status, 204, "GET upload status on " + replica);
                assertThat(status.headers().firstValue("Range")).as(RegistryHttp.describe(status))
                        .hasValue("0-" + (expected.size() - 1));
            }

            HttpResponse<String> done = viaBalancer.completeUpload(RegistryHttp.onRegistry(upload, balancer.uri()),
                    expected.digest());
            RegistryHttp.expect(done, 201, "PUT ?digest= through the balancer");
            assertThat(done.headers().firstValue("Docker-Content-Digest")).hasValue(expected.digest());
            for (BerthProcess replica : cluster.replicas()) {
                assertThat(new RegistryHttp(replica).hashBlob("e2e/balanced", expected.digest()))
                        .as("blob pulled from %s", replica).isEqualTo(expected);
            }
        }
    }

    @Test
    void skopeoPushThroughTheBalancerPullsByteIdenticalFromEachReplica() throws Exception {
        OciLayout layout = OciLayout.create(dir.resolve("src"));
        OciLayout.Image image = layout.addImage("v1", 5150, 3, "amd64");
        Skopeo skopeo = Skopeo.in(dir.resolve("skopeo"));
        try (Cluster cluster = startCluster("skopeo")) {
            LoadBalancer balancer = cluster.balancer();
            int logged = balancer.accessLog().size();
            skopeo.copy(List.of(), layout.reference("v1"), "docker://" + balancer.hostPort() + "/e2e/pushed:v1");

            List<LoadBalancer.Access> push = balancer.accessLog().subList(logged, balancer.accessLog().size());
            Set<String> writers = new TreeSet<>();
            push.stream().filter(a -> Set.of("POST", "PATCH", "PUT").contains(a.method()))
                    .forEach(a -> writers.add(a.answeredBy()));
            assertThat(writers).as("replicas that took the push's writes; access log:\n%s", push).hasSizeGreaterThan(1);

            byte[] manifest = layout.blob(image.manifest().digest());
            for (BerthProcess replica : cluster.replicas()) {
                RegistryHttp http = new RegistryHttp(replica);
                for (String reference : List.of("v1", image.manifest().digest())) {
                    HttpResponse<byte[]> served = http.getManifest("e2e/pushed", reference);
                    RegistryHttp.expect(served, 200, "GET manifest " + reference + " from " + replica);
                    assertThat(served.body()).as("manifest %s from %s", reference, replica).isEqualTo(manifest);
                }
                for (OciLayout.Descriptor blob : image.blobs()) {
                    assertThat(http.hashBlob("e2e/pushed", blob.digest()))
                            .as("blob from %s", replica).isEqualTo(new Digests.Hashed(blob.digest(), blob.size()));
                }
                Path out = dir.resolve("pulled-from-" + replica.port());
                skopeo.copy(List.of(), "docker://" + replica.hostPort() + "/e2e/pushed:v1", "oci:" + out + ":v1");
                assertThat(Files.readAllBytes(out.resolve("blobs/sha256").resolve(Digests.hex(image.manifest().digest()))))
                        .as("manifest skopeo pulled from %s", replica).isEqualTo(manifest);
                assertSameBlobs(layout.dir(), out);
            }
        }
    }

    @Test
    void replicasKilledAndRestartedInTheMiddleOfAnUploadLoseNothing() throws Exception {
        ChunkedBlob blob = new ChunkedBlob(8086, List.of(2 * MiB + 11, 6 * MiB, 3 * MiB, MiB + 9, 4096L, 3L));
        Digests.Hashed expected = blob.digest();
        try (Cluster cluster = startCluster("restart")) {
            LoadBalancer balancer = cluster.balancer();
            RegistryHttp viaBalancer = cluster.viaBalancer();
            BerthProcess crashing = cluster.replicas().get(1);
            BerthProcess restarting = cluster.replicas().get(2);

            URI upload = viaBalancer.startUpload("e2e/restarts");
            upload = blob.patch(viaBalancer, upload, 0);
            long verified = blob.offset(1);

            // Chunk 1 goes straight to one replica, which is killed (SIGKILL) while the body streams in.
            CountDownLatch halfSent = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            URI direct = RegistryHttp.onRegistry(upload, crashing);
            RegistryHttp toCrashing = new RegistryHttp(crashing);
            CompletableFuture<HttpResponse<String>> interrupted = CompletableFuture.supplyAsync(() -> {
                try {
                    return toCrashing.patchChunk(direct, blob.offset(1), blob.chunkSizes().get(1),
                            () -> new StallingStream(blob.chunk(1), 3 * MiB, halfSent, release));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            assertThat(halfSent.await(60, TimeUnit.SECONDS)).as("half of chunk 1 sent").isTrue();
            Thread.sleep(300); // let the replica take in what was sent
            crashing.kill();
            release.countDown();
            assertThat(outcome(interrupted)).as("the PATCH to the killed replica").startsWith("failed");

            // While it is down, the balancer sends everything to the others: the upload is where it was.
            HttpResponse<String> status = viaBalancer.uploadStatus(upload);
            RegistryHttp.expect(status, 204, "GET upload status through the balancer after the crash");
            assertThat(status.headers().firstValue("Range")).as(RegistryHttp.describe(status))
                    .hasValue("0-" + (verified - 1));
            assertThat(balancer.servedBy(status)).isNotSameAs(crashing);
            upload = blob.patch(viaBalancer, upload, 1);

            crashing.startAgain();
            upload = blob.patch(toCrashing, RegistryHttp.onRegistry(upload, crashing), 2);
            upload = blob.patch(viaBalancer, RegistryHttp.onRegistry(upload, balancer.uri()), 3);

            // A graceful restart between chunks.
            restarting.restart();
            upload = blob.patch(new RegistryHttp(restarting), RegistryHttp.onRegistry(upload, restarting), 4);
            upload = blob.patch(viaBalancer, RegistryHttp.onRegistry(upload, balancer.uri()), 5);

            HttpResponse<String> done = viaBalancer.completeUpload(RegistryHttp.onRegistry(upload, balancer.uri()),
                    expected.digest());
            RegistryHttp.expect(done, 201, "PUT ?digest= through the balancer");
            for (BerthProcess replica : cluster.replicas()) {
                assertThat(new RegistryHttp(replica).hashBlob("e2e/restarts", expected.digest()))
                        .as("blob pulled from %s", replica).isEqualTo(expected);
            }
        }
    }

    /** "failed: CAUSE" or "answered STATUS" for a request that should have failed, within a bounded wait. */
    private static String outcome(CompletableFuture<HttpResponse<String>> request) throws InterruptedException {
        try {
            HttpResponse<String> response = request.get(60, TimeUnit.SECONDS);
            return "answered " + response.statusCode() + "\n" + RegistryHttp.describe(response);
        } catch (ExecutionException e) {
            return "failed: " + e.getCause();
        } catch (TimeoutException e) {
            request.cancel(true);
            return "still running after 60 s";
        }
    }

    private static void assertSameBlobs(Path expectedLayout, Path actualLayout) throws IOException {
        Path expectedBlobs = expectedLayout.resolve("blobs/sha256");
        Path actualBlobs = actualLayout.resolve("blobs/sha256");
        try (Stream<Path> files = Files.list(expectedBlobs)) {
            for (Path file : files.toList()) {
                Path pulled = actualBlobs.resolve(file.getFileName());
                assertThat(pulled).as("blob %s pulled", file.getFileName()).exists();
                assertThat(Files.mismatch(file, pulled)).as("blob %s", file.getFileName()).isEqualTo(-1L);
            }
        }
    }

    /** A body that stops after {@code stallAfter} bytes until released, then breaks off (the client's request fails). */
    private static final class StallingStream extends InputStream {
        private final InputStream in;
        private final CountDownLatch reached;
        private final CountDownLatch release;
        private long left;

        StallingStream(InputStream in, long stallAfter, CountDownLatch reached, CountDownLatch release) {
            this.in = in;
            this.left = stallAfter;
            this.reached = reached;
            this.release = release;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (left == 0) {
                reached.countDown();
                try {
                    release.await(Duration.ofSeconds(90).toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw new IOException("body broken off on purpose after the replica was killed");
            }
            int n = in.read(buffer, offset, (int) Math.min(length, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
