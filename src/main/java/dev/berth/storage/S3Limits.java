package dev.berth.storage;

/**
 * The S3 limits an {@link S3Store} plans its requests by. Production uses {@link #defaults()}, the limits of S3
 * itself; tests lower them to reach the 10,000-part and 5 GiB cases with small objects.
 *
 * @param bufferSize bytes held in memory per put of unknown length: a body that fits is sent in one request with
 *     its checksums in the headers, a longer one is sent in multipart parts of this size
 * @param minPartSize the smallest part S3 accepts, except for the last part of an upload (5 MiB)
 * @param maxParts the most parts one multipart upload may have (10,000)
 * @param maxPartCopySize the largest range one UploadPartCopy may copy, and the largest object one CopyObject
 *     may copy (5 GiB)
 * @param maxSinglePutSize the largest object one PutObject may write (5 GiB)
 */
public record S3Limits(int bufferSize, long minPartSize, int maxParts, long maxPartCopySize, long maxSinglePutSize) {
    private static final long MIB = 1L << 20;
    private static final long GIB = 1L << 30;

    public S3Limits {
        if (minPartSize < 1 || bufferSize < minPartSize) {
            throw new IllegalArgumentException("need 0 < minPartSize <= bufferSize: " + minPartSize + ", " + bufferSize);
        }
        // A merged part holds less than two minimum parts; a split copy part is at least half the copy maximum.
        if (maxPartCopySize < 2 * minPartSize) {
            throw new IllegalArgumentException("maxPartCopySize must be at least twice minPartSize");
        }
        if (maxParts < 2) {
            throw new IllegalArgumentException("maxParts must be at least 2: " + maxParts);
        }
        if (maxSinglePutSize < bufferSize) {
            throw new IllegalArgumentException("maxSinglePutSize must be at least bufferSize");
        }
    }

    /** S3's own limits, with 8 MiB buffers. */
    public static S3Limits defaults() {
        return new S3Limits((int) (8 * MIB), 5 * MIB, 10_000, 5 * GIB, 5 * GIB);
    }
}
