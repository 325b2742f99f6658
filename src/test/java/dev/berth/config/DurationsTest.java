package dev.berth.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

    @ParameterizedTest
    @CsvSource({"30s, PT30S", "5m, PT5M", "24h, PT24H", "7d, PT168H", "0s, PT0S", "90m, PT1H30M", "500ms, PT0.5S"})
    void parsesANumberWithOneUnit(String text, Duration expected) {
        assertThat(Durations.parse(text)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"10", "5x", "-1s", "", "s", "1.5h", "1h30m", "5 m", " 5m", "5M", "off", "5MS", "1.5ms",
            "9999999999999d"})
    void rejectsAnythingElseSayingWhatToWrite(String text) {
        assertThatThrownBy(() -> Durations.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + text + "'");
    }

    @Test
    void rejectionMessageShowsTheForms() {
        assertThatThrownBy(() -> Durations.parse("10"))
                .hasMessage("'10' is not a duration (write e.g. 500ms, 30s, 5m, 24h, 7d)");
    }

    @Test
    void offSwitchesAKeyOffWhereAllowed() {
        assertThat(Durations.parseOrOff("off")).isEmpty();
        assertThat(Durations.parseOrOff("5m")).isEqualTo(Optional.of(Duration.ofMinutes(5)));
        assertThatThrownBy(() -> Durations.parseOrOff("never"))
                .hasMessage("'never' is not a duration or off (write e.g. 500ms, 30s, 5m, 24h, 7d, or off)");
    }

    @ParameterizedTest
    @CsvSource({"PT0S, 0s", "PT0.5S, 500ms", "PT1.5S, 1500ms", "PT30S, 30s", "PT90M, 90m", "PT24H, 1d", "PT25H, 25h",
            "PT168H, 7d"})
    void formatWritesTheLargestWholeUnitAndParseReadsItBack(Duration duration, String text) {
        assertThat(Durations.format(duration)).isEqualTo(text);
        assertThat(Durations.parse(text)).isEqualTo(duration);
    }

    @Test
    void formatWritesNoneAsOffAndRefusesWhatNoTextCouldHold() {
        assertThat(Durations.formatOrOff(Optional.empty())).isEqualTo("off");
        assertThat(Durations.formatOrOff(Optional.of(Duration.ofHours(6)))).isEqualTo("6h");
        assertThatThrownBy(() -> Durations.format(Duration.ofNanos(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Durations.format(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
    }
}
