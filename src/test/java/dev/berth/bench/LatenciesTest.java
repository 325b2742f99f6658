package dev.berth.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LatenciesTest {
    private static final long MS = 1_000_000;

    @Test
    void percentilesAreNearestRankOverAllRecordedValues() {
        Latencies latencies = new Latencies();
        for (int i = 100; i >= 1; i--) { // recorded out of order on purpose
            latencies.record(i * MS);
        }
        Latencies.LatencySummary summary = latencies.summary();
        assertThat(summary.p50()).isEqualTo(50.0);
        assertThat(summary.p90()).isEqualTo(90.0);
        assertThat(summary.p99()).isEqualTo(99.0);
        assertThat(summary.max()).isEqualTo(100.0);
        assertThat(summary.mean()).isEqualTo(50.5);
    }

    @Test
    void aSingleValueIsEveryPercentile() {
        Latencies latencies = new Latencies();
        latencies.record(1_234_567);
        assertThat(latencies.summary()).isEqualTo(new Latencies.LatencySummary(1.235, 1.235, 1.235, 1.235, 1.235));
    }

    @Test
    void nearestRankRoundsTheRankUp() {
        long[] sorted = {10, 20, 30};
        assertThat(Latencies.percentile(sorted, 50)).isEqualTo(20);
        assertThat(Latencies.percentile(sorted, 34)).isEqualTo(20);
        assertThat(Latencies.percentile(sorted, 33)).isEqualTo(10);
        assertThat(Latencies.percentile(sorted, 99)).isEqualTo(30);
        assertThat(Latencies.percentile(sorted, 100)).isEqualTo(30);
    }

    @Test
    void percentilesOutsideTheRangeOrOfNothingAreRefused() {
        assertThatThrownBy(() -> Latencies.percentile(new long[] {1}, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Latencies.percentile(new long[] {1}, 101)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Latencies.percentile(new long[0], 50)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anEmptyRunSummarisesToZeros() {
        assertThat(new Latencies().summary()).isEqualTo(new Latencies.LatencySummary(0, 0, 0, 0, 0));
    }

    @Test
    void mergingKeepsEveryValueOfEveryWorkerBeyondTheInitialCapacity() {
        Latencies a = new Latencies();
        Latencies b = new Latencies();
        for (int i = 0; i < 3000; i++) {
            a.record(MS);
            b.record(3 * MS);
        }
        a.merge(b);
        assertThat(a.count()).isEqualTo(6000);
        assertThat(a.summary().p50()).isEqualTo(1.0);
        assertThat(a.summary().p90()).isEqualTo(3.0);
    }
}
