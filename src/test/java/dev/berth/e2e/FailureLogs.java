package dev.berth.e2e;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/** JUnit extension that prints the logs of the registry processes (and load balancers) a test started when that test fails. */
public final class FailureLogs implements BeforeEachCallback, TestWatcher {
    // Failsafe runs the end-to-end tests one at a time in one JVM, so one list is enough.
    private static final List<BerthProcess> STARTED = new ArrayList<>();
    private static final List<LoadBalancer> BALANCERS = new ArrayList<>();

    static synchronized void register(BerthProcess process) {
        if (!STARTED.contains(process)) {
            STARTED.add(process);
        }
    }

    static synchronized void register(LoadBalancer balancer) {
        if (!BALANCERS.contains(balancer)) {
            BALANCERS.add(balancer);
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        synchronized (FailureLogs.class) {
            STARTED.clear();
            BALANCERS.clear();
        }
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        List<BerthProcess> processes;
        List<LoadBalancer> balancers;
        synchronized (FailureLogs.class) {
            processes = List.copyOf(STARTED);
            balancers = List.copyOf(BALANCERS);
        }
        StringBuilder out = new StringBuilder("\n===== " + context.getDisplayName() + " failed: logs of "
                + processes.size() + " registry process(es) =====\n");
        for (BerthProcess process : processes) {
            out.append(">>> ").append(process).append('\n').append(process.logTail(200));
        }
        for (LoadBalancer balancer : balancers) {
            out.append(">>> ").append(balancer).append('\n').append(balancer.logTail(100));
        }
        System.err.println(out);
    }

    @Override
    public void testAborted(ExtensionContext context, Throwable cause) {
        testFailed(context, cause);
    }

    @Override
    public void testDisabled(ExtensionContext context, Optional<String> reason) {
    }
}
