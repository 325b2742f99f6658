package dev.berth.cli;

import dev.berth.auth.HtpasswdEditor;
import dev.berth.config.BerthConfig;
import dev.berth.config.ConfigException;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code berth user add|remove}: manages the users of the htpasswd file that {@code auth.htpasswd} names. */
@Command(name = "user",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        synopsisSubcommandLabel = "(add | remove)",
        description = "Adds or removes users of the htpasswd file (bcrypt, as htpasswd -B writes).")
final class UserCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    /** Adds the subcommands, which read {@code env} and {@code in}, to a new {@code user} command line. */
    static CommandLine commandLine(Map<String, String> env, InputStream in) {
        CommandLine user = new CommandLine(new UserCommand());
        user.addSubcommand(new Add(env, in));
        user.addSubcommand(new Remove(env));
        return user;
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return Main.EXIT_USAGE;
    }

    /** Where the file is: {@code --htpasswd FILE}, else {@code auth.htpasswd} of the configuration. */
    static final class FileOptions {
        @Option(names = "--htpasswd", paramLabel = "FILE",
                description = "the htpasswd file (default: auth.htpasswd of the configuration)")
        Path htpasswd;

        @Mixin
        ConfigOptions configOptions = new ConfigOptions();

        Path file(Map<String, String> env) throws ConfigException {
            if (htpasswd != null) {
                return htpasswd;
            }
            BerthConfig config = configOptions.load(env, List.of());
            return config.auth().flatMap(BerthConfig.Auth::htpasswd).orElseThrow(() -> new ConfigException(
                    "no htpasswd file: give --htpasswd FILE, or set auth.htpasswd in the configuration"));
        }
    }

    /** {@code berth user add NAME}: adds the user, or sets a new password for an existing one. */
    @Command(name = "add", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
            description = "Adds a user, or sets a new password for an existing one; asks for the password"
                    + " twice on the terminal unless --password-stdin is given.")
    static final class Add implements Callable<Integer> {
        private final Map<String, String> env;
        private final InputStream in;

        @Spec
        private CommandSpec spec;

        @Parameters(paramLabel = "NAME", description = "the user name")
        private String name;

        @Option(names = "--password-stdin", description = "read the password from the first line of standard input")
        private boolean passwordStdin;

        @Mixin
        private FileOptions fileOptions = new FileOptions();

        Add(Map<String, String> env, InputStream in) {
            this.env = Map.copyOf(env);
            this.in = in;
        }

        @Override
        public Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            char[] password = null;
            try {
                Path file = fileOptions.file(env);
                password = passwordStdin ? firstLine(in) : prompt();
                HtpasswdEditor.put(file, name, password);
                spec.commandLine().getOut().println("user " + name + " set in " + file);
                return 0;
            } catch (ConfigException | IllegalArgumentException e) {
                err.println("berth user add: " + e.getMessage());
                return Main.EXIT_USAGE;
            } catch (IOException e) {
                err.println("berth user add: " + e.getMessage());
                return 1;
            } finally {
                if (password != null) {
                    Arrays.fill(password, '\0');
                }
            }
        }

        private static char[] firstLine(InputStream in) throws IOException {
            // Not closed: it is the process's standard input.
            String line = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).readLine();
            if (line == null || line.isEmpty()) {
                throw new IllegalArgumentException("no password on standard input");
            }
            return line.toCharArray();
        }

        private static char[] prompt() {
            Console console = System.console();
            if (console == null) {
                throw new IllegalArgumentException("no terminal to ask for the password on; use --password-stdin");
            }
            char[] first = console.readPassword("Password: ");
            char[] second = console.readPassword("Repeat the password: ");
            try {
                if (first == null || second == null || !Arrays.equals(first, second)) {
                    throw new IllegalArgumentException("the passwords differ");
                }
                return first.clone();
            } finally {
                if (first != null) {
                    Arrays.fill(first, '\0');
                }
                if (second != null) {
                    Arrays.fill(second, '\0');
                }
            }
        }
    }

    /** {@code berth user remove NAME}. */
    @Command(name = "remove", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
            description = "Removes a user.")
    static final class Remove implements Callable<Integer> {
        private final Map<String, String> env;

        @Spec
        private CommandSpec spec;

        @Parameters(paramLabel = "NAME", description = "the user name")
        private String name;

        @Mixin
        private FileOptions fileOptions = new FileOptions();

        Remove(Map<String, String> env) {
            this.env = Map.copyOf(env);
        }

        @Override
        public Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            try {
                Path file = fileOptions.file(env);
                if (!HtpasswdEditor.remove(file, name)) {
                    err.println("berth user remove: no user " + name + " in " + file);
                    return 1;
                }
                spec.commandLine().getOut().println("user " + name + " removed from " + file);
                return 0;
            } catch (ConfigException | IllegalArgumentException e) {
                err.println("berth user remove: " + e.getMessage());
                return Main.EXIT_USAGE;
            } catch (IOException e) {
                err.println("berth user remove: " + e.getMessage());
                return 1;
            }
        }
    }
}
