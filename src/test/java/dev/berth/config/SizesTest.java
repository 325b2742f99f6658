package dev.berth.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SizesTest {

    @ParameterizedTest
    @CsvSource({"1024, 1024", "0, 0", "100B, 100", "512KiB, 524288", "4MiB, 4194304", "1GiB, 1073741824",
            "2TiB, 2199023255552"})
    void parsesPlainBytesAndBinaryUnits(String text, long expected) {
        assertThat(Sizes.parse(text)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"4 megs", "", "-1", "1.5MiB", "4 MiB", "4mib", "4M", "MiB", "4PiB",
            "99999999999999999999", "9999999TiB"})
    void rejectsAnythingElse(String text) {
        assertThatThrownBy(() -> Sizes.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + text + "'");
    }

    @Test
    void rejectionMessageShowsTheForms() {
        assertThatThrownBy(() -> Sizes.parse("4 megs"))
                .hasMessage("'4 megs' is not a size (write e.g. 512KiB, 4MiB)");
    }

    @ParameterizedTest
    @CsvSource({"4MB, 4MiB", "512kb, 512KiB", "1 GB, 1GiB", "2TB, 2TiB"})
    void refusesDecimalUnitsNamingTheBinaryOne(String text, String suggested) {
        assertThatThrownBy(() -> Sizes.parse(text))
                .hasMessage("'" + text + "' is not a size: units are binary, write " + suggested);
    }

    @ParameterizedTest
    @CsvSource({"0, 0", "1, 1", "1023, 1023", "1024, 1KiB", "1536, 1536", "4194304, 4MiB", "1073741824, 1GiB",
            "1099511627776, 1TiB", "3298534883328, 3TiB"})
    void formatWritesTheLargestWholeBinaryUnitAndParseReadsItBack(long bytes, String text) {
        assertThat(Sizes.format(bytes)).isEqualTo(text);
        assertThat(Sizes.parse(text)).isEqualTo(bytes);
    }
}
