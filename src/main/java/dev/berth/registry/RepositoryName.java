package dev.berth.registry;

import java.util.regex.Pattern;

/** A repository name in the spec's grammar, at most 255 characters; safe to use in a storage key. */
public record RepositoryName(String value) {
    public static final int MAX_LENGTH = 255;
    private static final Pattern GRAMMAR =
            Pattern.compile("[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*)*");

    public RepositoryName {
        if (value == null || value.isEmpty()) {
            throw new RegistryException(ErrorCode.NAME_INVALID, "repository name is empty");
        }
        if (value.length() > MAX_LENGTH) {
            throw new RegistryException(ErrorCode.NAME_INVALID,
                    "repository name is longer than " + MAX_LENGTH + " characters", value.length());
        }
        if (!GRAMMAR.matcher(value).matches()) {
            throw new RegistryException(ErrorCode.NAME_INVALID, "invalid repository name", value);
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
