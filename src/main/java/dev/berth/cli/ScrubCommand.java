package dev.berth.cli;

import dev.berth.BerthServer;
import dev.berth.config.BerthConfig;
import dev.berth.config.ConfigException;
import dev.berth.lifecycle.ScrubReport;
import dev.berth.lifecycle.Scrubber;
import dev.berth.registry.Namespace;
import dev.berth.registry.Quarantine;
import dev.berth.storage.CheckedStore;
import dev.berth.storage.ObjectStore;
import dev.berth.storage.StorageException;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code berth scrub}: re-hashes every blob and checks every manifest, printing what is corrupt or missing. */
@Command(name = "scrub",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = {"Re-hashes every blob and checks that every manifest parses and that what it references is "
                + "present, printing one line per problem and a summary.",
                "Exits 0 only when everything is sound, 1 otherwise. Safe while the registry serves."})
final class ScrubCommand implements Callable<Integer> {
    private final Map<String, String> env;

    @Spec
    private CommandSpec spec;

    @Option(names = "--quarantine",
            description = "move corrupt blobs to quarantine, so they are no longer served and a push can replace them")
    private boolean quarantine;

    @Mixin
    private ConfigOptions configOptions = new ConfigOptions();

    @Mixin
    private NamespaceOption namespaceOption = new NamespaceOption();

    ScrubCommand(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        BerthConfig config;
        List<Namespace> namespaces;
        try {
            config = configOptions.load(env, List.of());
            namespaces = namespaceOption.select(config);
        } catch (ConfigException | IllegalArgumentException e) {
            err.println(e.getMessage());
            err.flush();
            return Main.EXIT_USAGE;
        }
        ObjectStore backend;
        try {
            backend = BerthServer.openStore(config);
        } catch (StorageException | IllegalArgumentException e) {
            err.println("berth scrub: cannot open the store: " + e.getMessage());
            err.flush();
            return 1;
        }
        try {
            ObjectStore store = CheckedStore.of(backend);
            Scrubber scrubber = new Scrubber(store, new Quarantine(store, Clock.systemUTC()),
                    config.validation().sparseIndex(), config.limits().manifestSize());
            boolean sound = true;
            for (Namespace ns : namespaces) {
                ScrubReport report = scrubber.scrub(ns, quarantine, finding -> {
                    out.println("namespace " + ns.id() + ": " + finding.line());
                    out.flush();
                });
                out.println("namespace " + ns.id() + ": " + report.summary());
                out.flush();
                sound &= report.sound();
            }
            return sound ? 0 : 1;
        } catch (StorageException | IllegalArgumentException e) {
            // The scrub could not finish, so it cannot say the store is sound.
            err.println("berth scrub: " + e.getMessage());
            err.flush();
            return 1;
        } finally {
            close(backend);
        }
    }

    private static void close(ObjectStore backend) {
        if (backend instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                // The scrub is done and reported; a connection pool that closes badly changes nothing of it.
            }
        }
    }
}
