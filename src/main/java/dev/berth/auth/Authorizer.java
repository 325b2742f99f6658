package dev.berth.auth;

import dev.berth.registry.RepositoryName;
import java.util.Set;

/** Answers "may this principal do this action on this repository". */
public interface Authorizer {

    /** Every action {@code principal} may do on {@code repository}, implied ones included; empty: none. */
    Set<Action> granted(Principal principal, RepositoryName repository);

    /** Whether {@code principal} may do {@code action} on {@code repository}. */
    default boolean allows(Principal principal, Action action, RepositoryName repository) {
        return granted(principal, repository).contains(action);
    }
}
