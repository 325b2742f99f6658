package dev.berth.storage;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;

/** Swift's v1 auth (tempauth, swauth): {@code GET auth-url} with user and key headers. */
record TempAuth(URI authUrl, String user, String key, Duration timeout) implements SwiftAuth {

    @Override
    public SwiftSession authenticate(HttpClient http) {
        HttpRequest request = HttpRequest.newBuilder(authUrl)
                .timeout(timeout)
                .header("X-Auth-User", user)
                .header("X-Auth-Key", key)
                .GET()
                .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new StorageException("swift auth at " + authUrl + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException("interrupted during swift auth at " + authUrl, e);
        }
        if (response.statusCode() / 100 != 2) {
            throw new StorageException("swift auth at " + authUrl + " as " + user + " answered " + response.statusCode());
        }
        // Exact names: X-Auth-Token-Expires also exists and must not be taken for the token.
        String token = response.headers().firstValue("X-Auth-Token").orElse(null);
        String storage = response.headers().firstValue("X-Storage-Url").orElse(null);
        if (token == null || storage == null) {
            throw new StorageException("swift auth at " + authUrl + " returned no X-Auth-Token or X-Storage-Url");
        }
        return new SwiftSession(token, URI.create(storage), renewal(response));
    }

    /** From X-Auth-Token-Expires (seconds left), which tempauth sends; null without it. */
    private static Instant renewal(HttpResponse<?> response) {
        try {
            long seconds = Long.parseLong(response.headers().firstValue("X-Auth-Token-Expires").orElse("").trim());
            return seconds > 0 ? SwiftSession.renewalFor(Duration.ofSeconds(seconds)) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return "tempauth(" + authUrl + ", " + user + ")";
    }
}
