package dev.berth.bench;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code berth bench-baseline}: serves the benchmark's manifest from memory with a bare Jetty handler. */
@Command(name = "bench-baseline",
        mixinStandardHelpOptions = true,
        description = {"Serves the manifest 'berth bench' pushes, from memory, with a bare Jetty handler:",
                "the ceiling that manifest reads of a registry are compared with. Runs until stopped."})
public final class BaselineCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--listen", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:5099",
            description = "address to listen on (default: ${DEFAULT-VALUE})")
    private String listen;

    @Option(names = "--repo", paramLabel = "NAME", defaultValue = "bench/x",
            description = "the repository the manifest is served under, as bench --repo (default: ${DEFAULT-VALUE})")
    private String repo;

    @Override
    public Integer call() throws Exception {
        int colon = listen.lastIndexOf(':');
        if (colon < 1) {
            spec.commandLine().getErr().println("berth bench-baseline: --listen must be HOST:PORT, got " + listen);
            return CommandLine.ExitCode.USAGE;
        }
        int port;
        try {
            port = Integer.parseInt(listen.substring(colon + 1));
        } catch (NumberFormatException e) {
            spec.commandLine().getErr().println("berth bench-baseline: --listen must be HOST:PORT, got " + listen);
            return CommandLine.ExitCode.USAGE;
        }
        try (BaselineServer server = BaselineServer.start(listen.substring(0, colon), port, repo,
                ImageFixture.create())) {
            spec.commandLine().getOut().println("baseline serving /v2/" + repo + "/manifests/" + ImageFixture.TAG
                    + " on " + server.uri());
            spec.commandLine().getOut().flush();
            server.join();
        }
        return 0;
    }
}
