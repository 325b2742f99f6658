package dev.berth.config;

import java.util.Locale;

/**
 * One configuration key: its dotted path, what it means, and how its text sets it in a {@link BerthConfig}.
 *
 * @param path dotted path as written in the file, such as {@code limits.manifest-size}
 * @param description one line for help output: what the key does and the values it takes
 * @param binder parses the text and returns the configuration with the value set
 */
public record ConfigKey(String path, String description, Binder binder) {

    /** Sets one key's value in a configuration. */
    @FunctionalInterface
    public interface Binder {
        /**
         * Returns {@code config} with {@code value} set; throws {@link IllegalArgumentException} whose message
         * says what is wrong with the value (the caller adds the key and where it came from).
         */
        BerthConfig bind(BerthConfig config, String value);
    }

    /** The environment variable for this key: {@code BERTH_} and the path upper-cased, {@code .} and {@code -} as {@code _}. */
    public String envName() {
        return envName(path);
    }

    /** The environment variable for a dotted key path. */
    public static String envName(String path) {
        return "BERTH_" + path.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }
}
