package dev.berth.lifecycle;

import dev.berth.storage.FilesystemStore;
import dev.berth.storage.MemoryStore;
import dev.berth.storage.ObjectStore;
import dev.berth.storage.S3Settings;
import dev.berth.storage.S3Store;
import dev.berth.storage.SwiftStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The backends the lifecycle tests run on: memory, filesystem, and the Swift and S3 (s3proxy) of
 * {@code scripts/storage-servers}, named by the same system properties as the storage tests; an unreachable server
 * fails those cases. Each store is fresh: a new directory, container or bucket.
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
            "berth-test-lifecycle-" + UUID.randomUUID().toString().substring(0, 8))),
    S3(() -> S3Store.open(new S3Settings(
            System.getProperty("berth.test.s3.s3proxy.endpoint", "http://127.0.0.1:19000"), "us-east-1",
            "berth-test-lifecycle-" + UUID.randomUUID().toString().substring(0, 8), "",
            System.getProperty("berth.test.s3.s3proxy.access-key", "local-identity"),
            System.getProperty("berth.test.s3.s3proxy.secret-key", "local-credential"), true)));

    private final Supplier<ObjectStore> open;

    Backends(Supplier<ObjectStore> open) {
        this.open = open;
    }

    /** A fresh, empty store of this backend, unwrapped; the caller closes it when it is {@link AutoCloseable}. */
    ObjectStore open() {
        return open.get();
    }
}
