package dev.berth.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.registry.Namespace;
import dev.berth.registry.RepositoryName;
import dev.berth.registry.digest.Digest;
import dev.berth.storage.MemoryStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * On a store without atomic conditional puts the lease is best effort, so two collectors may run at once. They
 * must still lose nothing that is referenced, also while a client pushes images that reuse old blobs.
 */
class ConcurrentCollectorsTest {

    @Test
    void twoCollectorsAtOnceOnAStoreWithoutAtomicConditionalPutsLoseNothingReferenced() throws Exception {
        GcFixture f = new GcFixture(new MemoryStore(), false);
        assertThat(f.store.capabilities().atomicConditionalPut()).isFalse();
        List<GcFixture.Pushed> kept = new CopyOnWriteArrayList<>();
        List<byte[]> oldLayers = new ArrayList<>();
        List<Digest> garbage = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            kept.add(f.image("app" + i % 3, "t" + i, 2));
            byte[] layer = f.bytes(200 + i);
            oldLayers.add(layer);
            garbage.add(f.blob("app" + i % 3, layer));
            f.image("app" + i % 3, null, 1); // untagged: collected
        }
        f.age();

        // Both believe they hold the lease: the best-effort lease can let that happen.
        GcLease a = new GcLease(f.store, Namespace.DEFAULT, "a", Duration.ofMinutes(10), f.clock);
        assertThat(a.tryAcquire()).isTrue();
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            for (int round = 0; round < 5; round++) {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<?>> running = new ArrayList<>();
                for (int c = 0; c < 2; c++) {
                    running.add(pool.submit(() -> {
                        start.await();
                        return new GarbageCollector(f.store, f.clock).collect(Namespace.DEFAULT, f.options(true),
                                GcListener.NONE);
                    }));
                }
                int r = round;
                running.add(pool.submit(() -> {
                    start.await();
                    // A client reuses old layers it saw: confirm (HEAD), then push a manifest naming them.
                    for (int i = r * 3; i < r * 3 + 3; i++) {
                        String repo = "app" + i % 3;
                        f.registry.blobs().confirm(Namespace.DEFAULT, new RepositoryName(repo),
                                Digest.sha256(oldLayers.get(i)));
                        kept.add(f.image(repo, "reuse" + i, List.of(oldLayers.get(i)), null));
                    }
                    return null;
                }));
                start.countDown();
                for (Future<?> future : running) {
                    future.get();
                }
            }
        } finally {
            pool.shutdownNow();
        }

        for (GcFixture.Pushed image : kept) {
            String repo = repoOf(f, image);
            f.assertComplete(repo, image);
        }
        f.age();
        f.gc(true);
        for (GcFixture.Pushed image : kept) {
            f.assertComplete(repoOf(f, image), image);
        }
        // layers reused by no manifest went
        for (int i = 15; i < garbage.size(); i++) {
            assertThat(f.hasData(garbage.get(i))).isFalse();
        }
    }

    private static String repoOf(GcFixture f, GcFixture.Pushed image) {
        for (int i = 0; i < 3; i++) {
            if (f.hasRevision("app" + i, image.digest())) {
                return "app" + i;
            }
        }
        throw new AssertionError("no repository holds " + image.digest());
    }
}
