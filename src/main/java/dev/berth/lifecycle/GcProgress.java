package dev.berth.lifecycle;

/**
 * Where a running collection is.
 *
 * @param phase what it does now: {@code mark}, {@code blobs}, {@code uploads}
 * @param scanned objects listed so far
 * @param deleted objects deleted (or, in a dry run, found deletable) so far
 * @param bytesFreed their total size
 */
public record GcProgress(String phase, long scanned, long deleted, long bytesFreed) {}
