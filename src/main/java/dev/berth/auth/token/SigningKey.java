package dev.berth.auth.token;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.NamedParameterSpec;

/**
 * A private key that signs tokens, and its public half under the same key id.
 *
 * @param privateKey the key that signs
 * @param verification the public key, its key id (the RFC 7638 thumbprint) and algorithm
 */
public record SigningKey(PrivateKey privateKey, VerificationKey verification) {

    /** A new random key for {@code algorithm}. */
    public static SigningKey generate(JwsAlgorithm algorithm) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm.jcaKeyAlgorithm());
            switch (algorithm) {
                case ES256 -> generator.initialize(new ECGenParameterSpec("secp256r1"));
                case EDDSA -> generator.initialize(NamedParameterSpec.ED25519);
            }
            KeyPair pair = generator.generateKeyPair();
            return new SigningKey(pair.getPrivate(), VerificationKey.withThumbprint(algorithm, pair.getPublic()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm.jwsName() + " keys are part of every JDK 21", e);
        }
    }

    /** The key id tokens signed by this key carry. */
    public String kid() {
        return verification.kid();
    }

    /** The algorithm this key signs with. */
    public JwsAlgorithm algorithm() {
        return verification.algorithm();
    }

    /** The JWS signature of {@code input}: R and S for ES256, the 64-byte signature for EdDSA. */
    public byte[] sign(byte[] input) {
        try {
            Signature signer = Signature.getInstance(algorithm().jcaSignature());
            signer.initSign(privateKey);
            signer.update(input);
            return signer.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("signing with " + algorithm().jwsName() + " failed", e);
        }
    }

    /** The private key as PKCS#8 PEM ({@code -----BEGIN PRIVATE KEY-----}). */
    public String toPem() {
        return PrivateKeyPem.format(privateKey);
    }

    @Override
    public String toString() {
        // Never the private key.
        return "SigningKey[" + algorithm().jwsName() + ", kid=" + kid() + "]";
    }
}
