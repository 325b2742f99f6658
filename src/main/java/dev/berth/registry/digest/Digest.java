package dev.berth.registry.digest;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * A content digest such as {@code sha256:abcd…}, validated on construction.
 *
 * @param algorithm the hash algorithm
 * @param hex the encoded hash: lower-case hex of the algorithm's length
 */
public record Digest(DigestAlgorithm algorithm, String hex) {
    /** The grammar of the OCI image spec; a digest that fails it is malformed rather than unsupported. */
    private static final Pattern GRAMMAR = Pattern.compile("[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+");

    public Digest {
        if (hex.length() != algorithm.hexLength() || !isLowerHex(hex)) {
            throw new InvalidDigestException(algorithm.id() + ":" + hex, "the encoded part must be "
                    + algorithm.hexLength() + " lower-case hex digits");
        }
    }

    /** Parses {@code algorithm:hex}; throws {@link InvalidDigestException} for malformed or unsupported ones. */
    public static Digest parse(String text) {
        if (text == null || !GRAMMAR.matcher(text).matches()) {
            throw new InvalidDigestException(String.valueOf(text), "not a digest (algorithm:encoded)");
        }
        int colon = text.indexOf(':');
        String algorithm = text.substring(0, colon);
        DigestAlgorithm a = DigestAlgorithm.byId(algorithm).orElseThrow(
                () -> new InvalidDigestException(text, "unsupported algorithm '" + algorithm + "'"));
        return new Digest(a, text.substring(colon + 1));
    }

    /** True when {@code text} looks like a digest rather than a tag (it contains a colon). */
    public static boolean looksLikeDigest(String text) {
        return text.indexOf(':') >= 0;
    }

    /** The digest of {@code data} under {@code algorithm}. */
    public static Digest of(DigestAlgorithm algorithm, byte[] data) {
        try {
            MessageDigest md = MessageDigest.getInstance(algorithm.jdkName());
            return new Digest(algorithm, HexFormat.of().formatHex(md.digest(data)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm.jdkName() + " missing from the JDK", e);
        }
    }

    /** The SHA-256 digest of {@code data}. */
    public static Digest sha256(byte[] data) {
        return of(DigestAlgorithm.SHA256, data);
    }

    @Override
    public String toString() {
        return algorithm.id() + ":" + hex;
    }

    private static boolean isLowerHex(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }
}
