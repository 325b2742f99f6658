package dev.berth.registry;

import dev.berth.registry.digest.Digest;

/**
 * A blob as a repository sees it: its digest and size, and the version of its bytes in the store.
 *
 * @param digest the blob's digest
 * @param size its size in bytes
 * @param etag the store's etag of the bytes, which changes when they are written again; null when not known
 */
public record BlobInfo(Digest digest, long size, String etag) {
    /** A blob whose stored version is not known. */
    public BlobInfo(Digest digest, long size) {
        this(digest, size, null);
    }
}
