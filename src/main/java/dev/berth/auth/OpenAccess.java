package dev.berth.auth;

import dev.berth.registry.RepositoryAddress;
import dev.berth.registry.Site;
import java.util.Set;
import java.util.function.Predicate;

/** Access control off (no {@code auth} section): every caller is anonymous and may do everything. */
public final class OpenAccess implements AccessControl {
    private static final Principal ANONYMOUS = new Principal(Principal.ANONYMOUS_NAME, Set.of());

    @Override
    public Principal authenticate(Credentials credentials, Site site) {
        // Credentials are ignored, not checked: clients configured with some must still work against an open registry.
        return ANONYMOUS;
    }

    @Override
    public void require(Principal caller, Action action, RepositoryAddress repository) {
        // everything is allowed
    }

    @Override
    public void requireAuthenticated(Principal caller, Site site) {
        // nobody needs to log in
    }

    @Override
    public void requireLogin(Principal caller, Site site) {
        // everybody may use the registry
    }

    @Override
    public Predicate<RepositoryAddress> readable(Principal caller) {
        return repository -> true;
    }
}
