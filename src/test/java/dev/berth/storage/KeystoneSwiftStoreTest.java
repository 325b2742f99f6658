package dev.berth.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The contract suite on Swift behind a real Keystone v3 (never a stub): every request carries a token that
 * Keystone issued and the proxy's authtoken middleware checks with Keystone. Plus what only Keystone has: a token
 * revoked at Keystone is renewed transparently, an expiring one ahead of time, and a wrong password fails clearly.
 *
 * <p>{@code scripts/storage-servers start} runs Keystone (Debian's python3-keystone on sqlite) and a second Swift
 * proxy with {@code authtoken keystoneauth}; the pom defaults the properties below to them. Another Keystone:
 * <pre>
 * mvn test -Dtest=KeystoneSwiftStoreTest -Dberth.test.keystone.url=http://HOST:5000/v3 \
 *     -Dberth.test.keystone.user=USER -Dberth.test.keystone.password=SECRET \
 *     -Dberth.test.keystone.project=PROJECT -Dberth.test.keystone.domain=Default -Dberth.test.keystone.region=RegionOne
 * </pre>
 * An unreachable Keystone fails the tests. Only {@code -Dberth.test.keystone.url=off} (run-tests passes it with
 * {@code BERTH_KEYSTONE=off}) skips them.
 */
class KeystoneSwiftStoreTest extends ObjectStoreContract {
    private static final String URL = System.getProperty("berth.test.keystone.url", "http://127.0.0.1:15000/v3");
    private static final String USER = System.getProperty("berth.test.keystone.user", "berth-tester");
    private static final String PASSWORD = System.getProperty("berth.test.keystone.password", "berth-testing");
    private static final String PROJECT = System.getProperty("berth.test.keystone.project", "berth");
    private static final String DOMAIN = System.getProperty("berth.test.keystone.domain", "Default");
    private static final String REGION = System.getProperty("berth.test.keystone.region", "RegionOne");

    private static final String RUN = "berth-keystone-" + UUID.randomUUID().toString().substring(0, 8);
    private static final AtomicInteger CONTAINERS = new AtomicInteger();
    /** Longer than the proxy's token cache, so the revoked token is checked with Keystone again. */
    private static final Duration REFUSAL_WAIT = Duration.ofSeconds(60);

    @BeforeAll
    static void keystoneIsRunning() {
        assumeFalse(URL.equals("off"), "Keystone tests switched off (-Dberth.test.keystone.url=off)");
        // A token and the catalog's object-store endpoint, or a failure saying what to start.
        try {
            auth(PASSWORD).authenticate(SwiftStore.newHttpClient());
        } catch (StorageException e) {
            throw new AssertionError("no usable Keystone at " + URL + " for " + USER + " (" + e.getMessage()
                    + "); start the servers with scripts/storage-servers start", e);
        }
    }

    @Override
    protected ObjectStore createStore() {
        return new CheckedStore(store(auth(PASSWORD)));
    }

    @Test
    void aTokenRevokedAtKeystoneIsRenewedTransparently() throws Exception {
        SwiftStore swift = store(auth(PASSWORD));
        byte[] data = Patterns.bytes(30, 5000);
        ObjectInfo put = swift.put("ns/hello", data, PutCondition.ifAbsent());
        SwiftConnection connection = swift.connection();
        SwiftSession revoked = connection.session();
        assertThat(connection.authentications()).isEqualTo(1);

        HttpClient http = SwiftStore.newHttpClient();
        // The token's subject may revoke it: no admin needed.
        HttpResponse<String> revocation = http.send(HttpRequest.newBuilder(URI.create(tokensUrl()))
                .timeout(Duration.ofSeconds(10))
                .header("X-Auth-Token", revoked.token())
                .header("X-Subject-Token", revoked.token())
                .DELETE()
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(revocation.statusCode()).as("DELETE /v3/auth/tokens: %s", revocation.body()).isEqualTo(204);
        // The proxy keeps a validated token for token_cache_time (10 s in scripts/storage-servers): wait until it
        // refuses this one, so that what follows goes through a 401.
        Instant deadline = Instant.now().plus(REFUSAL_WAIT);
        int status;
        while ((status = head(http, revoked)) != 401 && Instant.now().isBefore(deadline)) {
            Thread.sleep(250);
        }
        assertThat(status).as("the Swift proxy's answer to the revoked token after %s", REFUSAL_WAIT).isEqualTo(401);

        assertThat(swift.read("ns/hello")).isEqualTo(data);
        assertThat(connection.authentications()).isEqualTo(2);
        assertThat(connection.session().token()).isNotEqualTo(revoked.token());
        assertThat(swift.stat("ns/hello").orElseThrow().etag()).isEqualTo(put.etag());
        assertThat(swift.delete("ns/hello")).isTrue();
    }

    @Test
    void aTokenAboutToExpireIsRenewedBeforeItIsSent() {
        SwiftStore swift = store(auth(PASSWORD));
        SwiftConnection connection = swift.connection();
        SwiftSession current = connection.session();
        // Keystone's tokens last an hour by default: renewed five minutes before they expire.
        assertThat(current.renewAt()).as("from Keystone's issued_at and expires_at").isNotNull()
                .isAfter(Instant.now().plus(Duration.ofMinutes(50)));

        // Still valid at Keystone, but due: a body that cannot be sent twice must not meet a 401.
        connection.useSession(new SwiftSession(current.token(), current.storageUrl(), Instant.now().minusSeconds(1)));
        swift.put("ns/streamed", new java.io.ByteArrayInputStream(Patterns.bytes(31, 3000)), 3000,
                PutCondition.always());

        assertThat(connection.authentications()).isEqualTo(2);
        assertThat(swift.read("ns/streamed")).isEqualTo(Patterns.bytes(31, 3000));
    }

    @Test
    void aWrongPasswordFailsNamingKeystoneAndTheUserButNotThePassword() {
        String wrong = "not-the-password-" + UUID.randomUUID();

        assertThatThrownBy(() -> store(auth(wrong)))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("Keystone")
                .hasMessageContaining(URL)
                .hasMessageContaining(USER)
                .hasMessageContaining("401")
                .hasMessageNotContaining(wrong);
    }

    private static KeystoneV3Auth auth(String password) {
        return new KeystoneV3Auth(URI.create(URL), USER, password, PROJECT, DOMAIN, REGION, Duration.ofSeconds(10));
    }

    private static SwiftStore store(SwiftAuth auth) {
        return new SwiftStore(SwiftStore.newHttpClient(), auth, RUN + "-" + CONTAINERS.incrementAndGet(),
                SwiftLimits.defaults(), SwiftRetryPolicy.defaults(), Duration.ofMinutes(2));
    }

    private static int head(HttpClient http, SwiftSession session) throws Exception {
        return http.send(HttpRequest.newBuilder(session.storageUrl())
                .timeout(Duration.ofSeconds(10))
                .header("X-Auth-Token", session.token())
                .method("HEAD", HttpRequest.BodyPublishers.noBody())
                .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static String tokensUrl() {
        return URL.replaceAll("/+$", "") + "/auth/tokens";
    }
}
