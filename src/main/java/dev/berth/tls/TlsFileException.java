package dev.berth.tls;

import java.nio.file.Path;

/** A certificate or key file Berth cannot use; the message names the configuration key, the file and the fault. */
public final class TlsFileException extends Exception {
    private static final long serialVersionUID = 1L;

    /** {@code key} (such as {@code tls.cert}) points at {@code file}, which has {@code problem}. */
    public TlsFileException(String key, Path file, String problem) {
        super(key + ": " + file + ": " + problem);
    }

    /** A problem between files, such as a key that does not belong to the certificate; the message says it all. */
    public TlsFileException(String message) {
        super(message);
    }
}
