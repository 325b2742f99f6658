package dev.berth.storage;

import org.junit.jupiter.api.BeforeAll;

/**
 * The contract suite on a real Swift (tempauth), each test in a container of its own so it starts empty. Needs
 * {@code scripts/storage-servers start}; see {@link SwiftTestServer} for the properties naming another Swift.
 */
class SwiftStoreTest extends ObjectStoreContract {
    private static final SwiftTestServer SWIFT = new SwiftTestServer();

    @BeforeAll
    static void swiftIsRunning() {
        SwiftTestServer.requireRunning();
    }

    @Override
    protected ObjectStore createStore() {
        return new CheckedStore(SWIFT.store(SWIFT.freshContainer(), SwiftLimits.defaults()));
    }
}
