package dev.berth.conformance;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/** Digest and test-content helpers. */
public final class Digests {
    /** The digest of the two-byte empty JSON object {@code {}}, the OCI empty descriptor's content. */
    public static final String EMPTY_JSON_SHA256 = "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a";

    private Digests() {}

    /** {@code sha256:<hex>} of {@code content}. */
    public static String sha256(byte[] content) {
        return "sha256:" + hex("SHA-256", content);
    }

    /** {@code sha512:<hex>} of {@code content}. */
    public static String sha512(byte[] content) {
        return "sha512:" + hex("SHA-512", content);
    }

    /** The digest of {@code content} with {@code algorithm} ({@code sha256} or {@code sha512}). */
    public static String digest(String algorithm, byte[] content) {
        return switch (algorithm) {
            case "sha256" -> sha256(content);
            case "sha512" -> sha512(content);
            default -> throw new IllegalArgumentException(algorithm);
        };
    }

    private static String hex(String algorithm, byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code size} random bytes, so that every test's blobs are new to the registry. */
    public static byte[] randomBytes(int size) {
        byte[] bytes = new byte[size];
        ThreadLocalRandom.current().nextBytes(bytes);
        return bytes;
    }

    /** A small unique text blob, handy as a layer. */
    public static byte[] uniqueText(String label) {
        return (label + " " + Long.toHexString(ThreadLocalRandom.current().nextLong()) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /** A digest that no content has: a valid sha256 of random bytes never pushed. */
    public static String unknownSha256() {
        return sha256(randomBytes(32));
    }
}
