package dev.berth.cli;

import dev.berth.config.ConfigException;
import dev.berth.config.ConfigKeyTable;
import dev.berth.config.EffectiveConfigYaml;
import dev.berth.config.Setting;
import dev.berth.config.TracedConfig;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code berth config check|keys}: checks a configuration as {@code serve} would load it, and lists the keys. */
@Command(name = "config",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        synopsisSubcommandLabel = "(check | keys)",
        description = "Checks a configuration, or lists every configuration key.")
final class ConfigCommand implements Callable<Integer> {
    /** Exit code of {@code config check} for a configuration that {@code serve} would refuse. */
    static final int EXIT_INVALID = 1;

    @Spec
    private CommandSpec spec;

    /** Adds the subcommands, which read {@code env}, to a new {@code config} command line. */
    static CommandLine commandLine(Map<String, String> env) {
        CommandLine config = new CommandLine(new ConfigCommand());
        config.addSubcommand(new Check(env));
        config.addSubcommand(new Keys());
        return config;
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return Main.EXIT_USAGE;
    }

    /** {@code berth config check}: loads the configuration exactly as {@code serve} would and prints it. */
    @Command(name = "check", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
            description = {"Loads the configuration as 'berth serve' would (options, then BERTH_* environment"
                    + " variables, then the --config file, then the defaults) and prints the effective"
                    + " configuration as YAML: every key with its value and, in a comment, where the value came"
                    + " from. Secrets are shown as <redacted>.",
                    "Exits 0 when the configuration is valid; 1 when it is not, printing each problem with its"
                    + " key and where it was written (file and line, variable or option); 2 on a wrong command"
                    + " line."})
    static final class Check implements Callable<Integer> {
        private final Map<String, String> env;

        @Spec
        private CommandSpec spec;

        // As serve's, with no default: a default would count as a flag and override the environment and file.
        @Option(names = "--listen", paramLabel = "HOST:PORT",
                description = "address to listen on, as for serve (default: localhost:5000)")
        private String listen;

        @Mixin
        private ConfigOptions configOptions = new ConfigOptions();

        Check(Map<String, String> env) {
            this.env = Map.copyOf(env);
        }

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            List<Setting> flags = listen == null
                    ? List.of()
                    : List.of(new Setting("listen", listen, "option --listen"));
            TracedConfig traced;
            try {
                traced = configOptions.loadTraced(env, flags);
            } catch (ConfigException e) {
                err.println(e.getMessage());
                err.println("berth config check: the configuration is not valid ("
                        + e.problems().size() + (e.problems().size() == 1 ? " problem)" : " problems)"));
                err.flush();
                return EXIT_INVALID;
            }
            out.println("# The configuration 'berth serve' would run with: every key, its value, and where the value");
            out.println("# came from (a file and line, a BERTH_* variable, an option, or the default).");
            out.println("# Secrets are shown as <redacted>.");
            out.print(EffectiveConfigYaml.render(traced, true));
            out.flush();
            return 0;
        }
    }

    /** {@code berth config keys}: every key with its variable and default, or the Markdown reference. */
    @Command(name = "keys", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
            description = "Lists every configuration key with its environment variable and default.")
    static final class Keys implements Callable<Integer> {
        @Spec
        private CommandSpec spec;

        @Option(names = "--markdown",
                description = "print the key tables of docs/configuration.md: variable, default, example and"
                        + " description of each key, by section")
        private boolean markdown;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            out.print(markdown ? ConfigKeyTable.markdown() : ConfigKeyTable.text());
            out.flush();
            return 0;
        }
    }
}
