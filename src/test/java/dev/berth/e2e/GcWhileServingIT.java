package dev.berth.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.BerthServer;
import dev.berth.config.BerthConfig;
import dev.berth.lifecycle.GarbageCollector;
import dev.berth.lifecycle.GcListener;
import dev.berth.lifecycle.GcOptions;
import dev.berth.lifecycle.GcReport;
import dev.berth.registry.Namespace;
import dev.berth.registry.StorageLayout;
import dev.berth.registry.digest.Digest;
import dev.berth.storage.FilesystemStore;
import dev.berth.storage.ObjectInfo;
import dev.berth.storage.ObjectStore;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Garbage collection in a loop, with a one-second grace window, while clients push (reusing layers they HEAD or
 * mount instead of uploading), re-tag, delete and pull over HTTP against an in-process Berth on a filesystem
 * store. The collector runs as another process would: its own store instance on the same directory. Afterwards
 * every tagged image is complete, every blob hashes to its digest, and what nothing references was freed.
 * {@code -Dberth.test.long=true} runs for minutes instead of seconds.
 */
class GcWhileServingIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    private static final Namespace NS = Namespace.DEFAULT;
    private static final Duration GRACE = Duration.ofSeconds(1);
    private static final int CLIENTS = 4;
    private static final int MIN_CYCLES = 10;
    private static final int MIN_OPERATIONS = 200;

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final List<byte[]> layerPool = new ArrayList<>();
    private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    private final AtomicLong operations = new AtomicLong();
    private final AtomicLong pushes = new AtomicLong();
    private final AtomicLong pulls = new AtomicLong();
    private final AtomicLong deletes = new AtomicLong();
    private final AtomicLong retags = new AtomicLong();
    private final AtomicLong reused = new AtomicLong();
    private final AtomicLong refusedPushes = new AtomicLong();
    private URI base;

    /** One image as its owning client knows it. */
    private record Image(Digest digest, byte[] body, List<Digest> blobs) {}

    @Test
    void gcInALoopWhileClientsPushRetagDeleteAndPullNeverBreaksAnImage() throws Exception {
        boolean longRun = Boolean.getBoolean("berth.test.long");
        Duration runFor = longRun ? Duration.ofMinutes(5) : Duration.ofSeconds(20);
        Random seed = new Random(7);
        for (int i = 0; i < 24; i++) {
            byte[] layer = new byte[1024 + seed.nextInt(48 * 1024)];
            seed.nextBytes(layer);
            layerPool.add(layer);
        }
        BerthConfig config = BerthConfig.defaults().withListen("127.0.0.1:0")
                .withDelete(new BerthConfig.Delete(true))
                .withLifecycle(BerthConfig.defaults().lifecycle().withGc(
                        new BerthConfig.Gc(Optional.empty(), GRACE, true)));
        GcOptions options = GcOptions.from(config.lifecycle().gc());
        ObjectStore collectorStore = new FilesystemStore(dir);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong cycles = new AtomicLong();
        AtomicLong freedBytes = new AtomicLong();
        AtomicLong freedObjects = new AtomicLong();
        List<Map<String, Map<String, Image>>> models = new ArrayList<>();

        try (BerthServer server = BerthServer.start(config, new FilesystemStore(dir))) {
            base = server.uri();
            ExecutorService pool = Executors.newFixedThreadPool(CLIENTS + 1);
            try {
                Future<?> collector = pool.submit(() -> {
                    GarbageCollector gc = new GarbageCollector(collectorStore, Clock.systemUTC());
                    while (!stop.get()) {
                        GcReport report = gc.collect(NS, options, GcListener.NONE);
                        cycles.incrementAndGet();
                        freedBytes.addAndGet(report.bytesFreed());
                        freedObjects.addAndGet(report.deleted());
                        Thread.sleep(150);
                    }
                    return null;
                });
                List<Future<Map<String, Map<String, Image>>>> clients = new ArrayList<>();
                for (int c = 0; c < CLIENTS; c++) {
                    int client = c;
                    clients.add(pool.submit(() -> runClient(client, stop)));
                }
                long deadline = System.nanoTime() + runFor.toNanos();
                while (System.nanoTime() < deadline || cycles.get() < MIN_CYCLES
                        || operations.get() < MIN_OPERATIONS) {
                    Thread.sleep(100);
                    if (!failures.isEmpty()) {
                        break;
                    }
                }
                stop.set(true);
                collector.get();
                for (Future<Map<String, Map<String, Image>>> client : clients) {
                    models.add(client.get());
                }
            } finally {
                stop.set(true);
                pool.shutdownNow();
            }
            System.out.printf("GcWhileServingIT: %d gc cycles, %d operations (%d pushes, %d reusing a blob they saw,"
                    + " %d re-tags, %d deletes, %d pulls, %d pushes refused and retried), gc freed %d objects,"
                    + " %d bytes%n", cycles.get(), operations.get(), pushes.get(), reused.get(), retags.get(),
                    deletes.get(), pulls.get(), refusedPushes.get(), freedObjects.get(), freedBytes.get());
            assertThat(failures).as("failures while serving").isEmpty();
            assertThat(cycles.get()).as("gc cycles").isGreaterThanOrEqualTo(MIN_CYCLES);
            assertThat(operations.get()).as("push, delete and pull operations").isGreaterThanOrEqualTo(MIN_OPERATIONS);

            // 1. every tagged image is complete, served by the registry
            Set<Digest> referenced = new HashSet<>();
            for (Map<String, Map<String, Image>> model : models) {
                for (var repo : model.entrySet()) {
                    for (var tag : repo.getValue().entrySet()) {
                        pullAndCheck(repo.getKey(), tag.getKey(), tag.getValue());
                        referenced.add(tag.getValue().digest());
                        referenced.addAll(tag.getValue().blobs());
                    }
                }
            }
            // 2. every blob in the store hashes to its digest
            Map<Digest, Long> stored = storedBlobs(collectorStore);
            for (Digest digest : stored.keySet()) {
                assertThat(Digest.sha256(collectorStore.read(StorageLayout.blobData(NS, digest))))
                        .as("content of %s", digest).isEqualTo(digest);
            }
            // 3. once the grace window (and the link slack) has passed, a collection frees everything unreferenced
            Thread.sleep(GRACE.plus(options.linkSlack()).plusMillis(300).toMillis());
            GcReport last = new GarbageCollector(collectorStore, Clock.systemUTC()).collect(NS, options,
                    GcListener.NONE);
            Map<Digest, Long> left = storedBlobs(collectorStore);
            System.out.printf("GcWhileServingIT: before the last collection %d blobs, after it %d (%s), referenced %d%n",
                    stored.size(), left.size(), last.summary(), referenced.size());
            assertThat(left.keySet()).as("blobs left after the grace window").isEqualTo(referenced);
            for (Map<String, Map<String, Image>> model : models) {
                for (var repo : model.entrySet()) {
                    for (var tag : repo.getValue().entrySet()) {
                        pullAndCheck(repo.getKey(), tag.getKey(), tag.getValue());
                    }
                }
            }
        }
    }

    /** One client: owns two repositories, so what it expects of them is exact. Returns its final tags. */
    private Map<String, Map<String, Image>> runClient(int client, AtomicBoolean stop) {
        Random random = new Random(client * 31L + 5);
        List<String> repos = List.of("client" + client + "/app", "client" + client + "/tools");
        Map<String, Map<String, Image>> model = new HashMap<>();
        repos.forEach(r -> model.put(r, new HashMap<>()));
        int serial = 0;
        while (!stop.get() && failures.isEmpty()) {
            String repo = repos.get(random.nextInt(repos.size()));
            Map<String, Image> tags = model.get(repo);
            int dice = random.nextInt(100);
            try {
                if (dice < 40 || tags.isEmpty()) {
                    String tag = "t" + random.nextInt(6);
                    tags.put(tag, push(repo, tag, random, client, serial++));
                    pushes.incrementAndGet();
                } else if (dice < 55) {
                    Image image = pick(tags, random);
                    String tag = "t" + random.nextInt(6);
                    putManifest(repo, tag, image.body(), true);
                    tags.put(tag, image);
                    retags.incrementAndGet();
                } else if (dice < 70) {
                    String tag = pickTag(tags, random);
                    Image image = tags.get(tag);
                    if (random.nextBoolean()) {
                        expect(send(request(repo, "manifests/" + tag).DELETE()), 202, "DELETE tag " + tag);
                        tags.remove(tag);
                    } else {
                        expect(send(request(repo, "manifests/" + image.digest()).DELETE()), 202,
                                "DELETE manifest " + image.digest());
                        tags.values().removeIf(i -> i.digest().equals(image.digest()));
                    }
                    deletes.incrementAndGet();
                } else {
                    String tag = pickTag(tags, random);
                    pullAndCheck(repo, tag, tags.get(tag));
                    pulls.incrementAndGet();
                }
                operations.incrementAndGet();
            } catch (Throwable e) {
                failures.add("client " + client + " on " + repo + ": " + e);
            }
        }
        return model;
    }

    /**
     * Pushes an image of 1 to 3 pool layers and a fresh config. A layer the client sees by HEAD, or can mount
     * from another repository, is not uploaded: that is the case the grace window must protect.
     */
    private Image push(String repo, String tag, Random random, int client, int serial) throws IOException {
        byte[] config = ("{\"client\":" + client + ",\"serial\":" + serial + "}").getBytes(StandardCharsets.UTF_8);
        List<byte[]> layers = new ArrayList<>();
        for (int i = 0, n = 1 + random.nextInt(3); i < n; i++) {
            layers.add(layerPool.get(random.nextInt(layerPool.size())));
        }
        ObjectNode m = JSON.createObjectNode();
        m.put("schemaVersion", 2);
        m.put("mediaType", OCI_MANIFEST);
        m.set("config", descriptor("application/vnd.oci.image.config.v1+json", Digest.sha256(config), config.length));
        ArrayNode layerArray = m.putArray("layers");
        List<Digest> blobs = new ArrayList<>();
        blobs.add(Digest.sha256(config));
        for (byte[] layer : layers) {
            layerArray.add(descriptor("application/vnd.oci.image.layer.v1.tar", Digest.sha256(layer), layer.length));
            blobs.add(Digest.sha256(layer));
        }
        byte[] body = m.toString().getBytes(StandardCharsets.UTF_8);
        List<byte[]> contents = new ArrayList<>(layers);
        contents.add(0, config);
        for (int attempt = 1; ; attempt++) {
            for (byte[] content : contents) {
                ensureBlob(repo, content, random, attempt > 1);
            }
            if (putManifest(repo, tag, body, attempt > 1)) {
                break;
            }
            // The registry refused the manifest: a blob the client saw was collected in between. Refused, not
            // accepted with a hole: upload everything and try again.
            refusedPushes.incrementAndGet();
        }
        return new Image(Digest.sha256(body), body, blobs);
    }

    private void ensureBlob(String repo, byte[] content, Random random, boolean upload) throws IOException {
        Digest digest = Digest.sha256(content);
        if (!upload) {
            HttpResponse<byte[]> head = send(request(repo, "blobs/" + digest)
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()));
            if (head.statusCode() == 200) {
                reused.incrementAndGet();
                return;
            }
            if (random.nextBoolean()) {
                HttpResponse<byte[]> mount = send(request(repo, "blobs/uploads/?mount=" + digest)
                        .POST(HttpRequest.BodyPublishers.noBody()));
                if (mount.statusCode() == 201) {
                    reused.incrementAndGet();
                    return;
                }
                if (mount.statusCode() == 202) {
                    // not mountable: an upload was started instead; finish it with the content
                    String location = mount.headers().firstValue("Location").orElseThrow();
                    URI put = base.resolve(location + (location.contains("?") ? "&" : "?") + "digest=" + digest);
                    expect(send(HttpRequest.newBuilder(put).PUT(HttpRequest.BodyPublishers.ofByteArray(content))),
                            201, "PUT upload " + digest);
                    return;
                }
            }
        }
        expect(send(request(repo, "blobs/uploads/?digest=" + digest)
                .POST(HttpRequest.BodyPublishers.ofByteArray(content))), 201, "monolithic upload " + digest);
    }

    /** PUTs a manifest; false when the registry refuses it for an unknown blob and this is not the last attempt. */
    private boolean putManifest(String repo, String tag, byte[] body, boolean lastAttempt) throws IOException {
        HttpResponse<byte[]> response = send(request(repo, "manifests/" + tag).header("Content-Type", OCI_MANIFEST)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body)));
        if (response.statusCode() == 400 && !lastAttempt
                && new String(response.body(), StandardCharsets.UTF_8).contains("BLOB_UNKNOWN")) {
            System.out.println("GcWhileServingIT: manifest refused, will upload again: "
                    + new String(response.body(), StandardCharsets.UTF_8));
            return false;
        }
        expect(response, 201, "PUT manifest " + repo + ":" + tag);
        return true;
    }

    private void pullAndCheck(String repo, String tag, Image image) throws IOException {
        HttpResponse<byte[]> manifest = send(request(repo, "manifests/" + tag)
                .header("Accept", OCI_MANIFEST).GET());
        expect(manifest, 200, "GET manifest " + repo + ":" + tag);
        assertThat(Digest.sha256(manifest.body())).as("manifest of %s:%s", repo, tag).isEqualTo(image.digest());
        JsonNode parsed = JSON.readTree(manifest.body());
        List<String> digests = new ArrayList<>();
        digests.add(parsed.path("config").path("digest").asText());
        parsed.path("layers").forEach(l -> digests.add(l.path("digest").asText()));
        for (String digest : digests) {
            HttpResponse<byte[]> blob = send(request(repo, "blobs/" + digest).GET());
            expect(blob, 200, "GET blob " + digest + " of " + repo + ":" + tag);
            assertThat(Digest.sha256(blob.body()).toString()).as("blob of %s:%s", repo, tag).isEqualTo(digest);
        }
    }

    private static Map<Digest, Long> storedBlobs(ObjectStore store) {
        Map<Digest, Long> blobs = new HashMap<>();
        String prefix = StorageLayout.blobsPrefix(NS);
        for (ObjectInfo info : store.listAll(prefix, 1000)) {
            if (info.key().endsWith("/data")) {
                String[] parts = info.key().substring(prefix.length()).split("/");
                blobs.put(Digest.parse(parts[0] + ":" + parts[2]), info.size());
            }
        }
        return blobs;
    }

    private static Image pick(Map<String, Image> tags, Random random) {
        return tags.get(pickTag(tags, random));
    }

    private static String pickTag(Map<String, Image> tags, Random random) {
        List<String> names = new ArrayList<>(tags.keySet());
        names.sort(null);
        return names.get(random.nextInt(names.size()));
    }

    private static ObjectNode descriptor(String mediaType, Digest digest, long size) {
        ObjectNode d = JSON.createObjectNode();
        d.put("mediaType", mediaType);
        d.put("digest", digest.toString());
        d.put("size", size);
        return d;
    }

    private HttpRequest.Builder request(String repo, String path) {
        return HttpRequest.newBuilder(base.resolve("/v2/" + repo + "/" + path)).timeout(Duration.ofSeconds(30));
    }

    private HttpResponse<byte[]> send(HttpRequest.Builder request) throws IOException {
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static void expect(HttpResponse<byte[]> response, int status, String what) {
        if (response.statusCode() != status) {
            throw new AssertionError(what + ": expected " + status + " but got " + response.statusCode() + " "
                    + new String(response.body(), StandardCharsets.UTF_8));
        }
    }
}
