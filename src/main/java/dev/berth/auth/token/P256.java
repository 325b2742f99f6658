package dev.berth.auth.token;

import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECFieldFp;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.util.Arrays;

/**
 * The NIST P-256 curve as JWS ES256 uses it: its parameters, public keys from and to the 32-byte coordinates of a
 * JWK, the check that a point lies on the curve, and the public point of a private scalar (a PEM private key need
 * not carry its public key).
 */
final class P256 {
    /** The curve's domain parameters, from the JDK. */
    static final ECParameterSpec PARAMETERS = parameters();
    private static final BigInteger P = ((ECFieldFp) PARAMETERS.getCurve().getField()).getP();
    private static final BigInteger A = PARAMETERS.getCurve().getA();
    private static final BigInteger B = PARAMETERS.getCurve().getB();
    private static final int COORDINATE_BYTES = 32;

    private P256() {}

    private static ECParameterSpec parameters() {
        try {
            AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
            parameters.init(new ECGenParameterSpec("secp256r1"));
            return parameters.getParameterSpec(ECParameterSpec.class);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("P-256 is part of every JDK", e);
        }
    }

    /** Whether {@code parameters} are those of P-256 (keys on other curves are refused). */
    static boolean isP256(ECParameterSpec parameters) {
        return parameters.getCurve().equals(PARAMETERS.getCurve()) && parameters.getOrder().equals(PARAMETERS.getOrder())
                && parameters.getGenerator().equals(PARAMETERS.getGenerator());
    }

    /** The public key with these coordinates (32 bytes each, big-endian); refused when the point is off the curve. */
    static ECPublicKey publicKey(byte[] x, byte[] y) throws GeneralSecurityException {
        if (x.length != COORDINATE_BYTES || y.length != COORDINATE_BYTES) {
            throw new GeneralSecurityException("a P-256 coordinate is 32 bytes");
        }
        return publicKey(new ECPoint(new BigInteger(1, x), new BigInteger(1, y)));
    }

    /** The public key of a point; refused when the point is off the curve. */
    static ECPublicKey publicKey(ECPoint point) throws GeneralSecurityException {
        if (!onCurve(point)) {
            throw new GeneralSecurityException("the point is not on the P-256 curve");
        }
        return (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(point, PARAMETERS));
    }

    /** The x coordinate as 32 big-endian bytes. */
    static byte[] x(ECPublicKey key) {
        return fixed(key.getW().getAffineX());
    }

    /** The y coordinate as 32 big-endian bytes. */
    static byte[] y(ECPublicKey key) {
        return fixed(key.getW().getAffineY());
    }

    private static byte[] fixed(BigInteger value) {
        byte[] bytes = value.toByteArray();
        if (bytes.length == COORDINATE_BYTES) {
            return bytes;
        }
        if (bytes.length > COORDINATE_BYTES) {
            return Arrays.copyOfRange(bytes, bytes.length - COORDINATE_BYTES, bytes.length);
        }
        byte[] padded = new byte[COORDINATE_BYTES];
        System.arraycopy(bytes, 0, padded, COORDINATE_BYTES - bytes.length, bytes.length);
        return padded;
    }

    private static boolean onCurve(ECPoint point) {
        if (point.equals(ECPoint.POINT_INFINITY)) {
            return false;
        }
        BigInteger x = point.getAffineX();
        BigInteger y = point.getAffineY();
        if (x.signum() < 0 || x.compareTo(P) >= 0 || y.signum() < 0 || y.compareTo(P) >= 0) {
            return false;
        }
        BigInteger left = y.multiply(y).mod(P);
        BigInteger right = x.pow(3).add(A.multiply(x)).add(B).mod(P);
        return left.equals(right);
    }

    /**
     * The public point {@code d·G} of the private scalar {@code d}, by double-and-add in affine coordinates. Run
     * once when a configured key is loaded, never on a secret chosen by a caller, so its timing reveals nothing.
     */
    static ECPoint multiplyGenerator(BigInteger d) {
        ECPoint result = ECPoint.POINT_INFINITY;
        ECPoint addend = PARAMETERS.getGenerator();
        for (int i = 0; i < d.bitLength(); i++) {
            if (d.testBit(i)) {
                result = add(result, addend);
            }
            addend = add(addend, addend);
        }
        return result;
    }

    private static ECPoint add(ECPoint p, ECPoint q) {
        if (p.equals(ECPoint.POINT_INFINITY)) {
            return q;
        }
        if (q.equals(ECPoint.POINT_INFINITY)) {
            return p;
        }
        BigInteger x1 = p.getAffineX();
        BigInteger y1 = p.getAffineY();
        BigInteger x2 = q.getAffineX();
        BigInteger y2 = q.getAffineY();
        BigInteger slope;
        if (x1.equals(x2)) {
            if (!y1.equals(y2) || y1.signum() == 0) {
                return ECPoint.POINT_INFINITY;
            }
            slope = x1.pow(2).multiply(BigInteger.valueOf(3)).add(A)
                    .multiply(y1.shiftLeft(1).modInverse(P)).mod(P);
        } else {
            slope = y2.subtract(y1).multiply(x2.subtract(x1).modInverse(P)).mod(P);
        }
        BigInteger x3 = slope.pow(2).subtract(x1).subtract(x2).mod(P);
        BigInteger y3 = slope.multiply(x1.subtract(x3)).subtract(y1).mod(P);
        return new ECPoint(x3, y3);
    }
}
