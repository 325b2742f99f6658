package dev.berth.registry.digest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import java.util.function.Function;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The binary state: its layout, and refusing anything truncated, corrupt or of an unknown version. */
class Sha2StateFormatTest {

    /** Every way to read a state, since each must refuse a bad one in the same way. */
    private static final Function<byte[], ?>[] READERS = readers();

    @SuppressWarnings("unchecked")
    private static Function<byte[], ?>[] readers() {
        return new Function[] {
            (Function<byte[], ?>) ResumableDigest::resume,
            (Function<byte[], ?>) JdkSha2Digest::resume,
            (Function<byte[], ?>) PortableSha2Digest::resume
        };
    }

    @ParameterizedTest
    @EnumSource(DigestAlgorithm.class)
    void stateHoldsVersionAlgorithmLengthWordsPartialBlockAndChecksum(DigestAlgorithm algorithm) {
        ResumableDigest d = ResumableDigest.start(algorithm);
        byte[] data = new byte[300];
        Arrays.fill(data, (byte) 'x');
        d.update(data, 0, data.length);
        int wordSize = algorithm == DigestAlgorithm.SHA256 ? 4 : 8;
        int partial = 300 % (algorithm == DigestAlgorithm.SHA256 ? 64 : 128);

        byte[] state = d.state();

        assertThat(state).hasSize(1 + 1 + 8 + 8 * wordSize + partial + 4);
        ByteBuffer in = ByteBuffer.wrap(state);
        assertThat(in.get()).isEqualTo((byte) 1);
        assertThat(in.get()).isEqualTo((byte) (algorithm.ordinal() + 1));
        assertThat(in.getLong()).isEqualTo(300);
        assertThat(Arrays.copyOfRange(state, state.length - 4 - partial, state.length - 4))
                .containsOnly((byte) 'x');
        CRC32C crc = new CRC32C();
        crc.update(state, 0, state.length - 4);
        assertThat(ByteBuffer.wrap(state, state.length - 4, 4).getInt()).isEqualTo((int) crc.getValue());
    }

    @Test
    void theStateOfTheEmptyMessageHoldsTheInitialHash() {
        ByteBuffer in = ByteBuffer.wrap(ResumableDigest.start(DigestAlgorithm.SHA256).state());
        in.position(10);
        assertThat(in.getInt()).isEqualTo(0x6a09e667);
    }

    @Test
    void truncatedStatesAreRefused() {
        byte[] state = stateAfter(DigestAlgorithm.SHA256, 100);
        for (int len = 0; len < state.length; len++) {
            assertRefused(Arrays.copyOf(state, len), "");
        }
        assertRefused(Arrays.copyOf(state, state.length + 1), "");
        assertRefused(null, "null");
    }

    @ParameterizedTest
    @EnumSource(DigestAlgorithm.class)
    void everySingleBitFlipIsRefused(DigestAlgorithm algorithm) {
        byte[] state = stateAfter(algorithm, 1000);
        for (int bit = 0; bit < state.length * 8; bit++) {
            byte[] corrupt = state.clone();
            corrupt[bit / 8] ^= (byte) (1 << (bit % 8));
            assertRefused(corrupt, "");
        }
    }

    @Test
    void anUnknownVersionIsRefusedByName() {
        byte[] state = stateAfter(DigestAlgorithm.SHA256, 5);
        state[0] = 2;
        assertRefused(state, "unknown version 2");
    }

    @Test
    void anUnknownAlgorithmIsRefusedByName() {
        byte[] state = stateAfter(DigestAlgorithm.SHA256, 5);
        state[1] = 9;
        assertRefused(state, "unknown algorithm code 9");
    }

    @Test
    void aStateWithAWrongChecksumIsCalledCorrupt() {
        byte[] state = stateAfter(DigestAlgorithm.SHA512, 77);
        state[20] ^= 1;
        assertRefused(state, "checksum mismatch");
    }

    @Test
    void randomBytesAreRefused() {
        Random random = new Random(0xBE27_0005L);
        for (int n = 0; n < 1000; n++) {
            byte[] junk = new byte[random.nextInt(250)];
            random.nextBytes(junk);
            assertRefused(junk, "");
        }
    }

    private static byte[] stateAfter(DigestAlgorithm algorithm, int length) {
        ResumableDigest d = ResumableDigest.start(algorithm);
        d.update(new byte[length], 0, length);
        return d.state();
    }

    private static void assertRefused(byte[] state, String message) {
        for (Function<byte[], ?> reader : READERS) {
            assertThatThrownBy(() -> reader.apply(state))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("digest state: ")
                    .hasMessageContaining(message);
        }
    }
}
