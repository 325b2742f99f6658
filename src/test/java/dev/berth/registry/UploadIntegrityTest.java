package dev.berth.registry;

import static dev.berth.storage.FaultInjectingStore.Op.CONCATENATE;
import static dev.berth.storage.FaultInjectingStore.Op.MOVE;
import static dev.berth.storage.FaultInjectingStore.Op.PUT;
import static dev.berth.storage.FaultInjectingStore.Op.STAT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.config.BerthConfig;
import dev.berth.registry.digest.Digest;
import dev.berth.registry.digest.DigestAlgorithm;
import dev.berth.storage.CheckedStore;
import dev.berth.storage.FaultInjectingStore;
import dev.berth.storage.FaultInjectingStore.Action;
import dev.berth.storage.FaultInjectingStore.Rule;
import dev.berth.storage.FilesystemStore;
import dev.berth.storage.MemoryStore;
import dev.berth.storage.ObjectStore;
import dev.berth.storage.PutCondition;
import dev.berth.storage.StorageException;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The hand-off checks of uploads against a backend that misbehaves: a chunk the store got wrong is never recorded
 * and can be resent, and a finalize that goes wrong publishes nothing, so no wrong bytes ever sit under a digest.
 */
class UploadIntegrityTest {
    private static final Namespace NS = Namespace.DEFAULT;
    private static final RepositoryName REPO = new RepositoryName("team/app");
    private static final int SIZE = 10_000;
    private static final int FIRST = 4_000;

    /** The backends under the faults: they differ in how they move and concatenate. */
    enum Backend { MEMORY, FILESYSTEM }

    @TempDir
    Path dir;

    private FaultInjectingStore faults;
    private ObjectStore store;
    private Registry registry;
    private final byte[] data = random(SIZE, 42);
    private final Digest digest = Digest.sha256(data);

    private void open(Backend backend) {
        faults = new FaultInjectingStore(backend == Backend.MEMORY ? new MemoryStore() : new FilesystemStore(dir));
        store = CheckedStore.of(faults);
        registry = Registry.open(store, BerthConfig.defaults(), Clock.systemUTC());
    }

    static Stream<Arguments> chunkFaults() {
        return Stream.of(
                Arguments.of("a byte flipped while streaming", Action.corruptPut(2_500)),
                Arguments.of("a truncated object", Action.truncatePut(3_000)),
                Arguments.of("a store that stopped reading early", Action.stopReadingPut(3_000)),
                Arguments.of("a wrong CRC32C reported", Action.wrongCrc32c()),
                Arguments.of("a wrong size reported", Action.wrongSize()),
                Arguments.of("a refused put", Action.fail()),
                Arguments.of("a put that timed out", Action.timeout(Duration.ofMillis(50))),
                Arguments.of("a put that failed after the object was stored", Action.failAfterApplying()))
                .flatMap(a -> Arrays.stream(Backend.values()).map(b -> Arguments.of(b, a.get()[0], a.get()[1])));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("chunkFaults")
    void chunkTheStoreGotWrongIsNotRecordedAndCanBeResent(Backend backend, String fault, Action action) throws Exception {
        open(backend);
        UploadRecord upload = registry.uploads().start(NS, REPO, DigestAlgorithm.SHA256);
        registry.uploads().append(NS, REPO, upload.id(), chunk(0, FIRST, true));
        Rule rule = faults.once(PUT, "/chunk-000002$", action);

        try (LogCapture logs = new LogCapture()) {
            assertThatThrownBy(() -> registry.uploads().append(NS, REPO, upload.id(), chunk(FIRST, SIZE, true)))
                    .isInstanceOf(StorageException.class)
                    .hasMessageContaining(upload.id());
            assertThat(logs.mentioning(upload.id())).as("a log line naming the upload").isNotEmpty();
        }
        assertThat(rule.fired()).isEqualTo(1);
        assertThat(registry.uploads().status(NS, REPO, upload.id()).offset()).isEqualTo(FIRST);
        assertThat(store.stat(StorageLayout.uploadChunk(NS, upload.id(), 2))).isEmpty();

        // The client resends the same chunk at the offset the upload reports, and the blob comes out whole.
        registry.uploads().append(NS, REPO, upload.id(), chunk(FIRST, SIZE, true));
        registry.uploads().complete(NS, REPO, upload.id(), digest, null);
        assertPublishedCorrectly();
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void streamedChunkThatTheStoreTruncatedIsNotRecorded(Backend backend) throws Exception {
        open(backend);
        UploadRecord upload = registry.uploads().start(NS, REPO, DigestAlgorithm.SHA256);
        faults.once(PUT, "/chunk-000001$", Action.truncatePut(1_000));

        // No Content-Range: only the store's report can reveal that bytes went missing.
        assertThatThrownBy(() -> registry.uploads().append(NS, REPO, upload.id(), chunk(0, SIZE, false)))
                .isInstanceOf(StorageException.class);
        assertThat(registry.uploads().status(NS, REPO, upload.id()).offset()).isZero();

        registry.uploads().complete(NS, REPO, upload.id(), digest, chunk(0, SIZE, false));
        assertPublishedCorrectly();
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void streamedChunkThatTheStoreStoppedReadingEarlyIsNotRecorded(Backend backend) throws Exception {
        open(backend);
        UploadRecord upload = registry.uploads().start(NS, REPO, DigestAlgorithm.SHA256);
        faults.once(PUT, "/chunk-000001$", Action.stopReadingPut(1_000));

        // The store took 1,000 bytes and says so truthfully; the 9,000 the client sent after them must not be lost.
        assertThatThrownBy(() -> registry.uploads().append(NS, REPO, upload.id(), chunk(0, SIZE, false)))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining(upload.id());
        assertThat(registry.uploads().status(NS, REPO, upload.id()).offset()).isZero();
        assertThat(store.stat(StorageLayout.uploadChunk(NS, upload.id(), 1))).isEmpty();

        registry.uploads().complete(NS, REPO, upload.id(), digest, chunk(0, SIZE, false));
        assertPublishedCorrectly();
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void recordReportedWithAWrongEtagTurnsTheChunkIntoAConflictTheClientCanResend(Backend backend) throws Exception {
        open(backend);
        UploadRecord upload = uploadInChunks(FIRST);
        // The etag is the record's version: a wrong one looks exactly like another request having moved the upload
        // on, so the guarded record write refuses the chunk rather than overwrite an unseen change.
        Rule rule = faults.once(STAT, upload.id() + "/_record$", Action.wrongEtag());

        assertThatThrownBy(() -> registry.uploads().append(NS, REPO, upload.id(), chunk(FIRST, SIZE, true)))
                .isInstanceOfSatisfying(RegistryException.class, e -> {
                    assertThat(e.status()).isEqualTo(416);
                    assertThat(e.headers()).containsEntry("Range", "0-" + (FIRST - 1));
                });
        assertThat(rule.fired()).isEqualTo(1);
        assertThat(store.stat(StorageLayout.uploadChunk(NS, upload.id(), 2))).isEmpty();

        registry.uploads().append(NS, REPO, upload.id(), chunk(FIRST, SIZE, true));
        registry.uploads().complete(NS, REPO, upload.id(), digest, null);
        assertPublishedCorrectly();
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void failedMoveOfTheOnlyChunkPublishesNothingAndCompletingAgainWorks(Backend backend) throws Exception {
        open(backend);
        UploadRecord upload = uploadInChunks(SIZE);
        Rule rule = faults.once(MOVE, "/data$", Action.fail());

        assertFinalizeFailsAndPublishesNothing(upload);
        assertThat(rule.fired()).isEqualTo(1);

        registry.uploads().complete(NS, REPO, upload.id(), digest, null);
        assertPublishedCorrectly();
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void moveThatLosesTheBlobPublishesNothingAndAFreshUploadWorks(Backend backend) throws Exception {
        open(backend);
        UploadRecord upload = uploadInChunks(SIZE);
        faults.once(MOVE, "/data$", Action.loseTarget());

        assertFinalizeFailsAndPublishesNothing(upload);

        pushAgain();
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void moveThatCorruptsTheBlobLeavesNoWrongBytesUnderItsDigest(Backend backend) throws Exception {
        open(backend);
        UploadRecord upload = uploadInChunks(FIRST, SIZE);
        Rule rule = faults.once(MOVE, "/data$", Action.corruptTarget());

        assertFinalizeFailsAndPublishesNothing(upload);
        assertThat(rule.fired()).isEqualTo(1);

        // Neither the same upload completed again nor another push of the same content may adopt the bad bytes.
        registry.uploads().complete(NS, REPO, upload.id(), digest, null);
        assertPublishedCorrectly();
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void moveThatFailsAfterTakingEffectLinksNothingAndCompletingAgainWorks(Backend backend) throws Exception {
        open(backend);
        UploadRecord upload = uploadInChunks(SIZE);
        faults.once(MOVE, "/data$", Action.failAfterApplying());

        assertThatThrownBy(() -> registry.uploads().complete(NS, REPO, upload.id(), digest, null))
                .isInstanceOf(StorageException.class);
        // The repository does not see the blob; whatever bytes the move left under the digest are the right ones.
        assertThat(registry.blobs().stat(NS, REPO, digest)).isEmpty();
        if (store.stat(StorageLayout.blobData(NS, digest)).isPresent()) {
            assertThat(Digest.sha256(store.read(StorageLayout.blobData(NS, digest)))).isEqualTo(digest);
        }

        registry.uploads().complete(NS, REPO, upload.id(), digest, null);
        assertPublishedCorrectly();
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void concatenationWithWrongContentPublishesNothingAndCompletingAgainWorks(Backend backend) throws Exception {
        open(backend);
        UploadRecord upload = uploadInChunks(FIRST, 7_000, SIZE);
        Rule rule = faults.once(CONCATENATE, "/assembled$", Action.corruptTarget());

        assertFinalizeFailsAndPublishesNothing(upload);
        assertThat(rule.fired()).isEqualTo(1);

        registry.uploads().complete(NS, REPO, upload.id(), digest, null);
        assertPublishedCorrectly();
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void concatenationReportingTheWrongSizePublishesNothing(Backend backend) throws Exception {
        open(backend);
        UploadRecord upload = uploadInChunks(FIRST, SIZE);
        faults.once(CONCATENATE, "/assembled$", Action.wrongSize());

        assertFinalizeFailsAndPublishesNothing(upload);

        registry.uploads().complete(NS, REPO, upload.id(), digest, null);
        assertPublishedCorrectly();
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void chunkWhoseStoredMetadataChangedBeforeFinalizePublishesNothing(Backend backend) throws Exception {
        open(backend);
        UploadRecord upload = uploadInChunks(FIRST, SIZE);
        Rule rule = faults.once(STAT, "/chunk-000002$", Action.wrongCrc32c());

        assertFinalizeFailsAndPublishesNothing(upload);
        assertThat(rule.fired()).isEqualTo(1);

        registry.uploads().complete(NS, REPO, upload.id(), digest, null);
        assertPublishedCorrectly();
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void wrongBytesAlreadyUnderADigestAreReplacedNotAdopted(Backend backend) throws Exception {
        open(backend);
        // Left by a broken backend: the right size under the digest, the wrong content.
        byte[] wrong = data.clone();
        wrong[SIZE / 2] ^= 0x01;
        store.put(StorageLayout.blobData(NS, digest), wrong, PutCondition.always());

        pushAgain();
    }

    // ---- helpers

    /** Completing fails with the upload id in the error and the log; the repository sees nothing, no bytes sit under the digest. */
    private void assertFinalizeFailsAndPublishesNothing(UploadRecord upload) {
        try (LogCapture logs = new LogCapture()) {
            assertThatThrownBy(() -> registry.uploads().complete(NS, REPO, upload.id(), digest, null))
                    .isInstanceOf(StorageException.class)
                    .hasMessageContaining(upload.id());
            assertThat(logs.mentioning(upload.id())).as("a log line naming the upload").isNotEmpty();
        }
        assertThat(registry.blobs().stat(NS, REPO, digest)).isEmpty();
        assertThat(store.stat(StorageLayout.blobData(NS, digest))).isEmpty();
    }

    /** A whole new upload of the same content, the way a client retries a failed push. */
    private void pushAgain() throws Exception {
        UploadRecord retry = uploadInChunks(FIRST, SIZE);
        registry.uploads().complete(NS, REPO, retry.id(), digest, null);
        assertPublishedCorrectly();
    }

    private void assertPublishedCorrectly() throws Exception {
        assertThat(registry.blobs().stat(NS, REPO, digest).map(BlobInfo::size)).contains((long) SIZE);
        try (InputStream in = registry.blobs().open(NS, digest, 0, -1)) {
            assertThat(Digest.sha256(in.readAllBytes())).isEqualTo(digest);
        }
    }

    /** Starts an upload and appends chunks ending at each of {@code ends}, with a Content-Range each. */
    private UploadRecord uploadInChunks(int... ends) {
        UploadRecord upload = registry.uploads().start(NS, REPO, DigestAlgorithm.SHA256);
        int from = 0;
        for (int end : ends) {
            registry.uploads().append(NS, REPO, upload.id(), chunk(from, end, true));
            from = end;
        }
        return upload;
    }

    private IncomingChunk chunk(int from, int to, boolean withRange) {
        InputStream body = new ByteArrayInputStream(Arrays.copyOfRange(data, from, to));
        return withRange
                ? new IncomingChunk(body, to - from, new ChunkRange(from, to - 1))
                : new IncomingChunk(body, -1, null);
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }
}
