package dev.berth.config;

import dev.berth.config.BerthConfig.AccessRule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.schema.FailsafeSchema;

/** Reads {@code auth.groups} (a map of lists) and {@code auth.rules} (a list of maps), from the file or a variable. */
final class AuthRules {
    private static final Set<String> FIELDS = Set.of("repositories", "users", "groups", "actions", "namespace");
    /** A namespace a rule may name: an id, or {@code *} for every namespace. */
    private static final Pattern NAMESPACE = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}|\\*");
    /** The actions a rule may grant, in the order messages list them. */
    static final List<String> ACTIONS = List.of("pull", "push", "delete", "admin");
    /** What a repository glob may hold: name characters, separators and wildcards. */
    private static final Pattern GLOB = Pattern.compile("[a-z0-9._*/-]+");
    /** User and group names: what htpasswd allows (no colon), without spaces or control characters. */
    private static final Pattern NAME = Pattern.compile("[^:\\s\\p{Cntrl}]+");

    private AuthRules() {}

    /** The groups written in {@code text}, such as {@code {admins: [carol, dave]}}. */
    static Map<String, List<String>> parseGroups(String text) {
        if (text.isBlank()) {
            return Map.of();
        }
        if (!(load(text, "a YAML map of groups") instanceof Map<?, ?> groups)) {
            throw new IllegalArgumentException("expected a map of group names to user lists such as"
                    + " {admins: [carol, dave]}");
        }
        Map<String, List<String>> result = new LinkedHashMap<>();
        for (Map.Entry<?, ?> group : groups.entrySet()) {
            String name = String.valueOf(group.getKey());
            String where = "group '" + name + "': ";
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException(where + "not a group name (no spaces or colons)");
            }
            result.put(name, names(where, group.getValue(), "user"));
        }
        return result;
    }

    /** The rules written in {@code text}; an IllegalArgumentException names the rule and field at fault. */
    static List<AccessRule> parseRules(String text) {
        if (text.isBlank()) {
            return List.of();
        }
        if (!(load(text, "a YAML list of rules") instanceof List<?> items)) {
            throw new IllegalArgumentException("expected a list of rules such as"
                    + " [{repositories: \"team-a/*\", users: [alice], actions: [pull, push]}]");
        }
        List<AccessRule> rules = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            String where = "rule " + (i + 1) + ": ";
            if (!(items.get(i) instanceof Map<?, ?> fields)) {
                throw new IllegalArgumentException(where + "expected a map of repositories, users, groups and"
                        + " actions");
            }
            rules.add(rule(where, fields));
        }
        return List.copyOf(rules);
    }

    private static AccessRule rule(String where, Map<?, ?> fields) {
        for (Object name : fields.keySet()) {
            if (!FIELDS.contains(String.valueOf(name))) {
                throw new IllegalArgumentException(where + "unknown field '" + name + "'"
                        + ConfigKeys.didYouMean(String.valueOf(name), FIELDS));
            }
        }
        Object repositories = fields.get("repositories");
        if (repositories == null || repositories instanceof Map<?, ?> || repositories instanceof List<?>
                || repositories.toString().isBlank()) {
            throw new IllegalArgumentException(where + "repositories is required: one glob such as team-a/*");
        }
        if (!GLOB.matcher(repositories.toString()).matches()) {
            throw new IllegalArgumentException(where + "repositories: '" + repositories
                    + "' is not a repository glob (lower-case names, / and the wildcards * and **)");
        }
        List<String> users = names(where + "users: ", fields.get("users"), "user");
        List<String> groups = names(where + "groups: ", fields.get("groups"), "group");
        if (users.isEmpty() && groups.isEmpty()) {
            throw new IllegalArgumentException(where + "names no users and no groups, so it grants nothing");
        }
        List<String> actions = names(where + "actions: ", fields.get("actions"), "action");
        if (actions.isEmpty()) {
            throw new IllegalArgumentException(where + "actions is required: some of " + String.join(", ", ACTIONS));
        }
        for (String action : actions) {
            if (!ACTIONS.contains(action)) {
                throw new IllegalArgumentException(where + "actions: '" + action + "' is not one of "
                        + String.join(", ", ACTIONS) + ConfigKeys.didYouMean(action, ACTIONS));
            }
        }
        Object namespace = fields.get("namespace");
        if (namespace instanceof Map<?, ?> || namespace instanceof List<?>) {
            throw new IllegalArgumentException(where + "namespace: one namespace name, or \"*\" for every one");
        }
        String ns = namespace == null ? AccessRule.DEFAULT_NAMESPACE : namespace.toString();
        if (!NAMESPACE.matcher(ns).matches()) {
            throw new IllegalArgumentException(where + "namespace: '" + ns + "' is not a namespace name"
                    + " ([a-z0-9][a-z0-9_-]*), nor \"*\" for every namespace");
        }
        return new AccessRule(repositories.toString(), users, groups, actions, ns);
    }

    /** {@code groups} as flow text that {@link #parseGroups} reads back: {@code {admins: [carol, dave]}}. */
    static String renderGroups(Map<String, List<String>> groups) {
        Map<String, String> entries = new LinkedHashMap<>();
        groups.forEach((name, users) -> entries.put(name, FlowText.list(users)));
        return FlowText.map(entries);
    }

    /**
     * {@code rules} as flow text that {@link #parseRules} reads back; empty user and group lists and the default
     * namespace are left out, as a file would leave them.
     */
    static String renderRules(List<AccessRule> rules) {
        List<String> items = new ArrayList<>();
        for (AccessRule rule : rules) {
            Map<String, String> fields = new LinkedHashMap<>();
            fields.put("repositories", FlowText.scalar(rule.repositories()));
            if (!rule.users().isEmpty()) {
                fields.put("users", FlowText.list(rule.users()));
            }
            if (!rule.groups().isEmpty()) {
                fields.put("groups", FlowText.list(rule.groups()));
            }
            fields.put("actions", FlowText.list(rule.actions()));
            if (!rule.namespace().equals(AccessRule.DEFAULT_NAMESPACE)) {
                fields.put("namespace", FlowText.scalar(rule.namespace()));
            }
            items.add(FlowText.map(fields));
        }
        return "[" + String.join(", ", items) + "]";
    }

    /** A list of names; a single name alone is taken as a list of one, as YAML writers often do. */
    private static List<String> names(String where, Object value, String what) {
        if (value == null) {
            return List.of();
        }
        List<?> items = value instanceof List<?> list ? list : List.of(value);
        List<String> names = new ArrayList<>();
        for (Object item : items) {
            if (item instanceof Map<?, ?> || item instanceof List<?> || item == null
                    || !NAME.matcher(item.toString()).matches()) {
                throw new IllegalArgumentException(where + "'" + item + "' is not a " + what + " name");
            }
            names.add(item.toString());
        }
        return List.copyOf(names);
    }

    private static Object load(String text, String expected) {
        try {
            // The failsafe schema keeps every scalar as text, so names such as "true" or "007" stay as written.
            return new Load(LoadSettings.builder().setSchema(new FailsafeSchema()).build()).loadFromString(text);
        } catch (YamlEngineException e) {
            throw new IllegalArgumentException("not " + expected + ": " + e.getMessage().lines().findFirst()
                    .orElse(""));
        }
    }
}
