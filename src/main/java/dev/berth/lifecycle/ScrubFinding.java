package dev.berth.lifecycle;

/**
 * One problem a scrub found.
 *
 * @param kind what sort of problem
 * @param subject what it concerns, such as {@code blob sha256:…} or {@code manifest sha256:… in library/app}
 * @param detail what is wrong with it
 */
public record ScrubFinding(Kind kind, String subject, String detail) {

    /** The sorts of problem. */
    public enum Kind {
        /** Stored bytes that do not hash to their digest. */
        CORRUPT,
        /** Something referenced or linked whose bytes or manifest the store lacks. */
        MISSING,
        /** A manifest that does not parse, or that declares another size than its content has. */
        INVALID
    }

    /** The finding as one line of a report. */
    public String line() {
        return kind.name().toLowerCase(java.util.Locale.ROOT) + " " + subject + ": " + detail;
    }
}
