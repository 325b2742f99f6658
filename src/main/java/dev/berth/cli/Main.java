package dev.berth.cli;

import dev.berth.bench.BaselineCommand;
import dev.berth.bench.BenchCommand;
import dev.berth.bench.CompareCommand;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The {@code berth} command line: picks the subcommand, which builds the configuration and runs. */
@Command(name = "berth",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        synopsisSubcommandLabel = "COMMAND",
        description = "Berth, an OCI container image registry.",
        footer = {"", "Run 'berth COMMAND --help' for a command's options and configuration keys."})
public final class Main implements Callable<Integer> {
    /** Exit code for a command line or configuration Berth cannot start with, as picocli uses for usage errors. */
    static final int EXIT_USAGE = CommandLine.ExitCode.USAGE;

    @Spec
    private CommandSpec spec;

    /** Runs the command line and exits with its code. */
    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        System.exit(run(args, System.getenv(), ServeCommand::serveUntilStopped, System.in, out, err));
    }

    /**
     * Runs the command line against {@code env} and returns the exit code; {@code runner} is what {@code serve}
     * does with the finished configuration, so tests can see it without starting a server.
     */
    static int run(String[] args, Map<String, String> env, ServerRunner runner, PrintWriter out, PrintWriter err) {
        return run(args, env, runner, InputStream.nullInputStream(), out, err);
    }

    /** As above, with {@code in} as standard input (where {@code berth user add --password-stdin} reads). */
    static int run(String[] args, Map<String, String> env, ServerRunner runner, InputStream in, PrintWriter out,
            PrintWriter err) {
        CommandLine cli = new CommandLine(new Main());
        cli.addSubcommand(new ServeCommand(env, runner));
        cli.addSubcommand(new ScrubCommand(env));
        cli.addSubcommand(UserCommand.commandLine(env, in));
        cli.addSubcommand(ConfigCommand.commandLine(env));
        ServeCommand.describeConfiguration(cli.getSubcommands().get("serve").getCommandSpec());
        cli.addSubcommand(new GcCommand(env, GcCommand.onTerminal()));
        cli.addSubcommand(new BenchCommand());
        cli.addSubcommand(new BaselineCommand());
        cli.addSubcommand(new CompareCommand());
        cli.setOut(out);
        cli.setErr(err);
        int code = cli.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    /** {@code berth} alone: there is nothing to do without a command, so show what there is. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return EXIT_USAGE;
    }

    /** Reads the version Maven recorded in the jar; a build from the source tree has none. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            String version = "(development build)";
            try (InputStream in = Main.class.getResourceAsStream("/META-INF/maven/dev.berth/berth/pom.properties")) {
                if (in != null) {
                    Properties properties = new Properties();
                    properties.load(in);
                    version = properties.getProperty("version", version);
                }
            }
            return new String[] {"berth " + version, "Java ${java.version}, ${java.vm.name}"};
        }
    }
}
