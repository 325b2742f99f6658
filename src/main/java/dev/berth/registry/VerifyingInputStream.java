package dev.berth.registry;

import dev.berth.registry.digest.Digest;
import dev.berth.storage.BufferReadable;
import dev.berth.storage.ViewReadable;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.HexFormat;

/**
 * Checks a whole blob as it is read ({@link ReadCheck}: its digest, or the CRC32C written with it) before handing out
 * the blob's last bytes: the read that reaches the expected length returns only once the bytes check out, and throws
 * {@link CorruptBlobException} instead when they do not. A caller that forwards bytes as it reads them therefore
 * never forwards a whole wrong blob. A stream that ends early is never checked; the caller sees it short.
 */
final class VerifyingInputStream extends FilterInputStream implements ViewReadable {
    /** What to do once the bytes are checked. */
    interface Outcome {
        /** The bytes checked out. */
        void verified();

        /** The bytes came to {@code found} (a digest or a checksum); returns the failure to throw. */
        CorruptBlobException corrupt(String found);
    }

    private final Digest expected;
    private final long length;
    private final ReadCheck check;
    private final Outcome outcome;
    private long count;
    private boolean checked;

    /**
     * Checks on the reading thread. Hashing each buffer on another thread while the caller sent it was tried: on two
     * CPUs it cost about 40% more CPU per verified byte (hand-overs) and made pulls slower, not faster.
     */
    VerifyingInputStream(InputStream in, Digest expected, ReadCheck check, long length, Outcome outcome) {
        super(in);
        this.expected = expected;
        this.length = length;
        this.check = check;
        this.outcome = outcome;
    }

    /** Checks an empty blob, which has no bytes to stream: its digest must be the digest of nothing. */
    static void check(Digest expected, Outcome outcome) throws CorruptBlobException {
        Digest actual = new Digest(expected.algorithm(),
                HexFormat.of().formatHex(BlobHasher.newDigest(expected.algorithm()).digest()));
        if (!actual.equals(expected)) {
            throw outcome.corrupt(actual.toString());
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
            take(ByteBuffer.wrap(b, off, n));
        }
        return n;
    }

    /** Fills {@code into} from the store, straight when the store's stream can, and hashes what it read. */
    @Override
    public int read(ByteBuffer into) throws IOException {
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
        if (n > 0) {
            take(into.duplicate().position(start).limit(start + n));
        }
        return n;
    }

    /** Lends the store's next bytes where its stream can, checked like bytes read. */
    @Override
    public View view(int max) throws IOException {
        if (!(in instanceof ViewReadable views)) {
            return null;
        }
        View view = views.view(max);
        if (view != null && view.bytes().hasRemaining()) {
            try {
                take(view.bytes().duplicate());
            } catch (IOException e) {
                view.close();
                throw e;
            }
        }
        return view;
    }

    /** Counts and checks bytes just read; when they complete the blob, finishes the check before they go out. */
    private void take(ByteBuffer bytes) throws CorruptBlobException, IOException {
        int n = bytes.remaining();
        if (count + n > length) {
            throw new IOException("the store returned more than the " + length + " bytes of blob " + expected);
        }
        check.update(bytes);
        count += n;
        if (count == length && !checked) {
            checked = true;
            var mismatch = check.mismatch();
            if (mismatch.isPresent()) {
                throw outcome.corrupt(mismatch.get()); // these n bytes, the last ones, are never handed out
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
