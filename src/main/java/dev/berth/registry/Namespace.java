package dev.berth.registry;

import java.util.regex.Pattern;

/** An isolated registry inside one store: every key of it lives under its own prefix. */
public record Namespace(String id) {
    private static final Pattern GRAMMAR = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");
    public static final Namespace DEFAULT = new Namespace("default");

    public Namespace {
        if (id == null || !GRAMMAR.matcher(id).matches()) {
            throw new IllegalArgumentException("invalid namespace id '" + id + "': use [a-z0-9][a-z0-9_-]*");
        }
    }
}
