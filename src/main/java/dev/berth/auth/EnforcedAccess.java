package dev.berth.auth;

import dev.berth.auth.token.JwsAlgorithm;
import dev.berth.auth.token.KeySet;
import dev.berth.auth.token.PrivateKeyPem;
import dev.berth.auth.token.RemoteJwks;
import dev.berth.auth.token.ResourceScope;
import dev.berth.auth.token.SigningKey;
import dev.berth.auth.token.StoredSigningKey;
import dev.berth.auth.token.TokenSigner;
import dev.berth.auth.token.TokenVerifier;
import dev.berth.config.BerthConfig;
import dev.berth.config.LoggedUrls;
import dev.berth.registry.ErrorCode;
import dev.berth.registry.Namespace;
import dev.berth.registry.Namespaces;
import dev.berth.registry.RegistryException;
import dev.berth.registry.RepositoryAddress;
import dev.berth.registry.Site;
import dev.berth.storage.ObjectStore;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Access control on (an {@code auth} section): authenticators turn credentials into a principal, an
 * {@link Authorizer} decides, and the first authenticator's challenge answers those who must log in. A caller with
 * a bearer token may do what its token grants, plus what the anonymous caller may do.
 */
public final class EnforcedAccess implements AccessControl {
    private static final Logger log = LoggerFactory.getLogger(EnforcedAccess.class);
    /** The realm of a bearer challenge when none is configured: put under the URL each request reached. */
    static final String DEFAULT_REALM_PATH = "/token";

    private final List<Authenticator> authenticators;
    private final Authorizer authorizer;
    private final Principal anonymous;
    private final Groups groups;
    private final boolean anonymousPull;
    private final SiteServices services;
    private final Optional<TokenService> tokens;

    /**
     * Authenticators in the order they are tried; the first one's challenge is the one sent. A bearer token counts
     * on the sites whose service (from {@code services}) it names as audience.
     */
    public EnforcedAccess(List<Authenticator> authenticators, Authorizer authorizer, Groups groups,
            boolean anonymousPull, SiteServices services) {
        this(authenticators, authorizer, groups, anonymousPull, services, Optional.empty());
    }

    /** As above, with the token endpoint's service when Berth issues tokens. */
    public EnforcedAccess(List<Authenticator> authenticators, Authorizer authorizer, Groups groups,
            boolean anonymousPull, SiteServices services, Optional<TokenService> tokens) {
        if (authenticators.isEmpty()) {
            throw new IllegalArgumentException("at least one authenticator is needed");
        }
        this.authenticators = List.copyOf(authenticators);
        this.authorizer = authorizer;
        this.anonymous = groups.anonymous();
        this.groups = groups;
        this.anonymousPull = anonymousPull;
        this.services = services;
        this.tokens = tokens;
    }

    /**
     * Basic authentication against the section's htpasswd file (none: nobody can log in) and its rules; with
     * tokens on, bearer tokens first, signed by the configured key or by the one kept in {@code store}, or by an
     * external issuer's JWKS. Tokens name the service of the site they are for: one per namespace chosen by host
     * name, and the configured service for every other host.
     *
     * @param publicUrl the configured public URL ({@code ""}: none), for the default realm
     * @param namespaces the namespaces served, whose sites have services of their own
     */
    public static EnforcedAccess from(BerthConfig.Auth auth, String publicUrl, ObjectStore store, Clock clock,
            Namespaces namespaces) {
        Groups groups = new Groups(auth.groups());
        boolean externalIssuer = auth.token().enabled() && !auth.token().jwks().isEmpty();
        if (auth.htpasswd().isEmpty() && !externalIssuer) {
            log.warn("auth.htpasswd is not set: no user can log in; only what anonymous may do is allowed");
        }
        Optional<HtpasswdFile> users = auth.htpasswd().map(HtpasswdFile::new);
        BasicAuthenticator basic = new BasicAuthenticator(users, groups, new LoginThrottle(auth.loginLimit(), clock));
        AccessRules rules = new AccessRules(auth, groups);
        BerthConfig.Token token = auth.token();
        SiteServices services = new SiteServices(token.service(), namespaces);
        if (!token.enabled()) {
            return new EnforcedAccess(List.of(basic), rules, groups, auth.anonymousPull(), services);
        }
        String realm = !token.realm().isEmpty() ? token.realm()
                : publicUrl.isEmpty() ? DEFAULT_REALM_PATH : publicUrl.replaceAll("/+$", "") + DEFAULT_REALM_PATH;
        if (token.expiry().compareTo(Duration.ofSeconds(60)) < 0) {
            log.warn("auth.token.expiry is {}: clients take every token to be valid for at least 60s, and fail"
                    + " when it expires sooner", token.expiry());
        }
        if (!token.jwks().isEmpty()) {
            KeySet keys = new RemoteJwks(URI.create(token.jwks()), clock);
            TokenVerifier verifier = new TokenVerifier(token.issuer(), services.all(), keys, clock);
            log.info("bearer tokens of issuer '{}' for services {} accepted, keys from {}; clients get them at {}",
                    token.issuer(), services.all(), LoggedUrls.of(token.jwks()), LoggedUrls.of(realm));
            return new EnforcedAccess(List.of(new BearerAuthenticator(verifier, groups, realm, services), basic),
                    rules, groups, auth.anonymousPull(), services);
        }
        SigningKey key = token.key().map(EnforcedAccess::readKey)
                .orElseGet(() -> StoredSigningKey.loadOrCreate(store, Namespace.DEFAULT,
                        JwsAlgorithm.of(token.algorithm())));
        KeySet keys = KeySet.of(List.of(key.verification()));
        TokenVerifier verifier = new TokenVerifier(token.issuer(), services.all(), keys, clock);
        TokenSigner signer = new TokenSigner(token.issuer(), key, token.expiry(), clock);
        TokenService service = new TokenService(signer, verifier, services, namespaces, basic, groups, rules,
                auth.anonymousPull());
        log.info("bearer tokens issued at {} for services {} by issuer '{}', signed {} with key {}", LoggedUrls.of(realm),
                services.all(), token.issuer(), key.algorithm().jwsName(), key.kid());
        return new EnforcedAccess(List.of(new BearerAuthenticator(verifier, groups, realm, services), basic),
                rules, groups, auth.anonymousPull(), services, Optional.of(service));
    }

    private static SigningKey readKey(java.nio.file.Path file) {
        try {
            return PrivateKeyPem.parse(Files.readString(file));
        } catch (IOException e) {
            throw new IllegalStateException("auth.token.key: cannot read " + file + ": " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("auth.token.key: " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<TokenService> tokens() {
        return tokens;
    }

    @Override
    public Principal authenticate(Credentials credentials, Site site) {
        if (credentials.authorization().isEmpty()) {
            return withoutAuthorization(credentials);
        }
        String authorization = credentials.authorization().get();
        for (Authenticator authenticator : authenticators) {
            switch (authenticator.authenticate(authorization, credentials.clientAddress())) {
                case Authentication.Authenticated a -> {
                    return a.principal();
                }
                case Authentication.Rejected r -> {
                    log.info("login refused from {}: {}", credentials.clientAddress(), r.reason());
                    throw unauthorized(site, "authentication failed: " + r.reason(), List.of(), r.error());
                }
                case Authentication.Throttled t -> {
                    log.info("login refused from {}: too many failed logins", credentials.clientAddress());
                    throw tooManyRequests(t.retryAfter());
                }
                case Authentication.Anonymous a -> {
                    return withoutAuthorization(credentials);
                }
                case Authentication.NotMine n -> { }
            }
        }
        throw unauthorized(site, "unsupported authorization scheme", List.of(), Optional.empty());
    }

    /**
     * A caller that sent no credentials (no header, or an empty Basic login): the user of its verified client
     * certificate when it has one, else the anonymous caller.
     */
    private Principal withoutAuthorization(Credentials credentials) {
        return credentials.certificateUser().map(groups::principal).orElse(anonymous);
    }

    @Override
    public void require(Principal caller, Action action, RepositoryAddress repository) {
        if (allows(caller, action, repository)) {
            return;
        }
        // Scopes and details name the repository as the client did; the token endpoint maps that name back.
        Access access = new Access(repository.clientName(), action);
        Site site = repository.site();
        if (caller.bearer()) {
            // A token without the scope: the client may get one with it, so challenge (Distribution answers so).
            throw unauthorized(site, "the token does not grant " + access.scope(), Access.scopes(List.of(access)),
                    List.of(access), Optional.of("insufficient_scope"));
        }
        if (caller.anonymous()) {
            throw unauthorized(site, "authentication required", Access.scopes(List.of(access)), List.of(access),
                    Optional.empty());
        }
        // The same answer whether or not the repository exists: the decision above never looked at the store.
        throw new RegistryException(403, List.of(new RegistryException.RegistryError(ErrorCode.DENIED,
                "requested access to the resource is denied", details(List.of(access)))), Map.of());
    }

    /**
     * What the token grants a bearer caller on the site it is for, plus what anonymous may do; the rules for
     * anyone else.
     */
    private boolean allows(Principal caller, Action action, RepositoryAddress repository) {
        if (caller.token().isPresent()) {
            return caller.token().get().allows(services.of(repository.site()), action, repository.clientName())
                    || authorizer.allows(anonymous, action, repository);
        }
        return authorizer.allows(caller, action, repository);
    }

    @Override
    public void requireAuthenticated(Principal caller, Site site) {
        if (caller.anonymous() && !caller.bearer()) {
            throw unauthorized(site, "authentication required", List.of(), Optional.empty());
        }
    }

    @Override
    public void requireLogin(Principal caller, Site site) {
        if (caller.token().isPresent()) {
            if (!caller.token().get().catalog(services.of(site)) && !anonymousPull) {
                throw unauthorized(site, "the token does not grant " + ResourceScope.CATALOG,
                        List.of(ResourceScope.CATALOG), List.of(), Optional.of("insufficient_scope"));
            }
            return;
        }
        if (caller.anonymous() && !anonymousPull) {
            throw unauthorized(site, "authentication required", List.of(ResourceScope.CATALOG), List.of(),
                    Optional.empty());
        }
    }

    @Override
    public Predicate<RepositoryAddress> readable(Principal caller) {
        return repository -> allows(caller, Action.PULL, repository);
    }

    @Override
    public Predicate<RepositoryAddress> listable(Principal caller) {
        // The catalog follows the rules for the caller's name, token or not: a token grants the catalog, not
        // each repository in it.
        return repository -> authorizer.allows(caller, Action.PULL, repository);
    }

    private RegistryException unauthorized(Site site, String message, List<ResourceScope> scopes,
            Optional<String> error) {
        return unauthorized(site, message, scopes, List.of(), error);
    }

    private RegistryException unauthorized(Site site, String message, List<ResourceScope> scopes,
            List<Access> needed, Optional<String> error) {
        Challenge challenge = authenticators.get(0).challenge(site, scopes, error);
        return new RegistryException(401, List.of(new RegistryException.RegistryError(ErrorCode.UNAUTHORIZED,
                message, needed.isEmpty() ? null : details(needed))),
                Map.of("WWW-Authenticate", challenge.headerValue()));
    }

    /** 429 {@code TOOMANYREQUESTS} with {@code Retry-After} in whole seconds. */
    static RegistryException tooManyRequests(Duration retryAfter) {
        return new RegistryException(429, List.of(new RegistryException.RegistryError(ErrorCode.TOOMANYREQUESTS,
                "too many failed logins from this address; try again in " + retryAfter.toSeconds() + "s", null)),
                Map.of("Retry-After", Long.toString(retryAfter.toSeconds())));
    }

    /** The detail Distribution gives: each access the request needed. */
    private static List<Map<String, String>> details(List<Access> needed) {
        List<Map<String, String>> details = new ArrayList<>();
        for (Access access : needed) {
            Map<String, String> detail = new LinkedHashMap<>();
            detail.put("Type", "repository");
            detail.put("Name", access.repository().value());
            detail.put("Action", access.action().scopeName());
            details.add(detail);
        }
        return details;
    }
}
