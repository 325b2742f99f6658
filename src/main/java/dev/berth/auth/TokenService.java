package dev.berth.auth;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.auth.token.InvalidTokenException;
import dev.berth.auth.token.IssuedToken;
import dev.berth.auth.token.Jwks;
import dev.berth.auth.token.ResourceScope;
import dev.berth.auth.token.TokenSigner;
import dev.berth.auth.token.TokenVerifier;
import dev.berth.registry.ErrorCode;
import dev.berth.registry.Namespaces;
import dev.berth.registry.RegistryException;
import dev.berth.registry.RepositoryAddress;
import dev.berth.registry.RepositoryName;
import dev.berth.registry.Site;
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
 *
 * <p>A token is for one site: the one whose service the request names, else the one whose host name the token
 * request reached. A scope's repository name is read as clients of that site name repositories, so it maps to a
 * namespace and a repository in it exactly as a registry request to that site would, and the rules of that
 * namespace decide.
 */
public final class TokenService {
    private static final Logger log = LoggerFactory.getLogger(TokenService.class);

    private final TokenSigner signer;
    private final TokenVerifier refreshVerifier;
    private final SiteServices services;
    private final Namespaces namespaces;
    private final BasicAuthenticator basic;
    private final Groups groups;
    private final Authorizer rules;
    private final boolean anonymousPull;

    /**
     * @param signer signs the tokens
     * @param refreshVerifier checks refresh tokens (Berth's own key and issuer)
     * @param services the service of each site: the audience when a request names no service
     * @param namespaces how a site's repository names map to namespaces
     * @param basic checks passwords, throttling failed logins
     * @param groups the configured groups, for certificate users and refresh tokens
     * @param rules what each caller may do
     * @param anonymousPull whether callers without credentials may list the catalog
     */
    public TokenService(TokenSigner signer, TokenVerifier refreshVerifier, SiteServices services,
            Namespaces namespaces, BasicAuthenticator basic, Groups groups, Authorizer rules, boolean anonymousPull) {
        this.signer = signer;
        this.refreshVerifier = refreshVerifier;
        this.services = services;
        this.namespaces = namespaces;
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

    /** The audience of tokens when a request to the root site names none. */
    public String service() {
        return services.of(Site.ROOT);
    }

    /**
     * Which site a token request is for: the one whose service it names, else the one whose host name it reached
     * ({@code host}, without port; null: none); and the token's audience, which is the service named, if any.
     */
    private Target target(Optional<String> requestedService, String host) {
        Site site = requestedService.flatMap(services::site).orElseGet(() -> namespaces.site(host));
        return new Target(site, requestedService.orElseGet(() -> services.of(site)));
    }

    /** The site a token is for, and the audience it names. */
    private record Target(Site site, String audience) {}

    /** The public key tokens are verified with, as a JWKS. */
    public ObjectNode jwks() {
        return Jwks.of(List.of(signer.key().verification()));
    }

    /**
     * {@code GET /token}: the caller is who the {@code Authorization} header (Basic) or else the client certificate
     * names, or the anonymous caller; {@code scopes} are the {@code scope} parameters; {@code host} is the host
     * name the request reached.
     *
     * @throws RegistryException 401 for wrong credentials, 429 for an address that failed too often, 400 for a
     *     scope that is not one
     */
    public Grant issue(Credentials credentials, Optional<String> requestedService, String host, List<String> scopes) {
        Principal caller = caller(credentials);
        List<ResourceScope> asked = parse(scopes);
        return grant(caller, target(requestedService, host), asked, Optional.empty());
    }

    /**
     * {@code POST /token} with {@code grant_type=password}: the user and password of the form; with
     * {@code offline}, a refresh token too.
     */
    public Grant passwordGrant(String user, String password, String clientAddress, Optional<String> requestedService,
            String host, String scope, boolean offline) {
        Principal caller = switch (basic.login(user, password, clientAddress)) {
            case Authentication.Authenticated a -> a.principal();
            case Authentication.Throttled t -> throw EnforcedAccess.tooManyRequests(t.retryAfter());
            case Authentication.Rejected r -> throw badLogin(r.reason());
            case Authentication.Anonymous a -> groups.anonymous();
            case Authentication.NotMine n -> throw badLogin("no credentials");
        };
        Target target = target(requestedService, host);
        Optional<String> refresh = offline && !caller.anonymous()
                ? Optional.of(signer.refreshToken(caller.name(), target.audience())) : Optional.empty();
        return grant(caller, target, parseList(scope), refresh);
    }

    /** {@code POST /token} with {@code grant_type=refresh_token}: a new access token for the refresh token's user. */
    public Grant refreshGrant(String refreshToken, Optional<String> requestedService, String host, String scope) {
        Target target = target(requestedService, host);
        String user;
        try {
            user = refreshVerifier.verifyRefresh(refreshToken, target.audience());
        } catch (InvalidTokenException e) {
            throw badLogin("refresh token refused: " + e.getMessage());
        }
        if (!basic.exists(user)) {
            throw badLogin("refresh token of user '" + user + "', who is no longer in the htpasswd file");
        }
        return grant(groups.principal(user), target, parseList(scope), Optional.of(refreshToken));
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

    private Grant grant(Principal caller, Target target, List<ResourceScope> asked, Optional<String> refresh) {
        List<ResourceScope> granted = new ArrayList<>();
        for (ResourceScope scope : asked) {
            grant(caller, target.site(), scope).ifPresent(granted::add);
        }
        IssuedToken token = signer.issue(caller.anonymous() ? "" : caller.name(), target.audience(), granted);
        log.info("token for {} at {}: asked {}, granted {}", caller, target.audience(), asked, granted);
        return new Grant(token, granted, refresh);
    }

    /** The part of {@code scope} that {@code caller} may have on {@code site}; empty when none of it. */
    private Optional<ResourceScope> grant(Principal caller, Site site, ResourceScope scope) {
        if (scope.type().equals("registry") && scope.name().equals("catalog")) {
            boolean may = (!caller.anonymous() || anonymousPull) && scope.actions().contains("*");
            return may ? Optional.of(ResourceScope.CATALOG) : Optional.empty();
        }
        if (!scope.type().equals("repository")) {
            return Optional.empty();
        }
        RepositoryAddress repository;
        try {
            repository = namespaces.address(site, new RepositoryName(scope.name()));
        } catch (RegistryException notARepository) {
            return Optional.empty();
        }
        Set<Action> askedFor = EnumSet.noneOf(Action.class);
        scope.actions().forEach(action -> askedFor.addAll(action.equals("*")
                ? EnumSet.of(Action.PULL, Action.PUSH, Action.DELETE) : TokenGrant.actions(action)));
        askedFor.retainAll(rules.granted(caller, repository));
        if (askedFor.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new ResourceScope("repository", scope.name(),
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
