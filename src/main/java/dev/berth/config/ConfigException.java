package dev.berth.config;

import java.util.List;

/** Configuration Berth cannot start with; each problem names the key and where the value came from. */
public final class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    /** One line per problem, in the order found, so a user can fix them all in one pass. */
    private final List<String> problems;

    /** A configuration with these problems, each a complete one-line message. */
    public ConfigException(List<String> problems) {
        super(String.join("\n", problems));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a ConfigException needs at least one problem");
        }
        this.problems = List.copyOf(problems);
    }

    /** A configuration with one problem. */
    public ConfigException(String problem) {
        this(List.of(problem));
    }

    /** The problems, one complete message each. */
    public List<String> problems() {
        return problems;
    }
}
