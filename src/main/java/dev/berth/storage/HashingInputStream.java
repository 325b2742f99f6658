package dev.berth.storage;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.CRC32C;

/**
 * Counts the bytes read through it and computes their MD5 (what Swift reports as the ETag) and CRC32C (what Berth
 * records) on the way, so a streamed put checks the server without reading the data twice. It remembers whether
 * it was read at all, since a body that was started cannot be sent again, and the failure of the source, so that
 * a client's broken upload stays recognisable in the cause chain.
 */
final class HashingInputStream extends FilterInputStream {
    private final MessageDigest md5;
    private final CRC32C crc = new CRC32C();
    private long count;
    private volatile boolean touched;
    private volatile IOException failure;

    HashingInputStream(InputStream in) {
        super(in);
        try {
            md5 = MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has MD5", e);
        }
    }

    @Override
    public int read() throws IOException {
        touched = true;
        int b;
        try {
            b = super.read();
        } catch (IOException e) {
            failure = e;
            throw e;
        }
        if (b >= 0) {
            md5.update((byte) b);
            crc.update(b);
            count++;
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        touched = true;
        int n;
        try {
            n = super.read(buffer, offset, length);
        } catch (IOException e) {
            failure = e;
            throw e;
        }
        if (n > 0) {
            md5.update(buffer, offset, n);
            crc.update(buffer, offset, n);
            count += n;
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        throw new IOException("a hashed stream cannot skip");
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    /** The source must not be closed by the HTTP client: it belongs to the caller. */
    @Override
    public void close() {}

    long count() {
        return count;
    }

    boolean touched() {
        return touched;
    }

    /** The failure the source itself threw, or null. */
    IOException failure() {
        return failure;
    }

    String md5Hex() {
        return HexFormat.of().formatHex(md5.digest());
    }

    String crc32cHex() {
        return Crc32cs.hex(crc.getValue());
    }
}
