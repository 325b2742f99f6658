package dev.berth.lifecycle;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock that stands still until a test moves it, so ages are exact and no test sleeps. */
final class TestClock extends Clock {
    // volatile: a scheduled collection reads it on its own thread
    private volatile Instant now;

    TestClock(Instant start) {
        this.now = start;
    }

    /** Moves the clock forward by {@code step}. */
    void advance(Duration step) {
        now = now.plus(step);
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("a test clock has one zone");
    }
}
