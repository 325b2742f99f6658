package dev.berth.storage;

import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Striped locks by key, so a check-then-write stands in for a conditional write within one process. They exclude
 * nothing in other processes: see {@link S3Store} for the guarantee that remains.
 */
final class KeyLocks {
    private final ReentrantLock[] stripes;

    KeyLocks(int count) {
        stripes = new ReentrantLock[count];
        for (int i = 0; i < count; i++) {
            stripes[i] = new ReentrantLock();
        }
    }

    /** Runs {@code action} while holding the lock of {@code key}'s stripe. */
    <T> T locked(String key, Supplier<T> action) {
        ReentrantLock lock = stripes[Math.floorMod(key.hashCode(), stripes.length)];
        lock.lock();
        try {
            return action.get();
        } finally {
            lock.unlock();
        }
    }
}
