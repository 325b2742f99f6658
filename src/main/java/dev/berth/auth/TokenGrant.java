package dev.berth.auth;

import dev.berth.auth.token.ResourceScope;
import dev.berth.registry.RegistryException;
import dev.berth.registry.RepositoryName;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a verified bearer token grants, on the sites whose service it names as audience: actions on repositories
 * named as clients of those sites name them and, with {@code registry:catalog:*}, the catalog. Entries of other
 * types, names that are not repository names and unknown actions grant nothing; the action {@code *} grants every
 * action, as Distribution reads it.
 *
 * @param audiences the services the token is for
 * @param repositories the actions granted per repository, implied ones included
 * @param catalog whether the token grants the catalog
 */
public record TokenGrant(Set<String> audiences, Map<RepositoryName, Set<Action>> repositories, boolean catalog) {
    public TokenGrant {
        audiences = Set.copyOf(audiences);
        Map<RepositoryName, Set<Action>> copy = new HashMap<>();
        repositories.forEach((name, actions) -> copy.put(name, Collections.unmodifiableSet(EnumSet.copyOf(actions))));
        repositories = Collections.unmodifiableMap(copy);
    }

    /** The grant of a token's {@code access} claim, for the services of {@code audiences}. */
    public static TokenGrant of(List<ResourceScope> access, List<String> audiences) {
        Map<RepositoryName, Set<Action>> repositories = new HashMap<>();
        boolean catalog = false;
        for (ResourceScope scope : access) {
            if (scope.type().equals("registry") && scope.name().equals("catalog")) {
                catalog |= scope.actions().contains("*");
            } else if (scope.type().equals("repository")) {
                RepositoryName name;
                try {
                    name = new RepositoryName(scope.name());
                } catch (RegistryException e) {
                    continue;
                }
                Set<Action> actions = repositories.computeIfAbsent(name, n -> EnumSet.noneOf(Action.class));
                for (String action : scope.actions()) {
                    actions.addAll(actions(action));
                }
            }
        }
        repositories.values().removeIf(Set::isEmpty);
        return new TokenGrant(Set.copyOf(audiences), repositories, catalog);
    }

    /** The actions an action name of a scope stands for: itself and what it implies; {@code *} every one. */
    static Set<Action> actions(String name) {
        if (name.equals("*")) {
            return EnumSet.allOf(Action.class);
        }
        try {
            return Action.parse(name).implied();
        } catch (IllegalArgumentException unknown) {
            return EnumSet.noneOf(Action.class);
        }
    }

    /** Whether the token grants {@code action} on what clients of {@code service}'s site call {@code repository}. */
    public boolean allows(String service, Action action, RepositoryName repository) {
        return audiences.contains(service) && repositories.getOrDefault(repository, Set.of()).contains(action);
    }

    /** Whether the token grants the catalog of {@code service}'s site. */
    public boolean catalog(String service) {
        return catalog && audiences.contains(service);
    }
}
