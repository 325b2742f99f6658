package dev.berth.registry.digest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

/** Crc32c.combine against java.util.zip.CRC32C over the whole. */
class Crc32cTest {

    @Test
    void combiningTheCrcsOfTwoPartsGivesTheCrcOfTheWhole() {
        Random random = new Random(0xBE27_0006L);
        for (int n = 0; n < 2000; n++) {
            byte[] data = new byte[random.nextInt(n % 10 == 0 ? 100_000 : 300)];
            random.nextBytes(data);
            int cut = random.nextInt(4) == 0 ? (random.nextBoolean() ? 0 : data.length) : random.nextInt(data.length + 1);

            long combined = Crc32c.combine(crc(data, 0, cut), crc(data, cut, data.length - cut), data.length - cut);

            assertThat(combined).as("%d bytes cut at %d", data.length, cut).isEqualTo(crc(data, 0, data.length));
        }
    }

    @Test
    void combiningManyChunksInOrderGivesTheCrcOfTheWhole() {
        Random random = new Random(0xBE27_0007L);
        byte[] data = new byte[3_000_000];
        random.nextBytes(data);
        long running = crc(data, 0, 0);
        for (int off = 0; off < data.length; ) {
            int len = Math.min(data.length - off, random.nextInt(400_000));
            running = Crc32c.combine(running, crc(data, off, len), len);
            off += len;
        }
        assertThat(running).isEqualTo(crc(data, 0, data.length));
    }

    @Test
    void anEmptySecondPartLeavesTheFirstCrc() {
        assertThat(Crc32c.combine(0x12345678L, 0, 0)).isEqualTo(0x12345678L);
    }

    @Test
    void anEmptyFirstPartGivesTheSecondCrc() {
        byte[] b = "chunk".getBytes();
        assertThat(Crc32c.combine(0, crc(b, 0, b.length), b.length)).isEqualTo(crc(b, 0, b.length));
    }

    @Test
    void combineRefusesValuesThatAreNotCrcs() {
        assertThatThrownBy(() -> Crc32c.combine(-1, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Crc32c.combine(0, 1L << 32, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Crc32c.combine(0, 0, -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void hexIsEightLowerCaseDigits() {
        assertThat(Crc32c.hex(0)).isEqualTo("00000000");
        assertThat(Crc32c.hex(0xE3069283L)).isEqualTo("e3069283");
        byte[] check = "123456789".getBytes();
        assertThat(Crc32c.hex(crc(check, 0, check.length))).isEqualTo("e3069283");
        assertThatThrownBy(() -> Crc32c.hex(1L << 32)).isInstanceOf(IllegalArgumentException.class);
    }

    private static long crc(byte[] b, int off, int len) {
        CRC32C crc = new CRC32C();
        crc.update(b, off, len);
        return crc.getValue();
    }
}
