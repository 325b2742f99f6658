package dev.berth.auth.token;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.registry.Namespace;
import dev.berth.registry.StorageLayout;
import dev.berth.storage.MemoryStore;
import dev.berth.storage.ObjectInfo;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The signing key kept in the store: generated once, read by everyone after. */
class StoredSigningKeyTest {

    @Test
    void theFirstLoadGeneratesAndStoresAKeyAndLaterLoadsReadIt() {
        MemoryStore store = new MemoryStore();
        SigningKey first = StoredSigningKey.loadOrCreate(store, Namespace.DEFAULT, JwsAlgorithm.EDDSA);
        ObjectInfo stored = store.stat(StorageLayout.tokenSigningKey(Namespace.DEFAULT)).orElseThrow();
        SigningKey again = StoredSigningKey.loadOrCreate(store, Namespace.DEFAULT, JwsAlgorithm.ES256);
        assertThat(again.kid()).isEqualTo(first.kid());
        // The stored algorithm wins over the one asked for: a key is never replaced by a new start.
        assertThat(again.algorithm()).isEqualTo(JwsAlgorithm.EDDSA);
        assertThat(store.stat(StorageLayout.tokenSigningKey(Namespace.DEFAULT)).orElseThrow().etag())
                .isEqualTo(stored.etag());
    }

    @Test
    void processesStartingTogetherEndUpWithTheSameKey() throws Exception {
        MemoryStore store = new MemoryStore();
        int starters = 8;
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(starters);
        try {
            Callable<String> start = () -> {
                go.await();
                return StoredSigningKey.loadOrCreate(store, Namespace.DEFAULT, JwsAlgorithm.ES256).kid();
            };
            List<Future<String>> kids = new java.util.ArrayList<>();
            for (int i = 0; i < starters; i++) {
                kids.add(pool.submit(start));
            }
            go.countDown();
            String winner = kids.get(0).get();
            for (Future<String> kid : kids) {
                assertThat(kid.get()).isEqualTo(winner);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
