package dev.berth.events;

import java.time.Duration;

/**
 * How long an endpoint waits before retrying a delivery: failures below {@code threshold} in a row are retried at
 * once (Distribution's threshold); from then on the wait starts at {@code initial} and doubles with each further
 * failure, up to {@code max}.
 *
 * @param threshold failures in a row retried without waiting, at least 1 (1: every retry waits)
 * @param initial the first wait
 * @param max the longest wait
 */
public record Backoff(int threshold, Duration initial, Duration max) {
    public Backoff {
        if (threshold < 1 || initial.isNegative() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("threshold >= 1 and 0 <= initial <= max, got " + threshold + ", "
                    + initial + ", " + max);
        }
    }

    /** The wait before the next attempt, after {@code failures} (at least 1) failed attempts in a row. */
    public Duration delayAfter(int failures) {
        if (failures < threshold) {
            return Duration.ZERO;
        }
        int doublings = failures - threshold;
        Duration delay = initial;
        for (int i = 0; i < doublings && delay.compareTo(max) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(max) > 0 ? max : delay;
    }
}
