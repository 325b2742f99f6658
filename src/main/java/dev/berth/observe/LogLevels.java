package dev.berth.observe;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import dev.berth.config.BerthConfig.LogLevel;
import org.slf4j.LoggerFactory;

/**
 * Sets the level of Berth's own loggers (everything under {@code dev.berth}) from {@code log.level}. The logging
 * system is one per process, so {@code berth serve} applies this once at start-up; the request log
 * ({@code berth.access}) and Jetty's loggers keep their own levels.
 */
public final class LogLevels {
    /** The logger whose level {@code log.level} sets; every Berth class logs under it. */
    public static final String BERTH = "dev.berth";

    private LogLevels() {}

    /**
     * Sets Berth's loggers to {@code level} and returns the level they had, for a caller that restores it; does nothing
     * (and returns {@code level}) when the logging backend is not Logback.
     */
    public static LogLevel apply(LogLevel level) {
        if (!(LoggerFactory.getLogger(BERTH) instanceof Logger logger)) {
            return level;
        }
        Level before = logger.getEffectiveLevel();
        logger.setLevel(switch (level) {
            case ERROR -> Level.ERROR;
            case WARN -> Level.WARN;
            case INFO -> Level.INFO;
            case DEBUG -> Level.DEBUG;
        });
        return switch (before.toInt()) {
            case Level.ERROR_INT -> LogLevel.ERROR;
            case Level.WARN_INT -> LogLevel.WARN;
            case Level.DEBUG_INT, Level.TRACE_INT -> LogLevel.DEBUG;
            default -> LogLevel.INFO;
        };
    }
}
