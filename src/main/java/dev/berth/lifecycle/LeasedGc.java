package dev.berth.lifecycle;

import dev.berth.registry.Namespace;
import dev.berth.storage.ObjectStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** One garbage collection under the namespace's lease, renewed as the collection progresses. */
public final class LeasedGc {
    /** How long a lease lasts without renewal; a collector that dies frees the namespace after this. */
    public static final Duration LEASE_TTL = Duration.ofMinutes(10);

    private final ObjectStore store;
    private final Clock clock;
    private final String holder;

    public LeasedGc(ObjectStore store, Clock clock, String holder) {
        this.store = store;
        this.clock = clock;
        this.holder = holder;
    }

    /** Thrown through the collector when the lease was lost mid-run, which stops it between two objects. */
    public static final class LeaseLostException extends RuntimeException {
        LeaseLostException(String message) {
            super(message);
        }
    }

    /**
     * Collects {@code ns} when the lease can be taken; empty when another holder's lease is current. The lease is
     * released afterwards, whatever happened.
     */
    public Optional<GcReport> collect(Namespace ns, GcOptions options, GcListener listener) {
        GcLease lease = new GcLease(store, ns, holder, LEASE_TTL, clock);
        if (!lease.tryAcquire()) {
            return Optional.empty();
        }
        try {
            Instant[] renewed = {clock.instant()};
            GcListener renewing = new GcListener() {
                @Override
                public void progress(GcProgress progress) {
                    if (Duration.between(renewed[0], clock.instant()).compareTo(LEASE_TTL.dividedBy(3)) > 0) {
                        if (!lease.renew()) {
                            throw new LeaseLostException("the gc lease of " + ns.id() + " was taken over");
                        }
                        renewed[0] = clock.instant();
                    }
                    listener.progress(progress);
                }

                @Override
                public void victim(GcVictim victim) {
                    listener.victim(victim);
                }
            };
            return Optional.of(new GarbageCollector(store, clock).collect(ns, options, renewing));
        } finally {
            lease.release();
        }
    }

    /** Who holds the lease of {@code ns}, as stored. */
    public Optional<GcLease.State> leaseState(Namespace ns) {
        return new GcLease(store, ns, holder, LEASE_TTL, clock).current();
    }
}
