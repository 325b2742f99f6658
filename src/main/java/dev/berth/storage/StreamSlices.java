package dev.berth.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;

/**
 * Cuts one stream into consecutive slices of at most a given length, so that a body longer than one object may
 * hold can be sent as several requests, each slice ending where the next begins. Closing a slice leaves the source
 * open: it belongs to the caller.
 */
final class StreamSlices {
    private final PushbackInputStream source;
    private boolean ended;

    StreamSlices(InputStream source) {
        this.source = new PushbackInputStream(source, 1);
    }

    /** The next slice: the source's next bytes, at most {@code limit} of them. */
    InputStream next(long limit) {
        return new Slice(limit);
    }

    /**
     * Whether the source has more bytes. Reads one ahead when it must, and pushes it back; a slice that stopped
     * short of its limit already saw the end, so the common case of a body that fits costs no read.
     */
    boolean hasMore() throws IOException {
        if (ended) {
            return false;
        }
        int b = source.read();
        if (b < 0) {
            ended = true;
            return false;
        }
        source.unread(b);
        return true;
    }

    /** Whether a read returned the end of the source. */
    boolean ended() {
        return ended;
    }

    private final class Slice extends InputStream {
        private long remaining;

        Slice(long limit) {
            this.remaining = limit;
        }

        @Override
        public int read() throws IOException {
            if (remaining <= 0 || ended) {
                return -1;
            }
            int b = source.read();
            if (b < 0) {
                ended = true;
                return -1;
            }
            remaining--;
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            if (remaining <= 0 || ended) {
                return -1;
            }
            int n = source.read(buffer, offset, (int) Math.min(length, remaining));
            if (n < 0) {
                ended = true;
                return -1;
            }
            remaining -= n;
            return n;
        }

        @Override
        public void close() {
            // the source stays open for the next slice
        }
    }
}
