package dev.berth.auth.token;

import dev.berth.config.LoggedUrls;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keys an external issuer publishes at a JWKS URL: fetched on first use, kept for {@link #MAX_AGE}, and
 * fetched again when a token names a key id not among them (the issuer rotated its key), at most once per
 * {@link #MIN_REFETCH}, so tokens with made-up key ids cannot make Berth hammer the issuer. A failed fetch keeps
 * the keys fetched before.
 */
public final class RemoteJwks implements KeySet {
    private static final Logger log = LoggerFactory.getLogger(RemoteJwks.class);
    /** How long fetched keys are used before they are fetched again. */
    public static final Duration MAX_AGE = Duration.ofMinutes(10);
    /** The shortest time between two fetches. */
    public static final Duration MIN_REFETCH = Duration.ofSeconds(10);
    private static final int MAX_DOCUMENT = 1024 * 1024;

    private final URI url;
    private final Clock clock;
    private final HttpClient http;
    private volatile List<VerificationKey> keys = List.of();
    private volatile Instant fetched = Instant.MIN;
    private Instant lastAttempt = Instant.MIN;

    /** The keys at {@code url}, fetched when first needed. */
    public RemoteJwks(URI url, Clock clock) {
        this.url = url;
        this.clock = clock;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    @Override
    public Optional<VerificationKey> find(String kid) {
        Optional<VerificationKey> known = lookup(kid);
        if (known.isPresent() && !stale()) {
            return known;
        }
        refresh();
        return lookup(kid).or(() -> known);
    }

    @Override
    public List<VerificationKey> all() {
        if (stale()) {
            refresh();
        }
        return keys;
    }

    private Optional<VerificationKey> lookup(String kid) {
        return keys.stream().filter(k -> k.kid().equals(kid)).findFirst();
    }

    private boolean stale() {
        return clock.instant().isAfter(fetched.plus(MAX_AGE));
    }

    /** Fetches the keys again unless the last attempt was less than {@link #MIN_REFETCH} ago. */
    private synchronized void refresh() {
        Instant now = clock.instant();
        if (now.isBefore(lastAttempt.plus(MIN_REFETCH))) {
            return;
        }
        lastAttempt = now;
        try {
            HttpRequest request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(10))
                    .header("Accept", "application/json").GET().build();
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            byte[] body;
            try (InputStream in = response.body()) {
                body = in.readNBytes(MAX_DOCUMENT + 1);
            }
            if (response.statusCode() != 200) {
                throw new IOException("HTTP " + response.statusCode());
            }
            if (body.length > MAX_DOCUMENT) {
                throw new IOException("the document is larger than " + MAX_DOCUMENT + " bytes");
            }
            List<VerificationKey> fresh = Jwks.parse(body);
            keys = List.copyOf(fresh);
            fetched = now;
            log.info("token keys from {}: {} key(s) {}", LoggedUrls.of(url), fresh.size(),
                    fresh.stream().map(VerificationKey::kid).toList());
        } catch (IOException e) {
            log.warn("token keys from {} could not be fetched ({}); keeping the {} key(s) fetched before", LoggedUrls.of(url),
                    e.getMessage(), keys.size());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
