package dev.berth.auth.token;

/** A bearer token that is refused: malformed, signed by an unknown key or badly, expired, or not for this service. */
public final class InvalidTokenException extends Exception {
    /** Refused for {@code reason}, which names no secret (never the token itself). */
    public InvalidTokenException(String reason) {
        super(reason);
    }
}
