package dev.berth.e2e;

import java.io.InputStream;
import java.util.SplittableRandom;

/**
 * A deterministic stream of pseudo-random bytes: the same seed and length always give the same bytes,
 * so a test can push gigabytes and check them without keeping them anywhere.
 */
public final class SeededBytes extends InputStream {
    private final SplittableRandom random;
    private long remaining;
    private long word;
    private int wordBytesLeft;

    /** {@code length} bytes derived from {@code seed}. */
    public SeededBytes(long seed, long length) {
        this.random = new SplittableRandom(seed);
        this.remaining = length;
    }

    /** All {@code length} bytes for {@code seed}, for small amounts. */
    public static byte[] array(long seed, int length) {
        byte[] bytes = new byte[length];
        new SeededBytes(seed, length).read(bytes, 0, length);
        return bytes;
    }

    @Override
    public int read() {
        if (remaining <= 0) {
            return -1;
        }
        remaining--;
        return nextByte() & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) {
        if (length == 0) {
            return 0;
        }
        if (remaining <= 0) {
            return -1;
        }
        int n = (int) Math.min(length, remaining);
        int i = offset;
        int end = offset + n;
        while (i < end && wordBytesLeft > 0) {
            buffer[i++] = nextByte();
        }
        // Whole 8-byte words: the fast path that keeps a 1 GiB stream well above network speed.
        while (end - i >= 8) {
            long value = random.nextLong();
            for (int b = 0; b < 8; b++) {
                buffer[i++] = (byte) value;
                value >>>= 8;
            }
        }
        while (i < end) {
            buffer[i++] = nextByte();
        }
        remaining -= n;
        return n;
    }

    @Override
    public long skip(long n) {
        // Skipping must still advance the generator so the bytes after it stay the same.
        long skipped = 0;
        byte[] scratch = new byte[8192];
        while (skipped < n) {
            int got = read(scratch, 0, (int) Math.min(scratch.length, n - skipped));
            if (got < 0) {
                break;
            }
            skipped += got;
        }
        return skipped;
    }

    @Override
    public int available() {
        return (int) Math.min(Integer.MAX_VALUE, remaining);
    }

    private byte nextByte() {
        if (wordBytesLeft == 0) {
            word = random.nextLong();
            wordBytesLeft = 8;
        }
        byte b = (byte) word;
        word >>>= 8;
        wordBytesLeft--;
        return b;
    }
}
