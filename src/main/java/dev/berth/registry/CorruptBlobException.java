package dev.berth.registry;

import dev.berth.registry.digest.Digest;
import java.io.IOException;

/**
 * A blob read whose bytes turned out wrong: not hashing to the blob's digest, or not matching the CRC32C written with
 * them. It is thrown instead of returning the last bytes of the blob, so a reader that passes bytes on as they come
 * never delivers the whole of a wrong blob.
 */
public final class CorruptBlobException extends IOException {
    private final Digest digest;

    public CorruptBlobException(Digest digest, String message) {
        super(message);
        this.digest = digest;
    }

    /** The digest the blob was read under. */
    public Digest digest() {
        return digest;
    }
}
