package dev.berth.storage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What only the Swift backend does: large objects, segment ownership, token renewal, wire corruption. */
class SwiftStoreBackendTest {
    private static final int MIB = 1 << 20;
    private static final SwiftTestServer SWIFT = new SwiftTestServer();

    @BeforeAll
    static void swiftIsRunning() {
        SwiftTestServer.requireRunning();
    }

    private static SwiftStore raw(SwiftLimits limits) {
        return SWIFT.store(SWIFT.freshContainer(), limits);
    }

    /** Everything in the segments container, seen through a second store on it. */
    private static List<String> segmentObjects(SwiftStore store) {
        SwiftStore segments = SWIFT.store(store.segmentsContainer(), SwiftLimits.defaults());
        List<String> names = new ArrayList<>();
        segments.listAll("", 1000).forEach(info -> names.add(info.key()));
        return names;
    }

    @Test
    void capabilitiesAreSwiftAndBestEffort() {
        assertThat(raw(SwiftLimits.defaults()).capabilities()).isEqualTo(new StoreCapabilities("swift", false));
    }

    @Test
    void thePublishPathOfTheRegistryKeepsTheSegmentsAliveUntilTheBlobIsDeleted() {
        SwiftStore store = raw(SwiftLimits.defaults());
        long[] sizes = {MIB + 5, 3, 2 * MIB};
        List<String> chunks = new ArrayList<>();
        long total = 0;
        for (int i = 0; i < sizes.length; i++) {
            String key = "ns/uploads/u/chunk-" + i;
            store.put(key, Patterns.stream(21, total, sizes[i]), sizes[i], PutCondition.ifAbsent());
            chunks.add(key);
            total += sizes[i];
        }

        // As UploadService publishes: concatenate into the assembly key, move it, delete the chunks.
        ObjectInfo assembled = store.concatenate(chunks, "ns/uploads/u/assembly");
        ObjectInfo published = store.move("ns/uploads/u/assembly", "ns/blobs/sha256/ab/abc/data");
        chunks.forEach(store::delete);
        store.delete("ns/uploads/u/assembly");

        assertThat(assembled.crc32c()).isEqualTo(Patterns.crc32c(21, 0, total));
        assertThat(published.size()).isEqualTo(total);
        assertThat(published.crc32c()).isEqualTo(assembled.crc32c());
        Patterns.assertStreamEquals(store.get("ns/blobs/sha256/ab/abc/data", 0, -1), 21, 0, total);
        Patterns.assertStreamEquals(store.get("ns/blobs/sha256/ab/abc/data", MIB, 10), 21, MIB, 10);
        assertThat(segmentObjects(store)).hasSize(3);
        assertThat(store.list("", null, 10).entries()).extracting(ObjectInfo::key)
                .containsExactly("ns/blobs/sha256/ab/abc/data");

        assertThat(store.delete("ns/blobs/sha256/ab/abc/data")).isTrue();
        assertThat(segmentObjects(store)).isEmpty();
        assertThat(store.delete("ns/blobs/sha256/ab/abc/data")).isFalse();
    }

    @Test
    void moreSegmentsThanAManifestHoldsAreNestedAndReadBackWhole() {
        SwiftStore store = raw(new SwiftLimits(3, 5L << 30, 10_000)); // Swift allows 1000; 3 forces 3 levels
        List<String> sources = new ArrayList<>();
        long total = 0;
        for (int i = 0; i < 20; i++) {
            long size = 1000 + i * 37L;
            String key = "ns/parts/p" + String.format("%02d", i);
            store.put(key, Patterns.stream(22, total, size), PutCondition.always());
            sources.add(key);
            total += size;
        }

        ObjectInfo joined = store.concatenate(sources, "ns/joined");

        assertThat(joined.size()).isEqualTo(total);
        assertThat(joined.crc32c()).isEqualTo(Patterns.crc32c(22, 0, total));
        Patterns.assertStreamEquals(store.get("ns/joined", 0, -1), 22, 0, total);
        Patterns.assertStreamEquals(store.get("ns/joined", 5000, 9000), 22, 5000, 9000);
        assertThat(segmentObjects(store)).hasSize(20 + 7 + 2); // 20 segments in 7 manifests of up to 3, those in 2 (+1 alone), 3 at the top

        ObjectInfo moved = store.move("ns/joined", "ns/moved");
        Patterns.assertStreamEquals(store.get("ns/moved", 0, -1), 22, 0, total);
        assertThat(moved.crc32c()).isEqualTo(joined.crc32c());
        store.delete("ns/moved");
        assertThat(segmentObjects(store)).isEmpty();
        assertThat(store.list("ns/parts/", null, 100).entries()).hasSize(20);
    }

    @Test
    void aConcatenationOfALargeObjectCopiesItsContent() {
        SwiftStore store = raw(SwiftLimits.defaults());
        store.put("ns/a", Patterns.bytes(23, 3000), PutCondition.always());
        store.put("ns/b", Patterns.bytes(24, 4000), PutCondition.always());
        store.concatenate(List.of("ns/a", "ns/b"), "ns/ab");

        ObjectInfo twice = store.concatenate(List.of("ns/ab", "ns/a"), "ns/aba");
        store.delete("ns/ab");

        byte[] expected = concat(Patterns.bytes(23, 3000), Patterns.bytes(24, 4000), Patterns.bytes(23, 3000));
        assertThat(store.read("ns/aba")).isEqualTo(expected);
        assertThat(twice.crc32c()).isEqualTo(Patterns.crc32c(expected));
    }

    /** Objects of at most 1 MiB, so that a few MiB take the large-object path of a 5 GiB body. */
    private static SwiftLimits smallObjects() {
        return new SwiftLimits(1000, MIB, 10_000);
    }

    @Test
    void aKnownLengthAboveTheObjectLimitIsStoredAsSegmentsAndAManifest() {
        SwiftStore store = raw(smallObjects());
        long size = 3 * MIB + 12_345;

        ObjectInfo put = store.put("ns/big", Patterns.stream(40, 0, size), size, PutCondition.ifAbsent());

        assertThat(put.size()).isEqualTo(size);
        assertThat(put.crc32c()).isEqualTo(Patterns.crc32c(40, 0, size));
        assertThat(store.stat("ns/big").orElseThrow()).usingRecursiveComparison().ignoringFields("lastModified")
                .isEqualTo(put);
        Patterns.assertStreamEquals(store.get("ns/big", 0, -1), 40, 0, size);
        Patterns.assertStreamEquals(store.get("ns/big", MIB - 10, 20), 40, MIB - 10, 20); // across a boundary
        assertThat(segmentObjects(store)).hasSize(4);
        assertThat(store.list("", null, 10).entries()).extracting(ObjectInfo::key).containsExactly("ns/big");
        assertThat(store.list("", null, 10).entries().getFirst().crc32c()).isEqualTo(put.crc32c());

        assertThat(store.delete("ns/big")).isTrue();
        assertThat(segmentObjects(store)).isEmpty();
    }

    @Test
    void anUnknownLengthThatTurnsOutLongerThanAnObjectBecomesSegmentsAndAManifest() {
        SwiftStore store = raw(smallObjects());
        long size = 2 * MIB + 77;
        InputStream unknown = new SequenceInputStream(Patterns.stream(41, 0, MIB + 5), Patterns.stream(41, MIB + 5,
                size - MIB - 5));

        ObjectInfo put = store.put("ns/grown", unknown, PutCondition.ifAbsent());

        assertThat(put.size()).isEqualTo(size);
        assertThat(put.crc32c()).isEqualTo(Patterns.crc32c(41, 0, size));
        Patterns.assertStreamEquals(store.get("ns/grown", 0, -1), 41, 0, size);
        assertThat(segmentObjects(store)).hasSize(3);

        // The registry's publish path: a move hands the segments to the target, which a delete then removes.
        ObjectInfo moved = store.move("ns/grown", "ns/blob");
        assertThat(moved.crc32c()).isEqualTo(put.crc32c());
        Patterns.assertStreamEquals(store.get("ns/blob", 0, -1), 41, 0, size);
        assertThat(store.stat("ns/grown")).isEmpty();
        assertThat(segmentObjects(store)).hasSize(3);
        store.delete("ns/blob");
        assertThat(segmentObjects(store)).isEmpty();
    }

    @Test
    void bodiesUpToTheObjectLimitStayPlainObjectsWhateverTheirLengthHint() {
        SwiftStore store = raw(smallObjects());

        store.put("ns/exact-known", Patterns.stream(42, 0, MIB), MIB, PutCondition.always());
        store.put("ns/exact-unknown", Patterns.stream(42, 0, MIB), PutCondition.always());
        ObjectInfo twice = store.put("ns/twice-unknown", Patterns.stream(43, 0, 2 * MIB), PutCondition.always());

        assertThat(segmentObjects(store)).hasSize(2); // only the last one, of exactly two objects, has segments
        assertThat(twice.size()).isEqualTo(2L * MIB);
        Patterns.assertStreamEquals(store.get("ns/exact-known", 0, -1), 42, 0, MIB);
        Patterns.assertStreamEquals(store.get("ns/exact-unknown", 0, -1), 42, 0, MIB);
        Patterns.assertStreamEquals(store.get("ns/twice-unknown", 0, -1), 43, 0, 2 * MIB);
        assertThat(store.stat("ns/exact-unknown").orElseThrow().crc32c()).isEqualTo(Patterns.crc32c(42, 0, MIB));
    }

    @Test
    void aLargePutOverAnExistingKeyIsRefusedIfAbsentBeforeAnySegmentIsWritten() {
        SwiftStore store = raw(smallObjects());
        store.put("ns/taken", new byte[] {1}, PutCondition.always());

        assertThatThrownBy(() -> store.put("ns/taken", Patterns.stream(44, 0, 3 * MIB), 3 * MIB,
                PutCondition.ifAbsent())).isInstanceOf(PreconditionFailedException.class);
        assertThatThrownBy(() -> store.put("ns/taken", Patterns.stream(44, 0, 3 * MIB), PutCondition.ifAbsent()))
                .isInstanceOf(PreconditionFailedException.class);

        assertThat(segmentObjects(store)).isEmpty();
        assertThat(store.read("ns/taken")).containsExactly(1);
        String etag = store.stat("ns/taken").orElseThrow().etag();
        ObjectInfo replaced = store.put("ns/taken", Patterns.stream(45, 0, 3 * MIB), 3 * MIB,
                PutCondition.ifMatch(etag));
        Patterns.assertStreamEquals(store.get("ns/taken", 0, -1), 45, 0, 3 * MIB);
        assertThatThrownBy(() -> store.put("ns/taken", Patterns.stream(45, 0, 3 * MIB), 3 * MIB,
                PutCondition.ifMatch(etag))).isInstanceOf(PreconditionFailedException.class);
        assertThat(store.stat("ns/taken").orElseThrow().etag()).isEqualTo(replaced.etag());
    }

    @Test
    void aLargeBodyOfAnotherLengthThanDeclaredOrAFailingStreamLeavesNothing() {
        SwiftStore store = raw(smallObjects());

        assertThatThrownBy(() -> store.put("ns/short", Patterns.stream(46, 0, 2 * MIB), 3 * MIB,
                PutCondition.always())).isInstanceOf(StorageException.class);
        assertThatThrownBy(() -> store.put("ns/long", Patterns.stream(46, 0, 3 * MIB + 1), 3 * MIB,
                PutCondition.always())).isInstanceOf(StorageException.class).hasMessageContaining("more than");
        IOException broken = new IOException("client went away");
        for (long length : new long[] {3 * MIB, -1}) {
            InputStream failing = new SequenceInputStream(Patterns.stream(47, 0, 2 * MIB + 100), new InputStream() {
                @Override
                public int read() throws IOException {
                    throw broken;
                }
            });
            assertThatThrownBy(() -> store.put("ns/broken", failing, length, PutCondition.always()))
                    .isInstanceOf(StorageException.class)
                    .hasRootCauseMessage("client went away");
        }

        assertThat(store.list("", null, 10).entries()).isEmpty();
        assertThat(segmentObjects(store)).isEmpty();
    }

    @Test
    void aLargeBodyOfMoreSegmentsThanAManifestHoldsNestsManifests() {
        SwiftStore store = raw(new SwiftLimits(3, 100_000, 10_000));
        long size = 1_000_001; // 11 segments
        ObjectInfo put = store.put("ns/nested", Patterns.stream(48, 0, size), PutCondition.always());

        assertThat(put.crc32c()).isEqualTo(Patterns.crc32c(48, 0, size));
        Patterns.assertStreamEquals(store.get("ns/nested", 0, -1), 48, 0, size);
        Patterns.assertStreamEquals(store.get("ns/nested", 299_990, 20), 48, 299_990, 20);
        // The 11 segments in 4 manifests of up to 3, the first three of those in 1 more; the top names it and the 4th.
        assertThat(segmentObjects(store)).hasSize(11 + 4 + 1);
        store.delete("ns/nested");
        assertThat(segmentObjects(store)).isEmpty();
    }

    @Test
    void aSourceLargerThanOneSegmentIsConcatenatedByCopyingItsSegments() {
        // As an upload whose first chunk was above the object limit: 11 segments under nested manifests, then more.
        SwiftStore store = raw(new SwiftLimits(3, 100_000, 10_000));
        long big = 1_000_001;
        store.put("ns/uploads/u/chunk-1", Patterns.stream(51, 0, big), big, PutCondition.ifAbsent());
        store.put("ns/uploads/u/chunk-2", Patterns.stream(51, big, 500), 500, PutCondition.ifAbsent());
        int segmentsOfTheChunk = segmentObjects(store).size();

        ObjectInfo joined = store.concatenate(List.of("ns/uploads/u/chunk-1", "ns/uploads/u/chunk-2"), "ns/joined");
        ObjectInfo alone = store.concatenate(List.of("ns/uploads/u/chunk-1"), "ns/alone");
        store.delete("ns/uploads/u/chunk-1");
        store.delete("ns/uploads/u/chunk-2");

        assertThat(joined.size()).isEqualTo(big + 500);
        assertThat(joined.crc32c()).isEqualTo(Patterns.crc32c(51, 0, big + 500));
        Patterns.assertStreamEquals(store.get("ns/joined", 0, -1), 51, 0, big + 500);
        assertThat(alone.crc32c()).isEqualTo(Patterns.crc32c(51, 0, big));
        Patterns.assertStreamEquals(store.get("ns/alone", 0, -1), 51, 0, big);
        store.delete("ns/joined");
        assertThat(segmentObjects(store)).hasSize(segmentsOfTheChunk);
        store.delete("ns/alone");
        assertThat(segmentObjects(store)).isEmpty();
    }

    @Test
    void aSegmentDamagedOnTheWayIsDetectedByItsMd5AndNothingIsKept() throws Exception {
        String container = SWIFT.freshContainer();
        SwiftStore direct = SWIFT.store(container, smallObjects());
        InetSocketAddress swift = new InetSocketAddress(SwiftTestServer.AUTH_URL.getHost(),
                SwiftTestServer.AUTH_URL.getPort());
        byte[] poisoned = concat(Patterns.bytes(49, 2 * MIB), "CORRUPT-ME!".getBytes(UTF_8), Patterns.bytes(50, MIB));
        try (CorruptingProxy proxy = new CorruptingProxy(swift, "CORRUPT-ME")) {
            SwiftStore damaged = new SwiftStore(SwiftStore.newHttpClient(),
                    SWIFT.auth(proxy.via(SwiftTestServer.AUTH_URL)), container, smallObjects(),
                    SwiftRetryPolicy.defaults(), Duration.ofSeconds(30));

            assertThatThrownBy(() -> damaged.put("ns/sized", new ByteArrayInputStream(poisoned), poisoned.length,
                    PutCondition.always())).isInstanceOf(StorageException.class).hasMessageContaining("MD5");
            assertThatThrownBy(() -> damaged.put("ns/streamed", new ByteArrayInputStream(poisoned),
                    PutCondition.always())).isInstanceOf(StorageException.class).hasMessageContaining("MD5");
        }
        assertThat(direct.list("", null, 10).entries()).isEmpty();
        assertThat(segmentObjects(direct)).isEmpty();
    }

    @Test
    void aRefusedTokenIsRenewedOnceAndTheRequestRepeated() {
        SwiftStore store = raw(SwiftLimits.defaults());
        SwiftConnection connection = store.connection();
        int before = connection.authentications();
        URI account = connection.session().storageUrl();
        // A token Swift never issued: the server answers 401, as it does for an expired one.
        connection.useSession(new SwiftSession("AUTH_tk00000000000000000000000000000000", account));

        store.put("ns/after-expiry", Patterns.stream(25, 0, 300_000), 300_000, PutCondition.ifAbsent());

        assertThat(connection.authentications()).isEqualTo(before + 1);
        Patterns.assertStreamEquals(store.get("ns/after-expiry", 0, -1), 25, 0, 300_000);
        connection.useSession(new SwiftSession("AUTH_tk00000000000000000000000000000001", account));
        assertThat(store.read("ns/after-expiry")).hasSize(300_000);
        assertThat(connection.authentications()).isEqualTo(before + 2);
    }

    @Test
    void aTokenDueForRenewalIsReplacedBeforeTheRequest() {
        SwiftStore store = raw(SwiftLimits.defaults());
        SwiftConnection connection = store.connection();
        SwiftSession current = connection.session();
        int before = connection.authentications();
        // tempauth says how long its tokens last (X-Auth-Token-Expires, a day by default).
        assertThat(current.renewAt()).isAfter(Instant.now().plus(Duration.ofHours(1)));
        // Still valid at Swift, but due: renewed without a 401, which a streamed body could not survive.
        connection.useSession(new SwiftSession(current.token(), current.storageUrl(), Instant.now().minusSeconds(1)));

        store.put("ns/due", Patterns.stream(26, 0, 1000), 1000, PutCondition.ifAbsent());

        assertThat(connection.authentications()).isEqualTo(before + 1);
        assertThat(connection.session().renewAt()).isAfter(Instant.now());
        assertThat(store.read("ns/due")).hasSize(1000);
    }

    @Test
    void wrongCredentialsFailClearly() {
        SwiftAuth wrong = new TempAuth(SwiftTestServer.AUTH_URL, SwiftTestServer.USER, "wrong", Duration.ofSeconds(5));

        assertThatThrownBy(() -> new SwiftStore(SwiftStore.newHttpClient(), wrong, SWIFT.freshContainer(),
                SwiftLimits.defaults(), SwiftRetryPolicy.defaults(), Duration.ofSeconds(10)))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("401");
    }

    @Test
    void aBodyDamagedOnTheWayIsDetectedByItsMd5AndNothingIsKept() throws Exception {
        String container = SWIFT.freshContainer();
        SwiftStore direct = SWIFT.store(container, SwiftLimits.defaults());
        InetSocketAddress swift = new InetSocketAddress(SwiftTestServer.AUTH_URL.getHost(),
                SwiftTestServer.AUTH_URL.getPort());
        try (CorruptingProxy proxy = new CorruptingProxy(swift, "CORRUPT-ME")) {
            // tempauth derives the storage URL from the Host header, so every request goes through the proxy.
            SwiftStore damaged = new SwiftStore(SwiftStore.newHttpClient(), SWIFT.auth(proxy.via(SwiftTestServer.AUTH_URL)),
                    container, SwiftLimits.defaults(), SwiftRetryPolicy.defaults(), Duration.ofSeconds(30));
            byte[] poisoned = concat(Patterns.bytes(26, 100_000), "CORRUPT-ME!".getBytes(UTF_8),
                    Patterns.bytes(27, 100_000));
            assertThat(damaged.connection().session().storageUrl().getPort()).isNotEqualTo(swift.getPort());

            // Streamed, length unknown: only the ETag Swift returns can tell.
            assertThatThrownBy(() -> damaged.put("ns/streamed", new ByteArrayInputStream(poisoned),
                    PutCondition.ifAbsent()))
                    .isInstanceOf(StorageException.class)
                    .isNotInstanceOf(PreconditionFailedException.class)
                    .hasMessageContaining("MD5");
            // Streamed with a length.
            assertThatThrownBy(() -> damaged.put("ns/sized", new ByteArrayInputStream(poisoned), poisoned.length,
                    PutCondition.always()))
                    .isInstanceOf(StorageException.class)
                    .hasMessageContaining("MD5");
            // From memory: Swift itself refuses the body against the ETag header.
            assertThatThrownBy(() -> damaged.put("ns/bytes", poisoned, PutCondition.always()))
                    .isInstanceOf(StorageException.class)
                    .hasMessageContaining("MD5");
            // Clean data passes through the same proxy.
            damaged.put("ns/clean", Patterns.bytes(28, 1000), PutCondition.always());
        }
        assertThat(direct.stat("ns/streamed")).isEmpty();
        assertThat(direct.stat("ns/sized")).isEmpty();
        assertThat(direct.stat("ns/bytes")).isEmpty();
        assertThat(direct.read("ns/clean")).isEqualTo(Patterns.bytes(28, 1000));
    }

    @Test
    void aStreamOfAnotherLengthThanDeclaredStoresNothing() {
        SwiftStore store = raw(SwiftLimits.defaults());

        assertThatThrownBy(() -> store.put("ns/short", new ByteArrayInputStream(new byte[5]), 10,
                PutCondition.always())).isInstanceOf(StorageException.class);
        assertThatThrownBy(() -> store.put("ns/long", new ByteArrayInputStream(new byte[15]), 10,
                PutCondition.always())).isInstanceOf(StorageException.class);
        assertThatThrownBy(() -> store.put("ns/empty", new ByteArrayInputStream(new byte[1]), 0,
                PutCondition.always())).isInstanceOf(StorageException.class);

        assertThat(store.list("", null, 10).entries()).isEmpty();
    }

    @Test
    void aStreamOfUnknownLengthIsSentChunkedAndItsChecksumIsStoredAfterwards() {
        SwiftStore store = raw(SwiftLimits.defaults());
        InputStream unknown = new SequenceInputStream(Patterns.stream(29, 0, MIB), Patterns.stream(29, MIB, 77));

        ObjectInfo put = store.put("ns/chunked", unknown, PutCondition.always());

        assertThat(put.crc32c()).isEqualTo(Patterns.crc32c(29, 0, MIB + 77));
        assertThat(store.stat("ns/chunked").orElseThrow()).usingRecursiveComparison().ignoringFields("lastModified")
                .isEqualTo(put);
        assertThat(put.size()).isEqualTo(MIB + 77L);
        assertThat(store.list("ns/", null, 10).entries().getFirst().crc32c()).isEqualTo(put.crc32c());
    }

    @Test
    void listingFollowsMarkersPastWhatOneContainerRequestReturns() {
        SwiftStore store = raw(new SwiftLimits(1000, 5L << 30, 7)); // as if Swift returned 7 entries per request
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            keys.add("ns/k" + String.format("%02d", i));
            store.put(keys.getLast(), new byte[] {(byte) i}, PutCondition.always());
        }

        ListPage first = store.list("ns/", null, 25);
        ListPage rest = store.list("ns/", first.nextStartAfter(), 25);

        assertThat(first.entries()).extracting(ObjectInfo::key).containsExactlyElementsOf(keys.subList(0, 25));
        assertThat(first.nextStartAfter()).isEqualTo("ns/k24");
        assertThat(rest.entries()).extracting(ObjectInfo::key).containsExactlyElementsOf(keys.subList(25, 30));
        assertThat(rest.nextStartAfter()).isNull();
    }

    private static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        byte[] out = new byte[length];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, out, at, part.length);
            at += part.length;
        }
        return out;
    }
}
