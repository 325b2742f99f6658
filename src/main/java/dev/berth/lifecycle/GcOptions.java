package dev.berth.lifecycle;

import dev.berth.config.BerthConfig;
import dev.berth.registry.BlobStore;
import java.time.Duration;

/**
 * How one garbage collection runs.
 *
 * @param grace nothing written (or confirmed) more recently than this is deleted
 * @param deleteUntagged whether manifests that no tag reaches are deleted once older than the grace window
 * @param dryRun report what would be deleted, with sizes, and delete nothing
 * @param linkSlack added to the grace window for blob links and holders: a confirmation (HEAD, GET, a manifest
 *     push) rewrites a link only when it is older than the servers' refresh interval, so a link confirmed just now
 *     may look that much older; with this slack a blob confirmed within the grace window is never deleted
 */
public record GcOptions(Duration grace, boolean deleteUntagged, boolean dryRun, Duration linkSlack) {
    public GcOptions {
        if (grace.isNegative() || linkSlack.isNegative()) {
            throw new IllegalArgumentException("grace and slack must not be negative: " + grace + ", " + linkSlack);
        }
    }

    /** The options configured under {@code lifecycle.gc}, deleting for real. */
    public static GcOptions from(BerthConfig.Gc gc) {
        return new GcOptions(gc.grace(), gc.deleteUntagged(), false, BlobStore.refreshInterval(gc.grace()));
    }

    /** These options with another grace window; the slack stays the servers' refresh interval. */
    public GcOptions withGrace(Duration newGrace) {
        return new GcOptions(newGrace, deleteUntagged, dryRun, linkSlack);
    }

    /** These options as a dry run, or not. */
    public GcOptions withDryRun(boolean newDryRun) {
        return new GcOptions(grace, deleteUntagged, newDryRun, linkSlack);
    }

    /** These options with untagged manifests deleted, or kept. */
    public GcOptions withDeleteUntagged(boolean newDeleteUntagged) {
        return new GcOptions(grace, newDeleteUntagged, dryRun, linkSlack);
    }
}
