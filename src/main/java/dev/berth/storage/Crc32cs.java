package dev.berth.storage;

import java.util.HexFormat;

/** CRC32C helpers shared by the backends: hex formatting and combining the CRCs of concatenated parts. */
final class Crc32cs {
    /** The Castagnoli polynomial, bit-reversed, as {@link java.util.zip.CRC32C} uses it. */
    private static final int POLY = 0x82F63B78;
    /** In the reflected representation the top bit stands for x^0. */
    private static final int X0 = 0x80000000;

    private Crc32cs() {}

    /** The 8 lower-case hex digits {@link ObjectInfo#crc32c()} carries. */
    static String hex(long crc) {
        return HexFormat.of().toHexDigits((int) crc);
    }

    /** Parses {@link #hex}; null when the text is not 8 hex digits. */
    static Long parse(String text) {
        if (text == null || text.length() != 8) {
            return null;
        }
        try {
            return Integer.toUnsignedLong(HexFormat.fromHexDigits(text));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * The CRC32C of A followed by B, given the CRC of A, the CRC of B and B's length. Appending B multiplies A's
     * remainder by x^(8·|B|) modulo the polynomial; the pre- and post-inversion terms cancel, so the conditioned
     * CRCs combine the same way. This lets a concatenation report its checksum without reading the data again.
     */
    static long combine(long crcA, long crcB, long lengthB) {
        int shifted = multiply(xPowerOfBytes(lengthB), (int) crcA);
        return Integer.toUnsignedLong(shifted ^ (int) crcB);
    }

    /** x^(8·bytes) mod P by square-and-multiply. */
    private static int xPowerOfBytes(long bytes) {
        int result = X0;
        int base = X0 >>> 8; // x^8: one byte
        for (long n = bytes; n > 0; n >>>= 1) {
            if ((n & 1) != 0) {
                result = multiply(result, base);
            }
            base = multiply(base, base);
        }
        return result;
    }

    /** a·b mod P, both in the reflected representation. */
    private static int multiply(int a, int b) {
        int product = 0;
        for (int i = 0; i < 32; i++) {
            if ((a & (X0 >>> i)) != 0) {
                product ^= b;
            }
            b = (b & 1) != 0 ? (b >>> 1) ^ POLY : b >>> 1; // b·x
        }
        return product;
    }
}
