package dev.berth.auth;

import dev.berth.auth.token.InvalidTokenException;
import dev.berth.auth.token.ResourceScope;
import dev.berth.auth.token.TokenVerifier;
import dev.berth.auth.token.VerifiedToken;
import dev.berth.registry.Site;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Bearer tokens: a valid token makes its subject the caller, holding what the token's {@code access} claim grants;
 * an invalid one (tampered, expired, for another service or issuer) is refused with {@code invalid_token}. Its
 * challenge sends clients to the token endpoint with the scopes the request needed.
 */
public final class BearerAuthenticator implements Authenticator {
    private final TokenVerifier verifier;
    private final Groups groups;
    private final String realm;
    private final SiteServices services;

    /**
     * @param realm the token endpoint's URL, or a path (such as {@code /token}) that the HTTP layer puts under
     *     the URL each request reached
     * @param services the service name each site's challenges carry, which tokens must name as audience
     */
    public BearerAuthenticator(TokenVerifier verifier, Groups groups, String realm, SiteServices services) {
        this.verifier = verifier;
        this.groups = groups;
        this.realm = realm;
        this.services = services;
    }

    @Override
    public Authentication authenticate(String authorization, String clientAddress) {
        String trimmed = authorization.strip();
        int space = trimmed.indexOf(' ');
        if (space < 0 || !trimmed.substring(0, space).toLowerCase(Locale.ROOT).equals("bearer")) {
            return new Authentication.NotMine();
        }
        VerifiedToken token;
        try {
            token = verifier.verify(trimmed.substring(space + 1).strip());
        } catch (InvalidTokenException e) {
            return new Authentication.Rejected("invalid bearer token: " + e.getMessage(), Optional.of("invalid_token"));
        }
        Principal subject = token.subject().isEmpty() ? groups.anonymous() : groups.principal(token.subject());
        return new Authentication.Authenticated(subject.withToken(TokenGrant.of(token.access(), token.audiences())));
    }

    @Override
    public Challenge challenge(Site site, List<ResourceScope> needed, Optional<String> error) {
        return Challenge.bearer(realm, services.of(site), needed, error);
    }
}
