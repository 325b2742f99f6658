package dev.berth.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * One {@code -----BEGIN TYPE-----} ... {@code -----END TYPE-----} block of a PEM file (RFC 7468), decoded.
 *
 * @param type the label, such as {@code CERTIFICATE} or {@code EC PRIVATE KEY}
 * @param der the decoded bytes
 * @param encrypted whether the block carries the legacy {@code Proc-Type: 4,ENCRYPTED} header
 */
record PemBlock(String type, byte[] der, boolean encrypted) {
    private static final String BEGIN = "-----BEGIN ";
    private static final String END = "-----END ";
    private static final String DASHES = "-----";

    /**
     * Every block of {@code file}, in order; text outside blocks (as {@code openssl x509 -text} writes) is ignored.
     *
     * @throws TlsFileException naming {@code key} and the file when it cannot be read or a block is broken
     */
    static List<PemBlock> read(String key, Path file) throws TlsFileException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException e) {
            throw new TlsFileException(key, file, "no such file");
        } catch (IOException e) {
            throw new TlsFileException(key, file, "cannot be read: " + e.getMessage());
        }
        return parse(key, file, text);
    }

    /** The blocks of PEM {@code text} read from {@code file}. */
    static List<PemBlock> parse(String key, Path file, String text) throws TlsFileException {
        List<PemBlock> blocks = new ArrayList<>();
        String type = null;
        boolean encrypted = false;
        StringBuilder base64 = new StringBuilder();
        int lineNumber = 0;
        for (String raw : text.split("\r?\n|\r")) {
            lineNumber++;
            String line = raw.strip();
            if (type == null) {
                if (line.startsWith(BEGIN) && line.endsWith(DASHES)) {
                    type = line.substring(BEGIN.length(), line.length() - DASHES.length());
                    encrypted = false;
                    base64.setLength(0);
                }
            } else if (line.startsWith(END)) {
                String endType = line.endsWith(DASHES)
                        ? line.substring(END.length(), line.length() - DASHES.length()) : "";
                if (!endType.equals(type)) {
                    throw new TlsFileException(key, file, "line " + lineNumber + ": '" + line
                            + "' does not close the " + type + " block");
                }
                try {
                    blocks.add(new PemBlock(type, Base64.getMimeDecoder().decode(base64.toString()), encrypted));
                } catch (IllegalArgumentException e) {
                    throw new TlsFileException(key, file, "the " + type + " block ending on line " + lineNumber
                            + " is not valid base64");
                }
                type = null;
            } else if (line.contains(":")) {
                // RFC 1421 headers of legacy PEM, as OpenSSL writes for an encrypted PKCS#1 or SEC1 key.
                encrypted |= line.startsWith("Proc-Type:") && line.contains("ENCRYPTED");
            } else {
                base64.append(line);
            }
        }
        if (type != null) {
            throw new TlsFileException(key, file, "the " + type + " block has no -----END " + type + "----- line");
        }
        return blocks;
    }
}
