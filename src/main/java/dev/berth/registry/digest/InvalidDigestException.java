package dev.berth.registry.digest;

/** A digest string that is malformed or names an unsupported algorithm. */
public class InvalidDigestException extends IllegalArgumentException {
    public InvalidDigestException(String digest, String reason) {
        super("invalid digest '" + digest + "': " + reason);
    }
}
