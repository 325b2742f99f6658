package dev.berth.auth;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A {@code WWW-Authenticate} challenge: a scheme and its parameters, such as {@code Basic realm="Berth"} or
 * {@code Bearer realm="https://r/token",service="r",scope="repository:a:pull"}.
 *
 * @param scheme {@code Basic} or {@code Bearer}
 * @param parameters the auth-params, in the order they are written
 */
public record Challenge(String scheme, Map<String, String> parameters) {
    public Challenge {
        parameters = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }

    /** The HTTP Basic challenge Berth answers with. */
    public static Challenge basic(String realm) {
        return new Challenge("Basic", Map.of("realm", realm));
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
}
