package dev.berth.auth.token;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.HexFormat;

/** Ed25519 public keys to and from the 32 raw bytes a JWK carries, and the public key of a private one. */
final class Ed25519Keys {
    /** The DER of a SubjectPublicKeyInfo for Ed25519 (OID 1.3.101.112) up to the 32 key bytes. */
    private static final byte[] X509_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");
    static final int KEY_BYTES = 32;

    private Ed25519Keys() {}

    /** The public key whose raw encoding is {@code raw}. */
    static PublicKey publicKey(byte[] raw) throws GeneralSecurityException {
        if (raw.length != KEY_BYTES) {
            throw new GeneralSecurityException("an Ed25519 public key is 32 bytes");
        }
        byte[] der = Arrays.copyOf(X509_PREFIX, X509_PREFIX.length + KEY_BYTES);
        System.arraycopy(raw, 0, der, X509_PREFIX.length, KEY_BYTES);
        return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
    }

    /** The 32 raw bytes of a public key, as the JWK {@code x} holds them. */
    static byte[] raw(PublicKey key) {
        byte[] der = key.getEncoded();
        return Arrays.copyOfRange(der, der.length - KEY_BYTES, der.length);
    }

    /**
     * The public key of {@code privateKey}. The JDK derives it only while generating a pair, and an Ed25519
     * private key is the 32 random bytes the generator draws: a generator fed exactly those bytes yields the pair.
     */
    static PublicKey publicKeyOf(EdECPrivateKey privateKey) throws GeneralSecurityException {
        byte[] seed = privateKey.getBytes()
                .orElseThrow(() -> new GeneralSecurityException("the Ed25519 private key hides its bytes"));
        KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
        generator.initialize(NamedParameterSpec.ED25519, new SecureRandom() {
            @Override
            public void nextBytes(byte[] bytes) {
                if (bytes.length != seed.length) {
                    throw new IllegalStateException("the generator asked for " + bytes.length + " bytes");
                }
                System.arraycopy(seed, 0, bytes, 0, seed.length);
            }
        });
        KeyPair pair = generator.generateKeyPair();
        byte[] drawn = ((EdECPrivateKey) pair.getPrivate()).getBytes().orElseThrow();
        if (!Arrays.equals(drawn, seed)) {
            throw new GeneralSecurityException("cannot derive the Ed25519 public key");
        }
        return pair.getPublic();
    }
}
