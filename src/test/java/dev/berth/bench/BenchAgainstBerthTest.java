package dev.berth.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.BerthServer;
import dev.berth.config.BerthConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code berth bench} for a few operations against a Berth in this process: the figures it writes add up. */
class BenchAgainstBerthTest {
    private static BerthServer berth;

    @BeforeAll
    static void start() throws Exception {
        berth = BerthServer.start(BerthConfig.defaults().withListen("127.0.0.1:0"), new dev.berth.storage.MemoryStore());
    }

    @AfterAll
    static void stop() throws Exception {
        berth.close();
    }

    @Test
    void everyScenarioRunsWithoutErrorsAndItsJsonCountsWhatWasDone(@TempDir Path dir) throws Exception {
        Path output = dir.resolve("out/results.json");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new BenchCommand());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute("--url", berth.uri().toString(), "--concurrency", "1,3", "--requests", "6",
                "--sizes", "100KB,1300KB", "--chunk-size", "512KiB", "--tags", "25", "--repositories", "7",
                "--page-size", "10", "--warmup", "2", "--output", output.toString());

        assertThat(code).as(err.toString()).isZero();
        BenchReport report = BenchReport.read(output);
        assertThat(report.url()).isEqualTo(berth.uri().toString());
        assertThat(report.fixtures().get("tags").count()).isEqualTo(25);
        assertThat(report.fixtures().get("repositories").count()).isEqualTo(7);
        assertThat(report.results()).hasSize(2 * (3 * 2 + 6)); // 3 blob scenarios × 2 sizes + 6 others, at 2 levels
        for (RunResult r : report.results()) {
            assertThat(r.errors()).as(r.measure() + ": " + r.firstError()).isZero();
            assertThat(r.operations()).as(r.measure()).isEqualTo(6);
            assertThat(r.seconds()).as(r.measure()).isPositive();
            assertThat(r.operationsPerSecond()).as(r.measure()).isPositive();
            // A manifest read from memory can take less than the latencies' resolution: zero, never negative.
            assertThat(r.latencyMs().p50()).as(r.measure()).isNotNegative()
                    .isLessThanOrEqualTo(r.latencyMs().p90());
            assertThat(r.latencyMs().max()).as(r.measure()).isPositive();
            assertThat(r.latencyMs().p90()).isLessThanOrEqualTo(r.latencyMs().p99());
            assertThat(r.latencyMs().p99()).isLessThanOrEqualTo(r.latencyMs().max());
        }
        Map<String, RunResult> byMeasure = report.results().stream()
                .collect(Collectors.toMap(RunResult::measure, r -> r));
        assertThat(byMeasure.get("push-monolithic 1300KB c=3").bytes()).isEqualTo(6 * 1_300_000L);
        assertThat(byMeasure.get("push-monolithic 1300KB c=3").requests()).isEqualTo(6 * 2);
        // 1,300,000 bytes in PATCHes of 524,288: three each, with the POST and the PUT.
        assertThat(byMeasure.get("push-chunked 1300KB c=1").requests()).isEqualTo(6 * 5);
        assertThat(byMeasure.get("pull 100KB c=3").bytes()).isEqualTo(6 * 100_000L);
        assertThat(byMeasure.get("manifest-get-tag c=1").bytes()).isEqualTo(6L * ImageFixture.create().manifest().length);
        assertThat(byMeasure.get("manifest-head-digest c=3").requests()).isEqualTo(6);
        // 25 tags in pages of 10 take three requests per listing.
        assertThat(byMeasure.get("tag-list c=1").requests()).isEqualTo(6 * 3);
        assertThat(out.toString()).contains("scenario", "push-chunked", "catalog", "results written to");
    }

    @Test
    void aSecondRunFindsItsFixturesInPlaceAndCreatesNothing(@TempDir Path dir) throws Exception {
        String[] args = {"--url", berth.uri().toString(), "--concurrency", "2", "--requests", "3",
                "--only", "tag-list,catalog,manifest-get-digest", "--tags", "12", "--repositories", "4",
                "--repo", "bench/again", "--output", dir.resolve("r.json").toString()};
        assertThat(new CommandLine(new BenchCommand()).execute(args)).isZero();
        assertThat(new CommandLine(new BenchCommand()).execute(args)).isZero();
        BenchReport second = BenchReport.read(dir.resolve("r.json"));
        assertThat(second.fixtures().get("tags").created()).isZero();
        assertThat(second.fixtures().get("tags").count()).isEqualTo(12);
        assertThat(second.fixtures().get("repositories").created()).isZero();
        assertThat(Files.size(dir.resolve("r.json"))).isPositive();
    }

    @Test
    void theBaselineServesTheManifestBerthServesByteForByte() throws Exception {
        try (BaselineServer baseline = BaselineServer.start("127.0.0.1", 0, "bench/x", ImageFixture.create());
                RegistryClient toBaseline = new RegistryClient(baseline.uri(), null);
                RegistryClient toBerth = new RegistryClient(berth.uri(), null)) {
            new FixturePreparer(toBerth, new BlobContent(1), ImageFixture.create(), 2).image("bench/x");
            assertThat(toBaseline.manifestDigest("bench/x", "latest"))
                    .isEqualTo(toBerth.manifestDigest("bench/x", "latest"))
                    .contains(ImageFixture.create().manifestDigest());
            assertThat(toBaseline.readManifest("bench/x", "latest", false))
                    .isEqualTo(toBerth.readManifest("bench/x", "latest", false));
            assertThat(toBaseline.manifestDigest("bench/other", "latest")).isEmpty();
        }
    }
}
