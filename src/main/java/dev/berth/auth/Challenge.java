package dev.berth.auth;

import dev.berth.auth.token.ResourceScope;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A {@code WWW-Authenticate} challenge: a scheme and its parameters, such as {@code Basic realm="Berth"} or
 * {@code Bearer realm="https://r/token",service="r",scope="repository:a:pull"}.
 *
 * @param scheme {@code Basic} or {@code Bearer}
 * @param parameters the auth-params, in the order they are written
 */
public record Challenge(String scheme, Map<String, String> parameters) {
    private static final String RELATIVE_BEARER_REALM = "Bearer realm=\"/";

    public Challenge {
        parameters = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }

    /** The HTTP Basic challenge Berth answers with. */
    public static Challenge basic(String realm) {
        return new Challenge("Basic", Map.of("realm", realm));
    }

    /**
     * A bearer challenge as Distribution writes it: realm, service, the scopes (space-separated) when there are
     * any, and the error code when there is one. A realm that is a path (such as {@code /token}) is made absolute
     * by the HTTP layer with {@link #withRealmBase}, which knows the URL the client reached.
     */
    public static Challenge bearer(String realm, String service, List<ResourceScope> scopes, Optional<String> error) {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("realm", realm);
        parameters.put("service", service);
        if (!scopes.isEmpty()) {
            parameters.put("scope", scopes.stream().map(ResourceScope::toString).collect(Collectors.joining(" ")));
        }
        error.ifPresent(e -> parameters.put("error", e));
        return new Challenge("Bearer", parameters);
    }

    /** The header value, each parameter quoted. */
    public String headerValue() {
        if (parameters.isEmpty()) {
            return scheme;
        }
        return scheme + " " + parameters.entrySet().stream()
                .map(e -> e.getKey() + "=\"" + e.getValue().replace("\\", "\\\\").replace("\"", "\\\"") + "\"")
                .collect(Collectors.joining(","));
    }

    /**
     * {@code header} (a {@code WWW-Authenticate} value this class wrote) with a bearer realm that is a path put
     * under {@code base}, such as {@code http://127.0.0.1:5000}; any other header unchanged.
     */
    public static String withRealmBase(String header, String base) {
        if (header.startsWith(RELATIVE_BEARER_REALM)) {
            return "Bearer realm=\"" + base + header.substring("Bearer realm=\"".length());
        }
        return header;
    }
}
