package dev.berth.bench;

import java.util.Locale;

/** The human-readable table {@code berth bench} prints, one line per run as each finishes. */
final class ResultTable {
    private static final String FORMAT = "%-22s %7s %5s %8s %6s %10s %9s %9s %9s %9s%n";

    private ResultTable() {}

    static String header() {
        return String.format(Locale.ROOT, FORMAT, "scenario", "size", "conc", "ops", "errors", "ops/s", "MB/s",
                "p50 ms", "p90 ms", "p99 ms");
    }

    static String row(RunResult r) {
        return String.format(Locale.ROOT, FORMAT, r.scenario(), r.size(), r.concurrency(), r.operations(), r.errors(),
                number(r.operationsPerSecond()), number(r.megabytesPerSecond()), number(r.latencyMs().p50()),
                number(r.latencyMs().p90()), number(r.latencyMs().p99()))
                + (r.firstError() == null ? "" : "  first error: " + r.firstError() + System.lineSeparator());
    }

    /** Three significant figures at least, without exponent notation. */
    static String number(double value) {
        if (value >= 100) {
            return String.format(Locale.ROOT, "%.0f", value);
        }
        if (value >= 10) {
            return String.format(Locale.ROOT, "%.1f", value);
        }
        return String.format(Locale.ROOT, "%.2f", value);
    }
}
