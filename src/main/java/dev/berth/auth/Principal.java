package dev.berth.auth;

import java.util.Optional;
import java.util.Set;

/**
 * Who is calling: a user name and the groups the user is in, or the anonymous caller (no credentials); and, for a
 * caller with a bearer token, what the token grants.
 *
 * @param name the user name; {@value #ANONYMOUS_NAME} for a caller without credentials
 * @param groups the groups the configuration puts this user in
 * @param token what the caller's bearer token grants; empty for a caller without one (Basic, anonymous)
 */
public record Principal(String name, Set<String> groups, Optional<TokenGrant> token) {
    /** The user name rules use for callers without credentials. */
    public static final String ANONYMOUS_NAME = "anonymous";

    public Principal {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("a principal needs a name");
        }
        groups = Set.copyOf(groups);
    }

    /** A caller without a bearer token. */
    public Principal(String name, Set<String> groups) {
        this(name, groups, Optional.empty());
    }

    /** This caller holding a token that grants {@code grant}. */
    public Principal withToken(TokenGrant grant) {
        return new Principal(name, groups, Optional.of(grant));
    }

    /** True for the caller without credentials (or with a token issued to nobody). */
    public boolean anonymous() {
        return ANONYMOUS_NAME.equals(name);
    }

    /** True for a caller that presented a valid bearer token. */
    public boolean bearer() {
        return token.isPresent();
    }

    @Override
    public String toString() {
        return name;
    }
}
