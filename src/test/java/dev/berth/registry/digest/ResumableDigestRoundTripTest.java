package dev.berth.registry.digest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Random data cut at random points, its state saved and resumed at every cut, against one MessageDigest run. */
class ResumableDigestRoundTripTest {
    private static final int CASES = 300;

    @ParameterizedTest
    @EnumSource(DigestAlgorithm.class)
    void resumedStateContinuesToTheSameDigestAsOneMessageDigest(DigestAlgorithm algorithm) {
        Random random = new Random(0xBE27_0001L + algorithm.ordinal());
        for (int n = 0; n < CASES; n++) {
            byte[] data = randomData(random);
            int[] cuts = cuts(random, data.length);
            // Each case walks JDK → portable → JDK → … so that every state crosses implementations.
            Implementation[] order = Implementation.values();
            int which = random.nextInt(2);
            ResumableDigest d = order[which].start(algorithm);
            for (int i = 1; i < cuts.length; i++) {
                d.update(data, cuts[i - 1], cuts[i] - cuts[i - 1]);
                assertThat(d.length()).isEqualTo(cuts[i]);
                which ^= 1;
                d = order[which].resume(d.state());
                assertThat(d.length()).isEqualTo(cuts[i]);
            }
            assertThat(d.digest().hex()).as("case %d, %d bytes, cuts %s", n, data.length, Arrays.toString(cuts))
                    .isEqualTo(messageDigest(algorithm, data, data.length));
        }
    }

    @ParameterizedTest
    @EnumSource(DigestAlgorithm.class)
    void bothImplementationsWriteTheSameStateAtEveryCut(DigestAlgorithm algorithm) {
        Random random = new Random(0xBE27_0002L + algorithm.ordinal());
        for (int n = 0; n < CASES; n++) {
            byte[] data = randomData(random);
            int[] cuts = cuts(random, data.length);
            ResumableDigest jdk = Implementation.JDK.start(algorithm);
            ResumableDigest portable = Implementation.PORTABLE.start(algorithm);
            assertThat(jdk.state()).isEqualTo(portable.state());
            for (int i = 1; i < cuts.length; i++) {
                jdk.update(data, cuts[i - 1], cuts[i] - cuts[i - 1]);
                portable.update(data, cuts[i - 1], cuts[i] - cuts[i - 1]);
                assertThat(jdk.state()).as("state after %d bytes", cuts[i]).isEqualTo(portable.state());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Implementation.class)
    void digestMidStreamDoesNotDisturbLaterUpdates(Implementation implementation) {
        Random random = new Random(0xBE27_0003L);
        for (DigestAlgorithm algorithm : DigestAlgorithm.values()) {
            for (int n = 0; n < 50; n++) {
                byte[] data = randomData(random);
                int[] cuts = cuts(random, data.length);
                ResumableDigest d = implementation.start(algorithm);
                for (int i = 1; i < cuts.length; i++) {
                    d.update(data, cuts[i - 1], cuts[i] - cuts[i - 1]);
                    assertThat(d.digest().hex()).isEqualTo(messageDigest(algorithm, data, cuts[i]));
                    assertThat(d.length()).isEqualTo(cuts[i]);
                }
                assertThat(d.digest().hex()).isEqualTo(messageDigest(algorithm, data, data.length));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Implementation.class)
    void byteBufferUpdatesHashLikeArrayUpdates(Implementation implementation) {
        byte[] data = randomData(new Random(0xBE27_0004L));
        byte[] padded = new byte[data.length + 10];
        System.arraycopy(data, 0, padded, 7, data.length);
        ByteBuffer direct = ByteBuffer.allocateDirect(data.length).put(data).flip();
        ByteBuffer slice = ByteBuffer.wrap(padded, 7, data.length).slice();
        ByteBuffer readOnly = ByteBuffer.wrap(data).asReadOnlyBuffer();
        for (ByteBuffer buf : new ByteBuffer[] {direct, slice, readOnly}) {
            ResumableDigest d = implementation.start(DigestAlgorithm.SHA256);
            d.update(buf);
            assertThat(buf.hasRemaining()).isFalse();
            assertThat(d.digest().hex()).isEqualTo(messageDigest(DigestAlgorithm.SHA256, data, data.length));
        }
    }

    @ParameterizedTest
    @EnumSource(Implementation.class)
    void updateOutsideTheArrayIsRefusedAndChangesNothing(Implementation implementation) {
        ResumableDigest d = implementation.start(DigestAlgorithm.SHA256);
        d.update(new byte[10], 0, 10);
        byte[] before = d.state();

        assertThatThrownBy(() -> d.update(new byte[10], 5, 6)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> d.update(new byte[10], -1, 2)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThat(d.state()).isEqualTo(before);
    }

    /** Mostly short messages, where block-boundary cases are dense, and now and then a long one. */
    private static byte[] randomData(Random random) {
        int length = random.nextInt(10) == 0 ? random.nextInt(70_000) : random.nextInt(1_200);
        byte[] data = new byte[length];
        random.nextBytes(data);
        return data;
    }

    /** Sorted cut points from 0 to length: random ones, block boundaries of both sizes and their neighbours, and repeats. */
    private static int[] cuts(Random random, int length) {
        int count = 2 + random.nextInt(12);
        int[] cuts = new int[count + 2];
        for (int i = 1; i <= count; i++) {
            cuts[i] = switch (random.nextInt(4)) {
                case 0 -> random.nextInt(length + 1);
                case 1 -> Math.min(length, 64 * random.nextInt(length / 64 + 1) + random.nextInt(3) - 1);
                case 2 -> Math.min(length, 128 * random.nextInt(length / 128 + 1) + random.nextInt(3) - 1);
                default -> cuts[i - 1];
            };
            cuts[i] = Math.max(0, cuts[i]);
        }
        cuts[count + 1] = length;
        Arrays.sort(cuts);
        return cuts;
    }

    private static String messageDigest(DigestAlgorithm algorithm, byte[] data, int length) {
        try {
            MessageDigest md = MessageDigest.getInstance(algorithm.jdkName());
            md.update(data, 0, length);
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
