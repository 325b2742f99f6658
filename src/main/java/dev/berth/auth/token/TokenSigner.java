package dev.berth.auth.token;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Issues Berth's tokens: access tokens with the claims of the Docker token spec ({@code iss}, {@code sub},
 * {@code aud}, {@code exp}, {@code nbf}, {@code iat}, {@code jti} and {@code access}), and refresh tokens for the
 * OAuth2 flow, which name a subject and audience only and never pass as access tokens.
 */
public final class TokenSigner {
    private final String issuer;
    private final SigningKey key;
    private final Duration expiry;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    /** Signs with {@code key} as {@code issuer}; access tokens are valid for {@code expiry}. */
    public TokenSigner(String issuer, SigningKey key, Duration expiry, Clock clock) {
        this.issuer = issuer;
        this.key = key;
        this.expiry = expiry;
        this.clock = clock;
    }

    /** The key tokens are signed with. */
    public SigningKey key() {
        return key;
    }

    /** An access token for {@code subject} (empty: anonymous) at {@code audience}, granting {@code access}. */
    public IssuedToken issue(String subject, String audience, List<ResourceScope> access) {
        Instant now = clock.instant();
        long iat = now.getEpochSecond();
        ObjectNode claims = Jws.JSON.createObjectNode();
        claims.put("iss", issuer);
        claims.put("sub", subject);
        claims.put("aud", audience);
        claims.put("exp", iat + expiry.toSeconds());
        claims.put("nbf", iat);
        claims.put("iat", iat);
        claims.put("jti", tokenId());
        ArrayNode list = claims.putArray("access");
        for (ResourceScope scope : access) {
            ObjectNode entry = list.addObject();
            entry.put("type", scope.type());
            entry.put("name", scope.name());
            ArrayNode actions = entry.putArray("actions");
            scope.actions().forEach(actions::add);
        }
        return new IssuedToken(Jws.sign(key, claims), Instant.ofEpochSecond(iat), expiry);
    }

    /** A refresh token for {@code subject} at {@code audience}: it does not expire, and grants nothing itself. */
    public String refreshToken(String subject, String audience) {
        ObjectNode header = Jws.JSON.createObjectNode();
        header.put("typ", TokenVerifier.REFRESH_TYPE);
        header.put("alg", key.algorithm().jwsName());
        header.put("kid", key.kid());
        ObjectNode claims = Jws.JSON.createObjectNode();
        claims.put("iss", issuer);
        claims.put("sub", subject);
        claims.put("aud", audience);
        claims.put("iat", clock.instant().getEpochSecond());
        claims.put("jti", tokenId());
        claims.put(TokenVerifier.REFRESH_CLAIM, true);
        return Jws.sign(header, claims.toString().getBytes(StandardCharsets.UTF_8), key);
    }

    private String tokenId() {
        byte[] id = new byte[16];
        random.nextBytes(id);
        return Jws.encode(id);
    }
}
