package dev.berth.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.config.BerthConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** Failed logins counted per address in a sliding window. */
class LoginThrottleTest {
    /** A clock the test moves by hand. */
    private static final class HandClock extends Clock {
        private Instant now = Instant.parse("2026-03-01T12:00:00Z");

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final HandClock clock = new HandClock();
    private final LoginThrottle throttle = new LoginThrottle(new BerthConfig.LoginLimit(3, Duration.ofMinutes(1)),
            clock);

    @Test
    void anAddressIsBlockedOnceItFailedTheLimitWithinTheWindowUntilTheOldestFailureLeavesIt() {
        throttle.failed("10.0.0.1");
        clock.advance(Duration.ofSeconds(10));
        throttle.failed("10.0.0.1");
        assertThat(throttle.blocked("10.0.0.1")).isEmpty();
        throttle.failed("10.0.0.1");
        assertThat(throttle.blocked("10.0.0.1")).contains(Duration.ofSeconds(50));
        clock.advance(Duration.ofSeconds(49));
        assertThat(throttle.blocked("10.0.0.1")).contains(Duration.ofSeconds(1));
        clock.advance(Duration.ofSeconds(1));
        assertThat(throttle.blocked("10.0.0.1")).isEmpty();
    }

    @Test
    void otherAddressesAreNotBlocked() {
        for (int i = 0; i < 3; i++) {
            throttle.failed("10.0.0.1");
        }
        assertThat(throttle.blocked("10.0.0.1")).isPresent();
        assertThat(throttle.blocked("10.0.0.2")).isEmpty();
    }

    @Test
    void failuresSpreadWiderThanTheWindowNeverBlock() {
        for (int i = 0; i < 20; i++) {
            throttle.failed("10.0.0.1");
            assertThat(throttle.blocked("10.0.0.1")).as("failure %d", i).isEmpty();
            clock.advance(Duration.ofSeconds(31));
        }
    }

    @Test
    void memoryIsBoundedByForgettingTheLeastRecentAddresses() {
        for (int i = 0; i < LoginThrottle.MAX_ADDRESSES + 500; i++) {
            throttle.failed("addr-" + i);
        }
        assertThat(throttle.trackedAddresses()).isEqualTo(LoginThrottle.MAX_ADDRESSES);
    }
}
