package dev.berth.registry;

import dev.berth.registry.digest.Digest;

/**
 * A blob as a repository sees it: its digest and size, and the version of its bytes in the store.
 *
 * @param digest the blob's digest
 * @param size its size in bytes
 * @param etag the store's etag of the bytes, which changes when they are written again; null when not known
 * @param crc32c the CRC32C the store keeps for the bytes, 8 lower-case hex digits; an upload checks it against the
 *     client's bytes before it publishes a blob; null when the store keeps none
 */
public record BlobInfo(Digest digest, long size, String etag, String crc32c) {
    /** A blob whose stored version is not known. */
    public BlobInfo(Digest digest, long size) {
        this(digest, size, null, null);
    }
}
