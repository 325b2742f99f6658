package dev.berth.registry;

/**
 * A namespace as one site shows it: clients name its repositories with {@code prefix} in front of their names in
 * the namespace ({@code ""} when the host name chose it, or for the default namespace on the root site).
 *
 * @param site the site the clients reached
 * @param namespace the namespace
 * @param prefix {@code ""}, or a namespace's prefix followed by {@code /}
 */
public record NamespaceView(Site site, Namespace namespace, String prefix) {

    /** The repository {@code name} of this namespace, as clients of this site address it. */
    public RepositoryAddress address(RepositoryName name) {
        return new RepositoryAddress(this, name);
    }
}
