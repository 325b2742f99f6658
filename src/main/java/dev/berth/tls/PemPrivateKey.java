package dev.berth.tls;

import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.List;
import java.util.Map;

/**
 * Turns the private-key block of a PEM file into a JDK {@link PrivateKey}: PKCS#8 ({@code PRIVATE KEY}) as it is,
 * PKCS#1 ({@code RSA PRIVATE KEY}) and SEC1 ({@code EC PRIVATE KEY}) by wrapping them in a PKCS#8 structure first,
 * which is all the JDK's key factories read.
 */
final class PemPrivateKey {
    private static final String PKCS8 = "PRIVATE KEY";
    private static final String PKCS1_RSA = "RSA PRIVATE KEY";
    private static final String SEC1_EC = "EC PRIVATE KEY";
    private static final String ENCRYPTED_PKCS8 = "ENCRYPTED PRIVATE KEY";
    /** Key algorithms by the OID of a PKCS#8 AlgorithmIdentifier. */
    private static final Map<String, String> ALGORITHMS = Map.of(
            "1.2.840.113549.1.1.1", "RSA",
            "1.2.840.113549.1.1.10", "RSASSA-PSS",
            "1.2.840.10045.2.1", "EC",
            "1.3.101.112", "Ed25519",
            "1.3.101.113", "Ed448");

    private PemPrivateKey() {}

    /** The one private key among {@code blocks} of {@code file}, which {@code key} names. */
    static PrivateKey from(String key, Path file, List<PemBlock> blocks) throws TlsFileException {
        List<PemBlock> keys = blocks.stream().filter(b -> b.type().endsWith("PRIVATE KEY")).toList();
        if (keys.isEmpty()) {
            throw new TlsFileException(key, file, "no private key (expected a -----BEGIN PRIVATE KEY-----,"
                    + " BEGIN EC PRIVATE KEY or BEGIN RSA PRIVATE KEY block)");
        }
        if (keys.size() > 1) {
            throw new TlsFileException(key, file, keys.size() + " private keys; the file must hold exactly one");
        }
        PemBlock block = keys.get(0);
        if (block.type().equals(ENCRYPTED_PKCS8) || block.encrypted()) {
            throw new TlsFileException(key, file, "the private key is encrypted; Berth reads unencrypted keys"
                    + " (decrypt it with: openssl pkey -in FILE -out PLAIN-FILE)");
        }
        try {
            return switch (block.type()) {
                case PKCS8 -> pkcs8(block.der());
                case PKCS1_RSA -> decode("RSA", Der.sequence(Der.integerZero(), Der.sequence(Der.OID_RSA, Der.NULL),
                        Der.wrap(Der.OCTET_STRING, block.der())));
                case SEC1_EC -> decode("EC", Der.sequence(Der.integerZero(),
                        Der.sequence(Der.OID_EC, curveOf(block.der())), Der.wrap(Der.OCTET_STRING, block.der())));
                default -> throw new TlsFileException(key, file, "unsupported key type " + block.type()
                        + " (expected PRIVATE KEY, EC PRIVATE KEY or RSA PRIVATE KEY)");
            };
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw new TlsFileException(key, file, "the " + block.type() + " block is not a valid key: "
                    + e.getMessage());
        }
    }

    private static PrivateKey pkcs8(byte[] der) throws GeneralSecurityException {
        // PrivateKeyInfo ::= SEQUENCE { version, AlgorithmIdentifier ::= SEQUENCE { algorithm OID, ... }, key }
        List<Der.Element> info = Der.element(der).children();
        if (info.size() < 3 || info.get(1).tag() != Der.SEQUENCE) {
            throw new IllegalArgumentException("not a PKCS#8 PrivateKeyInfo");
        }
        Der.Element oid = info.get(1).children().get(0);
        if (oid.tag() != Der.OBJECT_IDENTIFIER) {
            throw new IllegalArgumentException("not a PKCS#8 PrivateKeyInfo");
        }
        String text = Der.oidText(oid.content());
        String algorithm = ALGORITHMS.get(text);
        if (algorithm == null) {
            throw new IllegalArgumentException("unsupported key algorithm " + text
                    + " (RSA, EC, Ed25519 and Ed448 are supported)");
        }
        return decode(algorithm, der);
    }

    /** The named curve a SEC1 ECPrivateKey carries in its {@code [0]} parameters, as an encoded OID. */
    private static byte[] curveOf(byte[] sec1) {
        // ECPrivateKey ::= SEQUENCE { version 1, privateKey OCTET STRING, [0] ECParameters, [1] publicKey }
        for (Der.Element field : Der.element(sec1).children()) {
            if (field.tag() == Der.CONTEXT_0) {
                Der.Element curve = Der.element(field.content());
                if (curve.tag() != Der.OBJECT_IDENTIFIER) {
                    throw new IllegalArgumentException("the key's curve is given by explicit parameters; only named"
                            + " curves are supported");
                }
                return curve.encoded();
            }
        }
        throw new IllegalArgumentException("the EC key does not name its curve; convert it to PKCS#8 with:"
                + " openssl pkcs8 -topk8 -nocrypt -in FILE -out NEW-FILE");
    }

    private static PrivateKey decode(String algorithm, byte[] pkcs8) throws GeneralSecurityException {
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
    }
}
