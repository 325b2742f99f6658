package dev.berth.auth;

/** What an {@link Authenticator} made of a request's credentials. */
public sealed interface Authentication {

    /** The credentials are good: the request comes from {@code principal}. */
    record Authenticated(Principal principal) implements Authentication {}

    /**
     * The credentials are of this authenticator's kind but wrong (bad password, malformed, expired).
     *
     * @param reason for the log and the error message; never holds the secret
     */
    record Rejected(String reason) implements Authentication {}

    /**
     * The credentials name nobody: an empty Basic user and password, which containers/image sends after a Basic
     * challenge when it has no login. The caller is anonymous, as without a header.
     */
    record Anonymous() implements Authentication {}

    /** The credentials are of another kind (another scheme); the next authenticator may know them. */
    record NotMine() implements Authentication {}
}
