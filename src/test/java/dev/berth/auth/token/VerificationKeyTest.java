package dev.berth.auth.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Public keys as JWKs and JWKS documents. */
class VerificationKeyTest {

    @Test
    void theThumbprintOfRfc8037sEd25519KeyIsTheRfcs() throws Exception {
        // RFC 8037, appendix A.3.
        var jwk = Jws.JSON.readTree("{\"kty\":\"OKP\",\"crv\":\"Ed25519\","
                + "\"x\":\"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo\"}");
        VerificationKey key = VerificationKey.fromJwk(jwk).orElseThrow();
        assertThat(key.thumbprint()).isEqualTo("kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k");
        assertThat(key.kid()).isEqualTo(key.thumbprint());
    }

    @Test
    void aJwksOfBothKindsReadsBackToTheSameKeys() throws Exception {
        SigningKey es256 = SigningKey.generate(JwsAlgorithm.ES256);
        SigningKey eddsa = SigningKey.generate(JwsAlgorithm.EDDSA);
        byte[] document = Jwks.of(java.util.List.of(es256.verification(), eddsa.verification())).toString()
                .getBytes(StandardCharsets.UTF_8);
        assertThat(Jwks.parse(document)).containsExactly(es256.verification(), eddsa.verification());
    }

    @Test
    void keysOfOtherKindsAreSkippedAndOffCurvePointsRefused() throws Exception {
        String rsa = "{\"kty\":\"RSA\",\"n\":\"AQAB\",\"e\":\"AQAB\",\"kid\":\"r\"}";
        String encryption = "{\"kty\":\"OKP\",\"crv\":\"X25519\",\"x\":\"AAAA\"}";
        assertThat(Jwks.parse(("{\"keys\":[" + rsa + "," + encryption + "]}").getBytes())).isEmpty();
        SigningKey es256 = SigningKey.generate(JwsAlgorithm.ES256);
        var jwk = es256.verification().toJwk();
        byte[] y = Jws.decode(jwk.path("y").asText());
        y[31] ^= 1;
        jwk.put("y", Jws.encode(y));
        assertThatThrownBy(() -> Jwks.parse(("{\"keys\":[" + jwk + "]}").getBytes()))
                .isInstanceOf(IOException.class).hasMessageContaining("not on the P-256 curve");
        assertThatThrownBy(() -> Jwks.parse("{}".getBytes())).isInstanceOf(IOException.class);
    }

    @Test
    void aJwkPublishedForAnotherAlgorithmIsNotUsed() throws Exception {
        var jwk = SigningKey.generate(JwsAlgorithm.ES256).verification().toJwk();
        jwk.put("alg", "ES384");
        assertThat(VerificationKey.fromJwk(jwk)).isEmpty();
    }
}
