package dev.berth.auth;

import dev.berth.config.BerthConfig;
import dev.berth.registry.RepositoryGlob;
import dev.berth.registry.RepositoryAddress;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The configured grants: a principal may do the union of what every rule matching the repository grants to its
 * name or one of its groups, and nothing else. A rule matches repositories of its namespace (the default one when
 * it names none, every one for {@code *}) by their names inside that namespace. What the anonymous caller may do,
 * every caller may do (logging in never takes a right away), and {@code anonymous-pull} lets everybody pull
 * everything, in every namespace.
 */
public final class AccessRules implements Authorizer {
    private final List<Rule> rules;
    private final boolean anonymousPull;
    private final Principal anonymous;

    /** One rule, with its glob compiled. */
    private record Rule(String namespace, RepositoryGlob repositories, Set<String> users, Set<String> groups,
            Set<Action> actions) {
        boolean appliesTo(Principal principal, RepositoryAddress repository) {
            return (namespace.equals(BerthConfig.AccessRule.EVERY_NAMESPACE)
                            || namespace.equals(repository.namespace().id()))
                    && (users.contains(principal.name()) || principal.groups().stream().anyMatch(groups::contains))
                    && repositories.matches(repository.name().value());
        }
    }

    /** The rules of an {@code auth} section, with {@code groups} resolving its group names. */
    public AccessRules(BerthConfig.Auth auth, Groups groups) {
        this.rules = auth.rules().stream().map(AccessRules::compile).toList();
        this.anonymousPull = auth.anonymousPull();
        this.anonymous = groups.anonymous();
    }

    private static Rule compile(BerthConfig.AccessRule rule) {
        Set<Action> actions = EnumSet.noneOf(Action.class);
        rule.actions().forEach(a -> actions.addAll(Action.parse(a).implied()));
        return new Rule(rule.namespace(), new RepositoryGlob(rule.repositories()), Set.copyOf(rule.users()),
                Set.copyOf(rule.groups()), actions);
    }

    @Override
    public Set<Action> granted(Principal principal, RepositoryAddress repository) {
        Set<Action> granted = EnumSet.noneOf(Action.class);
        if (anonymousPull) {
            granted.add(Action.PULL);
        }
        addOwn(principal, repository, granted);
        if (!principal.anonymous()) {
            addOwn(anonymous, repository, granted);
        }
        return granted;
    }

    private void addOwn(Principal principal, RepositoryAddress repository, Set<Action> granted) {
        for (Rule rule : rules) {
            if (rule.appliesTo(principal, repository)) {
                granted.addAll(rule.actions());
            }
        }
    }
}
