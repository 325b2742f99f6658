package dev.berth.auth;

import dev.berth.config.BerthConfig;
import dev.berth.registry.RepositoryGlob;
import dev.berth.registry.RepositoryName;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The configured grants: a principal may do the union of what every rule matching the repository grants to its
 * name or one of its groups, and nothing else. What the anonymous caller may do, every caller may do (logging in
 * never takes a right away), and {@code anonymous-pull} lets everybody pull everything.
 */
public final class AccessRules implements Authorizer {
    private final List<Rule> rules;
    private final boolean anonymousPull;
    private final Principal anonymous;

    /** One rule, with its glob compiled. */
    private record Rule(RepositoryGlob repositories, Set<String> users, Set<String> groups, Set<Action> actions) {
        boolean appliesTo(Principal principal, RepositoryName repository) {
            return (users.contains(principal.name()) || principal.groups().stream().anyMatch(groups::contains))
                    && repositories.matches(repository.value());
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
        return new Rule(new RepositoryGlob(rule.repositories()), Set.copyOf(rule.users()), Set.copyOf(rule.groups()),
                actions);
    }

    @Override
    public Set<Action> granted(Principal principal, RepositoryName repository) {
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

    private void addOwn(Principal principal, RepositoryName repository, Set<Action> granted) {
        for (Rule rule : rules) {
            if (rule.appliesTo(principal, repository)) {
                granted.addAll(rule.actions());
            }
        }
    }
}
