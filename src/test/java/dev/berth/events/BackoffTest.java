package dev.berth.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {
    @Test
    void failuresBelowTheThresholdAreRetriedAtOnceThenTheWaitDoublesUpToTheCap() {
        Backoff backoff = new Backoff(3, Duration.ofSeconds(1), Duration.ofSeconds(10));

        assertThat(backoff.delayAfter(1)).isZero();
        assertThat(backoff.delayAfter(2)).isZero();
        assertThat(backoff.delayAfter(3)).isEqualTo(Duration.ofSeconds(1));
        assertThat(backoff.delayAfter(4)).isEqualTo(Duration.ofSeconds(2));
        assertThat(backoff.delayAfter(5)).isEqualTo(Duration.ofSeconds(4));
        assertThat(backoff.delayAfter(6)).isEqualTo(Duration.ofSeconds(8));
        assertThat(backoff.delayAfter(7)).isEqualTo(Duration.ofSeconds(10));
        assertThat(backoff.delayAfter(Integer.MAX_VALUE)).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void aThresholdOfOneWaitsBeforeEveryRetry() {
        Backoff backoff = new Backoff(1, Duration.ofMillis(100), Duration.ofMinutes(1));

        assertThat(backoff.delayAfter(1)).isEqualTo(Duration.ofMillis(100));
        assertThat(backoff.delayAfter(2)).isEqualTo(Duration.ofMillis(200));
    }

    @Test
    void aCapBelowTheFirstWaitOrAThresholdBelowOneIsRefused() {
        assertThatThrownBy(() -> new Backoff(1, Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(0, Duration.ofSeconds(1), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
