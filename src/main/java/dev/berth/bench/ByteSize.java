package dev.berth.bench;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A blob size as the benchmark's options write it: decimal units ({@code 1MB} is 1,000,000 bytes, as benchmark
 * reports count megabytes) or binary ones ({@code 1MiB} is 1,048,576), keeping the text for tables and JSON.
 */
public record ByteSize(long bytes, String label) {
    private static final Pattern FORM = Pattern.compile("([0-9]{1,12})\\s*(B|KB|MB|GB|KiB|MiB|GiB)?",
            Pattern.CASE_INSENSITIVE);

    public ByteSize {
        if (bytes <= 0) {
            throw new IllegalArgumentException("a size must be positive, got " + bytes);
        }
    }

    /** Parses {@code 1MB}, {@code 512KiB}, {@code 1GiB} or plain bytes; throws IllegalArgumentException otherwise. */
    public static ByteSize parse(String text) {
        Matcher m = FORM.matcher(text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a size (write e.g. 1MB, 100MB, 8MiB, 1GiB)");
        }
        String unit = m.group(2) == null ? "B" : m.group(2);
        long multiplier = switch (unit.toLowerCase(Locale.ROOT)) {
            case "b" -> 1;
            case "kb" -> 1_000;
            case "mb" -> 1_000_000;
            case "gb" -> 1_000_000_000;
            case "kib" -> 1L << 10;
            case "mib" -> 1L << 20;
            case "gib" -> 1L << 30;
            default -> throw new AssertionError(unit);
        };
        long bytes = Math.multiplyExact(Long.parseLong(m.group(1)), multiplier);
        if (bytes <= 0) {
            throw new IllegalArgumentException("'" + text + "' is not a positive size");
        }
        return new ByteSize(bytes, text.strip());
    }

    @Override
    public String toString() {
        return label;
    }
}
