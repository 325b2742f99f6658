package dev.berth.auth;

import dev.berth.registry.RegistryException;
import dev.berth.registry.RepositoryAddress;
import dev.berth.registry.Site;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The authorization hook the HTTP layer calls on every request: who is calling, and may they do what the route
 * needs. Refusals are thrown as {@link RegistryException}s carrying the status, OCI error and challenge header.
 *
 * <p>Decisions never look at the store: whether a repository exists cannot change the answer, so a refusal
 * reveals nothing about repositories the caller cannot read.
 */
public interface AccessControl {

    /**
     * The caller the request's credentials name (none: the anonymous caller); wrong or unknown credentials are
     * refused with 401 {@code UNAUTHORIZED} and a challenge of {@code site}, the site the request reached.
     */
    Principal authenticate(Credentials credentials, Site site);

    /**
     * Passes when {@code caller} may do {@code action} on {@code repository} (in its namespace, named as the
     * client named it on the site it reached); otherwise refuses: 401 with a challenge for the anonymous caller
     * (credentials might help), 403 {@code DENIED} for an authenticated one.
     */
    void require(Principal caller, Action action, RepositoryAddress repository);

    /**
     * Passes for any authenticated caller: the base endpoint {@code /v2/} of {@code site}. The anonymous caller is
     * challenged there even when it may pull, because clients (containers/image, docker) send credentials only to
     * a registry whose base endpoint challenged them; those without credentials carry on anonymously.
     */
    void requireAuthenticated(Principal caller, Site site);

    /**
     * Passes for any authenticated caller, and for the anonymous one when anonymous pull is on: the catalog of
     * {@code site}.
     */
    void requireLogin(Principal caller, Site site);

    /** The repositories {@code caller} may pull: for mounts from them. */
    Predicate<RepositoryAddress> readable(Principal caller);

    /**
     * The repositories the catalog lists for {@code caller}: those its name may pull by the rules (all of them for
     * an admin), whether it came with a token or not.
     */
    default Predicate<RepositoryAddress> listable(Principal caller) {
        return readable(caller);
    }

    /** The token endpoint's service, when Berth issues bearer tokens; empty otherwise. */
    default Optional<TokenService> tokens() {
        return Optional.empty();
    }
}
