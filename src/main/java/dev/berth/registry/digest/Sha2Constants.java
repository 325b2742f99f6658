package dev.berth.registry.digest;

import java.math.BigInteger;

/**
 * The SHA-2 constants of FIPS 180-4 §4.2 and §5.3, derived here from their definition (fractional parts
 * of square and cube roots of primes) so that no table of magic numbers has to be typed and checked.
 */
final class Sha2Constants {
    /** SHA-512 round constants K0..K79: the first 64 bits of the fractional parts of the cube roots of the first 80 primes. */
    static final long[] K512 = fractionalRoots(80, 3);
    /** SHA-256 round constants K0..K63: the first 32 bits of the same cube roots, which are the top halves of K512. */
    static final int[] K256 = topHalves(K512, 64);
    /** SHA-512 initial hash H0..H7: the first 64 bits of the fractional parts of the square roots of the first 8 primes. */
    static final long[] H512 = fractionalRoots(8, 2);
    /** SHA-256 initial hash H0..H7: the first 32 bits of the same square roots. */
    static final int[] H256 = topHalves(H512, 8);

    private Sha2Constants() {
    }

    /** The first 64 fractional bits of the {@code degree}-th root of each of the first {@code count} primes. */
    private static long[] fractionalRoots(int count, int degree) {
        long[] out = new long[count];
        int found = 0;
        for (int p = 2; found < count; p++) {
            if (BigInteger.valueOf(p).isProbablePrime(50)) {
                // floor(root(p · 2^(64·degree))) = floor(root(p) · 2^64); its low 64 bits are the fraction.
                BigInteger scaled = BigInteger.valueOf(p).shiftLeft(64 * degree);
                out[found++] = (degree == 2 ? scaled.sqrt() : cubeRoot(scaled)).longValue();
            }
        }
        return out;
    }

    /** The floor of the cube root of {@code n > 0}, by Newton's method from an overestimate. */
    private static BigInteger cubeRoot(BigInteger n) {
        BigInteger three = BigInteger.valueOf(3);
        BigInteger x = BigInteger.ONE.shiftLeft(n.bitLength() / 3 + 1);
        while (true) {
            BigInteger y = x.shiftLeft(1).add(n.divide(x.multiply(x))).divide(three);
            if (y.compareTo(x) >= 0) {
                return x;
            }
            x = y;
        }
    }

    private static int[] topHalves(long[] words, int count) {
        int[] out = new int[count];
        for (int i = 0; i < count; i++) {
            out[i] = (int) (words[i] >>> 32);
        }
        return out;
    }
}
