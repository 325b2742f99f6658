package dev.berth.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

class Crc32csTest {
    @Test
    void combiningTheCrcsOfTwoPartsGivesTheCrcOfTheWhole() {
        SplittableRandom random = new SplittableRandom(42);
        for (int round = 0; round < 200; round++) {
            byte[] whole = new byte[random.nextInt(0, 5000)];
            random.nextBytes(whole);
            int split = random.nextInt(0, whole.length + 1);
            long a = crc(Arrays.copyOfRange(whole, 0, split));
            long b = crc(Arrays.copyOfRange(whole, split, whole.length));

            assertThat(Crc32cs.combine(a, b, whole.length - split)).as("round %d", round).isEqualTo(crc(whole));
        }
    }

    @Test
    void combiningWithEmptyPartsChangesNothing() {
        long crc = crc(new byte[] {1, 2, 3});

        assertThat(Crc32cs.combine(0, crc, 3)).isEqualTo(crc);
        assertThat(Crc32cs.combine(crc, 0, 0)).isEqualTo(crc);
    }

    @Test
    void hexAndParseRoundTrip() {
        assertThat(Crc32cs.hex(0xE3069283L)).isEqualTo("e3069283");
        assertThat(Crc32cs.parse("e3069283")).isEqualTo(0xE3069283L);
        assertThat(Crc32cs.parse("xyz")).isNull();
        assertThat(Crc32cs.parse("e306928g")).isNull();
    }

    private static long crc(byte[] data) {
        CRC32C crc = new CRC32C();
        crc.update(data);
        return crc.getValue();
    }
}
