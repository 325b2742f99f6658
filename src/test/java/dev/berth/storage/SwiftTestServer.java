package dev.berth.storage;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Swift the tests use, named by system properties with the defaults of {@code scripts/storage-servers}. An
 * unreachable server fails the tests: a backend that was not tested must not look as if it passed.
 */
final class SwiftTestServer {
    static final URI AUTH_URL = URI.create(System.getProperty("berth.test.swift.auth-url",
            "http://127.0.0.1:18080/auth/v1.0"));
    static final String USER = System.getProperty("berth.test.swift.user", "test:tester");
    static final String KEY = System.getProperty("berth.test.swift.key", "testing");

    private final String run = "berth-test-" + UUID.randomUUID().toString().substring(0, 8);
    private final AtomicInteger containers = new AtomicInteger();

    /** Fails with instructions when no Swift answers at the auth URL. */
    static void requireRunning() {
        try {
            HttpClient http = SwiftStore.newHttpClient();
            HttpResponse<Void> response = http.send(HttpRequest.newBuilder(AUTH_URL)
                    .timeout(Duration.ofSeconds(5))
                    .header("X-Auth-User", USER)
                    .header("X-Auth-Key", KEY)
                    .build(), HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() / 100 != 2) {
                throw new AssertionError("Swift at " + AUTH_URL + " refused " + USER + " with "
                        + response.statusCode() + "; start the servers with scripts/storage-servers start");
            }
        } catch (IOException e) {
            throw new AssertionError("no Swift at " + AUTH_URL + " (" + e + "); start the servers with "
                    + "scripts/storage-servers start", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** A container name no other test (or run) uses, so each store starts empty. */
    String freshContainer() {
        return run + "-" + containers.incrementAndGet();
    }

    TempAuth auth() {
        return auth(AUTH_URL);
    }

    TempAuth auth(URI authUrl) {
        return new TempAuth(authUrl, USER, KEY, Duration.ofSeconds(10));
    }

    SwiftStore store(String container, SwiftLimits limits) {
        return new SwiftStore(SwiftStore.newHttpClient(), auth(), container, limits, SwiftRetryPolicy.defaults(),
                Duration.ofMinutes(2));
    }
}
