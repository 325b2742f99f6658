package dev.berth.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.registry.RegistryException;
import dev.berth.registry.RepositoryName;
import dev.berth.registry.StorageLayout;
import dev.berth.registry.UploadRecord;
import dev.berth.registry.IncomingChunk;
import dev.berth.registry.digest.Digest;
import dev.berth.registry.digest.DigestAlgorithm;
import dev.berth.storage.FilesystemStore;
import dev.berth.storage.MemoryStore;
import dev.berth.storage.ObjectStore;
import dev.berth.storage.RealBackends;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Garbage collection on every backend (memory, filesystem, and Swift and S3 on the servers of
 * {@code scripts/storage-servers}): what it keeps, what it frees, and when.
 */
class GarbageCollectorTest {
    static final GcFixture.Pushed NO_SUBJECT = null;

    @TempDir
    Path dir;

    static Stream<Arguments> stores() {
        Function<Path, ObjectStore> memory = d -> new MemoryStore();
        Function<Path, ObjectStore> filesystem = FilesystemStore::new;
        return Stream.of(Arguments.of("memory", memory), Arguments.of("filesystem", filesystem));
    }

    /** Swift and S3 answer in milliseconds rather than microseconds: the central cases only run there. */
    static Stream<Arguments> realStores() {
        Function<Path, ObjectStore> swift = d -> RealBackends.swift();
        Function<Path, ObjectStore> s3 = d -> RealBackends.s3proxy();
        return Stream.of(Arguments.of("swift", swift), Arguments.of("s3 (s3proxy)", s3));
    }

    private GcFixture fixture(Function<Path, ObjectStore> backend) {
        return new GcFixture(backend.apply(dir));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource({"stores", "realStores"})
    void multiArchIndexKeepsItsChildrenAndTheirBlobs(String name, Function<Path, ObjectStore> backend) {
        GcFixture f = fixture(backend);
        GcFixture.Pushed amd64 = f.image("app", null, 2);
        GcFixture.Pushed arm64 = f.image("app", null, 2);
        GcFixture.Pushed index = f.index("app", "latest", List.of(amd64, arm64));
        Digest orphan = f.blob("app", f.bytes(500));
        f.age();

        f.gc(true);

        f.assertComplete("app", index);
        f.assertComplete("app", amd64);
        f.assertComplete("app", arm64);
        assertThat(f.hasData(orphan)).isFalse();
        assertThat(f.hasLink("app", orphan)).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stores")
    void nestedIndexesKeepEveryLevel(String name, Function<Path, ObjectStore> backend) {
        GcFixture f = fixture(backend);
        GcFixture.Pushed leaf = f.image("app", null, 1);
        GcFixture.Pushed inner = f.index("app", null, List.of(leaf));
        GcFixture.Pushed middle = f.index("app", null, List.of(inner));
        GcFixture.Pushed outer = f.index("app", "v1", List.of(middle));
        GcFixture.Pushed untagged = f.image("app", null, 1);
        f.age();

        f.gc(true);

        for (GcFixture.Pushed p : List.of(outer, middle, inner, leaf)) {
            f.assertComplete("app", p);
        }
        assertThat(f.hasRevision("app", untagged.digest())).isFalse();
        assertThat(f.hasData(untagged.digest())).isFalse();
        untagged.blobs().forEach(b -> assertThat(f.hasData(b)).isFalse());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stores")
    void referrersOfAKeptManifestAreKeptAndGoWithIt(String name, Function<Path, ObjectStore> backend) {
        GcFixture f = fixture(backend);
        GcFixture.Pushed image = f.image("app", "v1", 1);
        GcFixture.Pushed sbom = f.image("app", null, List.of(f.bytes(300)), image);
        GcFixture.Pushed signatureOfSbom = f.image("app", null, List.of(f.bytes(50)), sbom);
        f.age();

        f.gc(true);

        f.assertComplete("app", image);
        f.assertComplete("app", sbom);
        f.assertComplete("app", signatureOfSbom);

        f.registry.manifests().delete(GcFixture.NS, new RepositoryName("app"), "v1");
        f.age();
        f.gc(true);

        for (GcFixture.Pushed p : List.of(image, sbom, signatureOfSbom)) {
            assertThat(f.hasRevision("app", p.digest())).isFalse();
            assertThat(f.hasData(p.digest())).isFalse();
            p.blobs().forEach(b -> assertThat(f.hasData(b)).isFalse());
        }
        assertThat(f.store.listAll(StorageLayout.referrersPrefix(GcFixture.NS, new RepositoryName("app"),
                image.digest()), 100)).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stores")
    void aTaggedReferrerKeepsItsSubject(String name, Function<Path, ObjectStore> backend) {
        GcFixture f = fixture(backend);
        GcFixture.Pushed image = f.image("app", null, 1);
        GcFixture.Pushed signature = f.image("app", "sig", List.of(f.bytes(40)), image);
        f.age();

        f.gc(true);

        f.assertComplete("app", image);
        f.assertComplete("app", signature);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stores")
    void untaggedManifestsAreKeptByDefaultPolicy(String name, Function<Path, ObjectStore> backend) {
        GcFixture f = fixture(backend);
        GcFixture.Pushed untagged = f.image("app", null, 2);
        GcFixture.Pushed retagged = f.image("app", "old", 1);
        f.registry.manifests().delete(GcFixture.NS, new RepositoryName("app"), "old");
        f.age();

        f.gc(false);

        f.assertComplete("app", untagged);
        f.assertComplete("app", retagged);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stores")
    void untaggedManifestsAreDeletedWhenThePolicySaysSo(String name, Function<Path, ObjectStore> backend) {
        GcFixture f = fixture(backend);
        GcFixture.Pushed tagged = f.image("app", "v1", 1);
        GcFixture.Pushed untagged = f.image("app", null, 2);
        f.age();

        GcReport report = f.gc(true);

        f.assertComplete("app", tagged);
        assertThat(f.hasRevision("app", untagged.digest())).isFalse();
        assertThat(f.hasData(untagged.digest())).isFalse();
        untagged.blobs().forEach(b -> assertThat(f.hasData(b)).isFalse());
        assertThat(report.deleted()).isGreaterThanOrEqualTo(1 + 2 * 3);
        assertThat(report.bytesFreed()).isGreaterThan(0);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stores")
    void youngContentIsNeverDeleted(String name, Function<Path, ObjectStore> backend) {
        GcFixture f = fixture(backend);
        GcFixture.Pushed untagged = f.image("app", null, 2);
        Digest unreferenced = f.blob("app", f.bytes(70));
        f.registry.blobs().unlink(GcFixture.NS, new RepositoryName("app"), unreferenced);
        f.clock.advance(GcFixture.GRACE.minusMinutes(1));
        var before = f.snapshot();

        GcReport report = f.gc(true);

        assertThat(report.deleted()).isZero();
        assertThat(f.snapshot()).isEqualTo(before);
        f.assertComplete("app", untagged);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource({"stores", "realStores"})
    void aBlobConfirmedByHeadWithinGraceSurvivesAndGoesWhenNotConfirmedAgain(String name,
            Function<Path, ObjectStore> backend) {
        GcFixture f = fixture(backend);
        RepositoryName app = new RepositoryName("app");
        Digest seen = f.blob("app", f.bytes(1000));
        f.age();
        // A client checks the blob, skips uploading it, and pushes its manifest later.
        assertThat(f.registry.blobs().confirm(GcFixture.NS, app, seen)).isPresent();
        f.clock.advance(GcFixture.GRACE.minusMinutes(1));

        f.gc(false);
        assertThat(f.hasData(seen)).isTrue();
        assertThat(f.registry.blobs().stat(GcFixture.NS, app, seen)).isPresent();

        f.age();
        f.gc(false);
        assertThat(f.hasData(seen)).isFalse();
        assertThat(f.hasLink("app", seen)).isFalse();
        assertThat(f.store.listAll(StorageLayout.blobHoldersPrefix(GcFixture.NS, seen), 10)).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stores")
    void aBlobMountedWithinGraceSurvivesWhileTheSourceLinkGoes(String name, Function<Path, ObjectStore> backend) {
        GcFixture f = fixture(backend);
        Digest shared = f.blob("base", f.bytes(800));
        f.age();
        assertThat(f.registry.blobs().mount(GcFixture.NS, new RepositoryName("base"), new RepositoryName("app"),
                shared)).isPresent();

        f.gc(false);

        assertThat(f.hasLink("base", shared)).isFalse();
        assertThat(f.hasLink("app", shared)).isTrue();
        f.assertHashes(shared);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stores")
    void aLinkNoManifestOfItsRepositoryReferencesGoesWhileTheBlobStaysForAnother(String name,
            Function<Path, ObjectStore> backend) {
        GcFixture f = fixture(backend);
        GcFixture.Pushed image = f.image("app", "v1", 1);
        Digest layer = image.blobs().get(1);
        f.registry.blobs().mount(GcFixture.NS, new RepositoryName("app"), new RepositoryName("other"), layer);
        f.age();

        f.gc(false);

        assertThat(f.hasLink("other", layer)).isFalse();
        f.assertComplete("app", image);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stores")
    void aManifestPushedDuringTheSweepRefreshesTheOldBlobsItNeeds(String name, Function<Path, ObjectStore> backend) {
        GcFixture f = fixture(backend);
        byte[] layer = f.bytes(600);
        Digest old = f.blob("app", layer);
        f.age();
        // The manifest arrives after the collector's mark phase has passed this repository.
        f.registry.blobs().confirm(GcFixture.NS, new RepositoryName("app"), old);
        GcFixture.Pushed image = f.image("app", "v1", List.of(layer), null);

        f.gc(true);

        f.assertComplete("app", image);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stores")
    void dryRunDeletesNothingAndReportsSizes(String name, Function<Path, ObjectStore> backend) {
        GcFixture f = fixture(backend);
        f.image("app", "v1", 1);
        Digest orphan = f.blob("app", f.bytes(4321));
        GcFixture.Pushed untagged = f.image("app", null, 1);
        f.age();
        var before = f.snapshot();
        List<GcVictim> victims = new ArrayList<>();

        GcReport report = new GarbageCollector(f.store, f.clock).collect(GcFixture.NS,
                f.options(true).withDryRun(true), new GcListener() {
                    @Override
                    public void victim(GcVictim victim) {
                        victims.add(victim);
                    }
                });

        assertThat(f.snapshot()).isEqualTo(before);
        assertThat(report.dryRun()).isTrue();
        assertThat(victims).anySatisfy(v -> {
            assertThat(v.kind()).isEqualTo("blob");
            assertThat(v.key()).isEqualTo(StorageLayout.blobData(GcFixture.NS, orphan));
            assertThat(v.size()).isEqualTo(4321);
        });
        assertThat(victims).anySatisfy(v -> assertThat(v.key())
                .isEqualTo(StorageLayout.manifestRevision(GcFixture.NS, new RepositoryName("app"), untagged.digest())));
        assertThat(report.deleted()).isEqualTo(victims.size());
        assertThat(report.bytesFreed()).isEqualTo(victims.stream().mapToLong(GcVictim::size).sum());

        GcReport real = f.gc(true);
        assertThat(real.bytesFreed()).isEqualTo(report.bytesFreed());
        assertThat(f.hasData(orphan)).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource({"stores", "realStores"})
    void chunksOfLiveUploadsSurviveAndOrphanChunksGo(String name, Function<Path, ObjectStore> backend) {
        GcFixture f = fixture(backend);
        RepositoryName app = new RepositoryName("app");
        UploadRecord live = f.registry.uploads().start(GcFixture.NS, app, DigestAlgorithm.SHA256);
        f.registry.uploads().append(GcFixture.NS, app, live.id(),
                new IncomingChunk(new ByteArrayInputStream(f.bytes(100)), 100, null));
        UploadRecord abandoned = f.registry.uploads().start(GcFixture.NS, app, DigestAlgorithm.SHA256);
        f.registry.uploads().append(GcFixture.NS, app, abandoned.id(),
                new IncomingChunk(new ByteArrayInputStream(f.bytes(200)), 200, null));
        f.store.delete(StorageLayout.uploadRecord(GcFixture.NS, abandoned.id()));
        f.age();

        GcReport report = f.gc(false);

        assertThat(f.store.stat(StorageLayout.uploadChunk(GcFixture.NS, live.id(), 1))).isPresent();
        assertThat(f.store.stat(StorageLayout.uploadChunk(GcFixture.NS, abandoned.id(), 1))).isEmpty();
        assertThat(report.bytesFreed()).isEqualTo(200);
        // the live upload still completes
        assertThat(f.registry.uploads().status(GcFixture.NS, app, live.id()).offset()).isEqualTo(100);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stores")
    void aDeletedBlobIsNotServedAgainAfterCollection(String name, Function<Path, ObjectStore> backend) {
        GcFixture f = fixture(backend);
        RepositoryName app = new RepositoryName("app");
        Digest gone = f.blob("app", f.bytes(10));
        f.registry.blobs().unlink(GcFixture.NS, app, gone);
        f.age();

        f.gc(false);

        assertThat(f.hasData(gone)).isFalse();
        try {
            f.registry.blobs().requireConfirmed(GcFixture.NS, app, gone);
            throw new AssertionError("served a collected blob");
        } catch (RegistryException expected) {
            assertThat(expected.getMessage()).contains("unknown");
        }
    }
}
