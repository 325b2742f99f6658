package dev.berth.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** Assertions on responses whose failure messages show the whole exchange. */
public final class Expect {
    /** The error codes the OCI distribution spec defines, plus the legacy Docker ones it mentions. */
    public static final Set<String> SPEC_ERROR_CODES = Set.of(
            "BLOB_UNKNOWN", "BLOB_UPLOAD_INVALID", "BLOB_UPLOAD_UNKNOWN", "DIGEST_INVALID",
            "MANIFEST_BLOB_UNKNOWN", "MANIFEST_INVALID", "MANIFEST_UNKNOWN", "NAME_INVALID", "NAME_UNKNOWN",
            "SIZE_INVALID", "UNAUTHORIZED", "DENIED", "UNSUPPORTED", "TOOMANYREQUESTS",
            "TAG_INVALID", "MANIFEST_UNVERIFIED", "PAGINATION_NUMBER_INVALID", "RANGE_INVALID");

    private static final Pattern CODE = Pattern.compile("[A-Z_]+");

    private Expect() {}

    /** Fails unless the response has {@code status}. */
    public static Http.Response status(Http.Response response, int status) {
        if (response.status() != status) {
            throw new AssertionError("expected status " + status + " but got " + response.status() + "\n" + response.describe());
        }
        return response;
    }

    /** Fails unless {@code condition} holds, showing {@code what} and the exchange. */
    public static void that(boolean condition, String what, Http.Response response) {
        if (!condition) {
            throw new AssertionError(what + "\n" + response.describe());
        }
    }

    /** Fails unless header {@code name} is present, and returns its first value. */
    public static String header(Http.Response response, String name) {
        String value = response.header(name);
        that(value != null, "expected a " + name + " header", response);
        return value;
    }

    /** Fails unless header {@code name} equals {@code value}. */
    public static void header(Http.Response response, String name, String value) {
        String actual = header(response, name);
        that(value.equals(actual), "expected " + name + ": " + value + " but got " + actual, response);
    }

    /** Fails unless the body equals {@code expected} byte for byte. */
    public static void body(Http.Response response, byte[] expected) {
        that(Arrays.equals(response.body(), expected),
                "expected a body of " + expected.length + " bytes equal to the content pushed, got " + response.body().length + " bytes",
                response);
    }

    /**
     * Fails unless the response has {@code status} and a well-formed OCI error body whose codes include
     * one of {@code acceptedCodes}; returns the codes found.
     */
    public static List<String> error(Http.Response response, int status, String... acceptedCodes) {
        status(response, status);
        List<String> codes = errorCodes(response);
        if (acceptedCodes.length > 0 && codes.stream().noneMatch(Arrays.asList(acceptedCodes)::contains)) {
            throw new AssertionError("expected an error code among " + Arrays.toString(acceptedCodes) + " but got " + codes
                    + "\n" + response.describe());
        }
        return codes;
    }

    /** Fails unless the body is an OCI error body; returns its codes in order. */
    public static List<String> errorCodes(Http.Response response) {
        that(response.body().length > 0, "expected an OCI error body, got an empty body", response);
        JsonNode root = response.json();
        JsonNode errors = root.get("errors");
        that(errors != null && errors.isArray() && !errors.isEmpty(), "expected a non-empty \"errors\" array", response);
        List<String> codes = new ArrayList<>();
        for (JsonNode error : errors) {
            that(error.isObject(), "each error must be an object", response);
            JsonNode code = error.get("code");
            that(code != null && code.isTextual() && CODE.matcher(code.asText()).matches(),
                    "each error needs a \"code\" of upper-case letters and underscores", response);
            that(SPEC_ERROR_CODES.contains(code.asText()), "error code " + code.asText() + " is not one the spec defines", response);
            JsonNode message = error.get("message");
            that(message == null || message.isTextual(), "\"message\" must be a string when present", response);
            codes.add(code.asText());
        }
        return codes;
    }

    /** Fails unless the response is neither a server error nor a success: bad input must get a 4xx. */
    public static void clientError(Http.Response response) {
        that(response.status() >= 400 && response.status() < 500, "bad input must get a 4xx, got " + response.status(), response);
    }

    /** The tags named by every {@code OCI-Tag} header, allowing comma-joined values. */
    public static Set<String> ociTags(Http.Response response) {
        Set<String> tags = new LinkedHashSet<>();
        for (String value : response.headerValues("OCI-Tag")) {
            for (String part : value.split(",")) {
                if (!part.isBlank()) {
                    tags.add(part.trim());
                }
            }
        }
        return tags;
    }
}
