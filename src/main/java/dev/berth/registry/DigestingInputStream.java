package dev.berth.registry;

import dev.berth.registry.digest.ResumableDigest;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.CRC32C;

/** Passes a chunk through to the store while feeding the running digest and the chunk's CRC32C. */
final class DigestingInputStream extends FilterInputStream {
    private final ResumableDigest digest;
    private final CRC32C crc = new CRC32C();
    private long count;

    DigestingInputStream(InputStream in, ResumableDigest digest) {
        super(in);
        this.digest = digest;
    }

    @Override
    public int read() throws IOException {
        int b = readFromClient();
        if (b >= 0) {
            byte[] one = {(byte) b};
            digest.update(one, 0, 1);
            crc.update(b);
            count++;
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n;
        try {
            n = super.read(b, off, len);
        } catch (IOException e) {
            throw new ClientBodyException(e);
        }
        if (n > 0) {
            digest.update(b, off, n);
            crc.update(b, off, n);
            count += n;
        }
        return n;
    }

    @Override
    public long skip(long n) {
        // Skipping would leave bytes out of the digest; the store never needs it.
        return 0;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    private int readFromClient() throws IOException {
        try {
            return super.read();
        } catch (IOException e) {
            throw new ClientBodyException(e);
        }
    }

    /** True when {@code failure} was caused by the client's body failing, not by the store. */
    static boolean causedByClient(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ClientBodyException) {
                return true;
            }
        }
        return false;
    }

    /** Marks a read failure of the request body, so a backend's wrapping of it can be told from its own failures. */
    static final class ClientBodyException extends IOException {
        ClientBodyException(IOException cause) {
            super("request body: " + cause.getMessage(), cause);
        }
    }

    /** The bytes that went through. */
    long count() {
        return count;
    }

    /** The CRC32C of the bytes that went through. */
    long crc32c() {
        return crc.getValue();
    }
}
