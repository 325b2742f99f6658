package dev.berth.registry.digest;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The FIPS 180-4 example vectors, for both algorithms and both implementations. */
class Sha2KnownVectorsTest {
    private static final String TWO_BLOCK_256 = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    private static final String TWO_BLOCK_512 = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
            + "hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";

    record Vector(String name, byte[] message, DigestAlgorithm algorithm, String hex) {
        @Override
        public String toString() {
            return algorithm.id() + " of " + name;
        }
    }

    static List<Vector> vectors() {
        byte[] millionA = new byte[1_000_000];
        Arrays.fill(millionA, (byte) 'a');
        return List.of(
                new Vector("empty", new byte[0], DigestAlgorithm.SHA256,
                        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
                new Vector("abc", "abc".getBytes(US_ASCII), DigestAlgorithm.SHA256,
                        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
                new Vector("448 bits", TWO_BLOCK_256.getBytes(US_ASCII), DigestAlgorithm.SHA256,
                        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
                new Vector("896 bits", TWO_BLOCK_512.getBytes(US_ASCII), DigestAlgorithm.SHA256,
                        "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"),
                new Vector("a million a", millionA, DigestAlgorithm.SHA256,
                        "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"),
                new Vector("empty", new byte[0], DigestAlgorithm.SHA512,
                        "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce"
                                + "47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e"),
                new Vector("abc", "abc".getBytes(US_ASCII), DigestAlgorithm.SHA512,
                        "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
                                + "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"),
                new Vector("448 bits", TWO_BLOCK_256.getBytes(US_ASCII), DigestAlgorithm.SHA512,
                        "204a8fc6dda82f0a0ced7beb8e08a41657c16ef468b228a8279be331a703c335"
                                + "96fd15c13b1b07f9aa1d3bea57789ca031ad85c7a71dd70354ec631238ca3445"),
                new Vector("896 bits", TWO_BLOCK_512.getBytes(US_ASCII), DigestAlgorithm.SHA512,
                        "8e959b75dae313da8cf4f72814fc143f8f7779c6eb9f7fa17299aeadb6889018"
                                + "501d289e4900f7e4331b99dec4b5433ac7d329eeb6dd26545e96e55b874be909"),
                new Vector("a million a", millionA, DigestAlgorithm.SHA512,
                        "e718483d0ce769644e2e42c7bc15b4638e1f98b13b2044285632a803afa973eb"
                                + "de0ff244877ea60a4cb0432ce577c31beb009c5c2c49aa2e4eadb217ad8cc09b"));
    }

    static Stream<Arguments> vectorsForEachImplementation() {
        List<Arguments> out = new ArrayList<>();
        for (Implementation i : Implementation.values()) {
            for (Vector v : vectors()) {
                out.add(Arguments.of(i, v));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("vectorsForEachImplementation")
    void hashesTheFipsExampleInOneUpdate(Implementation implementation, Vector v) {
        ResumableDigest d = implementation.start(v.algorithm());
        d.update(v.message(), 0, v.message().length);

        assertThat(d.digest()).isEqualTo(new Digest(v.algorithm(), v.hex()));
        assertThat(d.length()).isEqualTo(v.message().length);
        assertThat(d.algorithm()).isEqualTo(v.algorithm());
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("vectorsForEachImplementation")
    void hashesTheFipsExampleFedInOddPiecesThroughSavedStates(Implementation implementation, Vector v) {
        ResumableDigest d = implementation.start(v.algorithm());
        byte[] m = v.message();
        for (int off = 0, piece = 1; off < m.length; off += piece, piece = piece * 3 + 1) {
            int len = Math.min(piece, m.length - off);
            d.update(m, off, len);
            d = implementation.resume(d.state());
        }

        assertThat(d.digest().hex()).isEqualTo(v.hex());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void theExpectedValuesAreTheJdksOwn(Vector v) {
        assertThat(Digest.of(v.algorithm(), v.message()).hex()).isEqualTo(v.hex());
    }

    @Test
    void derivedConstantsMatchThePublishedOnes() {
        assertThat(Sha2Constants.H256).startsWith(0x6a09e667, 0xbb67ae85).endsWith(0x5be0cd19);
        assertThat(Sha2Constants.K256).hasSize(64).startsWith(0x428a2f98, 0x71374491).endsWith(0xc67178f2);
        assertThat(Sha2Constants.H512).startsWith(0x6a09e667f3bcc908L).endsWith(0x5be0cd19137e2179L);
        assertThat(Sha2Constants.K512).hasSize(80).startsWith(0x428a2f98d728ae22L).endsWith(0x6c44198c4a475817L);
    }
}
