package dev.berth.storage;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends requests to one Swift account: holds the current token, renews it once per request on a 401, and
 * repeats a request per {@link SwiftRetryPolicy} as long as its body can be sent again.
 */
final class SwiftConnection {
    /** Authentication attempts when the connection, not the auth server, fails. */
    private static final int AUTH_ATTEMPTS = 3;
    private static final Logger log = LoggerFactory.getLogger(SwiftConnection.class);

    private final HttpClient http;
    private final SwiftAuth auth;
    private final SwiftRetryPolicy retry;
    private volatile SwiftSession session;
    private int authentications;

    SwiftConnection(HttpClient http, SwiftAuth auth, SwiftRetryPolicy retry) {
        this.http = http;
        this.auth = auth;
        this.retry = retry;
    }

    /** Builds one try of a request from the current session (token and account URL). */
    interface RequestFactory extends Function<SwiftSession, HttpRequest> {}

    /**
     * Sends a request whose body (if any) can be produced again for every try, and returns the response with its
     * body still to be read. 401 renews the token once; 5xx, connection errors and timeouts are retried.
     */
    HttpResponse<InputStream> send(String what, RequestFactory request) {
        return send(what, request, () -> true);
    }

    /**
     * Like {@link #send(String, RequestFactory)}, but a try is repeated only while {@code replayable} says the body
     * has not been consumed: a client's stream cannot be sent twice.
     */
    HttpResponse<InputStream> send(String what, RequestFactory request, BooleanSupplier replayable) {
        boolean renewed = false;
        for (int attempt = 1; ; attempt++) {
            SwiftSession current = session();
            HttpResponse<InputStream> response;
            try {
                response = http.send(request.apply(current), HttpResponse.BodyHandlers.ofInputStream());
            } catch (IOException e) {
                if (attempt >= retry.attempts() || !replayable.getAsBoolean()) {
                    throw new StorageException(what + " failed: " + e, e);
                }
                log.warn("{} failed ({}), try {} of {}", what, e, attempt, retry.attempts());
                pause(attempt);
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StorageException(what + " interrupted", e);
            }
            int status = response.statusCode();
            if (status == 401 && !renewed && replayable.getAsBoolean()) {
                discard(response);
                renew(current);
                renewed = true;
                attempt--; // a renewal is not a failed try
                continue;
            }
            if (SwiftRetryPolicy.retryable(status) && attempt < retry.attempts() && replayable.getAsBoolean()) {
                discard(response);
                log.warn("{} answered {}, try {} of {}", what, status, attempt, retry.attempts());
                pause(attempt);
                continue;
            }
            return response;
        }
    }

    /** The account URL of the current session followed by {@code path} (which starts with {@code /}). */
    URI url(SwiftSession current, String path) {
        return URI.create(current.storageUrl() + path);
    }

    /**
     * The session in use, authenticating on first use and again shortly before the token expires: a request whose
     * body cannot be sent twice gets no second try after a 401, so it must not meet an expired token.
     */
    SwiftSession session() {
        SwiftSession current = session;
        if (current != null && !current.due(Instant.now())) {
            return current;
        }
        synchronized (this) {
            if (session == null || session.due(Instant.now())) {
                if (session != null) {
                    log.info("swift token expires soon, authenticating again with {}", auth);
                }
                session = authenticate();
                authentications++;
            }
            return session;
        }
    }

    /** Authenticates again unless another thread already replaced the {@code stale} session. */
    synchronized void renew(SwiftSession stale) {
        if (session == null || session.equals(stale)) {
            log.info("swift token refused, authenticating again with {}", auth);
            session = authenticate();
            authentications++;
        }
    }

    /**
     * Authenticates, trying again when the connection failed rather than the server answering: a pooled connection
     * the auth server closed while idle fails the first request on it.
     */
    private SwiftSession authenticate() {
        for (int attempt = 1; ; attempt++) {
            try {
                return auth.authenticate(http);
            } catch (StorageException e) {
                if (!(e.getCause() instanceof java.io.IOException) || attempt >= AUTH_ATTEMPTS) {
                    throw e;
                }
                log.info("swift auth attempt {} failed, trying again: {}", attempt, e.getMessage());
                try {
                    Thread.sleep(100L * attempt);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /** How many times this connection authenticated, for tests of the renewal. */
    synchronized int authentications() {
        return authentications;
    }

    /** Replaces the session, for tests that make the server refuse the token. */
    synchronized void useSession(SwiftSession replacement) {
        session = replacement;
    }

    private void pause(int attempt) {
        try {
            Thread.sleep(retry.delayAfter(attempt));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException("interrupted while waiting to retry", e);
        }
    }

    /** Reads and drops a body so the connection can be reused. */
    static void discard(HttpResponse<InputStream> response) {
        try (InputStream in = response.body()) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        } catch (IOException ignored) {
            // the connection is dropped instead; nothing depends on this body
        }
    }

    /** Reads a small body as text. */
    static String text(HttpResponse<InputStream> response) {
        try (InputStream in = response.body()) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new StorageException("reading a swift answer failed: " + e, e);
        }
    }
}
