package dev.berth.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Blob bytes made up as they are sent, so that no blob is ever held whole: a fixed random pattern repeated, then
 * a 16-byte tail (a nonce and a sequence number) that makes every blob distinct. The SHA-256 of the repeated part
 * is computed once per size by streaming it; a blob's digest is then a copy of that state plus its tail, so the
 * client spends no time hashing while it measures.
 */
public final class BlobContent {
    /** The bytes at the end of each blob that make it unique. */
    public static final int TAIL = 16;
    /** An odd length, so that the repetition lines up with no chunk size or buffer boundary. */
    static final int PATTERN_LENGTH = (1 << 20) + 7;
    /** The most one write carries, so the client writes in steady pieces. */
    private static final int SLICE = 256 * 1024;

    private final byte[] pattern;
    private final Map<Long, MessageDigest> bodyDigests = new ConcurrentHashMap<>();

    /** Content from the random pattern of {@code seed}. */
    public BlobContent(long seed) {
        pattern = new byte[PATTERN_LENGTH];
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < pattern.length; i++) {
            pattern[i] = (byte) random.nextInt(256);
        }
    }

    /** One blob: its size, its unique tail, and the digest of the whole. */
    public record Blob(long size, byte[] tail, String digest) {
        /** The length of the repeated part before the tail. */
        long bodyLength() {
            return size - TAIL;
        }
    }

    /** The blob of {@code size} bytes whose tail is {@code nonce} and {@code sequence}. */
    public Blob blob(long size, long nonce, long sequence) {
        if (size < TAIL) {
            throw new IllegalArgumentException("a benchmark blob has at least " + TAIL + " bytes, not " + size);
        }
        byte[] tail = ByteBuffer.allocate(TAIL).order(ByteOrder.BIG_ENDIAN).putLong(nonce).putLong(sequence).array();
        MessageDigest md = copy(bodyDigests.computeIfAbsent(size - TAIL, this::digestOfBody));
        md.update(tail);
        return new Blob(size, tail, "sha256:" + HexFormat.of().formatHex(md.digest()));
    }

    /** The bytes {@code [from, to)} of {@code blob} as a request body, written straight from the pattern. */
    HttpConnection.Body body(Blob blob, long from, long to) {
        if (from < 0 || to > blob.size() || from > to) {
            throw new IllegalArgumentException("range " + from + "-" + to + " outside a blob of " + blob.size());
        }
        return new HttpConnection.Body() {
            @Override
            public long length() {
                return to - from;
            }

            @Override
            public void writeTo(OutputStream out) throws IOException {
                copyTo(blob, from, to, out);
            }
        };
    }

    /** Writes the bytes {@code [from, to)} of {@code blob} to {@code out}. */
    public void copyTo(Blob blob, long from, long to, OutputStream out) throws IOException {
        long body = blob.bodyLength();
        long position = from;
        while (position < Math.min(to, body)) {
            int offset = (int) (position % PATTERN_LENGTH);
            int length = (int) Math.min(Math.min(to, body) - position, Math.min(PATTERN_LENGTH - offset, SLICE));
            out.write(pattern, offset, length);
            position += length;
        }
        if (position < to) {
            out.write(blob.tail(), (int) (position - body), (int) (to - position));
        }
    }

    private MessageDigest digestOfBody(long length) {
        MessageDigest md = sha256();
        for (long done = 0; done < length; ) {
            int n = (int) Math.min(PATTERN_LENGTH, length - done);
            md.update(pattern, 0, n);
            done += n;
        }
        return md;
    }

    private static MessageDigest copy(MessageDigest md) {
        try {
            return (MessageDigest) md.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("this JDK's SHA-256 cannot be copied", e);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
