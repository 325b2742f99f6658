package dev.berth.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ByteSizeTest {
    @ParameterizedTest
    @CsvSource({"1MB, 1000000", "100MB, 100000000", "1GB, 1000000000", "512KB, 512000", "8MiB, 8388608",
            "1GiB, 1073741824", "4KiB, 4096", "1500, 1500", "1mb, 1000000", "5GiB, 5368709120"})
    void decimalAndBinaryUnitsAreRead(String text, long bytes) {
        ByteSize size = ByteSize.parse(text);
        assertThat(size.bytes()).isEqualTo(bytes);
        assertThat(size.label()).isEqualTo(text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "MB", "1.5MB", "-1MB", "0", "0MB", "1 XB", "1TB", "ten"})
    void anythingElseIsRefusedWithAnExample(String text) {
        assertThatThrownBy(() -> ByteSize.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(text.isEmpty() ? "size" : text);
    }
}
