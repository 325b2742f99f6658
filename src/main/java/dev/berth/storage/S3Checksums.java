package dev.berth.storage;

import java.nio.ByteBuffer;
import java.util.Base64;

/** Conversions between Berth's hex checksums and the base64 forms S3 headers carry. */
final class S3Checksums {
    private S3Checksums() {}

    /** The {@code x-amz-checksum-crc32c} form: the four big-endian bytes in base64. */
    static String base64Crc32c(long crc) {
        return Base64.getEncoder().encodeToString(ByteBuffer.allocate(4).putInt((int) crc).array());
    }

    /** Parses {@link #base64Crc32c}; null when the text is not such a value. */
    static Long parseBase64Crc32c(String text) {
        if (text == null) {
            return null;
        }
        try {
            byte[] bytes = Base64.getDecoder().decode(text);
            return bytes.length == 4 ? Integer.toUnsignedLong(ByteBuffer.wrap(bytes).getInt()) : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The {@code Content-MD5} form of a digest. */
    static String base64(byte[] digest) {
        return Base64.getEncoder().encodeToString(digest);
    }

    /** An ETag without its quotes, lower-cased, for comparing with an MD5 in hex. */
    static String unquote(String etag) {
        if (etag == null) {
            return "";
        }
        String e = etag.startsWith("\"") && etag.endsWith("\"") && etag.length() >= 2
                ? etag.substring(1, etag.length() - 1) : etag;
        return e.toLowerCase(java.util.Locale.ROOT);
    }
}
