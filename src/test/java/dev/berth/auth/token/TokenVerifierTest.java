package dev.berth.auth.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Signing and verifying tokens, and every way a token is refused. */
class TokenVerifierTest {
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final Duration EXPIRY = Duration.ofMinutes(5);
    private static final List<ResourceScope> ACCESS =
            List.of(new ResourceScope("repository", "team-a/app", List.of("pull", "push")));

    private final SigningKey es256 = SigningKey.generate(JwsAlgorithm.ES256);
    private final SigningKey eddsa = SigningKey.generate(JwsAlgorithm.EDDSA);

    private static Clock at(Instant instant) {
        return Clock.fixed(instant, ZoneOffset.UTC);
    }

    private static TokenVerifier verifier(SigningKey... keys) {
        return verifier(NOW, keys);
    }

    private static TokenVerifier verifier(Instant now, SigningKey... keys) {
        return new TokenVerifier("berth", "registry", KeySet.of(java.util.Arrays.stream(keys)
                .map(SigningKey::verification).toList()), at(now));
    }

    private static String issue(SigningKey key) {
        return new TokenSigner("berth", key, EXPIRY, at(NOW)).issue("alice", "registry", ACCESS).token();
    }

    @ParameterizedTest
    @EnumSource(JwsAlgorithm.class)
    void aTokenVerifiesWithItsKeyAndCarriesItsClaims(JwsAlgorithm algorithm) throws Exception {
        SigningKey key = SigningKey.generate(algorithm);
        String token = issue(key);
        VerifiedToken verified = verifier(key).verify(token);
        assertThat(verified.subject()).isEqualTo("alice");
        assertThat(verified.access()).isEqualTo(ACCESS);
        assertThat(verified.expiresAt()).isEqualTo(NOW.plus(EXPIRY));

        Jws.Parsed parsed = Jws.parse(token);
        assertThat(parsed.header().path("alg").asText()).isEqualTo(algorithm.jwsName());
        assertThat(parsed.header().path("typ").asText()).isEqualTo("JWT");
        assertThat(parsed.header().path("kid").asText()).isEqualTo(key.kid());
        var claims = Jws.JSON.readTree(parsed.payload());
        assertThat(claims.path("iss").asText()).isEqualTo("berth");
        assertThat(claims.path("aud").asText()).isEqualTo("registry");
        assertThat(claims.path("iat").asLong()).isEqualTo(NOW.getEpochSecond());
        assertThat(claims.path("nbf").asLong()).isEqualTo(NOW.getEpochSecond());
        assertThat(claims.path("exp").asLong()).isEqualTo(NOW.plus(EXPIRY).getEpochSecond());
        assertThat(claims.path("jti").asText()).hasSizeGreaterThan(16);
        assertThat(claims.path("access").get(0).toString())
                .isEqualTo("{\"type\":\"repository\",\"name\":\"team-a/app\",\"actions\":[\"pull\",\"push\"]}");
    }

    @Test
    void anEs256SignatureIsTheRawSixtyFourBytesOfRAndS() throws Exception {
        assertThat(Jws.parse(issue(es256)).signature()).hasSize(64);
        assertThat(Jws.parse(issue(eddsa)).signature()).hasSize(64);
    }

    @Test
    void algNoneIsRefused() {
        String token = issue(es256);
        String[] parts = token.split("\\.");
        String header = encode("{\"typ\":\"JWT\",\"alg\":\"none\",\"kid\":\"" + es256.kid() + "\"}");
        assertRefused(header + "." + parts[1] + ".", "base64url");
        assertRefused(header + "." + parts[1] + "." + parts[2], "alg 'none'");
        assertRefused(encode("{\"alg\":\"none\"}") + "." + parts[1] + "." + parts[2], "alg 'none'");
    }

    @Test
    void hs256WithThePublicKeyAsSecretIsRefused() throws Exception {
        String payload = issue(es256).split("\\.")[1];
        String header = encode("{\"typ\":\"JWT\",\"alg\":\"HS256\",\"kid\":\"" + es256.kid() + "\"}");
        // The attack: sign with HMAC keyed by the public key, in every form the verifier might hold it.
        for (byte[] secret : List.of(es256.verification().publicKey().getEncoded(),
                es256.verification().toJwk().toString().getBytes(StandardCharsets.UTF_8))) {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            String input = header + "." + payload;
            String token = input + "." + Jws.encode(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
            assertRefused(token, "alg 'HS256' is not accepted");
        }
    }

    @Test
    void anotherAlgorithmThanTheKeysIsRefused() {
        // An EdDSA signature naming the ES256 key, and RS256, are refused before any signature check.
        String payload = issue(es256).split("\\.")[1];
        ObjectNode header = Jws.JSON.createObjectNode().put("typ", "JWT").put("alg", "EdDSA").put("kid", es256.kid());
        String signedByEd = Jws.sign(header, Jws.decode(payload), eddsa);
        assertRefused(signedByEd, "alg 'EdDSA' is not ES256");
        String rs256 = encode("{\"alg\":\"RS256\",\"kid\":\"" + es256.kid() + "\"}") + "." + payload + ".c2ln";
        assertRefused(rs256, "alg 'RS256' is not accepted");
        String lowerCase = encode("{\"alg\":\"es256\",\"kid\":\"" + es256.kid() + "\"}") + "." + payload + ".c2ln";
        assertRefused(lowerCase, "alg 'es256' is not accepted");
    }

    @Test
    void aChangedPayloadIsRefused() {
        String[] parts = issue(es256).split("\\.");
        String claims = new String(Jws.decode(parts[1]), StandardCharsets.UTF_8);
        String widened = claims.replace("team-a/app", "other/secret");
        assertThat(widened).isNotEqualTo(claims);
        assertRefused(parts[0] + "." + encode(widened) + "." + parts[2], "signature does not verify");
    }

    @Test
    void aChangedSignatureIsRefused() {
        for (SigningKey key : List.of(es256, eddsa)) {
            String[] parts = issue(key).split("\\.");
            byte[] signature = Jws.decode(parts[2]);
            signature[10] ^= 1;
            assertThatThrownBy(() -> verifier(key).verify(parts[0] + "." + parts[1] + "." + Jws.encode(signature)))
                    .isInstanceOf(InvalidTokenException.class).hasMessageContaining("signature does not verify");
            byte[] shorter = java.util.Arrays.copyOf(Jws.decode(parts[2]), 63);
            assertThatThrownBy(() -> verifier(key).verify(parts[0] + "." + parts[1] + "." + Jws.encode(shorter)))
                    .isInstanceOf(InvalidTokenException.class).hasMessageContaining("signature does not verify");
        }
    }

    @Test
    void anExpiredTokenIsRefusedOnceTheLeewayIsOver() throws Exception {
        String token = issue(es256);
        Instant expiry = NOW.plus(EXPIRY);
        assertThat(verifier(expiry.plus(TokenVerifier.LEEWAY).minusSeconds(1), es256).verify(token).subject())
                .isEqualTo("alice");
        assertThatThrownBy(() -> verifier(expiry.plus(TokenVerifier.LEEWAY), es256).verify(token))
                .isInstanceOf(InvalidTokenException.class).hasMessageContaining("expired");
    }

    @Test
    void aTokenNotYetValidIsRefused() {
        String token = issue(es256);
        Instant early = NOW.minus(TokenVerifier.LEEWAY).minusSeconds(1);
        assertThatThrownBy(() -> verifier(early, es256).verify(token))
                .isInstanceOf(InvalidTokenException.class).hasMessageContaining("not valid before");
    }

    @Test
    void aTokenWithoutExpiryIsRefused() {
        ObjectNode claims = Jws.JSON.createObjectNode().put("iss", "berth").put("aud", "registry").put("sub", "a");
        assertRefused(Jws.sign(es256, claims), "exp is missing");
    }

    @Test
    void aTokenForAnotherServiceOrFromAnotherIssuerIsRefused() {
        String otherAudience = new TokenSigner("berth", es256, EXPIRY, at(NOW)).issue("alice", "elsewhere", ACCESS)
                .token();
        assertRefused(otherAudience, "not for registry");
        String otherIssuer = new TokenSigner("mallory", es256, EXPIRY, at(NOW)).issue("alice", "registry", ACCESS)
                .token();
        assertRefused(otherIssuer, "issued by 'mallory'");
    }

    @Test
    void anAudienceListNamingTheServiceIsAccepted() throws Exception {
        ObjectNode claims = Jws.JSON.createObjectNode().put("iss", "berth").put("sub", "alice")
                .put("exp", NOW.plusSeconds(60).getEpochSecond());
        claims.putArray("aud").add("other").add("registry");
        assertThat(verifier(es256).verify(Jws.sign(es256, claims)).subject()).isEqualTo("alice");
    }

    @Test
    void aTokenOfAnUnknownKeyIsRefused() {
        SigningKey stranger = SigningKey.generate(JwsAlgorithm.ES256);
        assertRefused(issue(stranger), "unknown key");
        // The stranger's token naming our kid is a bad signature, not a pass.
        String[] parts = issue(stranger).split("\\.");
        String header = encode("{\"typ\":\"JWT\",\"alg\":\"ES256\",\"kid\":\"" + es256.kid() + "\"}");
        assertRefused(header + "." + parts[1] + "." + parts[2], "signature does not verify");
    }

    @Test
    void aTokenWithoutKidIsAcceptedOnlyWhenThereIsOneKey() throws Exception {
        String[] parts = issue(es256).split("\\.");
        ObjectNode header = Jws.JSON.createObjectNode().put("typ", "JWT").put("alg", "ES256");
        String token = Jws.sign(header, Jws.decode(parts[1]), es256);
        assertThat(verifier(es256).verify(token).subject()).isEqualTo("alice");
        assertThatThrownBy(() -> verifier(es256, eddsa).verify(token))
                .isInstanceOf(InvalidTokenException.class).hasMessageContaining("names no key");
    }

    @Test
    void criticalHeadersAndMalformedTokensAreRefused() {
        String[] parts = issue(es256).split("\\.");
        ObjectNode header = Jws.JSON.createObjectNode().put("alg", "ES256").put("kid", es256.kid());
        header.putArray("crit").add("exp");
        assertRefused(Jws.sign(header, Jws.decode(parts[1]), es256), "critical");
        assertRefused(parts[0] + "." + parts[1], "three parts");
        assertRefused(parts[0] + "." + parts[1] + "." + parts[2] + ".x", "three parts");
        assertRefused("a+b." + parts[1] + "." + parts[2], "base64url");
        assertRefused(encode("[1]") + "." + parts[1] + "." + parts[2], "not a JSON object");
        assertRefused("x".repeat(Jws.MAX_LENGTH + 1), "longer than");
    }

    @Test
    void refreshAndAccessTokensAreNotInterchangeable() throws Exception {
        TokenSigner signer = new TokenSigner("berth", es256, EXPIRY, at(NOW));
        String refresh = signer.refreshToken("alice", "registry");
        assertRefused(refresh, "typ");
        assertThat(verifier(es256).verifyRefresh(refresh, "registry")).isEqualTo("alice");
        assertThatThrownBy(() -> verifier(es256).verifyRefresh(refresh, "elsewhere"))
                .isInstanceOf(InvalidTokenException.class);
        assertThatThrownBy(() -> verifier(es256).verifyRefresh(issue(es256), "registry"))
                .isInstanceOf(InvalidTokenException.class).hasMessageContaining("not a refresh token");
        // A refresh token with its typ changed still carries the refresh claim, and is refused for it.
        String[] parts = refresh.split("\\.");
        ObjectNode header = Jws.JSON.createObjectNode().put("typ", "JWT").put("alg", "ES256").put("kid", es256.kid());
        ObjectNode claims = (ObjectNode) Jws.JSON.readTree(Jws.decode(parts[1]));
        claims.put("exp", NOW.plusSeconds(60).getEpochSecond());
        assertRefused(Jws.sign(header, claims.toString().getBytes(StandardCharsets.UTF_8), es256), "refresh token");
    }

    private void assertRefused(String token, String reason) {
        assertThatThrownBy(() -> verifier(es256, eddsa).verify(token))
                .isInstanceOf(InvalidTokenException.class).hasMessageContaining(reason);
    }

    private static String encode(String json) {
        return Jws.encode(json.getBytes(StandardCharsets.UTF_8));
    }
}
