package dev.berth.storage;

/**
 * The Content-Type Berth gives every Swift object. Its parameters carry the object's version and CRC32C, because
 * the content type is the one attribute Swift returns both on HEAD and in container listings (user metadata
 * appears only on HEAD), so a listing can report the same etag and checksum as a stat without a request per entry.
 *
 * @param version a random token chosen for each write, the etag Berth reports; null for objects Berth did not write
 * @param crc32c the content's CRC32C as 8 lower-case hex digits, or null while it is not known
 */
record SwiftContentType(String version, String crc32c) {
    static final String BASE = "application/octet-stream";

    /** The header value, such as {@code application/octet-stream;berth-version=…;berth-crc32c=…}. */
    String header() {
        StringBuilder value = new StringBuilder(BASE);
        if (version != null) {
            value.append(";berth-version=").append(version);
        }
        if (crc32c != null) {
            value.append(";berth-crc32c=").append(crc32c);
        }
        return value.toString();
    }

    /** Reads the parameters back; unknown types give nulls. */
    static SwiftContentType parse(String header) {
        String version = null;
        String crc = null;
        if (header != null) {
            for (String part : header.split(";")) {
                String param = part.trim();
                if (param.startsWith("berth-version=")) {
                    version = param.substring("berth-version=".length());
                } else if (param.startsWith("berth-crc32c=")) {
                    String value = param.substring("berth-crc32c=".length()).toLowerCase(java.util.Locale.ROOT);
                    crc = Crc32cs.parse(value) != null ? value : null;
                }
            }
        }
        return new SwiftContentType(version, crc);
    }
}
