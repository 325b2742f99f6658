package dev.berth.storage;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Passes exactly the declared number of bytes and fails the read that would complete the body when the source
 * yields fewer or more, so the request is cut short and the server publishes nothing.
 */
final class ExactLengthInputStream extends FilterInputStream {
    private long remaining;

    ExactLengthInputStream(InputStream in, long length) {
        super(in);
        this.remaining = length;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (remaining == 0) {
            return -1;
        }
        int n = in.read(b, off, (int) Math.min(len, remaining));
        if (n < 0) {
            throw new IOException("the body ended " + remaining + " bytes before its declared length");
        }
        remaining -= n;
        // Before handing out the last bytes, make sure nothing follows them.
        if (remaining == 0 && in.read() >= 0) {
            throw new IOException("the body is longer than its declared length");
        }
        return n;
    }

    @Override
    public long skip(long n) {
        return 0;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    @Override
    public void close() {
        // The caller owns the underlying stream.
    }
}
