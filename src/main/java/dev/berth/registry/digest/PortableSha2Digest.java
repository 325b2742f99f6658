package dev.berth.registry.digest;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A pure-Java resumable SHA-256/SHA-512 written from FIPS 180-4, with the same state format as
 * {@link JdkSha2Digest}: the fallback where the JDK's internals cannot be reached (about 5× slower).
 */
public abstract sealed class PortableSha2Digest implements ResumableDigest {
    private static final VarHandle INT_BE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG_BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private final DigestAlgorithm algorithm;
    private final int blockSize;
    private final byte[] block;
    private int buffered;
    private long length;

    private PortableSha2Digest(DigestAlgorithm algorithm) {
        this.algorithm = algorithm;
        this.blockSize = Sha2State.blockSize(algorithm);
        this.block = new byte[blockSize];
    }

    /** Starts a digest of the empty message. */
    public static PortableSha2Digest start(DigestAlgorithm algorithm) {
        return switch (algorithm) {
            case SHA256 -> new Sha256();
            case SHA512 -> new Sha512();
        };
    }

    /** Restores a digest from a state written by either implementation; throws IllegalArgumentException for an invalid state. */
    public static PortableSha2Digest resume(byte[] state) {
        return restore(Sha2State.decode(state));
    }

    /** Restores a digest from a parsed state. */
    static PortableSha2Digest restore(Sha2State s) {
        PortableSha2Digest d = start(s.algorithm());
        d.loadWords(s.words());
        System.arraycopy(s.partial(), 0, d.block, 0, s.partial().length);
        d.buffered = s.partial().length;
        d.length = s.length();
        return d;
    }

    @Override
    public final DigestAlgorithm algorithm() {
        return algorithm;
    }

    @Override
    public final void update(byte[] b, int off, int len) {
        Objects.checkFromIndexSize(off, len, b.length);
        length += len;
        if (buffered > 0) {
            int n = Math.min(len, blockSize - buffered);
            System.arraycopy(b, off, block, buffered, n);
            buffered += n;
            off += n;
            len -= n;
            if (buffered < blockSize) {
                return;
            }
            compress(block, 0, 1);
            buffered = 0;
        }
        int blocks = len / blockSize;
        if (blocks > 0) {
            compress(b, off, blocks);
            off += blocks * blockSize;
            len -= blocks * blockSize;
        }
        System.arraycopy(b, off, block, 0, len);
        buffered = len;
    }

    @Override
    public final long length() {
        return length;
    }

    @Override
    public final byte[] state() {
        byte[] partial = new byte[buffered];
        System.arraycopy(block, 0, partial, 0, buffered);
        return new Sha2State(algorithm, length, words(), partial).encode();
    }

    @Override
    public final Digest digest() {
        // FIPS 180-4 §5.1: append 0x80, zeros, then the message length in bits in the last 8 (SHA-256) or 16 (SHA-512) bytes.
        int lengthField = 2 * Sha2State.wordSize(algorithm);
        int padded = buffered + 1 + lengthField <= blockSize ? blockSize : 2 * blockSize;
        byte[] tail = new byte[padded];
        System.arraycopy(block, 0, tail, 0, buffered);
        tail[buffered] = (byte) 0x80;
        LONG_BE.set(tail, padded - 8, length << 3);
        if (lengthField == 16) {
            LONG_BE.set(tail, padded - 16, length >>> 61);
        }
        return new Digest(algorithm, HexFormat.of().formatHex(finishCopy(tail, padded / blockSize)));
    }

    @Override
    public String toString() {
        return "PortableSha2Digest[" + algorithm.id() + ", length=" + length + "]";
    }

    /** Compresses {@code blocks} whole blocks of {@code b} from {@code off} into the chaining words. */
    abstract void compress(byte[] b, int off, int blocks);

    /** Compresses the padded tail into a copy of the chaining words and returns that copy as the hash bytes. */
    abstract byte[] finishCopy(byte[] tail, int blocks);

    /** The chaining words H0..H7, zero-extended to 64 bits. */
    abstract long[] words();

    /** Replaces the chaining words H0..H7. */
    abstract void loadWords(long[] words);

    /** SHA-256, FIPS 180-4 §6.2. */
    private static final class Sha256 extends PortableSha2Digest {
        private final int[] h = Sha2Constants.H256.clone();
        private final int[] w = new int[64];

        Sha256() {
            super(DigestAlgorithm.SHA256);
        }

        @Override
        void compress(byte[] b, int off, int blocks) {
            compress256(h, w, b, off, blocks);
        }

        @Override
        byte[] finishCopy(byte[] tail, int blocks) {
            int[] copy = h.clone();
            compress256(copy, new int[64], tail, 0, blocks);
            byte[] out = new byte[32];
            for (int i = 0; i < 8; i++) {
                INT_BE.set(out, 4 * i, copy[i]);
            }
            return out;
        }

        @Override
        long[] words() {
            long[] out = new long[8];
            for (int i = 0; i < 8; i++) {
                out[i] = h[i] & 0xffffffffL;
            }
            return out;
        }

        @Override
        void loadWords(long[] words) {
            for (int i = 0; i < 8; i++) {
                h[i] = (int) words[i];
            }
        }

        private static void compress256(int[] h, int[] w, byte[] b, int off, int blocks) {
            int[] k = Sha2Constants.K256;
            for (int n = 0; n < blocks; n++, off += 64) {
                for (int t = 0; t < 16; t++) {
                    w[t] = (int) INT_BE.get(b, off + 4 * t);
                }
                for (int t = 16; t < 64; t++) {
                    int x = w[t - 15];
                    int y = w[t - 2];
                    int s0 = Integer.rotateRight(x, 7) ^ Integer.rotateRight(x, 18) ^ (x >>> 3);
                    int s1 = Integer.rotateRight(y, 17) ^ Integer.rotateRight(y, 19) ^ (y >>> 10);
                    w[t] = s1 + w[t - 7] + s0 + w[t - 16];
                }
                int a = h[0], bb = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
                for (int t = 0; t < 64; t++) {
                    int sum1 = Integer.rotateRight(e, 6) ^ Integer.rotateRight(e, 11) ^ Integer.rotateRight(e, 25);
                    int ch = (e & f) ^ (~e & g);
                    int t1 = hh + sum1 + ch + k[t] + w[t];
                    int sum0 = Integer.rotateRight(a, 2) ^ Integer.rotateRight(a, 13) ^ Integer.rotateRight(a, 22);
                    int maj = (a & bb) ^ (a & c) ^ (bb & c);
                    int t2 = sum0 + maj;
                    hh = g;
                    g = f;
                    f = e;
                    e = d + t1;
                    d = c;
                    c = bb;
                    bb = a;
                    a = t1 + t2;
                }
                h[0] += a;
                h[1] += bb;
                h[2] += c;
                h[3] += d;
                h[4] += e;
                h[5] += f;
                h[6] += g;
                h[7] += hh;
            }
        }
    }

    /** SHA-512, FIPS 180-4 §6.4. */
    private static final class Sha512 extends PortableSha2Digest {
        private final long[] h = Sha2Constants.H512.clone();
        private final long[] w = new long[80];

        Sha512() {
            super(DigestAlgorithm.SHA512);
        }

        @Override
        void compress(byte[] b, int off, int blocks) {
            compress512(h, w, b, off, blocks);
        }

        @Override
        byte[] finishCopy(byte[] tail, int blocks) {
            long[] copy = h.clone();
            compress512(copy, new long[80], tail, 0, blocks);
            byte[] out = new byte[64];
            for (int i = 0; i < 8; i++) {
                LONG_BE.set(out, 8 * i, copy[i]);
            }
            return out;
        }

        @Override
        long[] words() {
            return h.clone();
        }

        @Override
        void loadWords(long[] words) {
            System.arraycopy(words, 0, h, 0, 8);
        }

        private static void compress512(long[] h, long[] w, byte[] b, int off, int blocks) {
            long[] k = Sha2Constants.K512;
            for (int n = 0; n < blocks; n++, off += 128) {
                for (int t = 0; t < 16; t++) {
                    w[t] = (long) LONG_BE.get(b, off + 8 * t);
                }
                for (int t = 16; t < 80; t++) {
                    long x = w[t - 15];
                    long y = w[t - 2];
                    long s0 = Long.rotateRight(x, 1) ^ Long.rotateRight(x, 8) ^ (x >>> 7);
                    long s1 = Long.rotateRight(y, 19) ^ Long.rotateRight(y, 61) ^ (y >>> 6);
                    w[t] = s1 + w[t - 7] + s0 + w[t - 16];
                }
                long a = h[0], bb = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
                for (int t = 0; t < 80; t++) {
                    long sum1 = Long.rotateRight(e, 14) ^ Long.rotateRight(e, 18) ^ Long.rotateRight(e, 41);
                    long ch = (e & f) ^ (~e & g);
                    long t1 = hh + sum1 + ch + k[t] + w[t];
                    long sum0 = Long.rotateRight(a, 28) ^ Long.rotateRight(a, 34) ^ Long.rotateRight(a, 39);
                    long maj = (a & bb) ^ (a & c) ^ (bb & c);
                    long t2 = sum0 + maj;
                    hh = g;
                    g = f;
                    f = e;
                    e = d + t1;
                    d = c;
                    c = bb;
                    bb = a;
                    a = t1 + t2;
                }
                h[0] += a;
                h[1] += bb;
                h[2] += c;
                h[3] += d;
                h[4] += e;
                h[5] += f;
                h[6] += g;
                h[7] += hh;
            }
        }
    }
}
