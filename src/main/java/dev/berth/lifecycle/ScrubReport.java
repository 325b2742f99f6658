package dev.berth.lifecycle;

import java.time.Duration;

/**
 * What a scrub checked and found.
 *
 * @param blobs blobs re-hashed
 * @param bytes bytes hashed
 * @param manifests manifest revisions checked
 * @param corrupt blobs whose bytes do not hash to their digest
 * @param missing references and links whose target is absent
 * @param invalid manifests that do not parse or declare wrong sizes
 * @param quarantined corrupt blobs moved to quarantine
 * @param elapsed how long it took
 */
public record ScrubReport(long blobs, long bytes, long manifests, long corrupt, long missing, long invalid,
        long quarantined, Duration elapsed) {

    /** True when nothing was corrupt, missing or invalid. */
    public boolean sound() {
        return corrupt == 0 && missing == 0 && invalid == 0;
    }

    /** The one-line summary a scrub ends with. */
    public String summary() {
        return String.format("%s: %d blobs checked, %d bytes hashed, %d manifests checked, %d corrupt, %d missing,"
                        + " %d invalid, %d quarantined, in %.1fs",
                sound() ? "sound" : "NOT sound", blobs, bytes, manifests, corrupt, missing, invalid, quarantined,
                elapsed.toMillis() / 1000.0);
    }
}
