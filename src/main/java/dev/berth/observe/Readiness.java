package dev.berth.observe;

import dev.berth.storage.ObjectStore;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Whether the store answers: a stat of one key (absent or not, an answer proves the backend is reachable and takes
 * Berth's credentials), bounded by a timeout, and reused for a short while so that load balancers probing every
 * second cost the store at most one call per cache period. A stat that hangs is not started again while it runs:
 * later probes wait for the same call, up to the timeout each.
 */
public final class Readiness implements AutoCloseable {
    /** The key stated; nothing writes it, so the call is the cheapest a backend can answer. */
    static final String PROBE_KEY = "berth-readiness-probe";
    private static final int MAX_REASON = 300;

    private final ObjectStore store;
    private final long timeoutNanos;
    private final long cacheNanos;
    private final Duration timeout;
    private final ExecutorService probes;
    private Future<?> inFlight;
    private Answer last;
    private long lastAtNanos;

    /**
     * The outcome of a check.
     *
     * @param ready whether the store answered in time
     * @param reason why not; empty when ready
     */
    public record Answer(boolean ready, String reason) {}

    /** Checks {@code store}, waiting at most {@code timeout}, and reuses an answer for {@code cache}. */
    public Readiness(ObjectStore store, Duration timeout, Duration cache) {
        this.store = store;
        this.timeout = timeout;
        this.timeoutNanos = timeout.toNanos();
        this.cacheNanos = cache.toNanos();
        this.probes = Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, "berth-readiness");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Whether the store is reachable now, or was within the cache period. */
    public synchronized Answer check() {
        long now = System.nanoTime();
        if (last != null && now - lastAtNanos < cacheNanos) {
            return last;
        }
        if (inFlight == null || inFlight.isDone()) {
            inFlight = probes.submit(() -> store.stat(PROBE_KEY));
        }
        Answer answer;
        try {
            inFlight.get(timeoutNanos, TimeUnit.NANOSECONDS);
            answer = new Answer(true, "");
        } catch (TimeoutException e) {
            answer = new Answer(false, "the store did not answer within " + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            answer = new Answer(false, capped("the store failed: " + e.getCause().getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(false, "interrupted");
        }
        last = answer;
        lastAtNanos = System.nanoTime();
        return answer;
    }

    private static String capped(String reason) {
        return reason.length() <= MAX_REASON ? reason : reason.substring(0, MAX_REASON) + "...";
    }

    @Override
    public void close() {
        probes.shutdownNow();
    }
}
