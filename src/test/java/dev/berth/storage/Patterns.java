package dev.berth.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.zip.CRC32C;

/** Deterministic test content addressable by position, so large objects are generated and checked as streams. */
final class Patterns {
    private Patterns() {}

    /** The byte at {@code position} of the pattern named by {@code seed}. */
    static byte byteAt(long seed, long position) {
        long z = seed * 0x9E3779B97F4A7C15L + (position >>> 3) + 0x632BE59BD9B4E019L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z ^= z >>> 31;
        return (byte) (z >>> ((position & 7) * 8));
    }

    /** Streams bytes {@code [from, from + length)} of a pattern without holding them. */
    static InputStream stream(long seed, long from, long length) {
        return new InputStream() {
            private long position = from;
            private final long end = from + length;

            @Override
            public int read() {
                return position < end ? byteAt(seed, position++) & 0xff : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (len == 0) {
                    return 0;
                }
                if (position >= end) {
                    return -1;
                }
                int n = (int) Math.min(len, end - position);
                for (int i = 0; i < n; i++) {
                    b[off + i] = byteAt(seed, position++);
                }
                return n;
            }
        };
    }

    static byte[] bytes(long seed, int length) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = byteAt(seed, i);
        }
        return b;
    }

    /** The CRC32C of a pattern range, computed as a stream, in the 8-hex-digit form of {@link ObjectInfo}. */
    static String crc32c(long seed, long from, long length) {
        CRC32C crc = new CRC32C();
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = stream(seed, from, length)) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                crc.update(buffer, 0, n);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return hex(crc);
    }

    static String crc32c(byte[] data) {
        CRC32C crc = new CRC32C();
        crc.update(data);
        return hex(crc);
    }

    private static String hex(CRC32C crc) {
        return String.format("%08x", crc.getValue());
    }

    /** Reads {@code in} to its end and fails at the first byte that differs from the pattern range. */
    static void assertStreamEquals(InputStream in, long seed, long from, long length) {
        byte[] buffer = new byte[1 << 16];
        long position = from;
        try (in) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                for (int i = 0; i < n; i++, position++) {
                    if (position >= from + length) {
                        fail("stream is longer than " + length + " bytes");
                    }
                    if (buffer[i] != byteAt(seed, position)) {
                        fail("byte " + (position - from) + " differs from the pattern");
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat(position - from).as("bytes read").isEqualTo(length);
    }
}
