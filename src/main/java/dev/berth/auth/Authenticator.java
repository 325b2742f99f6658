package dev.berth.auth;

import java.util.List;

/**
 * Turns a request's {@code Authorization} header into a {@link Principal}, and says how a caller without
 * credentials should authenticate. HTTP Basic is one; a bearer-token authenticator is another.
 */
public interface Authenticator {

    /** What the {@code Authorization} header value (never null or blank) says about the caller. */
    Authentication authenticate(String authorization);

    /**
     * The challenge to answer an unauthenticated or refused request with; {@code needed} is what the request
     * wanted (empty for the base endpoint or the catalog), so a bearer challenge can name the scope.
     */
    Challenge challenge(List<Access> needed);
}
