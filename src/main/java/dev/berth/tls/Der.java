package dev.berth.tls;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The little of ASN.1 DER that turning PKCS#1 and SEC1 private keys into PKCS#8 takes: reading the elements of a
 * structure, and writing a sequence, an integer zero, an octet string.
 */
final class Der {
    static final int INTEGER = 0x02;
    static final int OCTET_STRING = 0x04;
    static final int OBJECT_IDENTIFIER = 0x06;
    static final int SEQUENCE = 0x30;
    /** The explicit tag {@code [0]} (constructed, context-specific), as SEC1 wraps a key's curve in. */
    static final int CONTEXT_0 = 0xA0;

    /** rsaEncryption (1.2.840.113549.1.1.1). */
    static final byte[] OID_RSA = {
        0x06, 0x09, 0x2A, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xF7, 0x0D, 0x01, 0x01, 0x01};
    /** id-ecPublicKey (1.2.840.10045.2.1). */
    static final byte[] OID_EC = {0x06, 0x07, 0x2A, (byte) 0x86, 0x48, (byte) 0xCE, 0x3D, 0x02, 0x01};
    /** DER NULL, the parameters of rsaEncryption. */
    static final byte[] NULL = {0x05, 0x00};

    private Der() {}

    /**
     * One element: its tag, its content, and its whole encoding (tag, length and content).
     *
     * @param tag the identifier octet
     * @param content the content octets
     * @param encoded the element as it was written
     */
    record Element(int tag, byte[] content, byte[] encoded) {
        /** The elements inside this constructed element. */
        List<Element> children() {
            return elements(content);
        }
    }

    /** The single element {@code der} holds; anything after it is an error. */
    static Element element(byte[] der) {
        List<Element> all = elements(der);
        if (all.size() != 1) {
            throw new IllegalArgumentException("expected one DER element, found " + all.size());
        }
        return all.get(0);
    }

    /** The consecutive elements in {@code der}. */
    static List<Element> elements(byte[] der) {
        List<Element> out = new ArrayList<>();
        int at = 0;
        while (at < der.length) {
            int start = at;
            int tag = der[at++] & 0xFF;
            if ((tag & 0x1F) == 0x1F) {
                throw new IllegalArgumentException("multi-byte DER tags are not used in keys");
            }
            if (at >= der.length) {
                throw new IllegalArgumentException("truncated DER: no length");
            }
            int first = der[at++] & 0xFF;
            long length;
            if (first < 0x80) {
                length = first;
            } else {
                int octets = first & 0x7F;
                if (octets == 0 || octets > 4 || at + octets > der.length) {
                    throw new IllegalArgumentException("bad DER length");
                }
                length = 0;
                for (int i = 0; i < octets; i++) {
                    length = (length << 8) | (der[at++] & 0xFF);
                }
            }
            if (length > der.length - at) {
                throw new IllegalArgumentException("truncated DER: an element is longer than its data");
            }
            int end = at + (int) length;
            out.add(new Element(tag, Arrays.copyOfRange(der, at, end), Arrays.copyOfRange(der, start, end)));
            at = end;
        }
        return out;
    }

    /** An element with {@code tag} around {@code content}. */
    static byte[] wrap(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 6);
        out.write(tag);
        int length = content.length;
        if (length < 0x80) {
            out.write(length);
        } else {
            int octets = length > 0xFFFFFF ? 4 : length > 0xFFFF ? 3 : length > 0xFF ? 2 : 1;
            out.write(0x80 | octets);
            for (int i = octets - 1; i >= 0; i--) {
                out.write(length >>> (8 * i));
            }
        }
        out.writeBytes(content);
        return out.toByteArray();
    }

    /** A SEQUENCE of already encoded elements. */
    static byte[] sequence(byte[]... encoded) {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        for (byte[] element : encoded) {
            content.writeBytes(element);
        }
        return wrap(SEQUENCE, content.toByteArray());
    }

    /** The INTEGER 0, the version of a PKCS#8 PrivateKeyInfo. */
    static byte[] integerZero() {
        return new byte[] {INTEGER, 0x01, 0x00};
    }

    /** The dotted form of an OBJECT IDENTIFIER's content, for messages. */
    static String oidText(byte[] content) {
        StringBuilder text = new StringBuilder();
        long value = 0;
        boolean first = true;
        for (byte b : content) {
            value = (value << 7) | (b & 0x7F);
            if ((b & 0x80) == 0) {
                if (first) {
                    long arc1 = Math.min(value / 40, 2);
                    text.append(arc1).append('.').append(value - 40 * arc1);
                    first = false;
                } else {
                    text.append('.').append(value);
                }
                value = 0;
            }
        }
        return text.toString();
    }
}
