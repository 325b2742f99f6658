package dev.berth.http;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A single byte range of a {@code Range: bytes=…} request header, resolved against the blob's size.
 *
 * @param start the first byte served
 * @param end the last byte served, inclusive
 */
record ByteRange(long start, long end) {
    private static final Pattern SINGLE = Pattern.compile("bytes=(\\d*)-(\\d*)");

    /** The bytes served. */
    long length() {
        return end - start + 1;
    }

    /**
     * Reads a Range header for a blob of {@code size} bytes: empty when the header is absent or not a single byte
     * range (the whole blob is then served, as RFC 9110 allows); {@link Unsatisfiable} when no byte of it exists.
     */
    static Optional<ByteRange> parse(String header, long size) {
        if (header == null) {
            return Optional.empty();
        }
        Matcher m = SINGLE.matcher(header.trim());
        if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) {
            return Optional.empty();
        }
        try {
            if (m.group(1).isEmpty()) {
                long suffix = Long.parseLong(m.group(2));
                if (suffix == 0 || size == 0) {
                    throw new Unsatisfiable(size);
                }
                return Optional.of(new ByteRange(Math.max(0, size - suffix), size - 1));
            }
            long start = Long.parseLong(m.group(1));
            long end = m.group(2).isEmpty() ? size - 1 : Math.min(Long.parseLong(m.group(2)), size - 1);
            if (!m.group(2).isEmpty() && Long.parseLong(m.group(2)) < start) {
                return Optional.empty(); // syntactically invalid: ignored, as RFC 9110 says
            }
            if (start >= size) {
                throw new Unsatisfiable(size);
            }
            return Optional.of(new ByteRange(start, end));
        } catch (NumberFormatException tooLarge) {
            throw new Unsatisfiable(size);
        }
    }

    /** No byte of the requested range exists: answered with 416 and {@code Content-Range: bytes *}{@code /SIZE}. */
    static final class Unsatisfiable extends RuntimeException {
        final long size;

        Unsatisfiable(long size) {
            super("range not satisfiable for " + size + " bytes", null, false, false);
            this.size = size;
        }
    }
}
