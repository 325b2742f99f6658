package dev.berth.auth.token;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A JSON Web Key Set (RFC 7517): {@code {"keys": [JWK, ...]}}. */
public final class Jwks {
    private Jwks() {}

    /** The set listing {@code keys}. */
    public static ObjectNode of(List<VerificationKey> keys) {
        ObjectNode root = Jws.JSON.createObjectNode();
        ArrayNode list = root.putArray("keys");
        keys.forEach(key -> list.add(key.toJwk()));
        return root;
    }

    /**
     * The signing keys of a JWKS document that Berth can verify with; keys of other kinds are skipped.
     *
     * @throws IOException when the document is not a JWKS, or a key of a supported kind is malformed
     */
    public static List<VerificationKey> parse(byte[] document) throws IOException {
        JsonNode root = Jws.JSON.readTree(document);
        if (root == null || !root.path("keys").isArray()) {
            throw new IOException("not a JWKS: no \"keys\" array");
        }
        List<VerificationKey> keys = new ArrayList<>();
        for (JsonNode jwk : root.path("keys")) {
            try {
                Optional<VerificationKey> key = VerificationKey.fromJwk(jwk);
                key.ifPresent(keys::add);
            } catch (GeneralSecurityException e) {
                throw new IOException("JWK " + jwk.path("kid").asText("without kid") + ": " + e.getMessage(), e);
            }
        }
        return keys;
    }
}
