package dev.berth.storage;

import java.time.Duration;

/**
 * How often and how patiently a Swift request is repeated after a 5xx answer, a connection error or a timeout:
 * exponential backoff from {@code firstDelay}, doubled each time and capped at {@code maxDelay}. Answers that say
 * something about the object (404, 412, 416, ...) are never retried.
 *
 * @param attempts the total number of tries, at least 1
 */
record SwiftRetryPolicy(int attempts, Duration firstDelay, Duration maxDelay) {
    SwiftRetryPolicy {
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be at least 1: " + attempts);
        }
    }

    /** Four tries over about 1.5 seconds. */
    static SwiftRetryPolicy defaults() {
        return new SwiftRetryPolicy(4, Duration.ofMillis(100), Duration.ofSeconds(2));
    }

    /** The pause before try number {@code attempt + 1}, where {@code attempt} counts from 1. */
    Duration delayAfter(int attempt) {
        long millis = firstDelay.toMillis() << Math.min(attempt - 1, 20);
        return Duration.ofMillis(Math.min(millis, maxDelay.toMillis()));
    }

    /** True when a request that got {@code status} may be sent again. */
    static boolean retryable(int status) {
        return status >= 500 && status != 501 && status != 505;
    }
}
