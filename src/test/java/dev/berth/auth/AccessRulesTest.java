package dev.berth.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.config.BerthConfig;
import dev.berth.config.BerthConfig.AccessRule;
import dev.berth.registry.Namespace;
import dev.berth.registry.NamespaceView;
import dev.berth.registry.RepositoryAddress;
import dev.berth.registry.RepositoryName;
import dev.berth.registry.Site;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AccessRulesTest {
    private static final Map<String, List<String>> GROUPS = Map.of("admins", List.of("carol"),
            "readers", List.of("dave", "anonymous"));
    private static final List<AccessRule> ISSUE_RULES = List.of(
            new AccessRule("team-a/*", List.of("alice"), List.of(), List.of("pull", "push", "delete")),
            new AccessRule("team-a/*", List.of("bob"), List.of(), List.of("pull")),
            new AccessRule("**", List.of(), List.of("admins"), List.of("pull", "push", "delete", "admin")));

    private static AccessRules rules(boolean anonymousPull, Map<String, List<String>> groups, List<AccessRule> rules) {
        BerthConfig.Auth auth = new BerthConfig.Auth(Optional.empty(), anonymousPull,
                BerthConfig.Token.defaults(), groups, rules);
        return new AccessRules(auth, new Groups(groups));
    }

    private static Set<Action> granted(AccessRules rules, String user, String repository) {
        return rules.granted(new Groups(GROUPS).principal(user),
                RepositoryAddress.inDefault(new RepositoryName(repository)));
    }

    /** What {@code user} may do on {@code repository} inside {@code namespace}, reached by its prefix. */
    private static Set<Action> granted(AccessRules rules, String user, String namespace, String repository) {
        Namespace ns = new Namespace(namespace);
        return rules.granted(new Groups(GROUPS).principal(user),
                new NamespaceView(Site.ROOT, ns, namespace + "/").address(new RepositoryName(repository)));
    }

    @Test
    void everythingIsDeniedWhenNoRuleMatches() {
        AccessRules rules = rules(false, GROUPS, ISSUE_RULES);
        assertThat(granted(rules, "alice", "team-b/app")).isEmpty();
        assertThat(granted(rules, "mallory", "team-a/app")).isEmpty();
        assertThat(granted(rules, "anonymous", "team-a/app")).isEmpty();
        assertThat(granted(rules(false, Map.of(), List.of()), "alice", "x")).isEmpty();
    }

    @Test
    void aStarMatchesWithinOneComponentOnly() {
        AccessRules rules = rules(false, GROUPS, ISSUE_RULES);
        assertThat(granted(rules, "alice", "team-a/app")).containsExactlyInAnyOrder(Action.PULL, Action.PUSH,
                Action.DELETE);
        assertThat(granted(rules, "alice", "team-a/app/sub")).isEmpty();
        assertThat(granted(rules, "alice", "team-a")).isEmpty();
    }

    @Test
    void matchingRulesCombineAsAUnion() {
        AccessRules rules = rules(false, GROUPS, List.of(
                new AccessRule("team-a/**", List.of("bob"), List.of(), List.of("pull")),
                new AccessRule("team-a/tools/*", List.of("bob"), List.of(), List.of("push")),
                new AccessRule("**", List.of("bob"), List.of(), List.of("delete"))));
        assertThat(granted(rules, "bob", "team-a/tools/x")).containsExactlyInAnyOrder(Action.PULL, Action.PUSH,
                Action.DELETE);
        assertThat(granted(rules, "bob", "team-a/app")).containsExactlyInAnyOrder(Action.PULL, Action.DELETE);
    }

    @Test
    void aGroupRuleAppliesToTheGroupsMembers() {
        AccessRules rules = rules(false, GROUPS, ISSUE_RULES);
        assertThat(granted(rules, "carol", "anything/at/all")).containsExactlyInAnyOrder(Action.values());
        assertThat(granted(rules, "dave", "anything")).isEmpty();
    }

    @Test
    void adminImpliesEveryOtherAction() {
        AccessRules rules = rules(false, GROUPS, List.of(
                new AccessRule("ops/*", List.of("erin"), List.of(), List.of("admin"))));
        assertThat(granted(rules, "erin", "ops/db")).containsExactlyInAnyOrder(Action.values());
        assertThat(granted(rules, "erin", "dev/db")).isEmpty();
    }

    @Test
    void anonymousPullGrantsPullOnEveryRepositoryToEveryCaller() {
        AccessRules rules = rules(true, GROUPS, ISSUE_RULES);
        assertThat(granted(rules, "anonymous", "any/repo")).containsExactly(Action.PULL);
        assertThat(granted(rules, "mallory", "any/repo")).containsExactly(Action.PULL);
        assertThat(granted(rules, "bob", "team-a/app")).containsExactly(Action.PULL);
    }

    @Test
    void rulesMayNameTheAnonymousUserAndWhatAnonymousMayDoEveryCallerMayDo() {
        AccessRules rules = rules(false, Map.of(), List.of(
                new AccessRule("public/*", List.of("anonymous"), List.of(), List.of("pull")),
                new AccessRule("public/*", List.of("alice"), List.of(), List.of("push"))));
        assertThat(granted(rules, "anonymous", "public/app")).containsExactly(Action.PULL);
        assertThat(granted(rules, "alice", "public/app")).containsExactlyInAnyOrder(Action.PULL, Action.PUSH);
        assertThat(granted(rules, "anonymous", "private/app")).isEmpty();
    }

    @Test
    void aGroupMayHoldTheAnonymousUser() {
        AccessRules rules = rules(false, GROUPS, List.of(
                new AccessRule("docs/**", List.of(), List.of("readers"), List.of("pull"))));
        assertThat(granted(rules, "anonymous", "docs/site")).containsExactly(Action.PULL);
        assertThat(granted(rules, "dave", "docs/site")).containsExactly(Action.PULL);
    }

    @Test
    void aRuleWithANamespaceAppliesInThatNamespaceOnlyToNamesInsideIt() {
        AccessRules rules = rules(false, GROUPS, List.of(
                new AccessRule("app", List.of("alice"), List.of(), List.of("push"), "team-a")));
        assertThat(granted(rules, "alice", "team-a", "app")).containsExactly(Action.PUSH);
        assertThat(granted(rules, "alice", "team-b", "app")).isEmpty();
        assertThat(granted(rules, "alice", "app")).isEmpty();
        // The glob sees the name inside the namespace, not the prefix clients write before it.
        assertThat(granted(rules, "alice", "team-a", "team-a/app")).isEmpty();
    }

    @Test
    void aRuleWithoutANamespaceAppliesInTheDefaultNamespaceOnly() {
        AccessRules rules = rules(false, GROUPS, ISSUE_RULES);
        assertThat(granted(rules, "alice", "team-a/app")).contains(Action.PUSH);
        assertThat(granted(rules, "alice", "team-a", "team-a/app")).isEmpty();
        assertThat(granted(rules, "carol", "team-a", "anything")).isEmpty();
    }

    @Test
    void aRuleForEveryNamespaceAppliesInEachOne() {
        AccessRules rules = rules(false, GROUPS, List.of(
                new AccessRule("**", List.of(), List.of("admins"), List.of("admin"), "*")));
        assertThat(granted(rules, "carol", "team-a", "app")).containsExactlyInAnyOrder(Action.values());
        assertThat(granted(rules, "carol", "team-b", "x/y")).containsExactlyInAnyOrder(Action.values());
        assertThat(granted(rules, "carol", "x/y")).containsExactlyInAnyOrder(Action.values());
    }

    @Test
    void anonymousPullHoldsInEveryNamespace() {
        AccessRules rules = rules(true, GROUPS, List.of());
        assertThat(granted(rules, "anonymous", "team-a", "app")).containsExactly(Action.PULL);
    }
}
