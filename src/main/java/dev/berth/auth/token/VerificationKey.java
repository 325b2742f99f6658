package dev.berth.auth.token;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.util.Base64;
import java.util.Optional;

/**
 * A public key that verifies token signatures, with its key id and the one algorithm it is used with.
 *
 * @param kid the key id tokens name in their header
 * @param algorithm the only algorithm a token signed by this key may declare
 * @param publicKey the key
 */
public record VerificationKey(String kid, JwsAlgorithm algorithm, PublicKey publicKey) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The key with its RFC 7638 thumbprint as key id. */
    public static VerificationKey withThumbprint(JwsAlgorithm algorithm, PublicKey publicKey) {
        VerificationKey unnamed = new VerificationKey("-", algorithm, publicKey);
        return new VerificationKey(unnamed.thumbprint(), algorithm, publicKey);
    }

    /** Whether {@code signature} is this key's over {@code input}. */
    public boolean verifies(byte[] input, byte[] signature) {
        try {
            Signature verifier = Signature.getInstance(algorithm.jcaSignature());
            verifier.initVerify(publicKey);
            verifier.update(input);
            return verifier.verify(signature);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            // A malformed signature is a wrong one.
            return false;
        }
    }

    /** The public JWK, as a JWKS lists it. */
    public ObjectNode toJwk() {
        ObjectNode jwk = members();
        jwk.put("kid", kid);
        jwk.put("use", "sig");
        jwk.put("alg", algorithm.jwsName());
        return jwk;
    }

    /** The required members of the JWK in lexicographic order, which the thumbprint hashes. */
    private ObjectNode members() {
        ObjectNode jwk = JSON.createObjectNode();
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        switch (algorithm) {
            case ES256 -> {
                ECPublicKey ec = (ECPublicKey) publicKey;
                jwk.put("crv", "P-256");
                jwk.put("kty", "EC");
                jwk.put("x", b64.encodeToString(P256.x(ec)));
                jwk.put("y", b64.encodeToString(P256.y(ec)));
            }
            case EDDSA -> {
                jwk.put("crv", "Ed25519");
                jwk.put("kty", "OKP");
                jwk.put("x", b64.encodeToString(Ed25519Keys.raw(publicKey)));
            }
        }
        return jwk;
    }

    /** The RFC 7638 thumbprint: SHA-256 of the required members, base64url. */
    public String thumbprint() {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256")
                    .digest(members().toString().getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(hash);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /**
     * The key a JWK describes, when it is a signing key Berth can verify with (EC P-256 for ES256, OKP Ed25519 for
     * EdDSA); empty for other kinds, which a JWKS may list too. Without a {@code kid}, the thumbprint names it.
     *
     * @throws GeneralSecurityException for a JWK of a supported kind that is malformed
     */
    public static Optional<VerificationKey> fromJwk(JsonNode jwk) throws GeneralSecurityException {
        String kty = jwk.path("kty").asText("");
        String crv = jwk.path("crv").asText("");
        String use = jwk.path("use").asText("sig");
        if (!use.equals("sig")) {
            return Optional.empty();
        }
        JwsAlgorithm algorithm;
        PublicKey key;
        try {
            if (kty.equals("EC") && crv.equals("P-256")) {
                algorithm = JwsAlgorithm.ES256;
                key = P256.publicKey(decode(jwk, "x"), decode(jwk, "y"));
            } else if (kty.equals("OKP") && crv.equals("Ed25519")) {
                algorithm = JwsAlgorithm.EDDSA;
                key = Ed25519Keys.publicKey(decode(jwk, "x"));
            } else {
                return Optional.empty();
            }
        } catch (IllegalArgumentException e) {
            throw new GeneralSecurityException("a JWK coordinate is not base64url: " + e.getMessage());
        }
        if (jwk.hasNonNull("alg") && !jwk.path("alg").asText().equals(algorithm.jwsName())) {
            // A key published for another algorithm is not used for this one.
            return Optional.empty();
        }
        String kid = jwk.path("kid").asText("");
        return Optional.of(kid.isEmpty() ? withThumbprint(algorithm, key) : new VerificationKey(kid, algorithm, key));
    }

    private static byte[] decode(JsonNode jwk, String member) throws GeneralSecurityException {
        JsonNode value = jwk.get(member);
        if (value == null || !value.isTextual()) {
            throw new GeneralSecurityException("the JWK lacks " + member);
        }
        return Jws.decode(value.asText());
    }
}
