package dev.berth.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.registry.RepositoryName;
import dev.berth.registry.StorageLayout;
import dev.berth.registry.digest.Digest;
import dev.berth.storage.MemoryStore;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Requests that land between the collector's decision and its delete: each is made to happen at exactly that
 * moment by a hook in the store, and the collector must notice the claim and keep (or put back) the content.
 */
class GcRaceTest {
    private final HookedStore hooked = new HookedStore(new MemoryStore());
    private final GcFixture f = new GcFixture(hooked);
    private final RepositoryName app = new RepositoryName("app");

    @Test
    void anUploadOfTheSameContentJustBeforeTheDataIsTrashedKeepsTheBlob() {
        byte[] content = f.bytes(900);
        Digest blob = f.blob("app", content);
        f.registry.blobs().unlink(GcFixture.NS, app, blob);
        f.age();
        // The upload finds the old data present and skips publishing it; the collector must see its claim.
        hooked.before("move", key -> key.contains("gc-trash"), () -> f.blob("app", content));

        f.gc(false);

        assertThat(hooked.fired()).isTrue();
        f.assertHashes(blob);
        assertThat(f.registry.blobs().stat(GcFixture.NS, app, blob)).isPresent();
    }

    @Test
    void aManifestPushedJustBeforeTheDataIsTrashedKeepsItsBlobs() {
        byte[] layer = f.bytes(700);
        Digest blob = f.blob("app", layer);
        f.age();
        AtomicReference<GcFixture.Pushed> pushed = new AtomicReference<>();
        hooked.before("move", key -> key.contains("gc-trash") && key.endsWith(blob.hex()),
                () -> pushed.set(f.image("app", "v1", List.of(layer), null)));

        f.gc(true);

        assertThat(hooked.fired()).isTrue();
        f.assertComplete("app", pushed.get());
    }

    @Test
    void aHeadJustBeforeTheLinkIsDeletedPutsTheLinkBack() {
        Digest blob = f.blob("app", f.bytes(300));
        f.age();
        String link = StorageLayout.blobLink(GcFixture.NS, app, blob);
        AtomicReference<Optional<?>> seen = new AtomicReference<>();
        hooked.before("delete", link::equals, () -> seen.set(f.registry.blobs().confirm(GcFixture.NS, app, blob)));

        f.gc(false);

        assertThat(hooked.fired()).isTrue();
        assertThat(seen.get()).isPresent();
        assertThat(f.hasLink("app", blob)).isTrue();
        f.assertHashes(blob);
    }

    @Test
    void aMountJustBeforeTheLinkIsDeletedKeepsTheBlob() {
        Digest blob = f.blob("base", f.bytes(300));
        f.blob("app", f.bytes(10));
        f.age();
        String appLink = StorageLayout.blobLink(GcFixture.NS, app, blob);
        // The mount into app writes app's link just before the collector deletes base's old one.
        hooked.before("delete", StorageLayout.blobLink(GcFixture.NS, new RepositoryName("base"), blob)::equals,
                () -> f.registry.blobs().mount(GcFixture.NS, new RepositoryName("base"), app, blob));

        f.gc(false);

        assertThat(hooked.fired()).isTrue();
        assertThat(f.store.stat(appLink)).isPresent();
        f.assertHashes(blob);
    }

    @Test
    void aRetagJustBeforeAnUntaggedRevisionIsDeletedPutsTheRevisionBack() {
        GcFixture.Pushed image = f.image("app", null, 1);
        f.age();
        String revision = StorageLayout.manifestRevision(GcFixture.NS, app, image.digest());
        byte[] body = f.store.read(StorageLayout.blobData(GcFixture.NS, image.digest()));
        hooked.before("delete", revision::equals, () -> f.registry.manifests().put(GcFixture.NS, app, "again",
                body, GcFixture.OCI_MANIFEST, List.of()));

        f.gc(true);

        assertThat(hooked.fired()).isTrue();
        f.assertComplete("app", image);
        assertThat(f.registry.manifests().stat(GcFixture.NS, app, "again").digest()).isEqualTo(image.digest());
    }

    @Test
    void dataLeftInTheTrashByACrashedRunIsPutBackByTheNext() {
        GcFixture.Pushed image = f.image("app", "v1", 1);
        Digest layer = image.blobs().get(1);
        f.store.move(StorageLayout.blobData(GcFixture.NS, layer), GarbageCollector.trash(GcFixture.NS, layer));
        f.age();

        f.gc(false);

        f.assertComplete("app", image);
        assertThat(f.store.stat(GarbageCollector.trash(GcFixture.NS, layer))).isEmpty();
    }
}
