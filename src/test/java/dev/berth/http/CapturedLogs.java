package dev.berth.http;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.read.ListAppender;
import dev.berth.observe.AccessLog;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Everything logged while it is open: the request log ({@code berth.access}, which does not pass its lines on to the
 * root) and every other logger, each event with its arguments, logging context and exceptions, so a test can look
 * for what must or must not be there.
 */
final class CapturedLogs implements AutoCloseable {
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final Logger access = (Logger) LoggerFactory.getLogger(AccessLog.LOGGER);
    private final ListAppender<ILoggingEvent> rootEvents = new ListAppender<>();
    private final ListAppender<ILoggingEvent> accessEvents = new ListAppender<>();

    CapturedLogs() {
        rootEvents.start();
        accessEvents.start();
        root.addAppender(rootEvents);
        access.addAppender(accessEvents);
    }

    /** The request log's lines, as written. */
    List<String> accessLines() {
        synchronized (accessEvents) {
            return accessEvents.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        }
    }

    /** The request log's lines that carry {@code requestId}. */
    List<String> accessLinesOf(String requestId) {
        return accessLines().stream().filter(line -> line.contains(requestId)).toList();
    }

    /**
     * The one request-log line of {@code requestId}, waiting for it a while: the line is written as the response
     * ends, which can be a moment after the client has read the whole response.
     */
    String awaitAccessLine(String requestId) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        List<String> lines = accessLinesOf(requestId);
        while (lines.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            lines = accessLinesOf(requestId);
        }
        if (lines.size() != 1) {
            throw new AssertionError("expected one request-log line with " + requestId + ", got " + lines);
        }
        return lines.get(0);
    }

    /** Every other event, as message text. */
    List<ILoggingEvent> events() {
        synchronized (rootEvents) {
            return List.copyOf(rootEvents.list);
        }
    }

    /** All text of every event of both: message, arguments, logging context, exceptions with their stacks. */
    List<String> allText() {
        List<ILoggingEvent> all = new ArrayList<>();
        synchronized (rootEvents) {
            all.addAll(rootEvents.list);
        }
        synchronized (accessEvents) {
            all.addAll(accessEvents.list);
        }
        List<String> texts = new ArrayList<>();
        for (ILoggingEvent event : all) {
            StringBuilder text = new StringBuilder(event.getLoggerName()).append(' ').append(event.getMessage())
                    .append(' ').append(event.getFormattedMessage());
            if (event.getArgumentArray() != null) {
                for (Object argument : event.getArgumentArray()) {
                    text.append(' ').append(argument);
                }
            }
            text.append(' ').append(event.getMDCPropertyMap());
            for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
                text.append(" | ").append(t.getClassName()).append(": ").append(t.getMessage());
                for (StackTraceElementProxy frame : t.getStackTraceElementProxyArray()) {
                    text.append(' ').append(frame.getSTEAsString());
                }
            }
            texts.add(text.toString());
        }
        return texts;
    }

    @Override
    public void close() {
        root.detachAppender(rootEvents);
        access.detachAppender(accessEvents);
        rootEvents.stop();
        accessEvents.stop();
    }
}
