package dev.berth.auth.token;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Checks bearer tokens: the header's {@code alg} must be exactly the algorithm of the key its {@code kid} names
 * (so {@code none}, HMAC with a public key as secret, RSA, or another curve are all refused), the signature must
 * verify, and then {@code iss}, {@code aud}, {@code exp} and {@code nbf} must hold, with {@link #LEEWAY} for
 * clocks that disagree a little. The payload is read only after the signature verified.
 */
public final class TokenVerifier {
    /** How far clocks of the issuer and of Berth may disagree. */
    public static final Duration LEEWAY = Duration.ofSeconds(5);
    /** The {@code typ} of Berth's refresh tokens, which are never accepted as access tokens. */
    static final String REFRESH_TYPE = "berth-refresh+jwt";
    /** The claim that marks a refresh token. */
    static final String REFRESH_CLAIM = "berth_refresh";

    private final String issuer;
    private final Set<String> audiences;
    private final KeySet keys;
    private final Clock clock;

    /** Accepts tokens of {@code issuer} for {@code audience} signed by one of {@code keys}. */
    public TokenVerifier(String issuer, String audience, KeySet keys, Clock clock) {
        this(issuer, Set.of(audience), keys, clock);
    }

    /**
     * Accepts tokens of {@code issuer} naming at least one of {@code audiences} (one service per site), signed by
     * one of {@code keys}.
     */
    public TokenVerifier(String issuer, Set<String> audiences, KeySet keys, Clock clock) {
        this.issuer = issuer;
        this.audiences = Set.copyOf(audiences);
        this.keys = keys;
        this.clock = clock;
    }

    /** The access token's claims, once everything holds. */
    public VerifiedToken verify(String token) throws InvalidTokenException {
        Jws.Parsed parsed = Jws.parse(token);
        String typ = parsed.header().path("typ").asText("JWT");
        if (!typ.equalsIgnoreCase("JWT")) {
            throw new InvalidTokenException("the token's typ is '" + typ + "', not JWT");
        }
        JsonNode claims = verifiedClaims(parsed, audiences);
        if (claims.has(REFRESH_CLAIM)) {
            throw new InvalidTokenException("a refresh token is not an access token");
        }
        List<String> accepted = audiences(claims.get("aud")).stream().filter(audiences::contains).toList();
        return new VerifiedToken(subject(claims), access(claims.get("access")), instant(claims, "exp"), accepted);
    }

    /**
     * The subject of a refresh token that Berth issued for {@code service}.
     *
     * @throws InvalidTokenException when it is not one, or not valid
     */
    public String verifyRefresh(String token, String service) throws InvalidTokenException {
        Jws.Parsed parsed = Jws.parse(token);
        if (!parsed.header().path("typ").asText("").equals(REFRESH_TYPE)) {
            throw new InvalidTokenException("not a refresh token");
        }
        JsonNode claims = verifiedClaims(parsed, Set.of(service));
        if (!claims.path(REFRESH_CLAIM).asBoolean(false)) {
            throw new InvalidTokenException("not a refresh token");
        }
        return subject(claims);
    }

    private JsonNode verifiedClaims(Jws.Parsed parsed, Set<String> expectedAudiences) throws InvalidTokenException {
        JsonNode header = parsed.header();
        if (header.has("crit")) {
            throw new InvalidTokenException("the token names critical header parameters Berth does not know");
        }
        JsonNode alg = header.get("alg");
        if (alg == null || !alg.isTextual()) {
            throw new InvalidTokenException("the token's header has no alg");
        }
        if (JwsAlgorithm.byJwsName(alg.asText()).isEmpty()) {
            throw new InvalidTokenException("the token's alg '" + alg.asText() + "' is not accepted (only ES256 and"
                    + " EdDSA)");
        }
        VerificationKey key = key(header.get("kid"));
        if (!alg.asText().equals(key.algorithm().jwsName())) {
            throw new InvalidTokenException("the token's alg '" + alg.asText() + "' is not " + key.algorithm().jwsName()
                    + ", the algorithm of key " + key.kid());
        }
        if (!key.verifies(parsed.signingInput(), parsed.signature())) {
            throw new InvalidTokenException("the token's signature does not verify");
        }
        JsonNode claims;
        try {
            claims = Jws.JSON.readTree(parsed.payload());
        } catch (IOException e) {
            throw new InvalidTokenException("the token's payload is not JSON");
        }
        if (claims == null || !claims.isObject()) {
            throw new InvalidTokenException("the token's payload is not a JSON object");
        }
        if (!claims.path("iss").isTextual() || !claims.path("iss").asText().equals(issuer)) {
            throw new InvalidTokenException("the token was issued by '" + claims.path("iss").asText("")
                    + "', not by " + issuer);
        }
        if (audiences(claims.get("aud")).stream().noneMatch(expectedAudiences::contains)) {
            throw new InvalidTokenException("the token is for " + audiences(claims.get("aud")) + ", not for "
                    + (expectedAudiences.size() == 1 ? expectedAudiences.iterator().next()
                            : "one of " + new java.util.TreeSet<>(expectedAudiences)));
        }
        Instant now = clock.instant();
        // Access tokens must expire; refresh tokens do not (the spec), though one that names an expiry keeps it.
        if (claims.has("exp") || !claims.has(REFRESH_CLAIM)) {
            Instant expires = instant(claims, "exp");
            if (!now.isBefore(expires.plus(LEEWAY))) {
                throw new InvalidTokenException("the token expired at " + expires);
            }
        }
        if (claims.has("nbf") && now.isBefore(instant(claims, "nbf").minus(LEEWAY))) {
            throw new InvalidTokenException("the token is not valid before " + instant(claims, "nbf"));
        }
        if (claims.has("iat") && now.isBefore(instant(claims, "iat").minus(LEEWAY))) {
            throw new InvalidTokenException("the token was issued in the future, at " + instant(claims, "iat"));
        }
        return claims;
    }

    private VerificationKey key(JsonNode kid) throws InvalidTokenException {
        if (kid == null) {
            List<VerificationKey> all = keys.all();
            if (all.size() != 1) {
                throw new InvalidTokenException("the token names no key (kid), and there are " + all.size() + " keys");
            }
            return all.get(0);
        }
        if (!kid.isTextual()) {
            throw new InvalidTokenException("the token's kid is not a string");
        }
        Optional<VerificationKey> key = keys.find(kid.asText());
        return key.orElseThrow(() -> new InvalidTokenException("the token is signed by an unknown key"));
    }

    private static List<String> audiences(JsonNode aud) {
        List<String> audiences = new ArrayList<>();
        if (aud != null && aud.isTextual()) {
            audiences.add(aud.asText());
        } else if (aud != null && aud.isArray()) {
            aud.forEach(a -> {
                if (a.isTextual()) {
                    audiences.add(a.asText());
                }
            });
        }
        return audiences;
    }

    private static Instant instant(JsonNode claims, String name) throws InvalidTokenException {
        JsonNode value = claims.get(name);
        if (value == null || !value.isNumber()) {
            throw new InvalidTokenException("the token's " + name + " is missing or not a number");
        }
        return Instant.ofEpochSecond(value.asLong());
    }

    private static String subject(JsonNode claims) {
        return claims.path("sub").isTextual() ? claims.path("sub").asText() : "";
    }

    /** The entries of an {@code access} claim; malformed entries grant nothing. */
    private static List<ResourceScope> access(JsonNode access) {
        List<ResourceScope> scopes = new ArrayList<>();
        if (access == null || !access.isArray()) {
            return scopes;
        }
        for (JsonNode entry : access) {
            if (!entry.path("type").isTextual() || !entry.path("name").isTextual() || !entry.path("actions").isArray()) {
                continue;
            }
            List<String> actions = new ArrayList<>();
            entry.path("actions").forEach(a -> {
                if (a.isTextual()) {
                    actions.add(a.asText());
                }
            });
            scopes.add(new ResourceScope(entry.path("type").asText(), entry.path("name").asText(), actions));
        }
        return scopes;
    }
}
