package dev.berth.cli;

import dev.berth.BerthServer;
import dev.berth.config.BerthConfig;
import dev.berth.config.ConfigException;
import dev.berth.config.Durations;
import dev.berth.lifecycle.ExpiryExecutor;
import dev.berth.lifecycle.ExpiryPlan;
import dev.berth.lifecycle.ExpiryPlanner;
import dev.berth.lifecycle.ExpiryResult;
import dev.berth.lifecycle.GarbageCollector;
import dev.berth.lifecycle.PlannedRemoval;
import dev.berth.lifecycle.GcLease;
import dev.berth.lifecycle.GcListener;
import dev.berth.lifecycle.GcOptions;
import dev.berth.lifecycle.GcProgress;
import dev.berth.lifecycle.GcReport;
import dev.berth.lifecycle.GcVictim;
import dev.berth.lifecycle.LeasedGc;
import dev.berth.registry.Namespace;
import dev.berth.storage.CheckedStore;
import dev.berth.storage.ObjectStore;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code berth gc}: one garbage collection of the configured store, safe while registries serve it. */
@Command(name = "gc",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = {"Deletes blobs, links, untagged manifests (by policy) and upload leftovers that nothing",
                "references and that are older than the grace window. Safe while Berth serves the store."})
final class GcCommand implements Callable<Integer> {
    private final Map<String, String> env;
    private final boolean terminal;

    @Spec
    private CommandSpec spec;

    @Option(names = "--dry-run", description = "list what would be deleted, with sizes, and delete nothing")
    private boolean dryRun;

    @Option(names = "--grace", paramLabel = "DURATION",
            description = "keep everything younger than this (default: lifecycle.gc.grace, 1h)")
    private String grace;

    @Mixin
    private ConfigOptions configOptions = new ConfigOptions();

    @Mixin
    private NamespaceOption namespaceOption = new NamespaceOption();

    /** {@code terminal}: whether stderr is a terminal, where a single updating progress line is shown. */
    GcCommand(Map<String, String> env, boolean terminal) {
        this.env = Map.copyOf(env);
        this.terminal = terminal;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        BerthConfig config;
        GcOptions options;
        List<Namespace> namespaces;
        try {
            config = configOptions.load(env, List.of());
            namespaces = namespaceOption.select(config);
            options = GcOptions.from(config.lifecycle().gc()).withDryRun(dryRun);
            if (grace != null) {
                options = options.withGrace(Durations.parse(grace));
            }
        } catch (ConfigException | IllegalArgumentException e) {
            err.println("berth gc: " + e.getMessage());
            err.flush();
            return Main.EXIT_USAGE;
        }
        ObjectStore backend = BerthServer.openStore(config);
        try {
            int code = 0;
            for (Namespace ns : namespaces) {
                code = Math.max(code, collect(CheckedStore.of(backend), ns, config.lifecycle(), options, out, err));
            }
            return code;
        } finally {
            if (backend instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    err.println("berth gc: closing the store failed: " + e);
                }
            }
        }
    }

    /** Expires, then collects one namespace; each namespace has its own lease, so one busy does not stop another. */
    private int collect(ObjectStore store, Namespace ns, BerthConfig.Lifecycle lifecycle, GcOptions options,
            PrintWriter out, PrintWriter err) {
        Clock clock = Clock.systemUTC();
        expire(store, lifecycle, ns, clock, out, err);
        Listener listener = new Listener(out, err);
        GcReport report;
        if (dryRun) {
            // A dry run writes nothing, not even the lease.
            report = new GarbageCollector(store, clock).collect(ns, options, listener);
        } else {
            LeasedGc leased = new LeasedGc(store, clock, "cli-" + ProcessHandle.current().pid() + "-" + UUID.randomUUID());
            Optional<GcReport> done = leased.collect(ns, options, listener);
            if (done.isEmpty()) {
                Optional<GcLease.State> holder = leased.leaseState(ns);
                err.println("berth gc: namespace " + ns.id() + ": another garbage collection holds the lease"
                        + holder.map(h -> " (" + h.holder() + ", until " + h.expires() + ")").orElse("")
                        + "; try again later");
                err.flush();
                return 1;
            }
            report = done.get();
        }
        listener.clearLine();
        out.println("namespace " + ns.id() + ": " + report.summary());
        out.flush();
        return 0;
    }

    /**
     * Applies upload and tag expiry and the retention rules before marking, so that what they release is collected
     * by the same run; a dry run only lists them (and its GC listing cannot count what they would release).
     */
    private void expire(ObjectStore store, BerthConfig.Lifecycle lifecycle, Namespace ns, Clock clock, PrintWriter out,
            PrintWriter err) {
        ExpiryPlan plan = new ExpiryPlanner(store, lifecycle).plan(ns, clock.instant());
        for (PlannedRemoval removal : plan.removals()) {
            out.println("namespace " + ns.id() + ": " + (dryRun ? "would expire " : "expire ") + removal.describe());
        }
        if (!dryRun && !plan.isEmpty()) {
            ExpiryResult result = new ExpiryExecutor(store).apply(plan);
            for (ExpiryResult.Skip skip : result.skipped()) {
                (skip.failure() ? err : out).println("namespace " + ns.id() + ": kept " + skip.removal().describe()
                        + ": " + skip.why());
            }
        }
        out.flush();
    }

    /** Prints each victim of a dry run and, on a terminal, one progress line that updates in place. */
    private final class Listener implements GcListener {
        private final PrintWriter out;
        private final PrintWriter err;
        private int shown;

        Listener(PrintWriter out, PrintWriter err) {
            this.out = out;
            this.err = err;
        }

        @Override
        public void progress(GcProgress progress) {
            if (!terminal) {
                return;
            }
            String line = String.format("gc %-7s scanned %d, %s %d (%s)", progress.phase(), progress.scanned(),
                    dryRun ? "would delete" : "deleted", progress.deleted(), GcReport.humanBytes(progress.bytesFreed()));
            err.print("\r" + line + " ".repeat(Math.max(0, shown - line.length())));
            err.flush();
            shown = line.length();
        }

        @Override
        public void victim(GcVictim victim) {
            if (dryRun) {
                clearLine();
                out.printf("would delete %-8s %12d  %s%n", victim.kind(), victim.size(), victim.key());
            }
        }

        void clearLine() {
            if (terminal && shown > 0) {
                err.print("\r" + " ".repeat(shown) + "\r");
                err.flush();
                shown = 0;
            }
        }
    }

    /** Whether this process's stderr is a terminal: a console that (on JDK 22 and later) says it is one. */
    static boolean onTerminal() {
        var console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) console.getClass().getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException beforeJdk22) {
            return true;
        }
    }
}
