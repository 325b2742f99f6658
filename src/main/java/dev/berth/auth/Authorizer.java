package dev.berth.auth;

import dev.berth.registry.RepositoryAddress;
import java.util.Set;

/** Answers "may this principal do this action on this repository". */
public interface Authorizer {

    /**
     * Every action {@code principal} may do on {@code repository} (in its namespace), implied ones included;
     * empty: none.
     */
    Set<Action> granted(Principal principal, RepositoryAddress repository);

    /** Whether {@code principal} may do {@code action} on {@code repository}. */
    default boolean allows(Principal principal, Action action, RepositoryAddress repository) {
        return granted(principal, repository).contains(action);
    }
}
