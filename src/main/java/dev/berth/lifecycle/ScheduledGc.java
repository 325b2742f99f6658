package dev.berth.lifecycle;

import dev.berth.config.BerthConfig;
import dev.berth.registry.Namespace;
import dev.berth.storage.ObjectStore;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Garbage collection at a fixed interval inside {@code berth serve}, on a daemon thread. Each run takes the
 * namespace's lease first, so among replicas sharing a store one collects at a time; the others skip that turn.
 * The replica that collected then applies upload and tag expiry and the retention rules, whose releases the next
 * run collects.
 */
public final class ScheduledGc implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ScheduledGc.class);

    private final ScheduledExecutorService executor;
    private final LeasedGc gc;
    private final List<Namespace> namespaces;
    private final GcOptions options;
    private final ExpiryPlanner expiry;
    private final ExpiryExecutor expiryExecutor;
    private final Clock clock;
    private final LongAdder completed = new LongAdder();
    private final LongAdder skipped = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder deleted = new LongAdder();
    private final LongAdder bytesFreed = new LongAdder();
    private final AtomicLong lastCompletedMillis = new AtomicLong();

    private ScheduledGc(LeasedGc gc, List<Namespace> namespaces, GcOptions options, ObjectStore store, Clock clock,
            BerthConfig.Lifecycle lifecycle) {
        this.gc = gc;
        this.expiry = new ExpiryPlanner(store, lifecycle);
        this.expiryExecutor = new ExpiryExecutor(store);
        this.clock = clock;
        this.namespaces = List.copyOf(namespaces);
        this.options = options;
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "berth-gc");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Starts collecting {@code namespaces} every {@code interval}, the first run one interval from now, applying the
     * expiry and retention of {@code lifecycle} after each run this process collected.
     */
    public static ScheduledGc start(ObjectStore store, Clock clock, List<Namespace> namespaces, GcOptions options,
            Duration interval, BerthConfig.Lifecycle lifecycle) {
        String holder = "serve-" + ProcessHandle.current().pid() + "-" + UUID.randomUUID();
        ScheduledGc scheduled = new ScheduledGc(new LeasedGc(store, clock, holder), namespaces, options, store, clock,
                lifecycle);
        long millis = Math.max(1, interval.toMillis());
        scheduled.executor.scheduleWithFixedDelay(scheduled::runOnce, millis, millis, TimeUnit.MILLISECONDS);
        log.info("gc scheduled every {} with a grace window of {}", interval, options.grace());
        return scheduled;
    }

    /**
     * What the scheduled runs of this process did so far.
     *
     * @param completed runs that collected
     * @param skipped turns skipped because another process held the lease
     * @param failed runs that stopped on an error
     * @param deleted objects the completed runs deleted
     * @param bytesFreed their total size
     * @param lastCompletedMillis when the last run completed, in milliseconds since the epoch; 0 before the first
     */
    public record Stats(long completed, long skipped, long failed, long deleted, long bytesFreed,
            long lastCompletedMillis) {}

    /** The counts so far. */
    public Stats stats() {
        return new Stats(completed.sum(), skipped.sum(), failed.sum(), deleted.sum(), bytesFreed.sum(),
                lastCompletedMillis.get());
    }

    private void runOnce() {
        for (Namespace ns : namespaces) {
            try {
                Optional<GcReport> report = gc.collect(ns, options, GcListener.NONE);
                if (report.isPresent()) {
                    completed.increment();
                    deleted.add(report.get().deleted());
                    bytesFreed.add(report.get().bytesFreed());
                    lastCompletedMillis.set(clock.millis());
                    log.info("namespace {}: {}", ns.id(), report.get().summary());
                    ExpiryResult expired = expiryExecutor.apply(expiry.plan(ns, clock.instant()));
                    if (!expired.applied().isEmpty() || !expired.failures().isEmpty()) {
                        log.info("namespace {}: expiry and retention removed {}, {} failed", ns.id(),
                                expired.applied().size(), expired.failures().size());
                    }
                } else {
                    skipped.increment();
                    log.debug("namespace {}: gc skipped, another process holds the lease", ns.id());
                }
            } catch (RuntimeException e) {
                // A failed run must not end the schedule: the next one starts from scratch and is just as safe.
                failed.increment();
                log.error("namespace {}: gc failed: {}", ns.id(), e.toString(), e);
            }
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
