package dev.berth.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URI;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Opt-in: Swift behind a real Keystone v3 (never a stub). Runs only when {@code berth.test.keystone.url} names the
 * identity endpoint ending in {@code /v3}, with a Swift proxy using {@code authtoken keystoneauth} registered in the
 * catalog as the public {@code object-store} endpoint:
 *
 * <pre>
 * mvn test -Dtest=KeystoneSwiftStoreTest -Dberth.test.keystone.url=http://127.0.0.1:5000/v3 \
 *     -Dberth.test.keystone.user=swift-user -Dberth.test.keystone.password=secret \
 *     -Dberth.test.keystone.project=berth -Dberth.test.keystone.domain=Default -Dberth.test.keystone.region=RegionOne
 * </pre>
 */
class KeystoneSwiftStoreTest {
    private static final String URL = System.getProperty("berth.test.keystone.url", "");

    @Test
    void aStoreAuthenticatedByKeystoneWritesReadsAndRenewsItsToken() {
        assumeTrue(!URL.isEmpty(), "opt-in: set -Dberth.test.keystone.url=http://HOST:5000/v3");
        SwiftAuth auth = new KeystoneV3Auth(URI.create(URL),
                System.getProperty("berth.test.keystone.user", "admin"),
                System.getProperty("berth.test.keystone.password", ""),
                System.getProperty("berth.test.keystone.project", "admin"),
                System.getProperty("berth.test.keystone.domain", "Default"),
                System.getProperty("berth.test.keystone.region", ""),
                Duration.ofSeconds(10));
        SwiftStore store = new SwiftStore(SwiftStore.newHttpClient(), auth,
                "berth-keystone-" + UUID.randomUUID().toString().substring(0, 8), SwiftLimits.defaults(),
                SwiftRetryPolicy.defaults(), Duration.ofMinutes(1));

        ObjectInfo put = store.put("ns/hello", Patterns.bytes(30, 5000), PutCondition.ifAbsent());
        SwiftConnection connection = store.connection();
        connection.useSession(new SwiftSession("gAAAAA-not-a-token", connection.session().storageUrl()));

        assertThat(store.read("ns/hello")).isEqualTo(Patterns.bytes(30, 5000));
        assertThat(connection.authentications()).isEqualTo(2);
        assertThat(store.stat("ns/hello").orElseThrow().etag()).isEqualTo(put.etag());
        assertThat(store.delete("ns/hello")).isTrue();
    }
}
