package dev.berth.auth;

import java.util.Set;

/**
 * Who is calling: a user name and the groups the user is in, or the anonymous caller (no credentials).
 *
 * @param name the user name; {@value #ANONYMOUS_NAME} for a caller without credentials
 * @param groups the groups the configuration puts this user in
 */
public record Principal(String name, Set<String> groups) {
    /** The user name rules use for callers without credentials. */
    public static final String ANONYMOUS_NAME = "anonymous";

    public Principal {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("a principal needs a name");
        }
        groups = Set.copyOf(groups);
    }

    /** True for the caller without credentials. */
    public boolean anonymous() {
        return ANONYMOUS_NAME.equals(name);
    }

    @Override
    public String toString() {
        return name;
    }
}
