package dev.berth.storage;

/**
 * The limits of the Swift cluster that shape requests; the defaults are Swift's own defaults.
 *
 * @param maxManifestSegments segments per Static Large Object manifest ({@code max_manifest_segments}); longer
 *     concatenations nest manifests
 * @param maxObjectBytes the largest plain object ({@code max_file_size}); one segment can be no larger
 * @param listingLimit the most entries one container GET returns ({@code container_listing_limit}); longer
 *     pages follow markers
 */
record SwiftLimits(int maxManifestSegments, long maxObjectBytes, int listingLimit) {
    SwiftLimits {
        if (maxManifestSegments < 2 || listingLimit < 1 || maxObjectBytes < 1) {
            throw new IllegalArgumentException("unusable swift limits: " + maxManifestSegments + ", "
                    + maxObjectBytes + ", " + listingLimit);
        }
    }

    static SwiftLimits defaults() {
        return new SwiftLimits(1000, 5L * 1024 * 1024 * 1024, 10_000);
    }
}
