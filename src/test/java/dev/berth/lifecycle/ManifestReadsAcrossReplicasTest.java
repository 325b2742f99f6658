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
import dev.berth.storage.FilesystemStore;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Two replicas on one store: manifest bytes may be cached, but what a tag names and whether a repository still
 * links a manifest must show every change the other replica completed.
 */
class ManifestReadsAcrossReplicasTest {
    private static final Namespace NS = Namespace.DEFAULT;
    private static final RepositoryName APP = new RepositoryName("team/app");

    @TempDir
    Path dir;

    private ObjectStore store;
    private Registry first;
    private Registry second;
    private Images pushedOnFirst;
    private Images pushedOnSecond;

    /** Each replica has its own caches; the store is shared. Both stores have cheap stats, so caches are used. */
    @BeforeEach
    void replicas(TestInfo test) {
        store = test.getDisplayName().contains("filesystem") ? new FilesystemStore(dir) : new MemoryStore();
        first = Registry.open(store, BerthConfig.defaults(), Clock.systemUTC());
        second = Registry.open(store, BerthConfig.defaults(), Clock.systemUTC());
        pushedOnFirst = new Images(first, NS);
        pushedOnSecond = new Images(second, NS);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"memory", "filesystem"})
    void aTagMovedOnOneReplicaIsServedNewOnTheOther(String backend) {
        Digest v1 = pushedOnFirst.image("team/app", "v1", "latest");
        assertThat(second.manifests().get(NS, APP, "latest").info().digest()).isEqualTo(v1);

        Digest v2 = pushedOnFirst.image("team/app", "v2", "latest");

        assertThat(second.manifests().get(NS, APP, "latest").info().digest()).isEqualTo(v2);
        assertThat(second.manifests().stat(NS, APP, "latest").digest()).isEqualTo(v2);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"memory", "filesystem"})
    void aTagFlippedBackAndForthFasterThanTheClockTicksIsAlwaysReadCurrent(String backend) {
        Digest a = pushedOnFirst.image("team/app", "a", "flip");
        Digest b = pushedOnFirst.image("team/app", "b");
        for (int i = 0; i < 300; i++) {
            Digest expected = i % 2 == 0 ? b : a;
            pushedOnFirst.tag("team/app", expected, "flip");
            assertThat(second.manifests().stat(NS, APP, "flip").digest()).as("flip %d", i).isEqualTo(expected);
            assertThat(second.manifests().get(NS, APP, "flip").info().digest()).as("flip %d", i).isEqualTo(expected);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"memory", "filesystem"})
    void aManifestDeletedOnOneReplicaIsUnknownOnTheOtherThoughItsBytesWereCached(String backend) {
        Digest image = pushedOnFirst.image("team/app", "v1", "latest");
        second.manifests().get(NS, APP, image.toString()); // cached on the second replica

        first.manifests().delete(NS, APP, image.toString());

        assertThatThrownBy(() -> second.manifests().get(NS, APP, image.toString()))
                .isInstanceOfSatisfying(RegistryException.class,
                        e -> assertThat(e.errors().get(0).code()).isEqualTo(ErrorCode.MANIFEST_UNKNOWN));
        assertThatThrownBy(() -> second.manifests().stat(NS, APP, "latest"))
                .isInstanceOf(RegistryException.class);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"memory", "filesystem"})
    void cachedBytesAreServedOnlyToRepositoriesThatLinkTheManifest(String backend) {
        Digest image = pushedOnSecond.image("team/app", "v1", "latest");
        second.manifests().get(NS, APP, image.toString());

        assertThatThrownBy(() -> second.manifests().get(NS, new RepositoryName("team/other"), image.toString()))
                .isInstanceOf(RegistryException.class);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"memory", "filesystem"})
    void bytesTheStoreAltersAreRefusedAndNeverCached(String backend) {
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
