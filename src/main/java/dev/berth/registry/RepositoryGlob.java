package dev.berth.registry;

import java.util.regex.Pattern;

/**
 * A glob over repository names: {@code *} matches within one path component, {@code **} across components;
 * retention rules and access rules both select repositories with it.
 *
 * <p>As in {@code .gitignore}: a leading {@code **}{@code /} and an inner {@code /**}{@code /} match zero or more
 * whole components ({@code **}{@code /app} matches {@code app} and {@code team/app}); a trailing {@code /**}
 * matches everything inside, but not the parent itself ({@code ci/**} matches {@code ci/app} and
 * {@code ci/a/b}, not {@code ci}); {@code **} alone matches every repository. Any other run of two or more
 * asterisks matches any characters, {@code /} included. Everything else matches itself.
 */
public final class RepositoryGlob {
    private final String glob;
    private final Pattern pattern;

    /** The glob as written in the configuration. */
    public RepositoryGlob(String glob) {
        if (glob == null || glob.isEmpty()) {
            throw new IllegalArgumentException("a repository glob must not be empty");
        }
        this.glob = glob;
        this.pattern = compile(glob);
    }

    /** True when {@code repository} is one of the names this glob stands for. */
    public boolean matches(String repository) {
        return pattern.matcher(repository).matches();
    }

    /** Translates the glob into an equivalent regular expression. */
    private static Pattern compile(String glob) {
        StringBuilder regex = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < glob.length()) {
            char c = glob.charAt(i);
            if (c != '*') {
                literal.append(c);
                i++;
                continue;
            }
            flush(literal, regex);
            int run = i;
            while (i < glob.length() && glob.charAt(i) == '*') {
                i++;
            }
            if (i - run == 1) {
                regex.append("[^/]*");
                continue;
            }
            boolean componentStart = run == 0 || glob.charAt(run - 1) == '/';
            boolean componentEnd = i == glob.length() || glob.charAt(i) == '/';
            if (componentStart && componentEnd && i < glob.length()) {
                regex.append("(?:[^/]+/)*"); // "**/": zero or more whole components, the slash consumed with them
                i++;
            } else if (componentStart && componentEnd) {
                regex.append("[^/].*"); // a trailing "/**" or a lone "**": at least one character inside
            } else {
                regex.append(".*");
            }
        }
        flush(literal, regex);
        return Pattern.compile(regex.toString());
    }

    private static void flush(StringBuilder literal, StringBuilder regex) {
        if (!literal.isEmpty()) {
            regex.append(Pattern.quote(literal.toString()));
            literal.setLength(0);
        }
    }

    @Override
    public String toString() {
        return glob;
    }
}
