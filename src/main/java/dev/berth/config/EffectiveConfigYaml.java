package dev.berth.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a configuration as the YAML file that gives it: every key of {@link ConfigKeys#ALL} in its section, with
 * its value in force and, in a comment, where that value came from. What it writes, loaded as a file, gives the
 * same configuration back (secrets apart, when they are redacted).
 */
public final class EffectiveConfigYaml {
    /** Comments start in this column at most, so a long value does not push every comment far right. */
    private static final int COMMENT_COLUMN = 44;

    private final TracedConfig traced;
    private final boolean redact;
    private final List<String[]> lines = new ArrayList<>();

    private EffectiveConfigYaml(TracedConfig traced, boolean redact) {
        this.traced = traced;
        this.redact = redact;
    }

    /**
     * The YAML text of {@code traced}; with {@code redact}, every key declared secret is shown as
     * {@link ConfigKey#shown} gives it, so no secret is written.
     */
    public static String render(TracedConfig traced, boolean redact) {
        EffectiveConfigYaml yaml = new EffectiveConfigYaml(traced, redact);
        yaml.section("", tree(), 0, false);
        StringBuilder out = new StringBuilder();
        int width = 0;
        for (String[] line : yaml.lines) {
            if (line[0].length() <= COMMENT_COLUMN) {
                width = Math.max(width, line[0].length());
            }
        }
        for (String[] line : yaml.lines) {
            out.append(line[0]);
            if (line[1] != null) {
                out.append(" ".repeat(Math.max(2, width + 2 - line[0].length()))).append("# ").append(line[1]);
            }
            out.append('\n');
        }
        return out.toString();
    }

    /** The keys as nested sections, in the order of {@link ConfigKeys#ALL}; a leaf is the {@link ConfigKey}. */
    private static Map<String, Object> tree() {
        Map<String, Object> root = new LinkedHashMap<>();
        for (ConfigKey key : ConfigKeys.ALL) {
            String[] parts = key.path().split("\\.");
            Map<String, Object> section = root;
            for (int i = 0; i < parts.length - 1; i++) {
                @SuppressWarnings("unchecked")
                Map<String, Object> inner = (Map<String, Object>) section.computeIfAbsent(parts[i],
                        p -> new LinkedHashMap<String, Object>());
                section = inner;
            }
            section.put(parts[parts.length - 1], key);
        }
        return root;
    }

    private void section(String prefix, Map<String, Object> entries, int depth, boolean commented) {
        String indent = "  ".repeat(depth);
        for (Map.Entry<String, Object> entry : entries.entrySet()) {
            String path = prefix + entry.getKey();
            if (entry.getValue() instanceof ConfigKey key) {
                line(commented, indent + entry.getKey() + ": " + value(key), origin(path));
                continue;
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> inner = (Map<String, Object>) entry.getValue();
            boolean switched = ConfigKeys.findSection(path).isPresent();
            if (switched && !commented && !ConfigKeys.isSwitchedOn(path, traced.config())) {
                // Written out would switch the section on: shown commented, so the text still loads as it is.
                line(false, indent + "# " + path + " is absent, so it is off; its keys, at their defaults:", null);
                line(true, indent + entry.getKey() + ":", null);
                section(path + ".", inner, depth + 1, true);
            } else {
                String why = switched && !commented
                        ? traced.origin(path).map(o -> "on: " + o).orElse("on: keys below are set")
                        : null;
                line(commented, indent + entry.getKey() + ":", why);
                section(path + ".", inner, depth + 1, commented);
            }
        }
    }

    private String value(ConfigKey key) {
        String text = redact ? key.shown(traced.config()) : key.read(traced.config());
        // List-valued keys read as flow text already; a scalar is quoted where YAML would misread it.
        return ConfigKeys.LIST_KEYS.contains(key.path()) ? text : FlowText.blockScalar(text);
    }

    private String origin(String path) {
        String origin = traced.origin(path).orElse("default");
        List<String> overridden = traced.overridden(path);
        return overridden.isEmpty() ? origin : origin + " (over " + String.join(", ", overridden) + ")";
    }

    private void line(boolean commented, String text, String comment) {
        lines.add(new String[] {commented ? "# " + text : text, comment});
    }
}
