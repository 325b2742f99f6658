package dev.berth.storage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * Keystone v3 password auth scoped to a project: {@code POST <auth-url>/auth/tokens}; the token comes back in
 * {@code X-Subject-Token} and the account URL is the catalog's public {@code object-store} endpoint in the region.
 *
 * @param authUrl the identity endpoint ending in {@code /v3}
 * @param region the endpoint's region; empty takes the first public object-store endpoint
 */
record KeystoneV3Auth(URI authUrl, String user, String password, String project, String domain, String region,
        Duration timeout) implements SwiftAuth {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public SwiftSession authenticate(HttpClient http) {
        URI tokens = URI.create(authUrl.toString().replaceAll("/+$", "") + "/auth/tokens");
        HttpRequest request = HttpRequest.newBuilder(tokens)
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(requestBody()))
                .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new StorageException("Keystone auth at " + tokens + " as " + user + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException("interrupted during Keystone auth at " + tokens, e);
        }
        if (response.statusCode() != 201 && response.statusCode() != 200) {
            // Keystone's error message, never the request: that holds the password.
            throw new StorageException("Keystone at " + tokens + " refused user " + user + " (domain " + domain
                    + ", project " + project + "): " + response.statusCode() + " " + errorMessage(response.body()));
        }
        String token = response.headers().firstValue("X-Subject-Token")
                .orElseThrow(() -> new StorageException("Keystone at " + tokens + " returned no X-Subject-Token"));
        JsonNode body;
        try {
            body = JSON.readTree(response.body());
        } catch (IOException e) {
            throw new StorageException("Keystone at " + tokens + " returned an unreadable token: " + e, e);
        }
        return new SwiftSession(token, objectStoreEndpoint(body), renewal(body.path("token")));
    }

    /**
     * When to renew the token: from its lifetime as Keystone states it (expires_at - issued_at), counted from now,
     * so a clock that differs from Keystone's does not matter. Null when Keystone says neither.
     */
    private static Instant renewal(JsonNode token) {
        try {
            Instant issued = Instant.parse(token.path("issued_at").asText());
            Instant expires = Instant.parse(token.path("expires_at").asText());
            Duration lifetime = Duration.between(issued, expires);
            return lifetime.isNegative() || lifetime.isZero() ? null : SwiftSession.renewalFor(lifetime);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** The {@code error.message} of a Keystone error body, else the start of the body. */
    private static String errorMessage(String body) {
        try {
            String message = JSON.readTree(body).path("error").path("message").asText("");
            if (!message.isEmpty()) {
                return message;
            }
        } catch (IOException e) {
            // not JSON: shown as it came
        }
        return body.length() > 200 ? body.substring(0, 200) + "..." : body;
    }

    private String requestBody() {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode auth = root.putObject("auth");
        ObjectNode identity = auth.putObject("identity");
        identity.putArray("methods").add("password");
        ObjectNode userNode = identity.putObject("password").putObject("user");
        userNode.put("name", user);
        userNode.putObject("domain").put("name", domain);
        userNode.put("password", password);
        ObjectNode projectNode = auth.putObject("scope").putObject("project");
        projectNode.put("name", project);
        projectNode.putObject("domain").put("name", domain);
        return root.toString();
    }

    private URI objectStoreEndpoint(JsonNode body) {
        for (JsonNode service : body.path("token").path("catalog")) {
            if (!"object-store".equals(service.path("type").asText())) {
                continue;
            }
            for (JsonNode endpoint : service.path("endpoints")) {
                boolean isPublic = "public".equals(endpoint.path("interface").asText());
                String endpointRegion = endpoint.path("region_id").asText(endpoint.path("region").asText());
                if (isPublic && (region.isEmpty() || region.equals(endpointRegion))) {
                    return URI.create(endpoint.path("url").asText());
                }
            }
        }
        throw new StorageException("Keystone at " + authUrl + " lists no public object-store endpoint"
                + (region.isEmpty() ? "" : " in region " + region) + " for project " + project);
    }

    @Override
    public String toString() {
        return "keystone-v3(" + authUrl + ", " + user + "@" + domain + ", project " + project + ")";
    }
}
