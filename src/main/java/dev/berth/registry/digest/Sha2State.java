package dev.berth.registry.digest;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * The running state of a SHA-256 or SHA-512 computation and its versioned binary form.
 *
 * <p>Version 1, all integers big-endian:
 * <pre>
 *   u8      version            1
 *   u8      algorithm          1 = SHA-256, 2 = SHA-512
 *   u64     length             bytes hashed so far
 *   8 × w   chaining words     H0..H7; w = u32 for SHA-256, u64 for SHA-512
 *   n × u8  partial block      the last (length mod block size) bytes, not yet compressed
 *   u32     check              CRC32C of everything before it
 * </pre>
 * A SHA-256 state is 46 to 109 bytes, a SHA-512 state 78 to 205 bytes.
 *
 * @param algorithm the hash algorithm
 * @param length the number of bytes hashed so far
 * @param words the eight chaining words H0..H7 (SHA-256 words zero-extended to 64 bits)
 * @param partial the bytes of the incomplete last block, {@code length mod blockSize} of them
 */
record Sha2State(DigestAlgorithm algorithm, long length, long[] words, byte[] partial) {
    /** The only version written; a reader refuses others so that a format change is never misread. */
    static final int VERSION = 1;

    private static final int HEADER = 1 + 1 + 8;
    private static final int CHECK = 4;

    Sha2State {
        if (length < 0 || (algorithm == DigestAlgorithm.SHA256 && length >= 1L << 61)) {
            throw new IllegalArgumentException("digest state: length " + length + " out of range for " + algorithm.jdkName());
        }
        if (words.length != 8) {
            throw new IllegalArgumentException("digest state: " + words.length + " chaining words instead of 8");
        }
        if (algorithm == DigestAlgorithm.SHA256) {
            for (long w : words) {
                if (w >>> 32 != 0) {
                    throw new IllegalArgumentException("digest state: SHA-256 chaining word wider than 32 bits");
                }
            }
        }
        if (partial.length != length % blockSize(algorithm)) {
            throw new IllegalArgumentException("digest state: " + partial.length + " buffered bytes for length " + length);
        }
    }

    /** The block size of {@code algorithm} in bytes: 64 for SHA-256, 128 for SHA-512. */
    static int blockSize(DigestAlgorithm algorithm) {
        return switch (algorithm) {
            case SHA256 -> 64;
            case SHA512 -> 128;
        };
    }

    /** The width of one chaining word in bytes: 4 for SHA-256, 8 for SHA-512. */
    static int wordSize(DigestAlgorithm algorithm) {
        return switch (algorithm) {
            case SHA256 -> 4;
            case SHA512 -> 8;
        };
    }

    /** The binary form described in the class comment. */
    byte[] encode() {
        int wordSize = wordSize(algorithm);
        ByteBuffer out = ByteBuffer.allocate(HEADER + 8 * wordSize + partial.length + CHECK);
        out.put((byte) VERSION).put(algorithmCode(algorithm)).putLong(length);
        for (long w : words) {
            if (wordSize == 4) {
                out.putInt((int) w);
            } else {
                out.putLong(w);
            }
        }
        out.put(partial);
        out.putInt((int) crc32c(out.array(), out.position()));
        return out.array();
    }

    /** Parses the binary form, refusing anything truncated, corrupt or of another version. */
    static Sha2State decode(byte[] state) {
        if (state == null) {
            throw new IllegalArgumentException("digest state: null");
        }
        if (state.length < HEADER + CHECK) {
            throw new IllegalArgumentException("digest state: truncated (" + state.length + " bytes)");
        }
        int version = state[0] & 0xff;
        if (version != VERSION) {
            throw new IllegalArgumentException("digest state: unknown version " + version + " (this build reads version " + VERSION + ")");
        }
        DigestAlgorithm algorithm = switch (state[1]) {
            case 1 -> DigestAlgorithm.SHA256;
            case 2 -> DigestAlgorithm.SHA512;
            default -> throw new IllegalArgumentException("digest state: unknown algorithm code " + (state[1] & 0xff));
        };
        ByteBuffer in = ByteBuffer.wrap(state);
        in.position(2);
        long length = in.getLong();
        if (length < 0) {
            throw new IllegalArgumentException("digest state: negative length " + length);
        }
        int wordSize = wordSize(algorithm);
        int partialLength = (int) (length % blockSize(algorithm));
        int expected = HEADER + 8 * wordSize + partialLength + CHECK;
        if (state.length != expected) {
            throw new IllegalArgumentException("digest state: " + state.length + " bytes where a " + algorithm.jdkName()
                    + " state of length " + length + " has " + expected + " (truncated or corrupt)");
        }
        int stored = ByteBuffer.wrap(state, expected - CHECK, CHECK).getInt();
        if (stored != (int) crc32c(state, expected - CHECK)) {
            throw new IllegalArgumentException("digest state: checksum mismatch (corrupt)");
        }
        long[] words = new long[8];
        for (int i = 0; i < 8; i++) {
            words[i] = wordSize == 4 ? in.getInt() & 0xffffffffL : in.getLong();
        }
        byte[] partial = new byte[partialLength];
        in.get(partial);
        return new Sha2State(algorithm, length, words, partial);
    }

    private static byte algorithmCode(DigestAlgorithm algorithm) {
        return switch (algorithm) {
            case SHA256 -> 1;
            case SHA512 -> 2;
        };
    }

    private static long crc32c(byte[] b, int len) {
        CRC32C crc = new CRC32C();
        crc.update(b, 0, len);
        return crc.getValue();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Sha2State s && algorithm == s.algorithm && length == s.length
                && Arrays.equals(words, s.words) && Arrays.equals(partial, s.partial);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * algorithm.hashCode() + Long.hashCode(length)) + Arrays.hashCode(words)) + Arrays.hashCode(partial);
    }

    @Override
    public String toString() {
        return "Sha2State[" + algorithm.id() + ", length=" + length + "]";
    }
}
