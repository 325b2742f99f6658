package dev.berth.e2e;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/** JUnit extension that prints the logs of the registry processes a test started when that test fails. */
public final class FailureLogs implements BeforeEachCallback, TestWatcher {
    // Failsafe runs the end-to-end tests one at a time in one JVM, so one list is enough.
    private static final List<BerthProcess> STARTED = new ArrayList<>();

    static synchronized void register(BerthProcess process) {
        if (!STARTED.contains(process)) {
            STARTED.add(process);
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        synchronized (FailureLogs.class) {
            STARTED.clear();
        }
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        List<BerthProcess> processes;
        synchronized (FailureLogs.class) {
            processes = List.copyOf(STARTED);
        }
        StringBuilder out = new StringBuilder("\n===== " + context.getDisplayName() + " failed: logs of "
                + processes.size() + " registry process(es) =====\n");
        for (BerthProcess process : processes) {
            out.append(">>> ").append(process).append('\n').append(process.logTail(200));
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
