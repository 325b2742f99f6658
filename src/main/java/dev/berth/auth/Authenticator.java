package dev.berth.auth;

import dev.berth.auth.token.ResourceScope;
import dev.berth.registry.Site;
import java.util.List;
import java.util.Optional;

/**
 * Turns a request's {@code Authorization} header into a {@link Principal}, and says how a caller without
 * credentials should authenticate. HTTP Basic is one; the bearer-token authenticator is another.
 */
public interface Authenticator {

    /**
     * What the {@code Authorization} header value (never null or blank) says about the caller; {@code clientAddress}
     * is where the request comes from, for throttling failed logins.
     */
    Authentication authenticate(String authorization, String clientAddress);

    /**
     * The challenge to answer an unauthenticated or refused request to {@code site} with; {@code needed} is the
     * scopes the request wanted (empty for the base endpoint), so a bearer challenge can name them with the site's
     * service, and {@code error} the RFC 6750 error code ({@code invalid_token}, {@code insufficient_scope}) when
     * there is one.
     */
    Challenge challenge(Site site, List<ResourceScope> needed, Optional<String> error);
}
