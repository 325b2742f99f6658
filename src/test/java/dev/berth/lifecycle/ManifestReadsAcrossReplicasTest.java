package dev.berth.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.config.BerthConfig;
import dev.berth.registry.ErrorCode;
import dev.berth.registry.Namespace;
import dev.berth.registry.Registry;
import dev.berth.registry.RegistryException;
import dev.berth.registry.RepositoryName;
import dev.berth.registry.StorageLayout;
import dev.berth.registry.digest.Digest;
import dev.berth.storage.MemoryStore;
import dev.berth.storage.ObjectStore;
import dev.berth.storage.PutCondition;
import java.time.Clock;
import org.junit.jupiter.api.Test;

/**
 * Two replicas on one store: manifest bytes may be cached, but what a tag names and whether a repository still
 * links a manifest must show every change the other replica completed.
 */
class ManifestReadsAcrossReplicasTest {
    private static final Namespace NS = Namespace.DEFAULT;
    private static final RepositoryName APP = new RepositoryName("team/app");

    private final ObjectStore store = new MemoryStore();
    private final Registry first = Registry.open(store, BerthConfig.defaults(), Clock.systemUTC());
    private final Registry second = Registry.open(store, BerthConfig.defaults(), Clock.systemUTC());
    private final Images pushedOnFirst = new Images(first, NS);
    private final Images pushedOnSecond = new Images(second, NS);

    @Test
    void aTagMovedOnOneReplicaIsServedNewOnTheOther() {
        Digest v1 = pushedOnFirst.image("team/app", "v1", "latest");
        assertThat(second.manifests().get(NS, APP, "latest").info().digest()).isEqualTo(v1);

        Digest v2 = pushedOnFirst.image("team/app", "v2", "latest");

        assertThat(second.manifests().get(NS, APP, "latest").info().digest()).isEqualTo(v2);
        assertThat(second.manifests().stat(NS, APP, "latest").digest()).isEqualTo(v2);
    }

    @Test
    void aManifestDeletedOnOneReplicaIsUnknownOnTheOtherThoughItsBytesWereCached() {
        Digest image = pushedOnFirst.image("team/app", "v1", "latest");
        second.manifests().get(NS, APP, image.toString()); // cached on the second replica

        first.manifests().delete(NS, APP, image.toString());

        assertThatThrownBy(() -> second.manifests().get(NS, APP, image.toString()))
                .isInstanceOfSatisfying(RegistryException.class,
                        e -> assertThat(e.errors().get(0).code()).isEqualTo(ErrorCode.MANIFEST_UNKNOWN));
        assertThatThrownBy(() -> second.manifests().stat(NS, APP, "latest"))
                .isInstanceOf(RegistryException.class);
    }

    @Test
    void cachedBytesAreServedOnlyToRepositoriesThatLinkTheManifest() {
        Digest image = pushedOnSecond.image("team/app", "v1", "latest");
        second.manifests().get(NS, APP, image.toString());

        assertThatThrownBy(() -> second.manifests().get(NS, new RepositoryName("team/other"), image.toString()))
                .isInstanceOf(RegistryException.class);
    }

    @Test
    void bytesTheStoreAltersAreRefusedAndNeverCached() {
        Digest image = pushedOnFirst.image("team/app", "v1", "latest");
        byte[] good = first.manifests().get(NS, APP, "latest").body();
        byte[] bad = good.clone();
        bad[bad.length - 2] ^= 1;
        store.put(StorageLayout.blobData(NS, image), bad, PutCondition.always());

        assertThatThrownBy(() -> second.manifests().get(NS, APP, "latest"))
                .hasMessageContaining("the store returned other bytes");
        store.put(StorageLayout.blobData(NS, image), good, PutCondition.always());
        assertThat(second.manifests().get(NS, APP, "latest").body()).isEqualTo(good);
    }
}
