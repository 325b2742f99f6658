package dev.berth.storage;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.FileChannel;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * Flushes a file being written to disk in the background, every {@code interval} bytes, so that the final
 * {@code force} before the file is published waits only for the last stretch instead of the whole file. An upload
 * of 50 MiB otherwise ended with one flush of all of it, which the client waited for after sending its last byte.
 * At most one flush runs at a time; bytes written meanwhile are covered by the next one, or by the final force.
 */
final class EarlyWriteback {
    private final FileChannel channel;
    private final long interval;
    private long sinceLastFlush;
    private FutureTask<Void> flushing;

    EarlyWriteback(FileChannel channel, long interval) {
        this.channel = channel;
        this.interval = interval;
    }

    /** Counts {@code n} bytes just written, and starts a flush when enough have gathered and none is running. */
    void written(long n) throws IOException {
        sinceLastFlush += n;
        if (sinceLastFlush < interval || (flushing != null && !flushing.isDone())) {
            return;
        }
        awaitFlush(); // done already: this only surfaces its failure
        sinceLastFlush = 0;
        FutureTask<Void> flush = new FutureTask<>(() -> {
            channel.force(false);
            return null;
        });
        flushing = flush;
        Thread.ofVirtual().name("berth-writeback").start(flush);
    }

    /** Waits for a running flush; a flush that failed fails the write. */
    void awaitFlush() throws IOException {
        FutureTask<Void> flush = flushing;
        if (flush == null) {
            return;
        }
        flushing = null;
        try {
            flush.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while flushing a file to disk");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException("flushing a file failed", e.getCause());
        }
    }
}
