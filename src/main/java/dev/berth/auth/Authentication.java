package dev.berth.auth;

import java.time.Duration;
import java.util.Optional;

/** What an {@link Authenticator} made of a request's credentials. */
public sealed interface Authentication {

    /** The credentials are good: the request comes from {@code principal}. */
    record Authenticated(Principal principal) implements Authentication {}

    /**
     * The credentials are of this authenticator's kind but wrong (bad password, malformed, expired).
     *
     * @param reason for the log and the error message; never holds the secret
     * @param error the RFC 6750 error code for the challenge, such as {@code invalid_token}; empty for none
     */
    record Rejected(String reason, Optional<String> error) implements Authentication {
        /** Refused without an error code in the challenge (a wrong password). */
        public Rejected(String reason) {
            this(reason, Optional.empty());
        }
    }

    /**
     * The client address failed to log in too often lately: the login is refused unchecked.
     *
     * @param retryAfter how long until it may try again
     */
    record Throttled(Duration retryAfter) implements Authentication {}

    /**
     * The credentials name nobody: an empty Basic user and password, which containers/image sends after a Basic
     * challenge when it has no login. The caller is anonymous, as without a header.
     */
    record Anonymous() implements Authentication {}

    /** The credentials are of another kind (another scheme); the next authenticator may know them. */
    record NotMine() implements Authentication {}
}
