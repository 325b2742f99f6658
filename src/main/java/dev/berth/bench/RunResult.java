package dev.berth.bench;

/**
 * The figures of one run: a scenario at one concurrency (and blob size), as written to the table and the JSON.
 * Throughput counts successful operations only; {@code megabytesPerSecond} is in 10^6 bytes.
 */
public record RunResult(
        String scenario,
        String size,
        long sizeBytes,
        int concurrency,
        long operations,
        long errors,
        long requests,
        double seconds,
        long bytes,
        double operationsPerSecond,
        double requestsPerSecond,
        double megabytesPerSecond,
        Latencies.LatencySummary latencyMs,
        String firstError) {

    /** The result of a run that did {@code operations} and failed {@code errors} in {@code nanos} of wall time. */
    static RunResult of(Scenario scenario, ByteSize size, int concurrency, long operations, long errors, long requests,
            long nanos, long bytes, Latencies latencies, String firstError) {
        double seconds = Math.max(nanos, 1) / 1e9;
        return new RunResult(scenario.id(), size == null ? "" : size.label(), size == null ? 0 : size.bytes(),
                concurrency, operations, errors, requests, round(seconds, 6), bytes, round(operations / seconds, 1),
                round(requests / seconds, 1), round(bytes / seconds / 1e6, 1), latencies.summary(), firstError);
    }

    /** The key the comparison matches runs by: scenario, size and concurrency. */
    public String measure() {
        return scenario + (size.isEmpty() ? "" : " " + size) + " c=" + concurrency;
    }

    private static double round(double value, int decimals) {
        double scale = Math.pow(10, decimals);
        return Math.round(value * scale) / scale;
    }
}
