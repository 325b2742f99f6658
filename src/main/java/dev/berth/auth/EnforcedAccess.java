package dev.berth.auth;

import dev.berth.config.BerthConfig;
import dev.berth.registry.ErrorCode;
import dev.berth.registry.RegistryException;
import dev.berth.registry.RepositoryName;
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
 * {@link Authorizer} decides, and the first authenticator's challenge answers those who must log in.
 */
public final class EnforcedAccess implements AccessControl {
    private static final Logger log = LoggerFactory.getLogger(EnforcedAccess.class);

    private final List<Authenticator> authenticators;
    private final Authorizer authorizer;
    private final Principal anonymous;
    private final Groups groups;
    private final boolean anonymousPull;

    /** Authenticators in the order they are tried; the first one's challenge is the one sent. */
    public EnforcedAccess(List<Authenticator> authenticators, Authorizer authorizer, Groups groups,
            boolean anonymousPull) {
        if (authenticators.isEmpty()) {
            throw new IllegalArgumentException("at least one authenticator is needed");
        }
        this.authenticators = List.copyOf(authenticators);
        this.authorizer = authorizer;
        this.anonymous = groups.anonymous();
        this.groups = groups;
        this.anonymousPull = anonymousPull;
    }

    /** Basic authentication against the section's htpasswd file (none: nobody can log in) and its rules. */
    public static EnforcedAccess from(BerthConfig.Auth auth) {
        Groups groups = new Groups(auth.groups());
        if (auth.htpasswd().isEmpty()) {
            log.warn("auth.htpasswd is not set: no user can log in; only what anonymous may do is allowed");
        }
        if (auth.token().enabled()) {
            log.warn("auth.token.enabled is set, but this version of Berth serves no tokens yet: Basic only");
        }
        Optional<HtpasswdFile> users = auth.htpasswd().map(HtpasswdFile::new);
        return new EnforcedAccess(List.of(new BasicAuthenticator(users, groups)), new AccessRules(auth, groups),
                groups, auth.anonymousPull());
    }

    @Override
    public Principal authenticate(Credentials credentials) {
        if (credentials.authorization().isEmpty()) {
            return withoutAuthorization(credentials);
        }
        String authorization = credentials.authorization().get();
        for (Authenticator authenticator : authenticators) {
            switch (authenticator.authenticate(authorization)) {
                case Authentication.Authenticated a -> {
                    return a.principal();
                }
                case Authentication.Rejected r -> {
                    log.info("login refused: {}", r.reason());
                    throw unauthorized("authentication failed: " + r.reason(), List.of());
                }
                case Authentication.Anonymous a -> {
                    return withoutAuthorization(credentials);
                }
                case Authentication.NotMine n -> { }
            }
        }
        throw unauthorized("unsupported authorization scheme", List.of());
    }

    /**
     * A caller that sent no credentials (no header, or an empty Basic login): the user of its verified client
     * certificate when it has one, else the anonymous caller.
     */
    private Principal withoutAuthorization(Credentials credentials) {
        return credentials.certificateUser().map(groups::principal).orElse(anonymous);
    }

    @Override
    public void require(Principal caller, Action action, RepositoryName repository) {
        if (authorizer.allows(caller, action, repository)) {
            return;
        }
        Access access = new Access(repository, action);
        if (caller.anonymous()) {
            throw unauthorized("authentication required", List.of(access));
        }
        // The same answer whether or not the repository exists: the decision above never looked at the store.
        throw new RegistryException(403, List.of(new RegistryException.RegistryError(ErrorCode.DENIED,
                "requested access to the resource is denied", details(List.of(access)))), Map.of());
    }

    @Override
    public void requireAuthenticated(Principal caller) {
        if (caller.anonymous()) {
            throw unauthorized("authentication required", List.of());
        }
    }

    @Override
    public void requireLogin(Principal caller) {
        if (caller.anonymous() && !anonymousPull) {
            throw unauthorized("authentication required", List.of());
        }
    }

    @Override
    public Predicate<RepositoryName> readable(Principal caller) {
        return repository -> authorizer.allows(caller, Action.PULL, repository);
    }

    private RegistryException unauthorized(String message, List<Access> needed) {
        Challenge challenge = authenticators.get(0).challenge(needed);
        return new RegistryException(401, List.of(new RegistryException.RegistryError(ErrorCode.UNAUTHORIZED,
                message, needed.isEmpty() ? null : details(needed))),
                Map.of("WWW-Authenticate", challenge.headerValue()));
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
