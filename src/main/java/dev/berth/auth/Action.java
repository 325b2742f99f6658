package dev.berth.auth;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** What a caller may do on a repository; the names are those of the token scope grammar. */
public enum Action {
    PULL, PUSH, DELETE,
    /** Implies every other action, and sees the repository in the catalog. */
    ADMIN;

    /** The name as configuration and token scopes write it: {@code pull}, {@code push}, ... */
    public String scopeName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The action a configuration or scope names. */
    public static Action parse(String name) {
        for (Action action : values()) {
            if (action.scopeName().equals(name)) {
                return action;
            }
        }
        throw new IllegalArgumentException("'" + name + "' is not one of pull, push, delete, admin");
    }

    /** This action and those it implies: admin implies all of them. */
    public Set<Action> implied() {
        return this == ADMIN ? EnumSet.allOf(Action.class) : EnumSet.of(this);
    }
}
