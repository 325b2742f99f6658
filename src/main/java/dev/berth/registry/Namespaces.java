package dev.berth.registry;

import dev.berth.config.BerthConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The namespaces one process serves and how a request reaches each: a host name a namespace claims chooses it
 * (whatever the port); on every other host name (the root site), a repository name whose first component is a
 * namespace's prefix chooses that namespace, and the rest of the name is the repository inside it; everything
 * else is the default namespace. With nothing configured, every request reaches the default namespace, with the
 * repository names clients use.
 *
 * <pre>{@code
 * Namespaces namespaces = Namespaces.of(config.namespaces());
 * Site site = namespaces.site("a.registry.example.com");                    // team-a's site
 * RepositoryAddress app = namespaces.address(Site.ROOT, new RepositoryName("team-b/app"));
 * app.namespace();  // team-b;  app.name(): "app";  app.clientName(): "team-b/app"
 * }</pre>
 */
public final class Namespaces {
    /** The default namespace as the root site shows it: under the names clients use. */
    private static final NamespaceView ROOT_DEFAULT = new NamespaceView(Site.ROOT, Namespace.DEFAULT, "");

    private final List<Namespace> all;
    private final Map<String, Namespace> byHost;
    private final Map<String, Namespace> byPrefix;
    private final Map<Namespace, String> publicUrls;

    private Namespaces(List<Namespace> all, Map<String, Namespace> byHost, Map<String, Namespace> byPrefix,
            Map<Namespace, String> publicUrls) {
        this.all = List.copyOf(all);
        this.byHost = Map.copyOf(byHost);
        this.byPrefix = Map.copyOf(byPrefix);
        this.publicUrls = Map.copyOf(publicUrls);
    }

    /** Only the default namespace. */
    public static Namespaces defaultOnly() {
        return of(List.of());
    }

    /** The default namespace and the configured ones (names, hosts and prefixes are unique, as the loader checked). */
    public static Namespaces of(List<BerthConfig.NamespaceSpec> specs) {
        List<Namespace> all = new ArrayList<>(List.of(Namespace.DEFAULT));
        Map<String, Namespace> byHost = new LinkedHashMap<>();
        Map<String, Namespace> byPrefix = new LinkedHashMap<>();
        Map<Namespace, String> publicUrls = new LinkedHashMap<>();
        for (BerthConfig.NamespaceSpec spec : specs) {
            Namespace ns = new Namespace(spec.name());
            if (all.contains(ns)) {
                throw new IllegalArgumentException("namespace '" + spec.name() + "' is configured twice");
            }
            all.add(ns);
            spec.hosts().forEach(host -> claim(byHost, normalizedHost(host), ns, "host"));
            spec.prefix().ifPresent(prefix -> claim(byPrefix, prefix, ns, "prefix"));
            if (!spec.publicUrl().isEmpty()) {
                publicUrls.put(ns, spec.publicUrl());
            }
        }
        return new Namespaces(all, byHost, byPrefix, publicUrls);
    }

    private static void claim(Map<String, Namespace> claims, String key, Namespace ns, String what) {
        Namespace earlier = claims.putIfAbsent(key, ns);
        if (earlier != null) {
            throw new IllegalArgumentException(what + " '" + key + "' is claimed by namespaces '" + earlier.id()
                    + "' and '" + ns.id() + "'");
        }
    }

    /** The default namespace first, then the configured ones in configuration order. */
    public List<Namespace> all() {
        return all;
    }

    /** The namespace called {@code id}, when this process serves one. */
    public Optional<Namespace> byId(String id) {
        return all.stream().filter(ns -> ns.id().equals(id)).findFirst();
    }

    /** The root site, then the site of each namespace that host names choose. */
    public List<Site> sites() {
        List<Site> sites = new ArrayList<>(List.of(Site.ROOT));
        all.stream().filter(byHost::containsValue).map(Site::of).forEach(sites::add);
        return sites;
    }

    /**
     * The site of a request that reached {@code host} (the host part of its URL or {@code Host} header, without the
     * port; null when the request named none): the root unless a namespace claims the name.
     */
    public Site site(String host) {
        if (host == null || byHost.isEmpty()) {
            return Site.ROOT;
        }
        Namespace ns = byHost.get(normalizedHost(host));
        return ns == null ? Site.ROOT : Site.of(ns);
    }

    /**
     * Where the repository a client calls {@code clientName} on {@code site} lives.
     *
     * @throws RegistryException {@code NAME_INVALID} for a name that is a namespace's prefix alone, which names the
     *     namespace rather than a repository in it
     */
    public RepositoryAddress address(Site site, RepositoryName clientName) {
        if (site.namespace().isPresent()) {
            return new NamespaceView(site, site.namespace().get(), "").address(clientName);
        }
        if (byPrefix.isEmpty()) {
            return ROOT_DEFAULT.address(clientName); // no prefixes: spare every request the lookup
        }
        String value = clientName.value();
        int slash = value.indexOf('/');
        Namespace ns = byPrefix.get(slash < 0 ? value : value.substring(0, slash));
        if (ns == null) {
            return ROOT_DEFAULT.address(clientName);
        }
        if (slash < 0) {
            throw new RegistryException(ErrorCode.NAME_INVALID, "'" + value + "' is the prefix of namespace "
                    + ns.id() + ", not a repository: name one inside it, such as " + value + "/app", value);
        }
        return new NamespaceView(site, ns, value.substring(0, slash + 1))
                .address(new RepositoryName(value.substring(slash + 1)));
    }

    /**
     * The namespaces clients of {@code site} reach, as they see them: the host's namespace alone, or on the root
     * site the default namespace and each namespace chosen by prefix.
     */
    public List<NamespaceView> views(Site site) {
        if (site.namespace().isPresent()) {
            return List.of(new NamespaceView(site, site.namespace().get(), ""));
        }
        List<NamespaceView> views = new ArrayList<>(List.of(new NamespaceView(site, Namespace.DEFAULT, "")));
        byPrefix.forEach((prefix, ns) -> views.add(new NamespaceView(site, ns, prefix + "/")));
        return views;
    }

    /**
     * Whether clients of the address's site reach this repository under its client name: false for a repository of
     * the default namespace whose first component became a namespace's prefix after it was pushed.
     */
    public boolean reachable(RepositoryAddress address) {
        if (!address.site().root() || !address.namespace().equals(Namespace.DEFAULT)) {
            return true;
        }
        String value = address.name().value();
        int slash = value.indexOf('/');
        return !byPrefix.containsKey(slash < 0 ? value : value.substring(0, slash));
    }

    /** The base URL configured for the site of a namespace chosen by host; empty when none is. */
    public Optional<String> publicUrl(Site site) {
        return site.namespace().map(publicUrls::get);
    }

    /** Host names match without regard to case, a trailing dot or IPv6 brackets. */
    private static String normalizedHost(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        return h;
    }
}
