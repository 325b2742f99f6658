package dev.berth.config;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as configuration writes them: a whole number and one unit, {@code 500ms}, {@code 30s}, {@code 5m},
 * {@code 24h}, {@code 7d}; keys that can be switched off also take {@code off}.
 */
public final class Durations {
    // One number, one unit: "1h30m" or "1.5h" would be easy to misread, and "90m" says the same thing.
    // Bare numbers are refused because "10" could mean seconds or minutes depending on who wrote it.
    private static final Pattern FORM = Pattern.compile("([0-9]{1,12})(ms|[smhd])");
    private static final String HINT = "write e.g. 500ms, 30s, 5m, 24h, 7d";

    private Durations() {}

    /** Parses {@code text}; throws {@link IllegalArgumentException} with a message saying what to write. */
    public static Duration parse(String text) {
        Matcher m = FORM.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a duration (" + HINT + ")");
        }
        long amount = Long.parseLong(m.group(1));
        try {
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                case "d" -> Duration.ofDays(amount);
                default -> throw new AssertionError(m.group(2));
            };
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("'" + text + "' is too long a duration");
        }
    }

    /**
     * {@code duration} as configuration writes it, in the largest unit that holds it whole: {@code 90m} rather than
     * {@code 5400s}; what {@link #parse} reads back to the same duration.
     */
    public static String format(Duration duration) {
        if (duration.isNegative() || duration.toNanosPart() % 1_000_000 != 0) {
            throw new IllegalArgumentException(duration + " cannot be written in whole milliseconds");
        }
        long millis = duration.toMillis();
        if (millis == 0) {
            return "0s";
        }
        long[] sizes = {86_400_000L, 3_600_000L, 60_000L, 1_000L};
        String[] units = {"d", "h", "m", "s"};
        for (int i = 0; i < sizes.length; i++) {
            if (millis % sizes[i] == 0) {
                return millis / sizes[i] + units[i];
            }
        }
        return millis + "ms";
    }

    /** {@code duration} as {@link #format}, or {@code off} for none. */
    public static String formatOrOff(Optional<Duration> duration) {
        return duration.map(Durations::format).orElse("off");
    }

    /** Parses {@code text} for a key that may be switched off: {@code off} gives empty. */
    public static Optional<Duration> parseOrOff(String text) {
        if (text.equals("off")) {
            return Optional.empty();
        }
        try {
            return Optional.of(parse(text));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + text + "' is not a duration or off (" + HINT + ", or off)");
        }
    }
}
