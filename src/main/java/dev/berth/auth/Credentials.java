package dev.berth.auth;

import java.util.Optional;

/**
 * What a request offers to say who is calling: its {@code Authorization} header, the user named by a verified
 * client certificate, and the address it comes from (for throttling failed logins).
 *
 * @param authorization the {@code Authorization} header value; empty when absent or blank
 * @param certificateUser the CN of a client certificate that the TLS handshake verified; empty without one
 * @param clientAddress the remote address, such as {@code 127.0.0.1}
 */
public record Credentials(Optional<String> authorization, Optional<String> certificateUser, String clientAddress) {
    public Credentials {
        authorization = authorization.filter(a -> !a.isBlank());
    }

    /** Only an {@code Authorization} header (null: none), from an unknown address; for tests and tools. */
    public static Credentials header(String authorization) {
        return new Credentials(Optional.ofNullable(authorization), Optional.empty(), "unknown");
    }
}
