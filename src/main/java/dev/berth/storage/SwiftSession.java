package dev.berth.storage;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;

/**
 * A Swift token and the account URL it is valid for.
 *
 * @param token the value for {@code X-Auth-Token}
 * @param storageUrl the account URL, such as {@code http://127.0.0.1:8080/v1/AUTH_test}, without a trailing slash
 * @param renewAt when to authenticate again before sending (the token expires a little later); null when the auth
 *     did not say when the token expires, and only a 401 renews it
 */
record SwiftSession(String token, URI storageUrl, Instant renewAt) {
    /** The most a session is renewed ahead of its expiry: a request needs the token valid when it arrives. */
    static final Duration RENEWAL_MARGIN = Duration.ofMinutes(5);

    SwiftSession {
        String url = storageUrl.toString();
        if (url.endsWith("/")) {
            storageUrl = URI.create(url.substring(0, url.length() - 1));
        }
    }

    /** A session renewed only when Swift refuses its token. */
    SwiftSession(String token, URI storageUrl) {
        this(token, storageUrl, null);
    }

    /**
     * When to renew a token valid for {@code lifetime} from now: {@link #RENEWAL_MARGIN} before it expires, or
     * halfway for a short-lived token, so that a fresh token is never already due.
     */
    static Instant renewalFor(Duration lifetime) {
        Duration half = lifetime.dividedBy(2);
        Duration margin = half.compareTo(RENEWAL_MARGIN) < 0 ? half : RENEWAL_MARGIN;
        return Instant.now().plus(lifetime).minus(margin);
    }

    /** Whether the token should be replaced before the next request. */
    boolean due(Instant now) {
        return renewAt != null && !now.isBefore(renewAt);
    }
}
