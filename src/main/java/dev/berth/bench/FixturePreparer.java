package dev.berth.bench;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Puts what the read scenarios need into the registry, and only what is missing, so that later rounds against
 * the same registry start at once: the image fixture, one blob per pull size, a repository with many tags, and
 * many repositories. The tag and repository fixtures stop at a deadline and report how far they got.
 */
final class FixturePreparer {
    /** The nonce of the pull blobs' tails; pushes use a random one, so they never collide with these. */
    static final long PULL_NONCE = 0x70756c6cL;

    private final RegistryClient client;
    private final BlobContent content;
    private final ImageFixture image;
    private final int concurrency;

    FixturePreparer(RegistryClient client, BlobContent content, ImageFixture image, int concurrency) {
        this.client = client;
        this.content = content;
        this.image = image;
        this.concurrency = concurrency;
    }

    /** How many tags or repositories a fixture holds, and how long preparing it took. */
    record Prepared(int count, int created, double seconds, boolean complete) {}

    /** Pushes the image under its tag into {@code repo} unless the tag already names it. */
    void image(String repo) throws IOException {
        if (client.manifestDigest(repo, ImageFixture.TAG).filter(image.manifestDigest()::equals).isPresent()) {
            return;
        }
        for (ImageFixture.FixtureBlob blob : image.blobs()) {
            if (!client.hasBlob(repo, blob.digest())) {
                client.pushBytes(repo, blob.bytes(), blob.digest());
            }
        }
        client.putManifest(repo, ImageFixture.TAG, image.manifest(), ImageFixture.MANIFEST_TYPE);
    }

    /** The blob pulled for each size, pushed into {@code repo} when missing. */
    Map<ByteSize, BlobContent.Blob> pullBlobs(String repo, List<ByteSize> sizes) throws IOException {
        Map<ByteSize, BlobContent.Blob> blobs = new LinkedHashMap<>();
        for (ByteSize size : sizes) {
            BlobContent.Blob blob = content.blob(size.bytes(), PULL_NONCE, size.bytes());
            if (!client.hasBlob(repo, blob.digest())) {
                client.pushMonolithic(repo, content, blob);
            }
            blobs.put(size, blob);
        }
        return blobs;
    }

    /** {@code count} tags on the image in {@code repo}, mounting its blobs from {@code source}. */
    Prepared tags(String repo, String source, int count, Duration timeout) throws IOException, InterruptedException {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        Set<String> existing = new HashSet<>(client.tags(repo, 0).names());
        List<String> missing = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            String tag = tagName(i);
            if (!existing.contains(tag)) {
                missing.add(tag);
            }
        }
        if (!missing.isEmpty()) {
            linkBlobs(repo, source, image.blobs());
        }
        int created = inParallel(missing, deadline,
                tag -> client.putManifest(repo, tag, image.manifest(), ImageFixture.MANIFEST_TYPE));
        return new Prepared(count - missing.size() + created, created, seconds(start), created == missing.size());
    }

    /** {@code count} repositories named {@code prefix/rNNNNN}, each with the minimal manifest. */
    Prepared repositories(String prefix, String source, int count, Duration timeout)
            throws IOException, InterruptedException {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        Set<String> existing = new HashSet<>(client.catalog(0).names());
        List<String> missing = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            String name = prefix + "/" + String.format("r%06d", i);
            if (!existing.contains(name)) {
                missing.add(name);
            }
        }
        int created = inParallel(missing, deadline, repo -> {
            linkBlobs(repo, source, image.minimalBlobs());
            client.putManifest(repo, ImageFixture.TAG, image.minimalManifest(), ImageFixture.MANIFEST_TYPE);
        });
        return new Prepared(count - missing.size() + created, created, seconds(start), created == missing.size());
    }

    /** The name of the {@code i}th fixture tag, sorting in creation order. */
    static String tagName(int i) {
        return String.format("t%07d", i);
    }

    private void linkBlobs(String repo, String source, List<ImageFixture.FixtureBlob> blobs)
            throws IOException {
        for (ImageFixture.FixtureBlob blob : blobs) {
            if (!client.mount(repo, blob.digest(), source)) {
                client.pushBytes(repo, blob.bytes(), blob.digest());
            }
        }
    }

    /** One fixture step that talks to the registry. */
    private interface Step {
        void apply(String name) throws IOException;
    }

    /** Applies {@code step} to each name on the prepare connections until done or the deadline; returns how many. */
    private int inParallel(List<String> names, long deadline, Step step) throws IOException, InterruptedException {
        if (names.isEmpty()) {
            return 0;
        }
        AtomicInteger next = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        AtomicReference<Exception> failure = new AtomicReference<>();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(concurrency, names.size()));
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int w = 0; w < Math.min(concurrency, names.size()); w++) {
                workers.add(pool.submit(() -> {
                    int i;
                    while (failure.get() == null && System.nanoTime() < deadline
                            && (i = next.getAndIncrement()) < names.size()) {
                        try {
                            step.apply(names.get(i));
                            done.incrementAndGet();
                        } catch (IOException | RuntimeException e) {
                            failure.compareAndSet(null, e);
                        }
                    }
                }));
            }
            for (Future<?> worker : workers) {
                worker.get();
            }
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
        if (failure.get() != null) {
            throw new IOException("preparing the fixtures failed: " + failure.get().getMessage(), failure.get());
        }
        return done.get();
    }

    private static double seconds(long startNanos) {
        return Math.round((System.nanoTime() - startNanos) / 1e7) / 100.0;
    }
}
