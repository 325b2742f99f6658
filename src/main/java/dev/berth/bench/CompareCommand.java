package dev.berth.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code berth bench-compare DIR}: writes DIR/results.md from the rounds under DIR/raw. */
@Command(name = "bench-compare",
        mixinStandardHelpOptions = true,
        description = {"Turns the rounds scripts/bench-vs-distribution wrote under DIR/raw into",
                "DIR/results.md: medians per registry, ratios Berth/Distribution, issue 6's targets."})
public final class CompareCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "DIR", description = "the directory given to the script with --out")
    private Path dir;

    @Option(names = "--title", defaultValue = "Berth and Distribution on one machine",
            description = "the heading of results.md")
    private String title;

    @Override
    public Integer call() throws Exception {
        Path raw = dir.resolve("raw");
        if (!Files.isDirectory(raw)) {
            spec.commandLine().getErr().println("berth bench-compare: " + raw + " is not a directory");
            return 2;
        }
        Path machine = dir.resolve("machine.md");
        String facts = Files.exists(machine) ? Files.readString(machine) : "";
        Path results = dir.resolve("results.md");
        Files.writeString(results, Comparison.read(raw).markdown(title, facts));
        spec.commandLine().getOut().println("wrote " + results);
        return 0;
    }
}
