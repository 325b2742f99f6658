package dev.berth.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs one operation on {@code concurrency} threads (each a client connection) until the operation budget or the
 * duration is spent, timing each operation, and sums up the run.
 */
final class BenchRunner {
    private final RegistryClient client;

    BenchRunner(RegistryClient client) {
        this.client = client;
    }

    /** One timed operation; returns the payload bytes it moved. {@code sequence} is unique within the process. */
    interface Operation {
        long perform(long sequence) throws Exception;
    }

    /** Runs {@code operation} without measuring it, {@code count} times on one thread; fails on the first error. */
    void warmUp(Operation operation, int count, AtomicLong sequence) throws Exception {
        for (int i = 0; i < count; i++) {
            operation.perform(sequence.getAndIncrement());
        }
    }

    /** Runs and measures {@code operation}; a failed operation is counted and the run goes on. */
    RunResult run(Scenario scenario, ByteSize size, int concurrency, long budget, Duration duration,
            Operation operation, AtomicLong sequence) throws InterruptedException {
        AtomicLong remaining = new AtomicLong(budget);
        AtomicLong bytes = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        AtomicReference<String> firstError = new AtomicReference<>();
        CountDownLatch ready = new CountDownLatch(concurrency);
        CountDownLatch go = new CountDownLatch(1);
        List<Latencies> perWorker = new ArrayList<>();
        List<Thread> workers = new ArrayList<>();
        long[] deadline = new long[1];
        for (int w = 0; w < concurrency; w++) {
            Latencies latencies = new Latencies();
            perWorker.add(latencies);
            Thread worker = new Thread(() -> {
                ready.countDown();
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                long moved = 0;
                while (remaining.getAndDecrement() > 0 && (duration == null || System.nanoTime() < deadline[0])) {
                    long start = System.nanoTime();
                    try {
                        moved += operation.perform(sequence.getAndIncrement());
                        latencies.record(System.nanoTime() - start);
                    } catch (Exception e) {
                        errors.incrementAndGet();
                        firstError.compareAndSet(null, e.getClass().getSimpleName() + ": " + e.getMessage());
                        if (e instanceof InterruptedException) {
                            break;
                        }
                    }
                }
                bytes.addAndGet(moved);
            }, "bench-" + scenario.id() + "-" + w);
            worker.setDaemon(true);
            workers.add(worker);
            worker.start();
        }
        ready.await();
        long requestsBefore = client.requestsSent();
        long start = System.nanoTime();
        deadline[0] = duration == null ? Long.MAX_VALUE : start + duration.toNanos();
        go.countDown(); // the latch publishes the deadline to the workers
        for (Thread worker : workers) {
            worker.join();
        }
        long elapsed = System.nanoTime() - start;
        Latencies all = new Latencies();
        perWorker.forEach(all::merge);
        return RunResult.of(scenario, size, concurrency, all.count(), errors.get(),
                client.requestsSent() - requestsBefore, elapsed, bytes.get(), all, firstError.get());
    }
}
