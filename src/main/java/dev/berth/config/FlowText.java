package dev.berth.config;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Writes values as YAML text that Berth reads back as written: plain where YAML cannot misread them, double-quoted
 * otherwise; lists and maps as flow text, the form list-valued keys take in the environment.
 */
final class FlowText {
    /** Plain inside a flow list or map: no indicators, no colon (a URL is quoted there). */
    private static final Pattern FLOW_PLAIN = Pattern.compile("[A-Za-z0-9_./][A-Za-z0-9_./@+=-]*");
    /** Plain as a block value: as in a flow, plus colons inside (HOST:PORT, URLs). */
    private static final Pattern BLOCK_PLAIN = Pattern.compile("[A-Za-z0-9_./][A-Za-z0-9_./@+=:-]*(?<!:)");
    /** Plain words YAML's core schema reads as null: a user named "null" must stay a name. */
    private static final Pattern NULL_WORD = Pattern.compile("null|Null|NULL|~");

    private FlowText() {}

    /** {@code text} as a value after {@code key: } in a block map. */
    static String blockScalar(String text) {
        return BLOCK_PLAIN.matcher(text).matches() && !NULL_WORD.matcher(text).matches() ? text : quoted(text);
    }

    /** {@code text} as an item of a flow list or a key or value of a flow map. */
    static String scalar(String text) {
        return FLOW_PLAIN.matcher(text).matches() && !NULL_WORD.matcher(text).matches() ? text : quoted(text);
    }

    /** A flow list of plain values: {@code [a, "b c"]}. */
    static String list(List<String> items) {
        return items.stream().map(FlowText::scalar).collect(Collectors.joining(", ", "[", "]"));
    }

    /** A flow map whose values are already flow text: {@code {a: x, b: [y]}}. */
    static String map(Map<String, String> entries) {
        return entries.entrySet().stream().map(e -> scalar(e.getKey()) + ": " + e.getValue())
                .collect(Collectors.joining(", ", "{", "}"));
    }

    /** {@code text} in double quotes, with YAML's escapes for quotes, backslashes and control characters. */
    static String quoted(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                case '\r' -> out.append("\\r");
                default -> {
                    if (Character.isISOControl(c)) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
