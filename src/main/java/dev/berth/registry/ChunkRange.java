package dev.berth.registry;

/**
 * The inclusive byte range a client declares for a chunk ({@code Content-Range: start-end}).
 *
 * @param start the offset of the chunk's first byte in the blob
 * @param end the offset of its last byte
 */
public record ChunkRange(long start, long end) {
    public ChunkRange {
        if (start < 0 || end < start - 1) {
            throw new RegistryException(ErrorCode.BLOB_UPLOAD_INVALID, "invalid Content-Range " + start + "-" + end);
        }
    }

    /** The number of bytes the range covers. */
    public long length() {
        return end - start + 1;
    }
}
