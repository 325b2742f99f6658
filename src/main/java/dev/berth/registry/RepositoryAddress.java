package dev.berth.registry;

/**
 * A repository as a client addressed it, resolved: the namespace its name (and the host name) chose, and its name
 * inside that namespace, which is what the store keys hold. Everything a client sees (locations, listings, error
 * details, token scopes) uses {@link #clientName()}.
 *
 * @param view the namespace, as the site the client reached shows it
 * @param name the repository's name inside the namespace
 */
public record RepositoryAddress(NamespaceView view, RepositoryName name) {

    /** A repository of the default namespace on the root site, where client and stored names are the same. */
    public static RepositoryAddress inDefault(RepositoryName name) {
        return new RepositoryAddress(new NamespaceView(Site.ROOT, Namespace.DEFAULT, ""), name);
    }

    /** The namespace the repository lives in. */
    public Namespace namespace() {
        return view.namespace();
    }

    /** The site the client reached. */
    public Site site() {
        return view.site();
    }

    /** The name the client uses: the view's prefix and the name inside the namespace. */
    public RepositoryName clientName() {
        return view.prefix().isEmpty() ? name : new RepositoryName(view.prefix() + name.value());
    }

    /** Another repository of the same namespace, addressed the same way. */
    public RepositoryAddress sibling(RepositoryName other) {
        return new RepositoryAddress(view, other);
    }

    /** The client's name, as logs and messages show it. */
    @Override
    public String toString() {
        return view.prefix() + name.value();
    }
}
