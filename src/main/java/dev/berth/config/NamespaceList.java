package dev.berth.config;

import dev.berth.config.BerthConfig.NamespaceSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.schema.FailsafeSchema;

/**
 * Reads {@code namespaces}: a YAML list of {@code {name, hosts, prefix, public-url}} maps, from the file or one
 * environment variable, and checks the list as a whole: names, hosts and prefixes are each claimed once.
 */
final class NamespaceList {
    private static final Set<String> FIELDS = Set.of("name", "hosts", "prefix", "public-url");
    /** The grammar of a namespace id, which becomes the first component of every key it stores. */
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");
    /** One component of a repository name, as the distribution spec's grammar writes it. */
    private static final Pattern COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*");
    private static final Pattern HOST_NAME = Pattern.compile("[a-z0-9]([a-z0-9.-]*[a-z0-9])?");
    private static final Pattern IPV6 = Pattern.compile("\\[[0-9a-f:.]+]");

    private NamespaceList() {}

    /** The namespaces written in {@code text}; an IllegalArgumentException names the entry and field at fault. */
    static List<NamespaceSpec> parse(String text) {
        if (text.isBlank()) {
            return List.of();
        }
        Object root;
        try {
            // The failsafe schema keeps every scalar as text, so a prefix such as "007" stays as written.
            root = new Load(LoadSettings.builder().setSchema(new FailsafeSchema()).build()).loadFromString(text);
        } catch (YamlEngineException e) {
            throw new IllegalArgumentException("not a YAML list of namespaces: " + e.getMessage().lines()
                    .findFirst().orElse(""));
        }
        if (!(root instanceof List<?> items)) {
            throw new IllegalArgumentException("expected a list of namespaces such as"
                    + " [{name: team-a, hosts: [a.registry.example.com]}, {name: team-b, prefix: team-b}]");
        }
        List<NamespaceSpec> namespaces = new ArrayList<>();
        Map<String, String> names = new HashMap<>();
        Map<String, String> hosts = new HashMap<>();
        Map<String, String> prefixes = new HashMap<>();
        for (int i = 0; i < items.size(); i++) {
            String where = "namespace " + (i + 1) + ": ";
            if (!(items.get(i) instanceof Map<?, ?> fields)) {
                throw new IllegalArgumentException(where + "expected a map of name, hosts, prefix and public-url");
            }
            NamespaceSpec spec = namespace(where, fields);
            claim(names, spec.name(), spec.name(), where + "name: '" + spec.name() + "' is given to");
            for (String host : spec.hosts()) {
                claim(hosts, host, spec.name(), where + "hosts: '" + host + "' already chooses");
            }
            if (spec.prefix().isPresent()) {
                claim(prefixes, spec.prefix().get(), spec.name(),
                        where + "prefix: '" + spec.prefix().get() + "' already chooses");
            }
            namespaces.add(spec);
        }
        return List.copyOf(namespaces);
    }

    /** {@code namespaces} as flow text that {@link #parse} reads back; empty fields are left out. */
    static String render(List<NamespaceSpec> namespaces) {
        List<String> items = new ArrayList<>();
        for (NamespaceSpec ns : namespaces) {
            Map<String, String> fields = new LinkedHashMap<>();
            fields.put("name", FlowText.scalar(ns.name()));
            if (!ns.hosts().isEmpty()) {
                fields.put("hosts", FlowText.list(ns.hosts()));
            }
            ns.prefix().ifPresent(prefix -> fields.put("prefix", FlowText.scalar(prefix)));
            if (!ns.publicUrl().isEmpty()) {
                fields.put("public-url", FlowText.scalar(ns.publicUrl()));
            }
            items.add(FlowText.map(fields));
        }
        return "[" + String.join(", ", items) + "]";
    }

    /** Records that {@code owner} claims {@code value}, refusing a value another entry claimed first. */
    private static void claim(Map<String, String> claimed, String value, String owner, String message) {
        String earlier = claimed.putIfAbsent(value, owner);
        if (earlier != null) {
            throw new IllegalArgumentException(message + " namespace '" + earlier + "'; each may be claimed once");
        }
    }

    private static NamespaceSpec namespace(String where, Map<?, ?> fields) {
        for (Object name : fields.keySet()) {
            if (!FIELDS.contains(String.valueOf(name))) {
                throw new IllegalArgumentException(where + "unknown field '" + name + "'"
                        + ConfigKeys.didYouMean(String.valueOf(name), FIELDS));
            }
        }
        String name = text(where, fields, "name");
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException(where + "name is required: the namespace's id, such as team-a");
        }
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(where + "name: '" + name + "' is not a namespace id (lower-case"
                    + " letters, digits, _ and -, starting with a letter or digit, at most 63 characters)");
        }
        if (name.equals(BerthConfig.AccessRule.DEFAULT_NAMESPACE)) {
            throw new IllegalArgumentException(where + "name: 'default' is the namespace of every request that"
                    + " no other namespace chooses; give this one another name");
        }
        List<String> hosts = hosts(where, fields.get("hosts"));
        Optional<String> prefix = Optional.ofNullable(text(where, fields, "prefix")).filter(p -> !p.isEmpty());
        if (prefix.isPresent() && !COMPONENT.matcher(prefix.get()).matches()) {
            throw new IllegalArgumentException(where + "prefix: '" + prefix.get() + "' is not one component of a"
                    + " repository name (lower-case letters and digits, joined by ., _, __ or -)");
        }
        if (hosts.isEmpty() && prefix.isEmpty()) {
            throw new IllegalArgumentException(where + "'" + name + "' has neither hosts nor a prefix, so no request"
                    + " could reach it");
        }
        String publicUrl = Optional.ofNullable(text(where, fields, "public-url")).orElse("");
        if (!publicUrl.isEmpty()) {
            if (hosts.isEmpty()) {
                throw new IllegalArgumentException(where + "public-url: only a namespace chosen by hosts has its own"
                        + " URL; one chosen by prefix is reached at the top-level public-url");
            }
            try {
                publicUrl = ConfigKeys.publicUrl(publicUrl);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + "public-url: " + e.getMessage());
            }
        }
        return new NamespaceSpec(name, hosts, prefix, publicUrl);
    }

    /** Host names, lower-cased; a single name alone is taken as a list of one. */
    private static List<String> hosts(String where, Object value) {
        if (value == null) {
            return List.of();
        }
        List<?> items = value instanceof List<?> list ? list : List.of(value);
        List<String> hosts = new ArrayList<>();
        for (Object item : items) {
            String host = item instanceof Map<?, ?> || item instanceof List<?> || item == null
                    ? null : item.toString().toLowerCase(Locale.ROOT);
            if (host == null || !(HOST_NAME.matcher(host).matches() || IPV6.matcher(host).matches())) {
                throw new IllegalArgumentException(where + "hosts: '" + item + "' is not a host name (write it"
                        + " without scheme or port, e.g. a.registry.example.com, 127.0.0.1 or [::1])");
            }
            if (hosts.contains(host)) {
                throw new IllegalArgumentException(where + "hosts: '" + host + "' is listed twice");
            }
            hosts.add(host);
        }
        return List.copyOf(hosts);
    }

    private static String text(String where, Map<?, ?> fields, String name) {
        Object value = fields.get(name);
        if (value instanceof Map<?, ?> || value instanceof List<?>) {
            throw new IllegalArgumentException(where + name + " must be a single value");
        }
        return value == null ? null : value.toString();
    }
}
