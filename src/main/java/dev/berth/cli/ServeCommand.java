package dev.berth.cli;

import dev.berth.BerthServer;
import dev.berth.config.BerthConfig;
import dev.berth.config.ConfigException;
import dev.berth.config.ConfigKey;
import dev.berth.config.ConfigKeys;
import dev.berth.config.LoggedUrls;
import dev.berth.config.Setting;
import dev.berth.observe.LogLevels;
import dev.berth.tls.TlsFileException;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code berth serve}: builds the configuration from flags, environment, file and defaults, then runs Berth. */
@Command(name = "serve",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Runs the registry until it is stopped.")
final class ServeCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(ServeCommand.class);
    /** Picocli's default help width; it would break longer footer lines mid-word. */
    private static final int HELP_WIDTH = 80;

    private final Map<String, String> env;
    private final ServerRunner runner;

    @Spec
    private CommandSpec spec;

    // No picocli defaults: a default here would count as a flag and override the environment and the file.
    @Option(names = "--listen", paramLabel = "HOST:PORT",
            description = "address to listen on (default: localhost:5000)")
    private String listen;

    @Mixin
    private ConfigOptions configOptions = new ConfigOptions();

    ServeCommand(Map<String, String> env, ServerRunner runner) {
        this.env = Map.copyOf(env);
        this.runner = runner;
    }

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        BerthConfig berthConfig;
        try {
            berthConfig = configOptions.load(env, listenSetting());
        } catch (ConfigException e) {
            // The message names the key and where it was written; a stack trace would only bury it.
            err.println(e.getMessage());
            err.flush();
            return Main.EXIT_USAGE;
        }
        try {
            return runner.run(berthConfig);
        } catch (IOException | TlsFileException e) {
            // Typically the address is taken, the storage directory is not writable or a certificate file is wrong
            // (the message names its key and file): say so in one line.
            err.println("berth: could not start: " + e.getMessage());
            err.flush();
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        } catch (Exception e) {
            log.error("Berth stopped on an unexpected error", e);
            return 1;
        }
    }

    /**
     * Stops the logging context after the last line: the request lines still queued for the asynchronous request log
     * are written, and nothing is lost to a hook that stopped logging while requests were still finishing.
     */
    private static void stopLogging() {
        if (LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext context) {
            context.stop();
        }
    }

    /** What the options say, as settings; {@code --storage DIR} is shorthand for two keys. */
    List<Setting> flagSettings() {
        return configOptions.flagSettings(listenSetting());
    }

    private List<Setting> listenSetting() {
        return listen == null ? List.of() : List.of(new Setting("listen", listen, "option --listen"));
    }

    /** The default runner: starts the server, logs where it is, and waits until it stops. */
    static int serveUntilStopped(BerthConfig config) throws Exception {
        LogLevels.apply(config.log().level());
        BerthServer server = BerthServer.start(config);
        // SIGTERM (and SIGINT) run this hook: the server stops gracefully within shutdown.timeout, then the JVM exits.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.close();
                log.info("Berth stopped");
            } catch (Exception e) {
                log.warn("Berth did not stop cleanly", e);
            } finally {
                stopLogging();
            }
        }, "berth-shutdown"));
        log.info("Berth listening on {}, storage: {}", server.uri(), describeStorage(config.storage()));
        for (BerthConfig.NamespaceSpec ns : config.namespaces()) {
            log.info("namespace {}: {}", ns.name(), describeNamespace(ns));
        }
        server.adminUri().ifPresent(admin -> log.info("metrics, health and readiness on {}", admin));
        server.join();
        return 0;
    }

    /** The storage part of the start-up line, with the absolute directory so there is no doubt which one. */
    static String describeStorage(BerthConfig.Storage storage) {
        return switch (storage.driver()) {
            case FILESYSTEM -> "filesystem " + storage.filesystem().root().toAbsolutePath().normalize();
            case S3 -> "s3 bucket " + storage.s3().bucket() + (storage.s3().prefix().isEmpty() ? "" : " prefix "
                    + storage.s3().prefix()) + " at " + (storage.s3().endpoint().isEmpty() ? "AWS region "
                    + storage.s3().region() : LoggedUrls.of(storage.s3().endpoint()));
            case SWIFT -> "swift container " + storage.swift().container() + " at " + LoggedUrls.of(storage.swift().authUrl());
            case MEMORY -> "memory (lost on exit)";
        };
    }

    /** How requests reach a namespace, for the start-up lines. */
    static String describeNamespace(BerthConfig.NamespaceSpec ns) {
        List<String> ways = new ArrayList<>();
        if (!ns.hosts().isEmpty()) {
            ways.add("hosts " + String.join(", ", ns.hosts()));
        }
        ns.prefix().ifPresent(prefix -> ways.add("repository names starting " + prefix + "/ on other hosts"));
        return String.join("; ", ways);
    }

    /** Appends the key table to the command's help, so {@code serve --help} documents every key. */
    static void describeConfiguration(CommandSpec serve) {
        List<String> lines = new ArrayList<>();
        lines.add("");
        lines.add("Configuration: options override BERTH_* environment variables, which override");
        lines.add("the --config file, which overrides the defaults. File keys and variables:");
        for (ConfigKey key : ConfigKeys.ALL) {
            lines.add(String.format("  %-26s %s", key.path(), key.envName()));
            String note = key.isSecret() ? " (" + key.secrecyNote() + ")" : "";
            lines.addAll(wrap(key.description() + note, "      ", HELP_WIDTH));
        }
        lines.add("Switched sections (on when present, even empty, or when any of their keys is set):");
        for (ConfigKey section : ConfigKeys.SWITCHED_SECTIONS) {
            lines.add("  " + section.path());
            lines.addAll(wrap(section.description(), "      ", HELP_WIDTH));
        }
        lines.add("");
        lines.add("Durations are written 500ms, 30s, 5m, 24h, 7d;");
        lines.add("sizes 1024 (bytes), 512KiB, 4MiB, 1GiB.");
        lines.add("The ./berth launcher also reads BERTH_JAVA (the java to run) and");
        lines.add("BERTH_JAVA_OPTS (JVM options, replacing its default -Xmx512m -XX:+UseSerialGC).");
        // Help text goes through String.format: a literal % in a description must be doubled.
        serve.usageMessage().footer(lines.stream().map(l -> l.replace("%", "%%")).toArray(String[]::new));
    }

    /** {@code text} in lines of at most {@code width} characters, each starting with {@code indent}. */
    static List<String> wrap(String text, String indent, int width) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder(indent);
        for (String word : text.split(" ")) {
            if (line.length() > indent.length() && line.length() + 1 + word.length() > width) {
                lines.add(line.toString());
                line = new StringBuilder(indent);
            }
            if (line.length() > indent.length()) {
                line.append(' ');
            }
            line.append(word);
        }
        lines.add(line.toString());
        return lines;
    }
}
