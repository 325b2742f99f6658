package dev.berth.bench;

import java.util.Arrays;

/**
 * Every latency of one run, in nanoseconds, kept whole (a run has at most a few million operations) so that
 * percentiles are exact. One instance per worker thread; {@link #merge} joins them after the run.
 */
public final class Latencies {
    private long[] values = new long[1024];
    private int count;

    /** Records one operation's latency. */
    public void record(long nanos) {
        if (count == values.length) {
            values = Arrays.copyOf(values, values.length * 2);
        }
        values[count++] = nanos;
    }

    /** The number of latencies recorded. */
    public int count() {
        return count;
    }

    /** Adds every latency of {@code other} to this one. */
    public void merge(Latencies other) {
        for (int i = 0; i < other.count; i++) {
            record(other.values[i]);
        }
    }

    /** Percentiles, mean and maximum in milliseconds; all zero when nothing was recorded. */
    public LatencySummary summary() {
        if (count == 0) {
            return new LatencySummary(0, 0, 0, 0, 0);
        }
        long[] sorted = Arrays.copyOf(values, count);
        Arrays.sort(sorted);
        double sum = 0;
        for (long v : sorted) {
            sum += v;
        }
        return new LatencySummary(millis(percentile(sorted, 50)), millis(percentile(sorted, 90)),
                millis(percentile(sorted, 99)), millis(sorted[count - 1]), millis(sum / count));
    }

    /**
     * The nearest-rank percentile of sorted values: the smallest value with at least {@code p} percent of the
     * values at or below it.
     */
    static long percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            throw new IllegalArgumentException("no values");
        }
        if (p <= 0 || p > 100) {
            throw new IllegalArgumentException("percentile must be in (0, 100], got " + p);
        }
        int rank = (int) Math.ceil(p / 100 * sorted.length);
        return sorted[Math.max(rank, 1) - 1];
    }

    private static double millis(double nanos) {
        return Math.round(nanos / 1_000) / 1_000.0;
    }

    /** Latency figures of one run, in milliseconds, rounded to the microsecond. */
    public record LatencySummary(double p50, double p90, double p99, double max, double mean) {}
}
