package dev.berth.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.config.BerthConfig;
import dev.berth.registry.Namespace;
import dev.berth.registry.RepositoryName;
import dev.berth.registry.StorageLayout;
import dev.berth.registry.UploadRecord;
import dev.berth.registry.digest.DigestAlgorithm;
import dev.berth.registry.digest.Digest;
import dev.berth.storage.MemoryStore;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The collection {@code berth serve} runs on {@code lifecycle.gc.schedule}. */
class ScheduledGcTest {

    @Test
    void runsOnItsIntervalTakingTheLeaseAndStopsOnClose() throws Exception {
        GcFixture f = new GcFixture(new MemoryStore());
        GcFixture.Pushed image = f.image("app", "v1", 1);
        Digest orphan = f.blob("app", f.bytes(64));
        f.registry.blobs().unlink(Namespace.DEFAULT, new RepositoryName("app"), orphan);
        f.age();

        try (ScheduledGc scheduled = ScheduledGc.start(f.store, f.clock, List.of(Namespace.DEFAULT),
                f.options(false), Duration.ofMillis(50), BerthConfig.defaults().lifecycle())) {
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (f.hasData(orphan) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
        }

        assertThat(f.hasData(orphan)).isFalse();
        f.assertComplete("app", image);
        // the lease was released after each run: another process may take it at once
        assertThat(new GcLease(f.store, Namespace.DEFAULT, "other", Duration.ofMinutes(1), f.clock).tryAcquire())
                .isTrue();
    }

    @Test
    void aRunThatCollectedAlsoExpiresOldUploads() throws Exception {
        GcFixture f = new GcFixture(new MemoryStore());
        UploadRecord upload = f.registry.uploads().start(Namespace.DEFAULT, new RepositoryName("app"),
                DigestAlgorithm.SHA256);
        String record = StorageLayout.uploadRecord(Namespace.DEFAULT, upload.id());
        f.clock.advance(Duration.ofHours(25)); // past the default expire-after of 24h

        try (ScheduledGc scheduled = ScheduledGc.start(f.store, f.clock, List.of(Namespace.DEFAULT),
                f.options(false), Duration.ofMillis(20), BerthConfig.defaults().lifecycle())) {
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (f.store.stat(record).isPresent() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
        }

        assertThat(f.store.stat(record)).isEmpty();
    }

    @Test
    void skipsItsTurnWhileAnotherReplicaHoldsTheLease() throws Exception {
        GcFixture f = new GcFixture(new MemoryStore());
        Digest orphan = f.blob("app", f.bytes(64));
        f.registry.blobs().unlink(Namespace.DEFAULT, new RepositoryName("app"), orphan);
        f.age();
        assertThat(new GcLease(f.store, Namespace.DEFAULT, "replica-2", Duration.ofHours(1), f.clock).tryAcquire())
                .isTrue();

        try (ScheduledGc scheduled = ScheduledGc.start(f.store, f.clock, List.of(Namespace.DEFAULT),
                f.options(false), Duration.ofMillis(20), BerthConfig.defaults().lifecycle())) {
            Thread.sleep(300);
        }

        assertThat(f.hasData(orphan)).isTrue();
    }
}
