package dev.berth.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class BenchOptionsTest {
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = new CommandLine(new BenchCommand());
        cli.setErr(new PrintWriter(err, true));
        cli.setOut(new PrintWriter(new StringWriter(), true));
        return cli.execute(args);
    }

    private static BenchOptions options(String... args) {
        BenchCommand command = new BenchCommand();
        new CommandLine(command).parseArgs(args);
        return command.options();
    }

    @Test
    void theDefaultsAreTheIssuesSet() {
        BenchOptions o = options("--url", "http://127.0.0.1:5000");
        assertThat(o.concurrency()).containsExactly(1, 4, 16, 64);
        assertThat(o.requests()).isEqualTo(200);
        assertThat(o.duration()).isNull();
        assertThat(o.sizes()).extracting(ByteSize::bytes).containsExactly(1_000_000L, 10_000_000L, 100_000_000L);
        assertThat(o.scenarios()).containsExactly(Scenario.values());
        assertThat(o.chunkSize().bytes()).isEqualTo(8L << 20);
        assertThat(o.maxConcurrency()).isEqualTo(64);
    }

    @Test
    void scenariosAreChosenByNameInTheOrderGiven() {
        BenchOptions o = options("--url", "http://h:1", "--only", "pull, manifest-head-digest,pull", "--duration", "20s");
        assertThat(o.scenarios()).containsExactly(Scenario.PULL, Scenario.MANIFEST_HEAD_DIGEST);
        assertThat(o.duration()).hasSeconds(20);
        assertThat(o.requests()).isZero();
    }

    @Test
    void aBlobRunIsCappedByMaxBytesButGivesEveryConnectionOneOperation() {
        BenchOptions o = options("--url", "http://h:1", "--requests", "1000", "--max-bytes", "1GB");
        assertThat(o.operationBudget(ByteSize.parse("100MB"), 1)).isEqualTo(10);
        assertThat(o.operationBudget(ByteSize.parse("100MB"), 64)).isEqualTo(64);
        assertThat(o.operationBudget(ByteSize.parse("1MB"), 4)).isEqualTo(1000);
        assertThat(o.operationBudget(null, 4)).isEqualTo(1000);
    }

    @Test
    void requestsAndDurationTogetherAreAUsageError() {
        assertThat(run("--url", "http://h:1", "--requests", "5", "--duration", "5s")).isEqualTo(2);
        assertThat(err.toString()).contains("not both");
    }

    @Test
    void badValuesAreUsageErrorsNamingTheOption() {
        List<List<String>> cases = List.of(
                List.of("--concurrency", "0", "--concurrency"),
                List.of("--concurrency", "1,x", "--concurrency"),
                List.of("--concurrency", "2000", "--concurrency"),
                List.of("--requests", "0", "--requests"),
                List.of("--duration", "10", "--duration"),
                List.of("--sizes", "1.5MB", "1.5MB"),
                List.of("--only", "push", "unknown scenario 'push'"),
                List.of("--repo", "Bench/X", "--repo"),
                List.of("--creds", "nocolon", "--creds"),
                List.of("--chunk-size", "4GiB", "--chunk-size"),
                List.of("--page-size", "-1", "--page-size"),
                List.of("--tags", "0", "--tags"));
        for (List<String> c : cases) {
            StringWriter message = new StringWriter();
            CommandLine cli = new CommandLine(new BenchCommand());
            cli.setErr(new PrintWriter(message, true));
            assertThat(cli.execute("--url", "http://h:1", c.get(0), c.get(1))).as(c.toString()).isEqualTo(2);
            assertThat(message.toString()).as(c.toString()).contains(c.get(2));
        }
    }

    @Test
    void theUrlMustBeAnHttpRootWithoutAPath() {
        assertThatThrownBy(() -> options("--url", "ftp://h:1")).hasMessageContaining("http://");
        assertThatThrownBy(() -> options("--url", "http://h:1/v2/")).hasMessageContaining("without a path");
        assertThat(options("--url", "http://h:1/").url().getPort()).isEqualTo(1);
    }

    @Test
    void unknownScenarioNamesListTheKnownOnes() {
        assertThatThrownBy(() -> Scenario.byId("pulls")).hasMessageContaining("push-monolithic")
                .hasMessageContaining("catalog");
    }
}
