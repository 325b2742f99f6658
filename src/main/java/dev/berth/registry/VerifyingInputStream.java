package dev.berth.registry;

import dev.berth.registry.digest.Digest;
import dev.berth.storage.BufferReadable;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;

/**
 * Hashes a whole blob as it is read and checks the digest before handing out the blob's last bytes: the read that
 * reaches the expected length returns only once the bytes hash right, and throws {@link CorruptBlobException}
 * instead when they do not. A caller that forwards bytes as it reads them therefore never forwards a whole wrong
 * blob. A stream that ends early is never checked; the caller sees it short.
 */
final class VerifyingInputStream extends FilterInputStream implements BufferReadable {
    /** What to do once the bytes are hashed. */
    interface Outcome {
        /** The bytes hash to the digest. */
        void verified();

        /** The bytes hash to {@code actual}; returns the failure to throw. */
        CorruptBlobException corrupt(Digest actual);
    }

    private final Digest expected;
    private final long length;
    private final MessageDigest md;
    private final Outcome outcome;
    private final Executor hasher;
    private long count;
    private boolean checked;
    /** The hash of the bytes last handed out by {@link #read(ByteBuffer)}, running while the caller sends them. */
    private Future<?> pendingHash;

    VerifyingInputStream(InputStream in, Digest expected, long length, Outcome outcome) {
        this(in, expected, length, outcome, Runnable::run);
    }

    /**
     * A stream whose buffer reads are hashed on {@code hasher} while the caller sends them, so that hashing and
     * sending overlap; the read that completes the blob is still hashed and checked before it returns.
     */
    VerifyingInputStream(InputStream in, Digest expected, long length, Outcome outcome, Executor hasher) {
        super(in);
        this.hasher = hasher;
        this.expected = expected;
        this.length = length;
        this.md = BlobHasher.newDigest(expected.algorithm());
        this.outcome = outcome;
    }

    /** Checks an empty blob, which has no bytes to stream: its digest must be the digest of nothing. */
    static void check(Digest expected, Outcome outcome) throws CorruptBlobException {
        Digest actual = new Digest(expected.algorithm(),
                HexFormat.of().formatHex(BlobHasher.newDigest(expected.algorithm()).digest()));
        if (!actual.equals(expected)) {
            throw outcome.corrupt(actual);
        }
        outcome.verified();
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n <= 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) {
            hashed(ByteBuffer.wrap(b, off, n));
        }
        return n;
    }

    /**
     * Fills {@code into} from the store, straight when the store's stream can, and hashes what it read: in the
     * background while more bytes remain (the caller must not refill {@code into} before calling this again, which
     * first waits for that hash), and before returning for the last bytes.
     */
    @Override
    public int read(ByteBuffer into) throws IOException {
        awaitPendingHash();
        int start = into.position();
        int n;
        if (in instanceof BufferReadable direct) {
            n = direct.read(into);
        } else {
            byte[] bytes = new byte[Math.min(into.remaining(), 64 * 1024)];
            n = in.read(bytes);
            if (n > 0) {
                into.put(bytes, 0, n);
            }
        }
        if (n <= 0) {
            return n;
        }
        ByteBuffer bytes = into.duplicate().position(start).limit(start + n);
        if (count + n < length) {
            count += n;
            FutureTask<Void> hash = new FutureTask<>(() -> md.update(bytes), null);
            hasher.execute(hash);
            pendingHash = hash;
        } else {
            hashed(bytes);
        }
        return n;
    }

    private void awaitPendingHash() throws IOException {
        if (pendingHash == null) {
            return;
        }
        try {
            pendingHash.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while hashing blob " + expected);
        } catch (ExecutionException e) {
            throw new IOException("hashing blob " + expected + " failed", e.getCause());
        } finally {
            pendingHash = null;
        }
    }

    /** Waits for a background hash first: it may still be reading a buffer the caller is about to reuse. */
    @Override
    public void close() throws IOException {
        try {
            awaitPendingHash();
        } finally {
            super.close();
        }
    }

    /** Counts and hashes bytes just read; when they complete the blob, checks the digest before they go out. */
    private void hashed(ByteBuffer bytes) throws CorruptBlobException, IOException {
        int n = bytes.remaining();
        if (count + n > length) {
            throw new IOException("the store returned more than the " + length + " bytes of blob " + expected);
        }
        md.update(bytes);
        count += n;
        if (count == length && !checked) {
            checked = true;
            Digest actual = new Digest(expected.algorithm(), HexFormat.of().formatHex(md.digest()));
            if (!actual.equals(expected)) {
                throw outcome.corrupt(actual); // these n bytes, the last ones, are never handed out
            }
            outcome.verified();
        }
    }

    @Override
    public long skip(long n) throws IOException {
        throw new IOException("a verified read cannot skip bytes: they would not be hashed");
    }

    @Override
    public boolean markSupported() {
        return false;
    }
}
