package dev.berth.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.config.BerthConfig.VerifyOnRead;
import dev.berth.config.BerthConfig.VerifyPolicy;
import dev.berth.registry.digest.Digest;
import dev.berth.storage.MemoryStore;
import dev.berth.storage.ObjectInfo;
import dev.berth.storage.PutCondition;
import dev.berth.storage.StorageException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Random;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;

/** Verify on read: which reads each policy hashes, and what a read of a corrupt blob delivers. */
class BlobReaderTest {
    private static final Namespace NS = Namespace.DEFAULT;
    private static final int SIZE = 1_000_000;
    private static final int BUFFER = 64 * 1024;

    private final FlippingReadStore store = new FlippingReadStore(new MemoryStore());
    private final byte[] content = randomBytes(SIZE);
    private final Digest digest = Digest.sha256(content);
    /** The numbers a reader draws to sample later reads; a test queues them, and an empty queue draws 0.99. */
    private final Deque<Double> draws = new ArrayDeque<>();

    @Test
    void alwaysHashesEveryFullReadAndNoPartialRangeRead() throws IOException {
        BlobReader reader = reader(VerifyPolicy.ALWAYS, 0);
        BlobInfo blob = publish(content);

        assertThat(readAll(reader, blob)).isEqualTo(content);
        assertThat(readAll(reader, blob)).isEqualTo(content);
        try (InputStream in = reader.open(NS, blob, 10, 1000)) {
            assertThat(in.readAllBytes()).isEqualTo(Arrays.copyOfRange(content, 10, 1010));
        }
        try (InputStream in = reader.open(NS, blob, 0, SIZE - 1)) {
            in.readAllBytes();
        }

        assertThat(reader.stats()).isEqualTo(new BlobReader.Stats(2, 2, 0));
        assertThat(store.stat(StorageLayout.blobVerified(NS, digest))).as("no marker under always").isEmpty();
    }

    @Test
    void aCorruptBlobIsNeverDeliveredWholeAndIsQuarantined() {
        BlobReader reader = reader(VerifyPolicy.ALWAYS, 0);
        BlobInfo blob = publish(flipped(content, SIZE / 2));
        List<Integer> delivered = new ArrayList<>();

        assertThatThrownBy(() -> copy(reader.open(NS, blob, 0, SIZE), delivered))
                .isInstanceOf(CorruptBlobException.class)
                .hasMessageContaining(digest.toString())
                .hasMessageContaining("quarantined to " + StorageLayout.quarantinePrefix(NS));

        // Everything streamed as it came, except the last read, which was withheld.
        int total = delivered.stream().mapToInt(Integer::intValue).sum();
        assertThat(total).isEqualTo(SIZE - (SIZE % BUFFER == 0 ? BUFFER : SIZE % BUFFER));
        assertThat(store.stat(StorageLayout.blobData(NS, digest))).as("moved out of its place").isEmpty();
        assertThat(keysUnder(StorageLayout.quarantinePrefix(NS))).hasSize(2);
        assertThat(reader.stats()).isEqualTo(new BlobReader.Stats(1, 0, 1));
    }

    @Test
    void sampleHashesTheFirstReadOfAVersionThenOnlyTheDrawnShare() throws IOException {
        BlobReader reader = reader(VerifyPolicy.SAMPLE, 0.01);
        BlobInfo blob = publish(content);

        readAll(reader, blob);
        assertThat(reader.stats().hashed()).as("the first read").isEqualTo(1);
        ObjectInfo data = store.stat(StorageLayout.blobData(NS, digest)).orElseThrow();
        assertThat(new String(store.read(StorageLayout.blobVerified(NS, digest)), StandardCharsets.UTF_8))
                .as("the marker names the version verified").isEqualTo(data.etag());

        draws.addAll(List.of(0.5, 0.005, 0.011, 0.0));
        for (int i = 0; i < 4; i++) {
            readAll(reader, blob);
        }
        assertThat(reader.stats()).as("draws below the rate").isEqualTo(new BlobReader.Stats(3, 3, 0));

        // Another process sharing the store finds the marker: its first read is a later read too.
        BlobReader other = reader(VerifyPolicy.SAMPLE, 0.01);
        readAll(other, blob);
        assertThat(other.stats().hashed()).isZero();
    }

    @Test
    void aFirstReadEndsBeforeItsMarkerIsWrittenAndTheProcessRemembersTheVersionMeanwhile() throws IOException {
        List<Runnable> pendingWrites = new ArrayList<>();
        BlobReader reader = new BlobReader(store, new Quarantine(store, Clock.systemUTC()),
                new VerifyOnRead(VerifyPolicy.SAMPLE, 0), () -> 0.99, pendingWrites::add);
        BlobInfo blob = publish(content);

        assertThat(readAll(reader, blob)).isEqualTo(content);
        assertThat(pendingWrites).hasSize(1);
        assertThat(store.stat(StorageLayout.blobVerified(NS, digest))).as("not written yet").isEmpty();
        readAll(reader, blob);
        assertThat(reader.stats().hashed()).as("remembered before the marker is written").isEqualTo(1);

        pendingWrites.forEach(Runnable::run);
        BlobReader other = reader(VerifyPolicy.SAMPLE, 0);
        readAll(other, blob);
        assertThat(other.stats().hashed()).as("another process finds the marker").isZero();
    }

    @Test
    void sampleHashesABlobAgainOnceItIsWrittenAgain() throws IOException {
        BlobReader reader = reader(VerifyPolicy.SAMPLE, 0);
        BlobInfo blob = publish(content);
        readAll(reader, blob);
        readAll(reader, blob);
        assertThat(reader.stats().hashed()).isEqualTo(1);

        BlobInfo rewritten = publish(content); // a new version: a new etag
        assertThat(rewritten.etag()).isNotEqualTo(blob.etag());
        readAll(reader, rewritten);
        readAll(reader, rewritten);
        assertThat(reader.stats().hashed()).isEqualTo(2);
    }

    @Test
    void sampleRefusesABlobChangedSinceItWasWrittenOnItsFirstRead() {
        BlobReader reader = reader(VerifyPolicy.SAMPLE, 0);
        BlobInfo blob = rotted(content, SIZE - 1);

        assertThatThrownBy(() -> readAll(reader, blob)).isInstanceOf(CorruptBlobException.class)
                .hasMessageContaining("crc32c").hasMessageContaining("quarantined to");
        assertThat(store.stat(StorageLayout.blobVerified(NS, digest))).isEmpty();
        assertThat(store.stat(StorageLayout.blobData(NS, digest))).isEmpty();
        assertThat(reader.stats()).isEqualTo(new BlobReader.Stats(1, 0, 1));
    }

    @Test
    void sampleHashesTheFirstReadOfABlobWhoseStoreKeepsNoCrc32c() {
        BlobReader reader = reader(VerifyPolicy.SAMPLE, 0);
        BlobInfo flipped = publish(flipped(content, 0));
        BlobInfo blob = new BlobInfo(digest, flipped.size(), flipped.etag(), null);

        // The flipped bytes were stored as they are, so only their digest shows they are not the blob's.
        assertThatThrownBy(() -> readAll(reader, blob)).isInstanceOf(CorruptBlobException.class)
                .hasMessageContaining("came to " + Digest.sha256(flipped(content, 0)));
        assertThat(store.stat(StorageLayout.blobData(NS, digest))).isEmpty();
    }

    @Test
    void aFirstReadWhoseOnlyFaultIsAWrongKeptCrc32cIsRefusedAndTheBlobMarkedByItsSecondRead() throws IOException {
        BlobReader reader = reader(VerifyPolicy.SAMPLE, 0);
        BlobInfo published = publish(content);
        BlobInfo blob = new BlobInfo(digest, published.size(), published.etag(), "00000000");

        assertThatThrownBy(() -> readAll(reader, blob)).isInstanceOf(CorruptBlobException.class)
                .hasMessageContaining("a second read hashes right");

        assertThat(store.stat(StorageLayout.blobVerified(NS, digest))).as("the second read verified it").isPresent();
        assertThat(readAll(reader, blob)).isEqualTo(content);
        assertThat(reader.stats()).isEqualTo(new BlobReader.Stats(1, 0, 1));
    }

    @Test
    void offNeverHashesAndServesWhatTheStoreHolds() throws IOException {
        BlobReader reader = reader(VerifyPolicy.OFF, 1);
        byte[] wrong = flipped(content, 7);
        BlobInfo blob = publish(wrong);

        assertThat(readAll(reader, blob)).isEqualTo(wrong);
        assertThat(readAll(reader, blob)).isEqualTo(wrong);

        assertThat(reader.stats()).isEqualTo(new BlobReader.Stats(0, 0, 0));
        assertThat(store.stat(StorageLayout.blobVerified(NS, digest))).isEmpty();
        assertThat(store.stat(StorageLayout.blobData(NS, digest))).isPresent();
    }

    @Test
    void aReadThatIsWrongOnceIsRefusedButTheBlobStaysWhenASecondReadIsRight() throws IOException {
        BlobReader reader = reader(VerifyPolicy.ALWAYS, 0);
        BlobInfo blob = publish(content);
        store.flipNextReads("/data", 1);

        try (LogCapture logs = new LogCapture()) {
            assertThatThrownBy(() -> readAll(reader, blob)).isInstanceOf(CorruptBlobException.class)
                    .hasMessageContaining("a second read hashes right");
            assertThat(logs.mentioning(digest.toString())).isNotEmpty();
        }

        assertThat(store.stat(StorageLayout.blobData(NS, digest))).isPresent();
        assertThat(keysUnder(StorageLayout.quarantinePrefix(NS))).isEmpty();
        assertThat(readAll(reader, blob)).isEqualTo(content);
    }

    @Test
    void anEmptyBlobIsCheckedWithoutReading() throws IOException {
        BlobReader reader = reader(VerifyPolicy.ALWAYS, 0);
        Digest empty = Digest.sha256(new byte[0]);
        store.put(StorageLayout.blobData(NS, empty), new byte[0], PutCondition.always());
        try (InputStream in = reader.open(NS, new BlobInfo(empty, 0), 0, 0)) {
            assertThat(in.read()).isEqualTo(-1);
        }

        // Bytes lost down to nothing: an empty body would look like a whole one, so it is refused up front.
        store.put(StorageLayout.blobData(NS, digest), new byte[0], PutCondition.always());
        assertThatThrownBy(() -> reader.open(NS, new BlobInfo(digest, 0), 0, 0))
                .isInstanceOf(StorageException.class).hasMessageContaining(digest.toString());
        assertThat(store.stat(StorageLayout.blobData(NS, digest))).isEmpty();
    }

    // ---- helpers

    private BlobReader reader(VerifyPolicy policy, double rate) {
        DoubleSupplier random = () -> draws.isEmpty() ? 0.99 : draws.poll();
        // Markers are written on the reading thread here, so a test sees them as soon as the read returns.
        return new BlobReader(store, new Quarantine(store, Clock.systemUTC()), new VerifyOnRead(policy, rate), random,
                Runnable::run);
    }

    /** Stores {@code bytes} as the blob's data, as a publish would, and returns the blob as a read finds it. */
    private BlobInfo publish(byte[] bytes) {
        ObjectInfo info = store.put(StorageLayout.blobData(NS, digest), bytes, PutCondition.always());
        return new BlobInfo(digest, info.size(), info.etag(), info.crc32c());
    }

    /**
     * Stores {@code bytes} with one byte flipped at {@code position}, but reports the CRC32C of {@code bytes}: a blob
     * whose bytes changed in the store after the upload wrote them and their checksum.
     */
    private BlobInfo rotted(byte[] bytes, int position) {
        BlobInfo written = publish(bytes);
        BlobInfo changed = publish(flipped(bytes, position));
        return new BlobInfo(digest, changed.size(), changed.etag(), written.crc32c());
    }

    private static byte[] readAll(BlobReader reader, BlobInfo blob) throws IOException {
        try (InputStream in = reader.open(NS, blob, 0, blob.size())) {
            return in.readAllBytes();
        }
    }

    /** Reads in buffers as the HTTP layer does, recording how many bytes each read delivered. */
    private static void copy(InputStream in, List<Integer> delivered) throws IOException {
        try (in) {
            byte[] buffer = new byte[BUFFER];
            int n;
            while ((n = in.readNBytes(buffer, 0, BUFFER)) > 0) {
                delivered.add(n);
            }
        }
    }

    private List<String> keysUnder(String prefix) {
        List<String> keys = new ArrayList<>();
        store.listAll(prefix, 100).forEach(info -> keys.add(info.key()));
        return keys;
    }

    private static byte[] flipped(byte[] bytes, int at) {
        byte[] copy = bytes.clone();
        copy[at] ^= 0x01;
        return copy;
    }

    private static byte[] randomBytes(int size) {
        byte[] bytes = new byte[size];
        new Random(7).nextBytes(bytes);
        return bytes;
    }
}
