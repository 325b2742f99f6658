package dev.berth.storage;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * One entry of a Static Large Object manifest; Swift checks the etag and size of each entry when the manifest is
 * written.
 *
 * @param path {@code /container/object} of the segment
 * @param etag the segment's MD5, or for a nested manifest its SLO etag, as lower-case hex without quotes
 * @param size the segment's length in bytes (for a nested manifest, the length of its content)
 */
record SloSegment(String path, String etag, long size) {

    /** The etag Swift gives a manifest of these entries: the MD5 of their etags' hex digits, concatenated. */
    static String sloEtag(List<SloSegment> entries) {
        try {
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            for (SloSegment entry : entries) {
                md5.update(entry.etag().getBytes(StandardCharsets.US_ASCII));
            }
            return HexFormat.of().formatHex(md5.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has MD5", e);
        }
    }

    /** The total length of the entries' content. */
    static long totalSize(List<SloSegment> entries) {
        return entries.stream().mapToLong(SloSegment::size).sum();
    }
}
