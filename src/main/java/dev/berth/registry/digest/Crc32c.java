package dev.berth.registry.digest;

/**
 * CRC32C arithmetic beyond {@link java.util.zip.CRC32C}: the checksum of a concatenation from the checksums
 * of its parts, so that a server-side concatenated object can be checked against its chunks without reading it.
 */
public final class Crc32c {
    /** The CRC32C (Castagnoli) polynomial in reflected bit order, as java.util.zip.CRC32C uses it. */
    private static final int POLY = 0x82F63B78;

    private Crc32c() {
    }

    /**
     * The CRC32C of A||B given {@code crcA} of A, {@code crcB} of B, and the length of B in bytes.
     *
     * <p>A CRC is linear over GF(2): appending {@code n} bytes to A maps crc(A) through a fixed 32×32 bit
     * matrix (the effect of {@code n} zero bytes), and the bytes of B then add crc(B). The matrix for
     * {@code n} bytes is built from the one-byte matrix by repeated squaring, so this costs O(log n).
     */
    public static long combine(long crcA, long crcB, long lengthB) {
        requireCrc(crcA);
        requireCrc(crcB);
        if (lengthB < 0) {
            throw new IllegalArgumentException("negative length " + lengthB);
        }
        // Column i of a matrix is the image of bit i; this one shifts the register by one zero bit.
        int[] op = new int[32];
        op[0] = POLY;
        for (int i = 1; i < 32; i++) {
            op[i] = 1 << (i - 1);
        }
        op = square(square(square(op)));
        int crc = (int) crcA;
        for (long n = lengthB; n != 0; n >>>= 1) {
            if ((n & 1) != 0) {
                crc = times(op, crc);
            }
            if (n > 1) {
                op = square(op);
            }
        }
        return (crc ^ (int) crcB) & 0xffffffffL;
    }

    /** {@code crc} as 8 lower-case hex digits, for logs and stored metadata. */
    public static String hex(long crc) {
        requireCrc(crc);
        return String.format("%08x", crc);
    }

    private static void requireCrc(long crc) {
        if (crc >>> 32 != 0) {
            throw new IllegalArgumentException("not a 32-bit CRC: " + crc);
        }
    }

    /** The matrix-vector product over GF(2): the XOR of the columns selected by the set bits of {@code v}. */
    private static int times(int[] m, int v) {
        int out = 0;
        for (int i = 0; v != 0; i++, v >>>= 1) {
            if ((v & 1) != 0) {
                out ^= m[i];
            }
        }
        return out;
    }

    private static int[] square(int[] m) {
        int[] out = new int[32];
        for (int i = 0; i < 32; i++) {
            out[i] = times(m, m[i]);
        }
        return out;
    }
}
