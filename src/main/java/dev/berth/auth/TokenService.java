package dev.berth.auth;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.auth.token.InvalidTokenException;
import dev.berth.auth.token.IssuedToken;
import dev.berth.auth.token.Jwks;
import dev.berth.auth.token.ResourceScope;
import dev.berth.auth.token.TokenSigner;
import dev.berth.auth.token.TokenVerifier;
import dev.berth.registry.ErrorCode;
import dev.berth.registry.RegistryException;
import dev.berth.registry.RepositoryName;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The token endpoint's logic, apart from HTTP: who asks (Basic login, client certificate, or nobody), and a token
 * granting, for each scope asked for, the intersection of the actions asked for and what the rules allow the
 * caller. Asking for more than one may have is no error: the token grants less. Scopes of unknown types and
 * names that are not repository names are dropped; text that is not a scope at all is refused.
 */
public final class TokenService {
    private static final Logger log = LoggerFactory.getLogger(TokenService.class);

    private final TokenSigner signer;
    private final TokenVerifier refreshVerifier;
    private final String service;
    private final BasicAuthenticator basic;
    private final Groups groups;
    private final Authorizer rules;
    private final boolean anonymousPull;

    /**
     * @param signer signs the tokens
     * @param refreshVerifier checks refresh tokens (Berth's own key and issuer)
     * @param service the audience when a request names no service
     * @param basic checks passwords, throttling failed logins
     * @param groups the configured groups, for certificate users and refresh tokens
     * @param rules what each caller may do
     * @param anonymousPull whether callers without credentials may list the catalog
     */
    public TokenService(TokenSigner signer, TokenVerifier refreshVerifier, String service, BasicAuthenticator basic,
            Groups groups, Authorizer rules, boolean anonymousPull) {
        this.signer = signer;
        this.refreshVerifier = refreshVerifier;
        this.service = service;
        this.basic = basic;
        this.groups = groups;
        this.rules = rules;
        this.anonymousPull = anonymousPull;
    }

    /**
     * A token answer.
     *
     * @param token the access token
     * @param granted the scopes it grants
     * @param refreshToken a refresh token, when one was asked for
     */
    public record Grant(IssuedToken token, List<ResourceScope> granted, Optional<String> refreshToken) {}

    /** The audience of tokens when a request names none. */
    public String service() {
        return service;
    }

    /** The public key tokens are verified with, as a JWKS. */
    public ObjectNode jwks() {
        return Jwks.of(List.of(signer.key().verification()));
    }

    /**
     * {@code GET /token}: the caller is who the {@code Authorization} header (Basic) or else the client certificate
     * names, or the anonymous caller; {@code scopes} are the {@code scope} parameters.
     *
     * @throws RegistryException 401 for wrong credentials, 429 for an address that failed too often, 400 for a
     *     scope that is not one
     */
    public Grant issue(Credentials credentials, Optional<String> requestedService, List<String> scopes) {
        Principal caller = caller(credentials);
        List<ResourceScope> asked = parse(scopes);
        return grant(caller, requestedService.orElse(service), asked, Optional.empty());
    }

    /**
     * {@code POST /token} with {@code grant_type=password}: the user and password of the form; with
     * {@code offline}, a refresh token too.
     */
    public Grant passwordGrant(String user, String password, String clientAddress, Optional<String> requestedService,
            String scope, boolean offline) {
        Principal caller = switch (basic.login(user, password, clientAddress)) {
            case Authentication.Authenticated a -> a.principal();
            case Authentication.Throttled t -> throw EnforcedAccess.tooManyRequests(t.retryAfter());
            case Authentication.Rejected r -> throw badLogin(r.reason());
            case Authentication.Anonymous a -> groups.anonymous();
            case Authentication.NotMine n -> throw badLogin("no credentials");
        };
        String audience = requestedService.orElse(service);
        Optional<String> refresh = offline && !caller.anonymous()
                ? Optional.of(signer.refreshToken(caller.name(), audience)) : Optional.empty();
        return grant(caller, audience, parseList(scope), refresh);
    }

    /** {@code POST /token} with {@code grant_type=refresh_token}: a new access token for the refresh token's user. */
    public Grant refreshGrant(String refreshToken, Optional<String> requestedService, String scope) {
        String audience = requestedService.orElse(service);
        String user;
        try {
            user = refreshVerifier.verifyRefresh(refreshToken, audience);
        } catch (InvalidTokenException e) {
            throw badLogin("refresh token refused: " + e.getMessage());
        }
        if (!basic.exists(user)) {
            throw badLogin("refresh token of user '" + user + "', who is no longer in the htpasswd file");
        }
        return grant(groups.principal(user), audience, parseList(scope), Optional.of(refreshToken));
    }

    private Principal caller(Credentials credentials) {
        if (credentials.authorization().isPresent()) {
            switch (basic.authenticate(credentials.authorization().get(), credentials.clientAddress())) {
                case Authentication.Authenticated a -> {
                    return a.principal();
                }
                case Authentication.Anonymous a -> {
                    return groups.anonymous();
                }
                case Authentication.Throttled t -> throw EnforcedAccess.tooManyRequests(t.retryAfter());
                case Authentication.Rejected r -> throw badLogin(r.reason());
                case Authentication.NotMine n -> throw badLogin("the token endpoint takes Basic credentials");
            }
        }
        return credentials.certificateUser().map(groups::principal).orElseGet(groups::anonymous);
    }

    private Grant grant(Principal caller, String audience, List<ResourceScope> asked, Optional<String> refresh) {
        List<ResourceScope> granted = new ArrayList<>();
        for (ResourceScope scope : asked) {
            grant(caller, scope).ifPresent(granted::add);
        }
        IssuedToken token = signer.issue(caller.anonymous() ? "" : caller.name(), audience, granted);
        log.info("token for {} at {}: asked {}, granted {}", caller, audience, asked, granted);
        return new Grant(token, granted, refresh);
    }

    /** The part of {@code scope} that {@code caller} may have; empty when none of it. */
    private Optional<ResourceScope> grant(Principal caller, ResourceScope scope) {
        if (scope.type().equals("registry") && scope.name().equals("catalog")) {
            boolean may = (!caller.anonymous() || anonymousPull) && scope.actions().contains("*");
            return may ? Optional.of(ResourceScope.CATALOG) : Optional.empty();
        }
        if (!scope.type().equals("repository")) {
            return Optional.empty();
        }
        RepositoryName repository;
        try {
            repository = new RepositoryName(scope.name());
        } catch (RegistryException e) {
            return Optional.empty();
        }
        Set<Action> askedFor = EnumSet.noneOf(Action.class);
        scope.actions().forEach(action -> askedFor.addAll(action.equals("*")
                ? EnumSet.of(Action.PULL, Action.PUSH, Action.DELETE) : TokenGrant.actions(action)));
        askedFor.retainAll(rules.granted(caller, repository));
        if (askedFor.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new ResourceScope("repository", repository.value(),
                askedFor.stream().map(Action::scopeName).toList()));
    }

    private static List<ResourceScope> parse(List<String> scopes) {
        List<ResourceScope> parsed = new ArrayList<>();
        scopes.forEach(scope -> parsed.addAll(parseList(scope)));
        return parsed;
    }

    private static List<ResourceScope> parseList(String scope) {
        try {
            return ResourceScope.parseList(scope == null ? "" : scope);
        } catch (IllegalArgumentException e) {
            throw new InvalidScope(e.getMessage());
        }
    }

    private static RegistryException badLogin(String reason) {
        log.info("token refused: {}", reason);
        return new RegistryException(401, List.of(new RegistryException.RegistryError(ErrorCode.UNAUTHORIZED,
                "authentication failed: " + reason, null)),
                Map.of("WWW-Authenticate", Challenge.basic(BasicAuthenticator.REALM).headerValue()));
    }

    /** A {@code scope} parameter that is not in the scope grammar: answered with 400 {@code invalid_scope}. */
    public static final class InvalidScope extends RuntimeException {
        InvalidScope(String message) {
            super(message);
        }
    }
}
