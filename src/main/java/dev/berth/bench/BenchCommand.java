package dev.berth.bench;

import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code berth bench}: measures any registry at a URL (see docs/performance.md). */
@Command(name = "bench",
        mixinStandardHelpOptions = true,
        description = {"Measures a registry at any URL: pushes, pulls, manifest reads, tag list and catalog,",
                "each at several concurrencies; prints a table and writes JSON with --output."},
        footer = {"", "Scenarios (--only): push-monolithic, push-chunked, pull (once per --sizes each),",
                "manifest-get-tag, manifest-head-tag, manifest-get-digest, manifest-head-digest,",
                "tag-list (the whole list of --tags tags), catalog (the whole catalog, with at least",
                "--repositories repositories). Fixtures are created when missing, and only what is",
                "missing, so a second run against the same registry starts at once.",
                "Exit code 0 when every operation succeeded, 3 when some failed (the figures are",
                "still written), 2 for bad options, 1 when the registry could not be prepared."})
public final class BenchCommand implements Callable<Integer> {
    /** Exit code when the runs completed but some operations failed. */
    static final int EXIT_ERRORS = 3;

    @Spec
    private CommandSpec spec;

    @Option(names = "--url", required = true, paramLabel = "URL", description = "the registry, e.g. http://127.0.0.1:5000")
    private URI url;

    @Option(names = "--concurrency", paramLabel = "N,N,...", defaultValue = "1,4,16,64",
            description = "client connections per run (default: ${DEFAULT-VALUE})")
    private String concurrency;

    @Option(names = "--requests", paramLabel = "N",
            description = "operations per run (default 200 unless --duration is given)")
    private Long requests;

    @Option(names = "--duration", paramLabel = "DURATION", description = "time per run instead, e.g. 20s")
    private String duration;

    @Option(names = "--sizes", paramLabel = "SIZE,...", defaultValue = "1MB,10MB,100MB",
            description = "blob sizes of the push and pull scenarios (default: ${DEFAULT-VALUE})")
    private String sizes;

    @Option(names = "--only", paramLabel = "SCENARIO,...", defaultValue = "all",
            description = "the scenarios to run (default: ${DEFAULT-VALUE})")
    private String only;

    @Option(names = "--repo", paramLabel = "NAME", defaultValue = "bench/x",
            description = "repository for the pushes and fixtures; tags go to NAME/tags, repositories to "
                    + "NAME/catalog/* (default: ${DEFAULT-VALUE})")
    private String repo;

    @Option(names = "--creds", paramLabel = "USER:PASSWORD", description = "Basic credentials")
    private String creds;

    @Option(names = "--output", paramLabel = "FILE", description = "where to write the results as JSON")
    private Path output;

    @Option(names = "--chunk-size", paramLabel = "SIZE", defaultValue = "8MiB",
            description = "PATCH size of push-chunked (default: ${DEFAULT-VALUE})")
    private String chunkSize;

    @Option(names = "--max-bytes", paramLabel = "SIZE", defaultValue = "1GB",
            description = "a blob run also ends after this many bytes, but not before each connection did one "
                    + "operation (default: ${DEFAULT-VALUE})")
    private String maxBytes;

    @Option(names = "--tags", paramLabel = "N", defaultValue = "1000",
            description = "tags in the tag-list repository (default: ${DEFAULT-VALUE})")
    private int tags;

    @Option(names = "--repositories", paramLabel = "N", defaultValue = "100",
            description = "repositories created for the catalog (default: ${DEFAULT-VALUE})")
    private int repositories;

    @Option(names = "--prepare-timeout", paramLabel = "DURATION", defaultValue = "5m",
            description = "time each of the tag and repository fixtures may take (default: ${DEFAULT-VALUE})")
    private String prepareTimeout;

    @Option(names = "--prepare-concurrency", paramLabel = "N", defaultValue = "8",
            description = "connections used to create fixtures (default: ${DEFAULT-VALUE})")
    private int prepareConcurrency;

    @Option(names = "--page-size", paramLabel = "N", defaultValue = "0",
            description = "n= of tag-list and catalog pages; 0 asks for the server's default (default: ${DEFAULT-VALUE})")
    private int pageSize;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "50",
            description = "unmeasured operations before each scenario, one for blob scenarios (default: ${DEFAULT-VALUE})")
    private int warmup;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        BenchOptions options;
        try {
            options = options();
        } catch (IllegalArgumentException | ArithmeticException e) {
            err.println("berth bench: " + e.getMessage());
            err.flush();
            return CommandLine.ExitCode.USAGE;
        }
        BenchReport report;
        try {
            report = new Benchmark(options, out).run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        } catch (Exception e) {
            err.println("berth bench: " + e.getMessage());
            err.flush();
            return 1;
        }
        if (options.output() != null) {
            try {
                report.write(options.output());
                out.println("results written to " + options.output());
            } catch (java.io.IOException e) {
                err.println("berth bench: could not write " + options.output() + ": " + e.getMessage());
                err.flush();
                return 1;
            }
        }
        out.flush();
        if (report.errors() > 0) {
            err.println("berth bench: " + report.errors() + " operations failed (see the first error of each run)");
            err.flush();
            return EXIT_ERRORS;
        }
        return 0;
    }

    /** The options, validated; IllegalArgumentException says which one is wrong. */
    BenchOptions options() {
        long requestCount = requests != null ? requests : duration == null ? 200 : 0;
        return new BenchOptions(url, BenchOptions.parseConcurrency(concurrency), requestCount,
                duration == null ? null : BenchOptions.parseDuration("--duration", duration),
                BenchOptions.parseSizes(sizes), BenchOptions.parseScenarios(only), repo, creds, output,
                ByteSize.parse(chunkSize), ByteSize.parse(maxBytes).bytes(), tags, repositories,
                BenchOptions.parseDuration("--prepare-timeout", prepareTimeout), prepareConcurrency, pageSize, warmup);
    }
}
