package dev.berth.auth;

import dev.berth.auth.token.ResourceScope;
import dev.berth.registry.RepositoryName;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

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

    /**
     * The scopes a challenge names for {@code needed}: one per repository, with its actions. A push asks for pull
     * too, as Distribution does: a push checks which blobs the repository has, and that is a pull.
     */
    public static List<ResourceScope> scopes(List<Access> needed) {
        Map<RepositoryName, Set<Action>> byRepository = new LinkedHashMap<>();
        for (Access access : needed) {
            Set<Action> actions = byRepository.computeIfAbsent(access.repository(), r -> EnumSet.noneOf(Action.class));
            actions.add(access.action());
            if (access.action() == Action.PUSH) {
                actions.add(Action.PULL);
            }
        }
        List<ResourceScope> scopes = new ArrayList<>();
        byRepository.forEach((repository, actions) -> scopes.add(new ResourceScope("repository", repository.value(),
                actions.stream().map(Action::scopeName).toList())));
        return scopes;
    }
}
