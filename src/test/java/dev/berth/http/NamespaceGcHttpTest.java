package dev.berth.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.BerthServer;
import dev.berth.config.BerthConfig;
import dev.berth.registry.Namespace;
import dev.berth.registry.StorageLayout;
import dev.berth.registry.digest.Digest;
import dev.berth.storage.FilesystemStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The garbage collection {@code berth serve} schedules covers every namespace, each on its own. */
class NamespaceGcHttpTest {
    private static final Namespace TEAM_A = new Namespace("team-a");
    private static final Namespace TEAM_B = new Namespace("team-b");

    @TempDir
    Path dir;

    @Test
    void scheduledCollectionSweepsEachNamespaceWithoutTouchingTheOthers() throws Exception {
        // The filesystem keeps modification times across the collector's moves, as the real backends do.
        FilesystemStore store = new FilesystemStore(dir);
        String config = "{\"shared\":\"config\"}";
        Digest configDigest = Digest.parse(HostClient.sha256(config.getBytes(StandardCharsets.UTF_8)));
        Digest manifestDigest;
        try (BerthServer serving = BerthServer.start(NamespacesHttpTest.config(), store)) {
            HostClient a = HostClient.at(serving.uri(), "localhost");
            HostClient root = HostClient.at(serving.uri(), "127.0.0.1");
            // The same image, byte for byte, in three namespaces.
            byte[] manifest = a.pushImage("app", "v1", config);
            root.pushImage("app", "v1", config);
            root.pushImage("team-b/app", "v1", config);
            manifestDigest = Digest.parse(HostClient.sha256(manifest));
            assertThat(a.send("DELETE", "/v2/app/manifests/" + manifestDigest, null).statusCode()).isEqualTo(202);
        }
        age(Duration.ofHours(3));

        // A replica on the same store that collects often, with the default grace window of an hour.
        BerthConfig collecting = NamespacesHttpTest.config().withLifecycle(BerthConfig.defaults().lifecycle()
                .withGc(new BerthConfig.Gc(Optional.of(Duration.ofMillis(50)), Duration.ofHours(1), false)));
        try (BerthServer replica = BerthServer.start(collecting, store)) {
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while ((store.stat(StorageLayout.blobData(TEAM_A, configDigest)).isPresent()
                    || store.stat(StorageLayout.blobData(TEAM_A, manifestDigest)).isPresent())
                    && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(store.stat(StorageLayout.blobData(TEAM_A, configDigest))).isEmpty();
            assertThat(store.stat(StorageLayout.blobData(TEAM_A, manifestDigest))).isEmpty();

            for (Namespace kept : List.of(Namespace.DEFAULT, TEAM_B)) {
                assertThat(store.stat(StorageLayout.blobData(kept, configDigest))).as(kept.id()).isPresent();
                assertThat(store.stat(StorageLayout.blobData(kept, manifestDigest))).as(kept.id()).isPresent();
            }
            HostClient root = HostClient.at(replica.uri(), "127.0.0.1");
            assertThat(root.get("/v2/team-b/app/blobs/" + configDigest).body()).isEqualTo(config);
            assertThat(root.get("/v2/app/blobs/" + configDigest).body()).isEqualTo(config);
            assertThat(HostClient.at(replica.uri(), "localhost").get("/v2/app/blobs/" + configDigest).statusCode())
                    .isEqualTo(404);
        }
    }

    /** Sets every file's modification time back, as if everything had been written {@code by} ago. */
    private void age(Duration by) throws IOException {
        FileTime then = FileTime.from(Instant.now().minus(by));
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                Files.setLastModifiedTime(p, then);
            }
        }
    }
}
