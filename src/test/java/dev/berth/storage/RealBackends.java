package dev.berth.storage;

import java.util.Locale;
import java.util.UUID;

/**
 * Fresh, empty stores on the real servers of {@code scripts/storage-servers}, for tests outside this package that
 * must run on every backend. An unreachable server fails the test, as in the backends' own suites.
 */
public final class RealBackends {
    private static final SwiftTestServer SWIFT = new SwiftTestServer();

    private RealBackends() {}

    /** A store on a Swift container of its own. */
    public static ObjectStore swift() {
        SwiftTestServer.requireRunning();
        return new CheckedStore(SWIFT.store(SWIFT.freshContainer(), SwiftLimits.defaults()));
    }

    /** A store on an s3proxy bucket of its own (left behind afterwards, like the Swift containers). */
    public static ObjectStore s3proxy() {
        String endpoint = System.getProperty("berth.test.s3.s3proxy.endpoint", "http://127.0.0.1:19000");
        String bucket = "berth-test-gc-" + UUID.randomUUID().toString().substring(0, 8).toLowerCase(Locale.ROOT);
        return new CheckedStore(S3Store.open(new S3Settings(endpoint, "us-east-1", bucket, "",
                System.getProperty("berth.test.s3.s3proxy.access-key", "local-identity"),
                System.getProperty("berth.test.s3.s3proxy.secret-key", "local-credential"), true)));
    }
}
