package dev.berth.storage;

import java.time.Instant;

/**
 * What a backend reports about one stored object.
 *
 * @param key the object's key
 * @param size its length in bytes
 * @param etag an opaque version token: it changes whenever the object is replaced, and {@link PutCondition#ifMatch}
 *     compares against it
 * @param lastModified when the object was last written
 * @param crc32c the backend's CRC32C of the content as 8 lower-case hex digits, or null when it does not know one
 */
public record ObjectInfo(String key, long size, String etag, Instant lastModified, String crc32c) {}
