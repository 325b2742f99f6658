package dev.berth.auth;

import dev.berth.registry.RepositoryName;

/**
 * One action on one repository: what a request needs, and what a bearer challenge will ask a token for.
 *
 * @param repository the repository
 * @param action the action on it
 */
public record Access(RepositoryName repository, Action action) {
    /** The resource scope of the token grammar, such as {@code repository:team-a/app:pull}. */
    public String scope() {
        return "repository:" + repository.value() + ":" + action.scopeName();
    }
}
