package dev.berth.observe;

import dev.berth.config.BerthConfig.LogFormat;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The request log: one line per request on the logger {@value #LOGGER}, as {@code key=value} text or as one JSON
 * object. Values a client chose (the path, the repository, an upload id) are quoted and escaped, so a line always
 * parses and no client can forge a second one.
 */
public final class AccessLog {
    /** The logger request lines go to, so they can be routed apart from Berth's other lines. */
    public static final String LOGGER = "berth.access";
    /** The longest path or repository written; longer ones are cut, with {@code ...} appended. */
    static final int MAX_VALUE = 512;
    private static final DateTimeFormatter TIME = DateTimeFormatter
            .ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private final Logger logger;
    private final LogFormat format;

    /** Writes lines in {@code format} to the logger {@value #LOGGER}. */
    public AccessLog(LogFormat format) {
        this(format, LoggerFactory.getLogger(LOGGER));
    }

    AccessLog(LogFormat format, Logger logger) {
        this.format = format;
        this.logger = logger;
    }

    /** Whether a line would be written at all; when not, callers skip gathering it. */
    public boolean enabled() {
        return logger.isInfoEnabled();
    }

    /** Logs {@code entry}. */
    public void log(AccessEntry entry) {
        logger.info(format == LogFormat.JSON ? json(entry) : text(entry));
    }

    /** The {@code key=value} line of {@code entry}. */
    public static String text(AccessEntry e) {
        StringBuilder line = new StringBuilder(256);
        line.append("time=").append(TIME.format(Instant.ofEpochMilli(e.epochMillis())));
        textField(line, "request_id", e.requestId());
        textField(line, "client", e.client());
        textField(line, "user", e.user());
        textField(line, "method", e.method());
        line.append(" route=").append(e.route().label());
        textField(line, "repository", e.repository());
        textField(line, "path", e.path());
        textField(line, "upload_id", e.uploadId());
        line.append(" status=").append(e.status());
        line.append(" bytes_in=").append(e.bytesIn());
        line.append(" bytes_out=").append(e.bytesOut());
        line.append(" duration_ms=").append(millis(e.nanos()));
        if (e.aborted()) {
            line.append(" aborted=true");
        }
        return line.toString();
    }

    /** The JSON object of {@code entry}, on one line. */
    public static String json(AccessEntry e) {
        StringBuilder line = new StringBuilder(288);
        line.append("{\"time\":\"").append(TIME.format(Instant.ofEpochMilli(e.epochMillis()))).append('"');
        jsonField(line, "request_id", e.requestId());
        jsonField(line, "client", e.client());
        jsonField(line, "user", e.user());
        jsonField(line, "method", e.method());
        line.append(",\"route\":\"").append(e.route().label()).append('"');
        jsonField(line, "repository", e.repository());
        jsonField(line, "path", e.path());
        jsonField(line, "upload_id", e.uploadId());
        line.append(",\"status\":").append(e.status());
        line.append(",\"bytes_in\":").append(e.bytesIn());
        line.append(",\"bytes_out\":").append(e.bytesOut());
        line.append(",\"duration_ms\":").append(millis(e.nanos()));
        if (e.aborted()) {
            line.append(",\"aborted\":true");
        }
        return line.append('}').toString();
    }

    /** Milliseconds with three decimals, such as {@code 0.842}. */
    private static String millis(long nanos) {
        long micros = Math.max(0, nanos) / 1000;
        String fraction = Long.toString(1000 + micros % 1000).substring(1);
        return micros / 1000 + "." + fraction;
    }

    private static void textField(StringBuilder line, String key, String value) {
        if (value == null) {
            return;
        }
        line.append(' ').append(key).append('=');
        String v = capped(value);
        if (!needsQuotes(v)) {
            line.append(v);
            return;
        }
        line.append('"');
        escapeInto(line, v);
        line.append('"');
    }

    private static void jsonField(StringBuilder line, String key, String value) {
        if (value == null) {
            return;
        }
        line.append(",\"").append(key).append("\":\"");
        escapeInto(line, capped(value));
        line.append('"');
    }

    private static String capped(String value) {
        return value.length() <= MAX_VALUE ? value : value.substring(0, MAX_VALUE) + "...";
    }

    private static boolean needsQuotes(String value) {
        if (value.isEmpty()) {
            return true;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c <= ' ' || c == '"' || c == '=' || c == '\\' || c >= 0x7f) {
                return true;
            }
        }
        return false;
    }

    /** Escapes as JSON does, which also suits a quoted text value: quotes, backslashes and control characters. */
    private static void escapeInto(StringBuilder out, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == 0x2028 || c == 0x2029) {
                        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
    }
}
