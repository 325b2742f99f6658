package dev.berth.storage;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.CRC32C;

/** Counts the bytes passing to the store and computes their CRC32C and MD5 on the way. */
final class ChecksummingInputStream extends FilterInputStream {
    private final CRC32C crc = new CRC32C();
    private final MessageDigest md5 = newMd5();
    private long count;
    /** The first read failure, kept because the SDK may replace it with its own exception. */
    private IOException failure;

    ChecksummingInputStream(InputStream in) {
        super(in);
    }

    @Override
    public int read() throws IOException {
        int b;
        try {
            b = super.read();
        } catch (IOException e) {
            throw remember(e);
        }
        if (b >= 0) {
            crc.update(b);
            md5.update((byte) b);
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
            throw remember(e);
        }
        if (n > 0) {
            crc.update(b, off, n);
            md5.update(b, off, n);
            count += n;
        }
        return n;
    }

    @Override
    public long skip(long n) {
        return 0; // skipped bytes would be missing from the checksums; the SDK never needs to skip
    }

    @Override
    public boolean markSupported() {
        return false; // a retry cannot replay a client's body
    }

    @Override
    public void close() {
        // The caller owns the underlying stream; the SDK closes what it is given.
    }

    private IOException remember(IOException e) {
        if (failure == null) {
            failure = e;
        }
        return e;
    }

    /** The first failure reading the body, or null. */
    IOException failure() {
        return failure;
    }

    long count() {
        return count;
    }

    long crc32c() {
        return crc.getValue();
    }

    /** The MD5 in lower-case hex, as S3 reports it in a single-part ETag; call once, at the end. */
    String md5Hex() {
        return HexFormat.of().formatHex(md5.digest());
    }

    static MessageDigest newMd5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no MD5", e);
        }
    }
}
