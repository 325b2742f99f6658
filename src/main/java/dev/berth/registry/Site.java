package dev.berth.registry;

import java.util.Optional;

/**
 * What clients reach under one host name: a namespace that the host name chooses, or the root, where the default
 * namespace and every namespace chosen by a repository-name prefix are served side by side.
 *
 * @param namespace the namespace the host name chooses; empty for the root
 */
public record Site(Optional<Namespace> namespace) {
    /** Every host name that no namespace claims. */
    public static final Site ROOT = new Site(Optional.empty());

    /** The site of a namespace chosen by host name. */
    public static Site of(Namespace namespace) {
        return new Site(Optional.of(namespace));
    }

    /** True for the root site. */
    public boolean root() {
        return namespace.isEmpty();
    }

    @Override
    public String toString() {
        return namespace.map(ns -> "site of namespace " + ns.id()).orElse("root site");
    }
}
