package dev.berth.storage;

/**
 * What one S3 server was found to support when the store opened (see {@link S3FeatureProbe}).
 *
 * @param crc32cHeader the server verifies an {@code x-amz-checksum-crc32c} request header (refusing a wrong one)
 *     and reports it back
 * @param crc32cTrailer the server accepts a CRC32C sent as a trailer of an {@code aws-chunked} body and keeps it
 *     as the object's checksum, so a streamed body of known length is verified without buffering
 * @param ifNoneMatch {@code If-None-Match: *} on PutObject and CompleteMultipartUpload is honoured atomically
 * @param ifMatch {@code If-Match: etag} on PutObject and CompleteMultipartUpload is honoured atomically
 * @param copySourceIfMatch {@code x-amz-copy-source-if-match} on a copy is compared with the ETag the server
 *     reports for the source, also for an object completed by multipart upload (Swift 2.30's s3api compares it with
 *     Swift's internal ETag of such an object and refuses every copy of it with 412)
 */
public record S3Features(boolean crc32cHeader, boolean crc32cTrailer, boolean ifNoneMatch, boolean ifMatch,
        boolean copySourceIfMatch) {
    /** Both conditional writes are the server's own. */
    public boolean atomicConditionalPut() {
        return ifNoneMatch && ifMatch;
    }

    /** One line for the start-up log. */
    public String describe() {
        return "checksums: " + (crc32cHeader ? "CRC32C header" : "Content-MD5 and ETag only")
                + (crc32cTrailer ? ", CRC32C trailer" : ", no CRC32C trailer")
                + "; conditional writes: If-None-Match " + (ifNoneMatch ? "honoured" : "not honoured")
                + ", If-Match " + (ifMatch ? "honoured" : "not honoured")
                + "; copy-source If-Match " + (copySourceIfMatch ? "honoured" : "not honoured (copies checked after)");
    }
}
