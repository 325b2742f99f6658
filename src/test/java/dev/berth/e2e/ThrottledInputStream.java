package dev.berth.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An input stream that hands out its bytes no faster than a given rate, as a slow client sends a body, and counts
 * what it has handed out so a test can act while the body is still on its way.
 */
public final class ThrottledInputStream extends InputStream {
    /** Bytes per read at most, so the rate holds at a fine grain. */
    private static final int SLICE = 16 * 1024;

    private final InputStream in;
    private final long bytesPerSecond;
    private final long pauseAt;
    private final long pauseNanos;
    private final AtomicLong sent = new AtomicLong();
    private long started;

    /** {@code in}, at most {@code bytesPerSecond}. */
    public ThrottledInputStream(InputStream in, long bytesPerSecond) {
        this(in, bytesPerSecond, Long.MAX_VALUE, java.time.Duration.ZERO);
    }

    /** {@code in}, at most {@code bytesPerSecond}, stopping for {@code pause} once {@code pauseAt} bytes are out. */
    public ThrottledInputStream(InputStream in, long bytesPerSecond, long pauseAt, java.time.Duration pause) {
        this.in = in;
        this.bytesPerSecond = bytesPerSecond;
        this.pauseAt = pauseAt;
        this.pauseNanos = pause.toNanos();
    }

    /** The bytes read from this stream so far. */
    public long sent() {
        return sent.get();
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (started == 0) {
            started = System.nanoTime();
        }
        // Wait until the bytes sent so far are due at the rate (plus the pause, once past it), then hand out a slice.
        long dueNanos = started + sent.get() * 1_000_000_000L / bytesPerSecond
                + (sent.get() >= pauseAt ? pauseNanos : 0);
        long waitNanos = dueNanos - System.nanoTime();
        if (waitNanos > 0) {
            try {
                Thread.sleep(waitNanos / 1_000_000, (int) (waitNanos % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while throttling");
            }
        }
        long untilPause = pauseAt - sent.get();
        int n = in.read(buffer, offset, (int) Math.min(Math.min(length, SLICE), untilPause > 0 ? untilPause : SLICE));
        if (n > 0) {
            sent.addAndGet(n);
        }
        return n;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
