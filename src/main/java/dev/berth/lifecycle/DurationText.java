package dev.berth.lifecycle;

import java.time.Duration;

/** Writes a duration the way the configuration reads them ({@code 7d}, {@code 24h}, {@code 90m}, {@code 30s}). */
final class DurationText {
    private DurationText() {}

    /** {@code d} in the largest unit that writes it exactly, for naming a configured duration. */
    static String of(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s >= 86_400 && s % 86_400 == 0) {
            return s / 86_400 + "d";
        }
        if (s >= 3_600 && s % 3_600 == 0) {
            return s / 3_600 + "h";
        }
        if (s >= 60 && s % 60 == 0) {
            return s / 60 + "m";
        }
        return s + "s";
    }

    /**
     * An age in its largest unit and the next one, rounded down, for messages such as {@code last pushed 9d ago}:
     * two units, so an age just past a limit ({@code 1d 1h} against {@code 1d}) reads as past it.
     */
    static String age(Duration d) {
        long s = Math.max(0, d.toSeconds());
        long[] sizes = {86_400, 3_600, 60, 1};
        String[] units = {"d", "h", "m", "s"};
        for (int i = 0; i < sizes.length - 1; i++) {
            if (s >= sizes[i]) {
                long rest = s % sizes[i] / sizes[i + 1];
                return s / sizes[i] + units[i] + (rest == 0 ? "" : " " + rest + units[i + 1]);
            }
        }
        return s + "s";
    }
}
