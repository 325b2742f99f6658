package dev.berth.registry;

import dev.berth.registry.digest.Digest;
import java.io.IOException;

/**
 * A blob read whose bytes turned out not to hash to the blob's digest. It is thrown instead of returning the last
 * bytes of the blob, so a reader that passes bytes on as they come never delivers the whole of a wrong blob.
 */
public final class CorruptBlobException extends IOException {
    private final Digest digest;
    private final Digest actual;

    public CorruptBlobException(Digest digest, Digest actual, String message) {
        super(message);
        this.digest = digest;
        this.actual = actual;
    }

    /** The digest the blob was read under. */
    public Digest digest() {
        return digest;
    }

    /** What the bytes read hashed to. */
    public Digest actual() {
        return actual;
    }
}
