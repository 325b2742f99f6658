package dev.berth.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The reference of every key, generated from {@link ConfigKeys}: Markdown tables for {@code docs/configuration.md}
 * (a test holds the document to them) and plain lines for {@code berth config keys}.
 */
public final class ConfigKeyTable {
    private static final String HEADER = "| key | environment variable | default | example | description |";
    private static final String RULE = "|---|---|---|---|---|";

    private ConfigKeyTable() {}

    /** The keys grouped by their first path component, in the order of {@link ConfigKeys#ALL}. */
    public static Map<String, List<ConfigKey>> sections() {
        Map<String, List<ConfigKey>> sections = new LinkedHashMap<>();
        for (ConfigKey key : ConfigKeys.ALL) {
            String section = key.path().split("\\.")[0];
            sections.computeIfAbsent(section, s -> new ArrayList<>()).add(key);
        }
        return sections;
    }

    /** A heading and a table for each section: what {@code berth config keys --markdown} prints. */
    public static String markdown() {
        StringBuilder out = new StringBuilder();
        sections().forEach((section, keys) -> {
            out.append("### ").append(section).append("\n\n").append(HEADER).append('\n').append(RULE).append('\n');
            ConfigKeys.findSection(section).ifPresent(switched -> out.append(row(switched)).append('\n'));
            keys.forEach(key -> out.append(row(key)).append('\n'));
            out.append('\n');
        });
        return out.toString();
    }

    /**
     * One key's row: path, variable, default and example as the file writes them, the description, and what is
     * secret. A switched section ({@code auth}, {@code tls}) has no variable of its own and is absent by default.
     */
    public static String row(ConfigKey key) {
        boolean switched = ConfigKeys.findSection(key.path()).isPresent();
        String variable = switched ? "(any of its keys)" : code(key.envName());
        String byDefault = switched ? "absent" : code(valueText(key, key.read(BerthConfig.defaults())));
        // Markdown would take <redacted> for an HTML tag: the note's command and marker go in code spans.
        String note = key.secrecyNote().replace("berth config check", "`berth config check`")
                .replace(ConfigKey.REDACTED, "`" + ConfigKey.REDACTED + "`");
        String description = key.description() + (key.isSecret() ? "; **" + note + "**" : "");
        return "| " + String.join(" | ", code(key.path()), variable, byDefault,
                code(key.example()), escape(description)) + " |";
    }

    /** One line per key for a terminal: path, variable and default. */
    public static String text() {
        int width = ConfigKeys.ALL.stream().mapToInt(k -> k.path().length()).max().orElse(0) + 2;
        int envWidth = ConfigKeys.ALL.stream().mapToInt(k -> k.envName().length()).max().orElse(0) + 2;
        StringBuilder out = new StringBuilder(String.format("%-" + width + "s%-" + envWidth + "s%s%n", "KEY",
                "VARIABLE", "DEFAULT"));
        for (ConfigKey key : ConfigKeys.ALL) {
            out.append(String.format("%-" + width + "s%-" + envWidth + "s%s%n", key.path(), key.envName(),
                    valueText(key, key.read(BerthConfig.defaults()))));
        }
        return out.toString();
    }

    /** The text as the file writes it: flow text for list keys, a scalar quoted where YAML needs it. */
    private static String valueText(ConfigKey key, String text) {
        return ConfigKeys.LIST_KEYS.contains(key.path()) ? text : FlowText.blockScalar(text);
    }

    /** A code span; a table cell escapes its pipes even there. */
    private static String code(String text) {
        return "`" + escape(text) + "`";
    }

    private static String escape(String text) {
        return text.replace("|", "\\|");
    }
}
