package dev.berth.lifecycle;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Expires tags not pushed for longer than {@code lifecycle.tags.expire-after}. Pushing a tag rewrites its object,
 * so the object's last write is the last push. Whether a retention rule keeps the tag is for the caller to check
 * first: a kept tag never expires.
 */
final class TagExpiry {
    static final String RULE = "lifecycle.tags.expire-after";

    private final Optional<Duration> expireAfter;

    TagExpiry(Optional<Duration> expireAfter) {
        this.expireAfter = expireAfter;
    }

    /** True when tags expire at all. */
    boolean enabled() {
        return expireAfter.isPresent();
    }

    /** Why a tag last pushed at {@code pushed} has expired at {@code now}; empty when it has not. */
    Optional<Verdict> verdict(Instant pushed, Instant now) {
        if (expireAfter.isEmpty()) {
            return Optional.empty();
        }
        Duration age = Duration.between(pushed, now);
        if (age.compareTo(expireAfter.get()) <= 0) {
            return Optional.empty();
        }
        return Optional.of(new Verdict(RULE + " " + DurationText.of(expireAfter.get()),
                "last pushed " + DurationText.age(age) + " ago"));
    }
}
