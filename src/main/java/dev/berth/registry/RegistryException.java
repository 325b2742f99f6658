package dev.berth.registry;

import java.util.List;
import java.util.Map;

/**
 * A request the registry refuses: one or more OCI errors and the HTTP status they are answered with.
 * Thrown by the domain for bad input and missing content; never for a backend failure.
 */
public class RegistryException extends RuntimeException {
    private final int status;
    private final List<RegistryError> errors;
    private final Map<String, String> headers;

    public RegistryException(int status, List<RegistryError> errors, Map<String, String> headers) {
        super(errors.isEmpty() ? "error" : errors.get(0).code() + ": " + errors.get(0).message());
        this.status = status;
        this.errors = List.copyOf(errors);
        this.headers = Map.copyOf(headers);
    }

    public RegistryException(ErrorCode code, String message) {
        this(code.status(), List.of(new RegistryError(code, message, null)), Map.of());
    }

    public RegistryException(ErrorCode code, String message, Object detail) {
        this(code.status(), List.of(new RegistryError(code, message, detail)), Map.of());
    }

    /** The same error answered with another status, such as 413 for an oversized manifest. */
    public static RegistryException withStatus(int status, ErrorCode code, String message) {
        return new RegistryException(status, List.of(new RegistryError(code, message, null)), Map.of());
    }

    /** The HTTP status to answer with. */
    public int status() {
        return status;
    }

    /** The errors for the response body, at least one. */
    public List<RegistryError> errors() {
        return errors;
    }

    /** Extra response headers, such as the current {@code Range} of an upload after a 416. */
    public Map<String, String> headers() {
        return headers;
    }

    /** One entry of an OCI error body. */
    public record RegistryError(ErrorCode code, String message, Object detail) {}
}
