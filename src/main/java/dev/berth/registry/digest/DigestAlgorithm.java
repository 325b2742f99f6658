package dev.berth.registry.digest;

import java.util.Optional;

/** A digest algorithm Berth accepts, with the length of its hex encoding. */
public enum DigestAlgorithm {
    SHA256("sha256", "SHA-256", 64),
    SHA512("sha512", "SHA-512", 128);

    private final String id;
    private final String jdkName;
    private final int hexLength;

    DigestAlgorithm(String id, String jdkName, int hexLength) {
        this.id = id;
        this.jdkName = jdkName;
        this.hexLength = hexLength;
    }

    /** The name used in digests, such as {@code sha256}. */
    public String id() {
        return id;
    }

    /** The name of the algorithm in {@link java.security.MessageDigest}. */
    public String jdkName() {
        return jdkName;
    }

    /** The number of lower-case hex digits of an encoded digest. */
    public int hexLength() {
        return hexLength;
    }

    /** The algorithm named {@code id}, or empty when Berth does not support it. */
    public static Optional<DigestAlgorithm> byId(String id) {
        for (DigestAlgorithm a : values()) {
            if (a.id.equals(id)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }
}
