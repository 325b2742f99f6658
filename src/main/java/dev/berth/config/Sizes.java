package dev.berth.config;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Byte sizes as configuration writes them: plain bytes ({@code 1024}) or a whole number with a binary unit,
 * {@code B}, {@code KiB}, {@code MiB}, {@code GiB}, {@code TiB}. Decimal units ({@code MB}) are refused.
 */
public final class Sizes {
    private static final Pattern FORM = Pattern.compile("([0-9]{1,19})(B|KiB|MiB|GiB|TiB)?");
    // Refused rather than read as powers of 1000: "4MB" meant as 4 MiB would silently be 194,304 bytes short.
    private static final Pattern DECIMAL = Pattern.compile("([0-9]{1,19}) ?([kmgt])b", Pattern.CASE_INSENSITIVE);

    private Sizes() {}

    /** Parses {@code text} to bytes; throws {@link IllegalArgumentException} with a message saying what to write. */
    public static long parse(String text) {
        Matcher m = FORM.matcher(text);
        if (!m.matches()) {
            Matcher decimal = DECIMAL.matcher(text);
            if (decimal.matches()) {
                String unit = decimal.group(2).toUpperCase(Locale.ROOT) + "iB";
                throw new IllegalArgumentException("'" + text + "' is not a size: units are binary, write "
                        + decimal.group(1) + unit);
            }
            throw new IllegalArgumentException("'" + text + "' is not a size (write e.g. 512KiB, 4MiB)");
        }
        String unit = m.group(2) == null ? "B" : m.group(2);
        int shift = switch (unit) {
            case "B" -> 0;
            case "KiB" -> 10;
            case "MiB" -> 20;
            case "GiB" -> 30;
            case "TiB" -> 40;
            default -> throw new AssertionError(unit);
        };
        try {
            long amount = Long.parseLong(m.group(1));
            return Math.multiplyExact(amount, 1L << shift);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("'" + text + "' is too large a size");
        }
    }

    /** {@code bytes} as configuration writes it, in the largest binary unit that holds it whole: {@code 4MiB}. */
    public static String format(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException(bytes + " is not a size");
        }
        String[] units = {"TiB", "GiB", "MiB", "KiB"};
        int[] shifts = {40, 30, 20, 10};
        for (int i = 0; i < units.length; i++) {
            long unit = 1L << shifts[i];
            if (bytes != 0 && bytes % unit == 0) {
                return bytes / unit + units[i];
            }
        }
        return Long.toString(bytes);
    }
}
