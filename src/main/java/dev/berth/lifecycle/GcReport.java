package dev.berth.lifecycle;

import java.time.Duration;
import java.util.Locale;

/**
 * The outcome of one collection.
 *
 * @param scanned objects listed
 * @param deleted objects deleted (in a dry run: that would be deleted)
 * @param bytesFreed their total size
 * @param elapsed how long the run took
 * @param dryRun whether nothing was actually deleted
 */
public record GcReport(long scanned, long deleted, long bytesFreed, Duration elapsed, boolean dryRun) {

    /** One line for a terminal or a log, such as {@code gc: scanned 1200 objects, deleted 31, freed 12.5 MiB in 0.8 s}. */
    public String summary() {
        return String.format(Locale.ROOT, "gc%s: scanned %d objects, %s %d, %s %s in %.1f s",
                dryRun ? " (dry run)" : "", scanned, dryRun ? "would delete" : "deleted", deleted,
                dryRun ? "would free" : "freed", humanBytes(bytesFreed), elapsed.toMillis() / 1000.0);
    }

    /** Bytes in B, KiB, MiB or GiB with one decimal. */
    public static String humanBytes(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }
}
