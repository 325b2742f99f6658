package dev.berth.config;

import dev.berth.config.BerthConfig.NotificationEndpoint;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.schema.FailsafeSchema;

/**
 * Reads {@code notifications.endpoints}: a YAML list of webhook endpoints in the shape of Distribution's
 * {@code notifications.endpoints} (name, url, headers, timeout, threshold, backoff, ignoredmediatypes, ignore,
 * disabled) with Berth's own fields (max-backoff, queue-size, repositories, actions), from the file or a variable.
 */
final class NotificationEndpoints {
    private static final Set<String> FIELDS = Set.of("name", "url", "headers", "timeout", "threshold", "backoff",
            "max-backoff", "queue-size", "repositories", "actions", "ignoredmediatypes", "ignore", "disabled");
    private static final Set<String> IGNORE_FIELDS = Set.of("mediatypes", "actions");
    /** The actions of Distribution's events, in the order messages list them. */
    static final List<String> ACTIONS = List.of("pull", "push", "mount", "delete");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    /** What a repository glob may hold: name characters, separators and wildcards (as in auth.rules). */
    private static final Pattern GLOB = Pattern.compile("[a-z0-9._*/-]+");
    /** An HTTP header name: RFC 9110's token characters. */
    private static final Pattern HEADER = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

    /** Headers the HTTP client or the envelope itself sets: configuring them would send them twice or not at all. */
    private static final Set<String> RESERVED_HEADERS = Set.of("connection", "content-length", "content-type",
            "expect", "host", "upgrade", "transfer-encoding", "user-agent");

    private NotificationEndpoints() {}

    /** The endpoints written in {@code text}; an IllegalArgumentException names the endpoint and field at fault. */
    static List<NotificationEndpoint> parse(String text) {
        if (text.isBlank()) {
            return List.of();
        }
        Object root;
        try {
            // The failsafe schema keeps every scalar as text, so "010" or "true" reach the checks as written.
            root = new Load(LoadSettings.builder().setSchema(new FailsafeSchema()).build()).loadFromString(text);
        } catch (YamlEngineException e) {
            throw new IllegalArgumentException("not a YAML list of endpoints: " + e.getMessage().lines().findFirst()
                    .orElse(""));
        }
        if (root == null) {
            return List.of();
        }
        if (!(root instanceof List<?> items)) {
            throw new IllegalArgumentException("expected a list of endpoints such as"
                    + " [{name: audit, url: \"https://hooks.example.com/registry\"}]");
        }
        List<NotificationEndpoint> endpoints = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < items.size(); i++) {
            String where = "endpoint " + (i + 1) + ": ";
            if (!(items.get(i) instanceof Map<?, ?> fields)) {
                throw new IllegalArgumentException(where + "expected a map with at least name and url");
            }
            NotificationEndpoint endpoint = endpoint(where, fields);
            if (!names.add(endpoint.name())) {
                throw new IllegalArgumentException(where + "the name '" + endpoint.name() + "' is used twice");
            }
            endpoints.add(endpoint);
        }
        return List.copyOf(endpoints);
    }

    /**
     * {@code endpoints} as flow text that {@link #parse} reads back, every timing written out; with {@code masked},
     * header values and the user info of URLs (both credentials) are written as {@link ConfigKey#REDACTED}.
     */
    static String render(List<NotificationEndpoint> endpoints, boolean masked) {
        List<String> items = new ArrayList<>();
        for (NotificationEndpoint endpoint : endpoints) {
            Map<String, String> fields = new LinkedHashMap<>();
            fields.put("name", FlowText.scalar(endpoint.name()));
            fields.put("url", FlowText.scalar(masked ? ConfigKeys.maskUserInfo(endpoint.url()) : endpoint.url()));
            if (!endpoint.headers().isEmpty()) {
                Map<String, String> headers = new LinkedHashMap<>();
                endpoint.headers().forEach((name, values) -> headers.put(name, FlowText.list(masked
                        ? values.stream().map(v -> ConfigKey.REDACTED).toList() : values)));
                fields.put("headers", FlowText.map(headers));
            }
            fields.put("timeout", Durations.format(endpoint.timeout()));
            fields.put("threshold", Integer.toString(endpoint.threshold()));
            fields.put("backoff", Durations.format(endpoint.backoff()));
            fields.put("max-backoff", Durations.format(endpoint.maxBackoff()));
            fields.put("queue-size", Integer.toString(endpoint.queueSize()));
            if (!endpoint.repositories().isEmpty()) {
                fields.put("repositories", FlowText.list(endpoint.repositories()));
            }
            if (!endpoint.actions().isEmpty()) {
                fields.put("actions", FlowText.list(endpoint.actions()));
            }
            if (!endpoint.ignoredMediaTypes().isEmpty() || !endpoint.ignoredActions().isEmpty()) {
                // ignoredmediatypes and ignore.mediatypes read into one list: written back as the latter alone.
                Map<String, String> ignore = new LinkedHashMap<>();
                if (!endpoint.ignoredMediaTypes().isEmpty()) {
                    ignore.put("mediatypes", FlowText.list(endpoint.ignoredMediaTypes()));
                }
                if (!endpoint.ignoredActions().isEmpty()) {
                    ignore.put("actions", FlowText.list(endpoint.ignoredActions()));
                }
                fields.put("ignore", FlowText.map(ignore));
            }
            fields.put("disabled", Boolean.toString(endpoint.disabled()));
            items.add(FlowText.map(fields));
        }
        return "[" + String.join(", ", items) + "]";
    }

    private static NotificationEndpoint endpoint(String where, Map<?, ?> fields) {
        unknownFields(where, fields, FIELDS);
        String name = text(where, fields, "name");
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(where + "name is required: letters, digits, '.', '_' and '-'");
        }
        String at = "endpoint '" + name + "': ";
        String url = text(at, fields, "url");
        if (url == null || url.isEmpty()) {
            throw new IllegalArgumentException(at + "url is required, e.g. https://hooks.example.com/registry");
        }
        if (!isHttpUrl(url)) {
            throw new IllegalArgumentException(at + "url: '" + url + "' is not an http or https URL");
        }
        NotificationEndpoint defaults = NotificationEndpoint.to(name, url);
        Duration timeout = duration(at, fields, "timeout", defaults.timeout());
        int threshold = count(at, fields, "threshold", defaults.threshold());
        Duration backoff = duration(at, fields, "backoff", defaults.backoff());
        Duration maxBackoff = duration(at, fields, "max-backoff", defaults.maxBackoff().compareTo(backoff) < 0
                ? backoff : defaults.maxBackoff());
        if (maxBackoff.compareTo(backoff) < 0) {
            throw new IllegalArgumentException(at + "max-backoff is shorter than backoff");
        }
        int queueSize = count(at, fields, "queue-size", defaults.queueSize());
        List<String> repositories = list(at + "repositories: ", fields.get("repositories"));
        for (String glob : repositories) {
            if (!GLOB.matcher(glob).matches()) {
                throw new IllegalArgumentException(at + "repositories: '" + glob
                        + "' is not a repository glob (lower-case names, / and the wildcards * and **)");
            }
        }
        List<String> actions = actions(at + "actions: ", fields.get("actions"));
        List<String> ignoredMediaTypes = new ArrayList<>(list(at + "ignoredmediatypes: ",
                fields.get("ignoredmediatypes")));
        List<String> ignoredActions = new ArrayList<>();
        Object ignore = fields.get("ignore");
        if (ignore != null) {
            if (!(ignore instanceof Map<?, ?> ignoreFields)) {
                throw new IllegalArgumentException(at + "ignore: expected a map of mediatypes and actions");
            }
            unknownFields(at + "ignore: ", ignoreFields, IGNORE_FIELDS);
            ignoredMediaTypes.addAll(list(at + "ignore.mediatypes: ", ignoreFields.get("mediatypes")));
            ignoredActions.addAll(actions(at + "ignore.actions: ", ignoreFields.get("actions")));
        }
        boolean disabled = switch (String.valueOf(fields.containsKey("disabled") ? text(at, fields, "disabled")
                : "false")) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(at + "disabled: expected true or false");
        };
        return new NotificationEndpoint(name, url, headers(at, fields.get("headers")), timeout, threshold, backoff,
                maxBackoff, queueSize, repositories, actions, ignoredMediaTypes, ignoredActions, disabled);
    }

    /** An absolute http(s) URL with a host, kept as written: a receiver may care about a trailing slash. */
    private static boolean isHttpUrl(String text) {
        try {
            URI uri = new URI(text);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            return (scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    /** Headers as Distribution writes them ({@code {Authorization: [Bearer x]}}), or with a single value each. */
    private static Map<String, List<String>> headers(String at, Object value) {
        if (value == null) {
            return Map.of();
        }
        if (!(value instanceof Map<?, ?> headers)) {
            throw new IllegalArgumentException(at + "headers: expected a map such as {Authorization: [Bearer T]}");
        }
        Map<String, List<String>> result = new LinkedHashMap<>();
        for (Map.Entry<?, ?> header : headers.entrySet()) {
            String name = String.valueOf(header.getKey());
            if (!HEADER.matcher(name).matches()) {
                throw new IllegalArgumentException(at + "headers: '" + name + "' is not a header name");
            }
            if (RESERVED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException(at + "headers: " + name + " is set by Berth itself");
            }
            List<String> values = list(at + "headers." + name + ": ", header.getValue());
            for (String v : values) {
                if (v.indexOf('\r') >= 0 || v.indexOf('\n') >= 0) {
                    throw new IllegalArgumentException(at + "headers." + name + ": a value may not hold a line break");
                }
            }
            result.put(name, values);
        }
        return result;
    }

    private static List<String> actions(String where, Object value) {
        List<String> actions = list(where, value);
        for (String action : actions) {
            if (!ACTIONS.contains(action)) {
                throw new IllegalArgumentException(where + "'" + action + "' is not one of "
                        + String.join(", ", ACTIONS) + ConfigKeys.didYouMean(action, ACTIONS));
            }
        }
        return actions;
    }

    private static Duration duration(String at, Map<?, ?> fields, String name, Duration fallback) {
        String value = text(at, fields, name);
        if (value == null) {
            return fallback;
        }
        try {
            return ConfigKeys.positive(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(at + name + ": " + e.getMessage());
        }
    }

    private static int count(String at, Map<?, ?> fields, String name, int fallback) {
        String value = text(at, fields, name);
        if (value == null) {
            return fallback;
        }
        try {
            return ConfigKeys.positiveInt(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(at + name + ": " + e.getMessage());
        }
    }

    /** A list of plain values; a single value alone is taken as a list of one, as YAML writers often do. */
    private static List<String> list(String where, Object value) {
        if (value == null) {
            return List.of();
        }
        List<?> items = value instanceof List<?> l ? l : List.of(value);
        List<String> result = new ArrayList<>();
        for (Object item : items) {
            if (item == null || item instanceof Map<?, ?> || item instanceof List<?> || item.toString().isBlank()) {
                throw new IllegalArgumentException(where + "expected plain values, found " + item);
            }
            result.add(item.toString());
        }
        return List.copyOf(result);
    }

    private static String text(String at, Map<?, ?> fields, String name) {
        Object value = fields.get(name);
        if (value instanceof Map<?, ?> || value instanceof List<?>) {
            throw new IllegalArgumentException(at + name + " must be a single value");
        }
        return value == null ? null : value.toString();
    }

    private static void unknownFields(String where, Map<?, ?> fields, Set<String> known) {
        for (Object name : fields.keySet()) {
            if (!known.contains(String.valueOf(name))) {
                throw new IllegalArgumentException(where + "unknown field '" + name + "'"
                        + ConfigKeys.didYouMean(String.valueOf(name), known));
            }
        }
    }
}
