package dev.berth.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ComparisonTest {
    @Test
    void mediansAreTakenPerTargetOverRounds() {
        Comparison c = new Comparison();
        c.add(1, "berth", "m", 10, "ops/s");
        c.add(2, "berth", "m", 30, "ops/s");
        c.add(3, "berth", "m", 20, "ops/s");
        c.add(1, "distribution", "m", 4, "ops/s");
        c.add(2, "distribution", "m", 6, "ops/s");
        assertThat(c.median("m", "berth")).contains(20.0);
        assertThat(c.median("m", "distribution")).contains(5.0);
        assertThat(c.ratio("m", "berth", "distribution")).contains(4.0);
        assertThat(c.median("m", "baseline")).isEmpty();
    }

    @Test
    void theMarkdownSaysWhichTargetIsMetAndWhichNot() {
        Comparison c = new Comparison();
        c.add(1, "berth", "wrk manifest-get-tag c=16", 16_000, "req/s");
        c.add(1, "distribution", "wrk manifest-get-tag c=16", 1_000, "req/s");
        c.add(1, "baseline", "wrk manifest-get-tag c=16", 50_000, "req/s");
        c.add(1, "berth", "skopeo push 4x50MiB", 5, "s");
        c.add(1, "distribution", "skopeo push 4x50MiB", 4, "s");
        String md = c.markdown("title", "machine facts");
        assertThat(md).contains("# title", "machine facts")
                .contains("| manifest GET by tag, wrk, 16 connections: ≥ 15× Distribution | 16.0 | yes |")
                .contains("| manifest GET by tag, wrk, 16 connections: ≥ 0.5× bare Jetty handler | 0.320 | **no** |")
                .contains("| skopeo push of a 4-layer 200 MiB image: ≤ 0.9× Distribution's time | 1.25 | **no** |")
                .contains("1 GiB blob GET, verify-on-read off: ≤ 1.0× Distribution's time | – | not measured |")
                .contains("| wrk manifest-get-tag c=16 | req/s | 16000 | 1000 | 16.0 | baseline 50000 |");
    }
}
