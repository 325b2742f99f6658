package dev.berth.auth.token;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Signing keys from PEM text: PKCS#8 ({@code BEGIN PRIVATE KEY}, as {@code openssl genpkey} writes EC and Ed25519
 * keys) and SEC1 ({@code BEGIN EC PRIVATE KEY}, as {@code openssl ecparam -genkey} writes), EC on P-256 or Ed25519.
 */
public final class PrivateKeyPem {
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s]*?)\\s*-----END \\1-----");
    /** AlgorithmIdentifier { id-ecPublicKey, prime256v1 }. */
    private static final byte[] EC_P256_ALGORITHM = HexFormat.of()
            .parseHex("301306072a8648ce3d020106082a8648ce3d030107");

    private PrivateKeyPem() {}

    /**
     * The signing key in {@code pem}; the first private-key block counts, other blocks (such as EC parameters)
     * are skipped.
     *
     * @throws GeneralSecurityException saying what is wrong: no key, an encrypted one, another kind or curve
     */
    public static SigningKey parse(String pem) throws GeneralSecurityException {
        Matcher m = BLOCK.matcher(pem);
        while (m.find()) {
            String type = m.group(1);
            byte[] der;
            try {
                der = Base64.getMimeDecoder().decode(m.group(2));
            } catch (IllegalArgumentException e) {
                throw new GeneralSecurityException("the " + type + " block is not base64");
            }
            switch (type) {
                case "PRIVATE KEY" -> {
                    return fromPkcs8(der);
                }
                case "EC PRIVATE KEY" -> {
                    return fromPkcs8(wrapSec1(der));
                }
                case "ENCRYPTED PRIVATE KEY" -> throw new GeneralSecurityException(
                        "the private key is encrypted; write it unencrypted (openssl pkey -in KEY -out PLAIN)");
                case "RSA PRIVATE KEY" -> throw new GeneralSecurityException(
                        "an RSA key; tokens are signed with EC P-256 (ES256) or Ed25519 (EdDSA) keys");
                default -> { }
            }
        }
        throw new GeneralSecurityException("no PEM private key (-----BEGIN PRIVATE KEY-----) found");
    }

    private static SigningKey fromPkcs8(byte[] der) throws GeneralSecurityException {
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        PrivateKey key;
        try {
            key = KeyFactory.getInstance("EC").generatePrivate(spec);
        } catch (InvalidKeySpecException notEc) {
            try {
                key = KeyFactory.getInstance("Ed25519").generatePrivate(spec);
            } catch (InvalidKeySpecException notEd25519) {
                throw new GeneralSecurityException(
                        "not an EC P-256 or Ed25519 key; generate one with openssl genpkey -algorithm ed25519,"
                                + " or openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256");
            }
        }
        if (key instanceof ECPrivateKey ec) {
            if (!P256.isP256(ec.getParams())) {
                throw new GeneralSecurityException("an EC key on another curve than P-256");
            }
            BigInteger d = ec.getS();
            PublicKey publicKey = P256.publicKey(P256.multiplyGenerator(d));
            return new SigningKey(key, VerificationKey.withThumbprint(JwsAlgorithm.ES256, publicKey));
        }
        if (key instanceof EdECPrivateKey ed) {
            PublicKey publicKey = Ed25519Keys.publicKeyOf(ed);
            return new SigningKey(key, VerificationKey.withThumbprint(JwsAlgorithm.EDDSA, publicKey));
        }
        throw new GeneralSecurityException("an unsupported key type " + key.getAlgorithm());
    }

    /** PKCS#8 around a SEC1 ECPrivateKey, for P-256. */
    private static byte[] wrapSec1(byte[] sec1) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(new byte[] {0x02, 0x01, 0x00});
        body.writeBytes(EC_P256_ALGORITHM);
        body.writeBytes(tlv(0x04, sec1));
        return tlv(0x30, body.toByteArray());
    }

    private static byte[] tlv(int tag, byte[] value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int length = value.length;
        if (length < 0x80) {
            out.write(length);
        } else if (length < 0x100) {
            out.write(0x81);
            out.write(length);
        } else {
            out.write(0x82);
            out.write(length >> 8);
            out.write(length & 0xff);
        }
        out.writeBytes(value);
        return out.toByteArray();
    }

    /** {@code key} as PKCS#8 PEM. */
    public static String format(PrivateKey key) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                .encodeToString(key.getEncoded());
        return "-----BEGIN PRIVATE KEY-----\n" + body + "\n-----END PRIVATE KEY-----\n";
    }
}
