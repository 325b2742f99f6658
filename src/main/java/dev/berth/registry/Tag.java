package dev.berth.registry;

import java.util.regex.Pattern;

/** A tag in the spec's grammar: at most 128 characters of {@code [a-zA-Z0-9_][a-zA-Z0-9._-]*}. */
public record Tag(String value) {
    private static final Pattern GRAMMAR = Pattern.compile("[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}");

    public Tag {
        if (value == null || !GRAMMAR.matcher(value).matches()) {
            throw new RegistryException(ErrorCode.MANIFEST_INVALID, "invalid tag", String.valueOf(value));
        }
    }

    /** True when {@code value} is a valid tag. */
    public static boolean isValid(String value) {
        return value != null && GRAMMAR.matcher(value).matches();
    }

    @Override
    public String toString() {
        return value;
    }
}
