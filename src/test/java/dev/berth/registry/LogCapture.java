package dev.berth.registry;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import dev.berth.storage.FaultInjectingStore;
import java.util.List;
import org.slf4j.LoggerFactory;

/** Collects what Berth logs (not the fault injector) while it is open, so a test can check that a failure was logged with its upload id. */
public final class LogCapture implements AutoCloseable {
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    public LogCapture() {
        appender.start();
        root.addAppender(appender);
    }

    /** Every line logged so far: the message, followed by the messages of its exception chain. */
    public List<String> lines() {
        synchronized (appender) { // AppenderBase appends under the appender's own lock
            // The fault injector's own lines name the keys it breaks; only what Berth itself logged counts.
            return appender.list.stream()
                    .filter(event -> !event.getLoggerName().equals(FaultInjectingStore.class.getName()))
                    .map(LogCapture::line)
                    .toList();
        }
    }

    /** The lines that mention {@code text}. */
    public List<String> mentioning(String text) {
        return lines().stream().filter(line -> line.contains(text)).toList();
    }

    private static String line(ILoggingEvent event) {
        StringBuilder line = new StringBuilder(event.getLevel() + " " + event.getFormattedMessage());
        for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
            line.append(" | ").append(t.getMessage());
        }
        return line.toString();
    }

    @Override
    public void close() {
        root.detachAppender(appender);
        appender.stop();
    }
}
