package dev.berth.lifecycle;

import dev.berth.storage.CheckedStore;
import dev.berth.storage.FilesystemStore;
import dev.berth.storage.MemoryStore;
import dev.berth.storage.ObjectStore;
import dev.berth.storage.SwiftStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The backends the lifecycle tests run on: memory, filesystem, and the Swift of {@code scripts/storage-servers}
 * (named by the same system properties as the storage tests; an unreachable Swift fails those cases).
 */
enum Backends {
    MEMORY(MemoryStore::new),
    FILESYSTEM(() -> {
        try {
            return new FilesystemStore(Files.createTempDirectory("berth-lifecycle-"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }),
    SWIFT(() -> SwiftStore.tempauth(
            URI.create(System.getProperty("berth.test.swift.auth-url", "http://127.0.0.1:18080/auth/v1.0")),
            System.getProperty("berth.test.swift.user", "test:tester"),
            System.getProperty("berth.test.swift.key", "testing"),
            "berth-test-lifecycle-" + UUID.randomUUID().toString().substring(0, 8)));

    private final Supplier<ObjectStore> open;

    Backends(Supplier<ObjectStore> open) {
        this.open = open;
    }

    /** A fresh, empty store of this backend, wrapped in the key checks every backend gets. */
    ObjectStore open() {
        return CheckedStore.of(open.get());
    }
}
