package dev.berth.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.registry.Namespace;
import dev.berth.storage.MemoryStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The lease lets one collector at a time work on a namespace. */
class GcLeaseTest {
    private final TestClock clock = new TestClock(Instant.parse("2030-01-01T00:00:00Z"));
    private final MemoryStore store = new MemoryStore();

    private GcLease lease(String holder) {
        return new GcLease(store, Namespace.DEFAULT, holder, Duration.ofMinutes(10), clock);
    }

    @Test
    void aHeldLeaseExcludesASecondCollector() {
        GcLease first = lease("a");
        GcLease second = lease("b");

        assertThat(first.tryAcquire()).isTrue();
        assertThat(second.tryAcquire()).isFalse();
        assertThat(second.current()).map(GcLease.State::holder).contains("a");
    }

    @Test
    void aReleasedLeaseIsFreeAtOnce() {
        GcLease first = lease("a");
        first.tryAcquire();
        first.release();

        assertThat(lease("b").tryAcquire()).isTrue();
    }

    @Test
    void anExpiredLeaseIsTakenOverAndItsFormerHolderCannotRenewIt() {
        GcLease first = lease("a");
        first.tryAcquire();
        clock.advance(Duration.ofMinutes(11));
        GcLease second = lease("b");

        assertThat(second.tryAcquire()).isTrue();
        assertThat(first.renew()).isFalse();
        assertThat(second.renew()).isTrue();
    }

    @Test
    void aLeasedRunIsSkippedWhileAnotherProcessHoldsTheLease() {
        assertThat(lease("other").tryAcquire()).isTrue();
        LeasedGc gc = new LeasedGc(store, clock, "me");

        Optional<GcReport> report = gc.collect(Namespace.DEFAULT,
                new GcOptions(Duration.ofHours(1), false, false, Duration.ZERO), GcListener.NONE);

        assertThat(report).isEmpty();
        clock.advance(Duration.ofMinutes(11));
        assertThat(gc.collect(Namespace.DEFAULT, new GcOptions(Duration.ofHours(1), false, false, Duration.ZERO),
                GcListener.NONE)).isPresent();
        // released after the run
        assertThat(lease("third").tryAcquire()).isTrue();
    }
}
