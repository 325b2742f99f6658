package dev.berth.auth.token;

import dev.berth.config.BerthConfig;
import java.util.Optional;

/**
 * The JWS algorithms Berth signs and verifies with. Nothing else is accepted: not {@code none}, not the HMAC
 * algorithms (a public key used as an HMAC secret is the classic algorithm-confusion attack), not RSA.
 */
public enum JwsAlgorithm {
    /** ECDSA on P-256 with SHA-256; the signature is R and S, 32 bytes each (IEEE P1363), as JWS writes it. */
    ES256("ES256", "SHA256withECDSAinP1363Format", "EC"),
    /** Ed25519. */
    EDDSA("EdDSA", "Ed25519", "Ed25519");

    private final String jwsName;
    private final String jcaSignature;
    private final String jcaKeyAlgorithm;

    JwsAlgorithm(String jwsName, String jcaSignature, String jcaKeyAlgorithm) {
        this.jwsName = jwsName;
        this.jcaSignature = jcaSignature;
        this.jcaKeyAlgorithm = jcaKeyAlgorithm;
    }

    /** The {@code alg} header value: {@code ES256} or {@code EdDSA}. */
    public String jwsName() {
        return jwsName;
    }

    /** The JCA signature algorithm. */
    String jcaSignature() {
        return jcaSignature;
    }

    /** The JCA key algorithm ({@code EC} or {@code Ed25519}). */
    String jcaKeyAlgorithm() {
        return jcaKeyAlgorithm;
    }

    /** The algorithm an {@code alg} header names, compared exactly (case included); empty for any other. */
    public static Optional<JwsAlgorithm> byJwsName(String name) {
        for (JwsAlgorithm algorithm : values()) {
            if (algorithm.jwsName.equals(name)) {
                return Optional.of(algorithm);
            }
        }
        return Optional.empty();
    }

    /** The algorithm the configuration names. */
    public static JwsAlgorithm of(BerthConfig.TokenAlgorithm configured) {
        return switch (configured) {
            case ES256 -> ES256;
            case EDDSA -> EDDSA;
        };
    }
}
