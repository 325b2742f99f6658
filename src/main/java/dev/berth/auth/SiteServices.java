package dev.berth.auth;

import dev.berth.registry.Namespaces;
import dev.berth.registry.Site;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The service name of each site: what its bearer challenges name, and the audience a token must name to be
 * accepted there. The root site's is {@code auth.token.service}; a namespace chosen by host name has
 * {@code SERVICE/NAMESPACE}. A token is so good on one site only, and a repository name in it means the same
 * repository as on that site.
 */
public final class SiteServices {
    private final Map<String, Site> sites = new LinkedHashMap<>();
    private final String root;

    /** The services of every site of {@code namespaces}, the root one being {@code rootService}. */
    public SiteServices(String rootService, Namespaces namespaces) {
        this.root = rootService;
        for (Site site : namespaces.sites()) {
            sites.put(of(site), site);
        }
    }

    /** The service of {@code site}. */
    public String of(Site site) {
        return site.namespace().map(ns -> root + "/" + ns.id()).orElse(root);
    }

    /** The site whose service is {@code service}, when there is one. */
    public Optional<Site> site(String service) {
        return Optional.ofNullable(sites.get(service));
    }

    /** Every site's service: the audiences a token may name. */
    public Set<String> all() {
        return Set.copyOf(sites.keySet());
    }
}
