package dev.berth.config;

import java.util.Locale;
import java.util.function.Function;

/**
 * One configuration key: its dotted path, what it means, how its text sets it in a {@link BerthConfig}, how its
 * value reads back as text, and whether that text may be shown.
 *
 * @param path dotted path as written in the file, such as {@code limits.manifest-size}
 * @param description one line for help output: what the key does and the values it takes
 * @param example a value the key accepts, other than its default, as the file would hold it
 * @param binder parses the text and returns the configuration with the value set
 * @param reader the key's value in a configuration, as the text the file would hold: binding it gives the same
 *     value back; lists and maps are YAML flow text
 * @param secrecy whether the value, or parts of it, are secrets that are never shown
 */
public record ConfigKey(String path, String description, String example, Binder binder,
        Function<BerthConfig, String> reader, Secrecy secrecy) {

    /** What a secret is shown as. */
    public static final String REDACTED = "<redacted>";

    /** Sets one key's value in a configuration. */
    @FunctionalInterface
    public interface Binder {
        /**
         * Returns {@code config} with {@code value} set; throws {@link IllegalArgumentException} whose message
         * says what is wrong with the value (the caller adds the key and where it came from).
         */
        BerthConfig bind(BerthConfig config, String value);
    }

    /** How much of a key's value is secret: declared key by key, never guessed from its name. */
    public sealed interface Secrecy {
        /** Nothing secret: shown as it is. */
        record Plain() implements Secrecy {}

        /** The whole value is a secret (a password, a key): shown as {@link #REDACTED} when set. */
        record Secret() implements Secrecy {}

        /**
         * Parts of the value are secrets, such as header values or the password in a URL.
         *
         * @param masked the value as text with those parts replaced by {@link #REDACTED}
         */
        record SecretParts(Function<BerthConfig, String> masked) implements Secrecy {}
    }

    /** A key whose value is not secret. */
    public ConfigKey(String path, String description, String example, Binder binder,
            Function<BerthConfig, String> reader) {
        this(path, description, example, binder, reader, new Secrecy.Plain());
    }

    /** This key, declared a secret as a whole. */
    public ConfigKey asSecret() {
        return new ConfigKey(path, description, example, binder, reader, new Secrecy.Secret());
    }

    /** This key, declared to hold secrets in parts that {@code masked} hides. */
    public ConfigKey withSecretParts(Function<BerthConfig, String> masked) {
        return new ConfigKey(path, description, example, binder, reader, new Secrecy.SecretParts(masked));
    }

    /** Whether any part of the value is secret. */
    public boolean isSecret() {
        return !(secrecy instanceof Secrecy.Plain);
    }

    /** What help and the key reference add to the description about secrecy; empty for a plain key. */
    public String secrecyNote() {
        return switch (secrecy) {
            case Secrecy.Plain plain -> "";
            case Secrecy.Secret secret -> "a secret: berth config check shows it as " + REDACTED;
            case Secrecy.SecretParts parts -> "credentials in it are secrets: berth config check shows them as "
                    + REDACTED;
        };
    }

    /** The value as text, exactly: what {@link #binder} takes back. */
    public String read(BerthConfig config) {
        return reader.apply(config);
    }

    /**
     * The value as text for people to read: secrets replaced by {@link #REDACTED}; an unset secret stays empty,
     * so that it shows as unset.
     */
    public String shown(BerthConfig config) {
        return switch (secrecy) {
            case Secrecy.Plain plain -> read(config);
            case Secrecy.Secret secret -> read(config).isEmpty() ? "" : REDACTED;
            case Secrecy.SecretParts parts -> parts.masked().apply(config);
        };
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
