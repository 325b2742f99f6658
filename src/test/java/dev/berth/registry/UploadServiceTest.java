package dev.berth.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.config.BerthConfig;
import dev.berth.registry.digest.Digest;
import dev.berth.registry.digest.DigestAlgorithm;
import dev.berth.storage.CheckedStore;
import dev.berth.storage.FilesystemStore;
import dev.berth.storage.MemoryStore;
import dev.berth.storage.ObjectInfo;
import dev.berth.storage.ObjectStore;
import dev.berth.storage.StorageException;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UploadServiceTest {
    private static final Namespace NS = Namespace.DEFAULT;
    private static final RepositoryName REPO = new RepositoryName("team/app");

    private static Registry registry(ObjectStore store) {
        return Registry.open(store, BerthConfig.defaults(), Clock.systemUTC());
    }

    private static byte[] random(int size, long seed) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return data;
    }

    private static InputStream in(byte[] data, int from, int to) {
        return new ByteArrayInputStream(Arrays.copyOfRange(data, from, to));
    }

    private static IncomingChunk chunk(InputStream body, ChunkRange range) {
        return new IncomingChunk(body, -1, range);
    }

    private static byte[] readBlob(Registry r, Digest d) throws Exception {
        try (InputStream in = r.blobs().open(NS, d, 0, -1)) {
            return in.readAllBytes();
        }
    }

    @Test
    void completingAChunkedUploadComparesDigestsWithoutReadingTheDataAgain() throws Exception {
        ReadCountingStore store = new ReadCountingStore(CheckedStore.of(new MemoryStore()));
        Registry r = registry(store);
        byte[] data = random(3 * 1024 * 1024 + 17, 1);
        Digest digest = Digest.sha256(data);

        UploadRecord upload = r.uploads().start(NS, REPO, DigestAlgorithm.SHA256);
        r.uploads().append(NS, REPO, upload.id(), chunk(in(data, 0, 1 << 20), new ChunkRange(0, (1 << 20) - 1)));
        r.uploads().append(NS, REPO, upload.id(), chunk(in(data, 1 << 20, 2 << 20), null));
        long readBeforeCompletion = store.bytesRead();
        r.uploads().complete(NS, REPO, upload.id(), digest, chunk(in(data, 2 << 20, data.length), null));

        // Only the small upload record is read back; the chunk data never is.
        assertThat(store.bytesRead() - readBeforeCompletion).isLessThan(4096);
        assertThat(readBlob(r, digest)).isEqualTo(data);
        assertThat(r.blobs().stat(NS, REPO, digest).map(BlobInfo::size)).contains((long) data.length);
    }

    @Test
    void theBenchmarkOnlyInMemoryDigestsCompleteTheSameBlobButLeaveTheRecordsStateAtTheStart() throws Exception {
        MemoryStore store = new MemoryStore();
        Registry r = Registry.open(CheckedStore.of(store), BerthConfig.defaults(), Clock.systemUTC(),
                UploadDigests.inProcessMemory());
        byte[] data = random(2 * 1024 * 1024 + 5, 7);
        Digest digest = Digest.sha256(data);

        UploadRecord upload = r.uploads().start(NS, REPO, DigestAlgorithm.SHA256);
        UploadRecord afterOne = r.uploads().append(NS, REPO, upload.id(), chunk(in(data, 0, 1 << 20), null));
        assertThat(afterOne.digestState()).isEqualTo(upload.digestState());
        r.uploads().append(NS, REPO, upload.id(), chunk(in(data, 1 << 20, 2 << 20), null));
        r.uploads().complete(NS, REPO, upload.id(), digest, chunk(in(data, 2 << 20, data.length), null));

        assertThat(readBlob(r, digest)).isEqualTo(data);
    }

    @Test
    void sha512DigestForASha256SessionIsAcceptedByReReadingTheStoredChunks() throws Exception {
        ReadCountingStore store = new ReadCountingStore(CheckedStore.of(new MemoryStore()));
        Registry r = registry(store);
        byte[] data = random(200_000, 2);
        Digest sha512 = Digest.of(DigestAlgorithm.SHA512, data);

        UploadRecord upload = r.uploads().start(NS, REPO, DigestAlgorithm.SHA256);
        r.uploads().append(NS, REPO, upload.id(), chunk(in(data, 0, 100_000), null));
        r.uploads().append(NS, REPO, upload.id(), chunk(in(data, 100_000, data.length), null));
        long before = store.bytesRead();
        r.uploads().complete(NS, REPO, upload.id(), sha512, null);

        assertThat(store.bytesRead() - before).isGreaterThanOrEqualTo(data.length);
        assertThat(readBlob(r, sha512)).isEqualTo(data);
    }

    @Test
    void uploadStartedInOneRegistryInstanceContinuesInAnotherOnTheSameDirectory(@TempDir Path dir) throws Exception {
        Registry first = registry(CheckedStore.of(new FilesystemStore(dir)));
        byte[] data = random(500_000, 3);
        Digest digest = Digest.sha256(data);
        UploadRecord upload = first.uploads().start(NS, REPO, DigestAlgorithm.SHA256);
        first.uploads().append(NS, REPO, upload.id(), chunk(in(data, 0, 123_457), null));

        Registry second = registry(CheckedStore.of(new FilesystemStore(dir)));
        assertThat(second.uploads().status(NS, REPO, upload.id()).offset()).isEqualTo(123_457);
        second.uploads().append(NS, REPO, upload.id(), chunk(in(data, 123_457, 400_000), new ChunkRange(123_457, 399_999)));
        first.uploads().complete(NS, REPO, upload.id(), digest, chunk(in(data, 400_000, data.length), null));

        assertThat(readBlob(second, digest)).isEqualTo(data);
    }

    @Test
    void chunkThatTheStoreReportsWronglyIsNotRecordedAndTheUploadStaysAtItsLastVerifiedOffset() {
        ReadCountingStore store = new ReadCountingStore(CheckedStore.of(new MemoryStore()));
        Registry r = registry(store);
        byte[] data = random(10_000, 4);
        UploadRecord upload = r.uploads().start(NS, REPO, DigestAlgorithm.SHA256);
        r.uploads().append(NS, REPO, upload.id(), chunk(in(data, 0, 5_000), null));

        store.misreportPuts(info -> info.key().contains("chunk-")
                ? new ObjectInfo(info.key(), info.size(), info.etag(), info.lastModified(), "00000000")
                : info);
        assertThatThrownBy(() -> r.uploads().append(NS, REPO, upload.id(), chunk(in(data, 5_000, 10_000), null)))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining(upload.id());

        store.misreportPuts(info -> info);
        assertThat(r.uploads().status(NS, REPO, upload.id()).offset()).isEqualTo(5_000);
        assertThat(store.stat(StorageLayout.uploadChunk(NS, upload.id(), 2))).isEmpty();
        // The client resends the chunk and the upload completes with the right content.
        r.uploads().append(NS, REPO, upload.id(), chunk(in(data, 5_000, 10_000), new ChunkRange(5_000, 9_999)));
        r.uploads().complete(NS, REPO, upload.id(), Digest.sha256(data), null);
    }

    @Test
    void wrongDigestPublishesNothingAndCancelsTheUpload() {
        ObjectStore store = CheckedStore.of(new MemoryStore());
        Registry r = registry(store);
        byte[] data = random(1000, 5);
        Digest wrong = Digest.sha256("something else".getBytes());
        UploadRecord upload = r.uploads().start(NS, REPO, DigestAlgorithm.SHA256);

        assertThatThrownBy(() -> r.uploads().complete(NS, REPO, upload.id(), wrong, chunk(in(data, 0, 1000), null)))
                .isInstanceOfSatisfying(RegistryException.class,
                        e -> assertThat(e.errors().get(0).code()).isEqualTo(ErrorCode.DIGEST_INVALID));
        assertThat(store.stat(StorageLayout.blobData(NS, wrong))).isEmpty();
        assertThat(store.stat(StorageLayout.blobData(NS, Digest.sha256(data)))).isEmpty();
        assertThat(store.list(StorageLayout.uploadsPrefix(NS), null, 10).entries()).isEmpty();
    }

    @Test
    void outOfOrderChunkIsRefusedWith416AndTheCurrentRange() {
        Registry r = registry(CheckedStore.of(new MemoryStore()));
        byte[] data = random(100, 6);
        UploadRecord upload = r.uploads().start(NS, REPO, DigestAlgorithm.SHA256);
        r.uploads().append(NS, REPO, upload.id(), chunk(in(data, 0, 50), new ChunkRange(0, 49)));

        assertThatThrownBy(() -> r.uploads().append(NS, REPO, upload.id(), chunk(in(data, 0, 50), new ChunkRange(0, 49))))
                .isInstanceOfSatisfying(RegistryException.class, e -> {
                    assertThat(e.status()).isEqualTo(416);
                    assertThat(e.headers()).containsEntry("Range", "0-49");
                });
        assertThat(r.uploads().status(NS, REPO, upload.id()).offset()).isEqualTo(50);
    }

    @Test
    void uploadIsUnknownInAnotherRepository() {
        Registry r = registry(CheckedStore.of(new MemoryStore()));
        UploadRecord upload = r.uploads().start(NS, REPO, DigestAlgorithm.SHA256);
        assertThatThrownBy(() -> r.uploads().status(NS, new RepositoryName("other"), upload.id()))
                .isInstanceOfSatisfying(RegistryException.class,
                        e -> assertThat(e.errors().get(0).code()).isEqualTo(ErrorCode.BLOB_UPLOAD_UNKNOWN));
    }

    @Test
    void identicalConcurrentUploadsAllSucceed(@TempDir Path dir) throws Exception {
        Registry r = registry(CheckedStore.of(new FilesystemStore(dir)));
        byte[] data = random(2 * 1024 * 1024, 7);
        Digest digest = Digest.sha256(data);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<BlobInfo>> results = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                RepositoryName repo = new RepositoryName("repo" + (i % 4));
                Callable<BlobInfo> push = () -> {
                    UploadRecord u = r.uploads().start(NS, repo, DigestAlgorithm.SHA256);
                    r.uploads().append(NS, repo, u.id(), chunk(in(data, 0, 1 << 20), null));
                    return r.uploads().complete(NS, repo, u.id(), digest, chunk(in(data, 1 << 20, data.length), null));
                };
                results.add(pool.submit(push));
            }
            for (Future<BlobInfo> f : results) {
                assertThat(f.get()).isEqualTo(new BlobInfo(digest, data.length));
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(readBlob(r, digest)).isEqualTo(data);
    }
}
