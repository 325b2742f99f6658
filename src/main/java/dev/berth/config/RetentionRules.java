package dev.berth.config;

import dev.berth.config.BerthConfig.RetentionRule;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.schema.FailsafeSchema;

/** Reads {@code lifecycle.retention}: a YAML list of rules, from the file or from one environment variable. */
final class RetentionRules {
    private static final Set<String> FIELDS = Set.of("repositories", "keep-last", "keep-matching",
            "delete-untagged-after");
    /** What a repository glob may hold: name characters, separators and wildcards. */
    private static final Pattern GLOB = Pattern.compile("[a-z0-9._*/-]+");

    private RetentionRules() {}

    /** The rules written in {@code text}; an IllegalArgumentException names the rule and field at fault. */
    static List<RetentionRule> parse(String text) {
        if (text.isBlank()) {
            return List.of();
        }
        Object root;
        try {
            // The failsafe schema keeps every scalar as text, so "010" or "1e3" reach the checks as written.
            root = new Load(LoadSettings.builder().setSchema(new FailsafeSchema()).build()).loadFromString(text);
        } catch (YamlEngineException e) {
            throw new IllegalArgumentException("not a YAML list of rules: " + e.getMessage().lines().findFirst()
                    .orElse(""));
        }
        if (!(root instanceof List<?> items)) {
            throw new IllegalArgumentException("expected a list of rules such as"
                    + " [{repositories: \"ci/**\", keep-last: 10}]");
        }
        List<RetentionRule> rules = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            String where = "rule " + (i + 1) + ": ";
            if (!(items.get(i) instanceof Map<?, ?> fields)) {
                throw new IllegalArgumentException(where + "expected a map of repositories, keep-last,"
                        + " keep-matching and delete-untagged-after");
            }
            rules.add(rule(where, fields));
        }
        return List.copyOf(rules);
    }

    /** {@code rules} as flow text that {@link #parse} reads back; a rule's absent fields are left out. */
    static String render(List<RetentionRule> rules) {
        List<String> items = new ArrayList<>();
        for (RetentionRule rule : rules) {
            Map<String, String> fields = new LinkedHashMap<>();
            fields.put("repositories", FlowText.scalar(rule.repositories()));
            rule.keepLast().ifPresent(n -> fields.put("keep-last", Integer.toString(n)));
            rule.keepMatching().ifPresent(regex -> fields.put("keep-matching", FlowText.scalar(regex)));
            rule.deleteUntaggedAfter().ifPresent(d -> fields.put("delete-untagged-after", Durations.format(d)));
            items.add(FlowText.map(fields));
        }
        return "[" + String.join(", ", items) + "]";
    }

    private static RetentionRule rule(String where, Map<?, ?> fields) {
        for (Object name : fields.keySet()) {
            if (!FIELDS.contains(String.valueOf(name))) {
                throw new IllegalArgumentException(where + "unknown field '" + name + "'"
                        + ConfigKeys.didYouMean(String.valueOf(name), FIELDS));
            }
        }
        String repositories = text(fields, "repositories");
        if (repositories == null || repositories.isBlank()) {
            throw new IllegalArgumentException(where + "repositories is required (a glob such as ci/**)");
        }
        if (!GLOB.matcher(repositories).matches()) {
            throw new IllegalArgumentException(where + "repositories: '" + repositories
                    + "' is not a repository glob (lower-case names, / and the wildcards * and **)");
        }
        OptionalInt keepLast = OptionalInt.empty();
        String keepLastText = text(fields, "keep-last");
        if (keepLastText != null) {
            try {
                int n = Integer.parseInt(keepLastText);
                if (n < 0) {
                    throw new NumberFormatException();
                }
                keepLast = OptionalInt.of(n);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(where + "keep-last: '" + keepLastText
                        + "' is not a whole number of tags");
            }
        }
        String keepMatching = text(fields, "keep-matching");
        if (keepMatching != null) {
            try {
                Pattern.compile(keepMatching);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException(where + "keep-matching: '" + keepMatching
                        + "' is not a regular expression: " + e.getDescription());
            }
        }
        String after = text(fields, "delete-untagged-after");
        Optional<Duration> deleteUntaggedAfter = Optional.empty();
        if (after != null) {
            try {
                deleteUntaggedAfter = Optional.of(Durations.parse(after));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + "delete-untagged-after: " + e.getMessage());
            }
        }
        return new RetentionRule(repositories, keepLast, Optional.ofNullable(keepMatching), deleteUntaggedAfter);
    }

    private static String text(Map<?, ?> fields, String name) {
        Object value = fields.get(name);
        if (value instanceof Map<?, ?> || value instanceof List<?>) {
            throw new IllegalArgumentException(name + " must be a single value");
        }
        return value == null ? null : value.toString();
    }
}
