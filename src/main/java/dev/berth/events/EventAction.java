package dev.berth.events;

import java.util.Locale;

/** What happened to an event's target; the names are those of Distribution's notifications. */
public enum EventAction {
    /** A manifest or blob was read (GET). */
    PULL,
    /** A manifest or blob was stored. */
    PUSH,
    /** A blob was linked into a repository from another one instead of being uploaded. */
    MOUNT,
    /** A manifest, tag or blob was deleted from a repository. */
    DELETE;

    /** The name events and configuration write: {@code pull}, {@code push}, {@code mount}, {@code delete}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The action of a wire name, as configuration writes it. */
    public static EventAction byWireName(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }
}
