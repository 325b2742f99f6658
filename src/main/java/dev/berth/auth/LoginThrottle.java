package dev.berth.auth;

import dev.berth.config.BerthConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Counts failed logins per client address in a sliding window: an address that failed {@code failures} times
 * within {@code window} has its logins refused, unchecked, until the oldest of those failures leaves the window.
 * A success resets nothing, so a client cannot clear its count by logging in to an account it owns. Memory is
 * bounded: at most {@link #MAX_ADDRESSES} addresses are tracked, the least recently seen dropped first.
 */
public final class LoginThrottle {
    /** The most client addresses whose failures are remembered. */
    static final int MAX_ADDRESSES = 10_000;

    private final int failures;
    private final Duration window;
    private final Clock clock;
    private final Map<String, Deque<Instant>> recent = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Deque<Instant>> eldest) {
            return size() > MAX_ADDRESSES;
        }
    };

    /** A throttle with the configured limit. */
    public LoginThrottle(BerthConfig.LoginLimit limit, Clock clock) {
        this.failures = limit.failures();
        this.window = limit.window();
        this.clock = clock;
    }

    /** How long {@code address} must wait before it may try to log in again; empty when it may now. */
    public synchronized Optional<Duration> blocked(String address) {
        Deque<Instant> times = recent.get(address);
        if (times == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        prune(times, now);
        if (times.isEmpty()) {
            recent.remove(address);
            return Optional.empty();
        }
        if (times.size() < failures) {
            return Optional.empty();
        }
        Duration wait = Duration.between(now, times.peekFirst().plus(window));
        // Retry-After counts whole seconds: round up, so a client that waits that long is let in.
        long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
        return Optional.of(Duration.ofSeconds(seconds));
    }

    /** Records a failed login from {@code address}. */
    public synchronized void failed(String address) {
        Instant now = clock.instant();
        Deque<Instant> times = recent.computeIfAbsent(address, a -> new ArrayDeque<>());
        prune(times, now);
        times.addLast(now);
        while (times.size() > failures) {
            times.removeFirst();
        }
    }

    /** The number of addresses tracked now; for tests of the memory bound. */
    synchronized int trackedAddresses() {
        return recent.size();
    }

    private void prune(Deque<Instant> times, Instant now) {
        Instant start = now.minus(window);
        while (!times.isEmpty() && !times.peekFirst().isAfter(start)) {
            times.removeFirst();
        }
    }
}
