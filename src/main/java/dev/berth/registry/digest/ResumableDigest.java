package dev.berth.registry.digest;

import java.nio.ByteBuffer;

/**
 * A running SHA-256 or SHA-512 whose state can be saved and restored in another process.
 *
 * <p>An upload keeps one of these across chunks: after each chunk it stores {@link #state()} in the
 * upload record, and the next chunk, on whichever replica, continues from {@link #resume(byte[])}.
 * <pre>{@code
 * ResumableDigest d = ResumableDigest.resume(record.digestState());
 * d.update(chunk, 0, chunk.length);
 * record = record.withDigestState(d.state());
 * }</pre>
 * Instances are not thread-safe.
 */
public interface ResumableDigest {

    /** Starts a digest of the empty message with the fastest implementation that passed its self-test. */
    static ResumableDigest start(DigestAlgorithm algorithm) {
        return Sha2Selection.CURRENT.jdk() ? JdkSha2Digest.start(algorithm) : PortableSha2Digest.start(algorithm);
    }

    /** Restores a digest from {@link #state()} of either implementation; throws IllegalArgumentException if it is not a valid state. */
    static ResumableDigest resume(byte[] state) {
        Sha2State s = Sha2State.decode(state);
        return Sha2Selection.CURRENT.jdk() ? JdkSha2Digest.restore(s) : PortableSha2Digest.restore(s);
    }

    /** The simple name of the implementation {@link #start} uses, such as {@code JdkSha2Digest}, for the start-up log. */
    static String implementation() {
        return Sha2Selection.CURRENT.implementation();
    }

    /** The hash algorithm. */
    DigestAlgorithm algorithm();

    /** Hashes {@code len} bytes of {@code b} from {@code off}. */
    void update(byte[] b, int off, int len);

    /** Hashes the remaining bytes of {@code buf} and advances its position to its limit. */
    default void update(ByteBuffer buf) {
        if (buf.hasArray()) {
            update(buf.array(), buf.arrayOffset() + buf.position(), buf.remaining());
            buf.position(buf.limit());
            return;
        }
        // A direct or read-only buffer has no array to hand over, so it goes through a bounded copy.
        byte[] copy = new byte[Math.min(buf.remaining(), 64 * 1024)];
        while (buf.hasRemaining()) {
            int n = Math.min(copy.length, buf.remaining());
            buf.get(copy, 0, n);
            update(copy, 0, n);
        }
    }

    /** The number of bytes hashed so far. */
    long length();

    /** The versioned binary serialization of the running state, readable by {@link #resume(byte[])}. */
    byte[] state();

    /** The digest of everything hashed so far; the running state is left as it was, so updates may continue. */
    Digest digest();
}
