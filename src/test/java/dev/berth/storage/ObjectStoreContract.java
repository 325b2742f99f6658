package dev.berth.storage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The behaviour every backend shares, tested through the interface alone: each backend's test extends this class
 * and supplies the store as Berth uses it, wrapped in {@link CheckedStore}.
 */
public abstract class ObjectStoreContract {
    private static final int MIB = 1 << 20;

    protected ObjectStore store;

    /** A new, empty store as Berth uses it (wrapped in {@link CheckedStore}). */
    protected abstract ObjectStore createStore() throws Exception;

    @BeforeEach
    void openStore() throws Exception {
        store = createStore();
    }

    // ---- put and get ------------------------------------------------------------------------------------------

    @Test
    void putThenGetReturnsTheSameBytes() {
        byte[] data = "hello, berth".getBytes(UTF_8);
        ObjectInfo info = store.put("ns/hello", data, PutCondition.always());

        assertThat(info.key()).isEqualTo("ns/hello");
        assertThat(info.size()).isEqualTo(data.length);
        assertThat(info.etag()).isNotBlank();
        assertThat(info.lastModified()).isNotNull();
        assertThat(store.read("ns/hello")).isEqualTo(data);
    }

    @Test
    void getReadsTheRequestedByteRange() {
        byte[] data = Patterns.bytes(1, 1000);
        store.put("ns/ranged", data, PutCondition.always());

        assertThat(read("ns/ranged", 0, 10)).isEqualTo(Arrays.copyOfRange(data, 0, 10));
        assertThat(read("ns/ranged", 400, 123)).isEqualTo(Arrays.copyOfRange(data, 400, 523));
        assertThat(read("ns/ranged", 990, 10)).isEqualTo(Arrays.copyOfRange(data, 990, 1000));
        assertThat(read("ns/ranged", 0, 1000)).isEqualTo(data);
        assertThat(read("ns/ranged", 0, -1)).isEqualTo(data);
        assertThat(read("ns/ranged", 700, -1)).isEqualTo(Arrays.copyOfRange(data, 700, 1000));
    }

    @Test
    void anEmptyRangeWithinTheObjectReadsNothing() {
        store.put("ns/ranged", Patterns.bytes(2, 100), PutCondition.always());

        assertThat(read("ns/ranged", 0, 0)).isEmpty();
        assertThat(read("ns/ranged", 50, 0)).isEmpty();
        assertThat(read("ns/ranged", 100, 0)).isEmpty();
        assertThat(read("ns/ranged", 100, -1)).isEmpty();
    }

    @Test
    void aRangeOutsideTheObjectIsNotSatisfiable() {
        store.put("ns/ranged", Patterns.bytes(3, 100), PutCondition.always());

        for (long[] range : new long[][] {{101, -1}, {101, 0}, {0, 101}, {90, 11}, {-1, 10}, {50, Long.MAX_VALUE}}) {
            assertThatThrownBy(() -> store.get("ns/ranged", range[0], range[1]).close())
                    .as("range %d+%d", range[0], range[1])
                    .isInstanceOfSatisfying(
                            RangeNotSatisfiableException.class, e -> assertThat(e.size()).isEqualTo(100));
        }
    }

    @Test
    void anEmptyObjectCanBeWrittenAndRead() {
        ObjectInfo info = store.put("ns/empty", new byte[0], PutCondition.always());

        assertThat(info.size()).isZero();
        assertThat(store.read("ns/empty")).isEmpty();
        assertThat(read("ns/empty", 0, 0)).isEmpty();
        assertThatThrownBy(() -> store.get("ns/empty", 1, -1)).isInstanceOf(RangeNotSatisfiableException.class);
        if (info.crc32c() != null) {
            assertThat(info.crc32c()).isEqualTo("00000000");
        }
    }

    @Test
    void aLargeObjectIsStreamedInAndOutWhole() {
        long size = 64L * MIB + 12345; // not a multiple of any buffer size
        ObjectInfo info = store.put("ns/large", Patterns.stream(64, 0, size), PutCondition.always());

        assertThat(info.size()).isEqualTo(size);
        assertCrc(info, Patterns.crc32c(64, 0, size));
        Patterns.assertStreamEquals(store.get("ns/large", 0, -1), 64, 0, size);
        Patterns.assertStreamEquals(store.get("ns/large", 32L * MIB - 7, MIB + 14), 64, 32L * MIB - 7, MIB + 14);
        Patterns.assertStreamEquals(store.get("ns/large", size - 100, 100), 64, size - 100, 100);
        Patterns.assertStreamEquals(store.get("ns/large", 3 * MIB + 1, -1), 64, 3 * MIB + 1, size - 3 * MIB - 1);
    }

    @Test
    void anUnconditionalPutReplacesTheObject() {
        store.put("ns/key", "first".getBytes(UTF_8), PutCondition.always());
        ObjectInfo second = store.put("ns/key", "second version".getBytes(UTF_8), PutCondition.always());

        assertThat(store.read("ns/key")).asString(UTF_8).isEqualTo("second version");
        assertThat(second.size()).isEqualTo(14);
        assertSameInfo(store.stat("ns/key").orElseThrow(), second);
    }

    @Test
    void putReportsTheCrc32cOfTheDataAndStatReportsTheSame() {
        byte[] data = Patterns.bytes(5, 3 * MIB + 17);
        ObjectInfo info = store.put("ns/checked", new ByteArrayInputStream(data), PutCondition.always());

        assertCrc(info, Patterns.crc32c(data));
        assertSameInfo(store.stat("ns/checked").orElseThrow(), info);
    }

    @Test
    void theEtagChangesWhenTheObjectIsReplaced() {
        ObjectInfo first = store.put("ns/tag", "v1".getBytes(UTF_8), PutCondition.always());
        ObjectInfo second = store.put("ns/tag", "v2".getBytes(UTF_8), PutCondition.always());
        ObjectInfo third = store.put("ns/tag", "v3-longer".getBytes(UTF_8), PutCondition.always());

        assertThat(List.of(first.etag(), second.etag(), third.etag())).doesNotHaveDuplicates();
        assertThat(store.stat("ns/tag").orElseThrow().etag()).isEqualTo(third.etag());
    }

    // ---- listing ----------------------------------------------------------------------------------------------

    @Test
    void listingThousandsOfKeysInPagesReturnsEveryKeyOnceInByteOrder() throws Exception {
        List<String> keys = new ArrayList<>();
        for (int r = 0; r < 25; r++) {
            for (int t = 0; t < 50; t++) {
                keys.add("ns/repo" + r + "/_manifests/tags/v" + t);
                keys.add("ns/repo" + r + (t % 2 == 0 ? "-x/" : "/") + "blob" + t);
            }
        }
        // Written by a few threads, since a networked store takes a round trip per key; the order doesn't matter.
        int writers = 8;
        runConcurrently(writers, thread -> {
            for (int i = thread; i < keys.size(); i += writers) {
                store.put(keys.get(i), keys.get(i).getBytes(UTF_8), PutCondition.always());
            }
            return null;
        });
        List<String> expected = keys.stream().sorted(ObjectStoreContract::compareBytes).toList();

        for (int pageSize : new int[] {1000, 97}) {
            List<String> listed = new ArrayList<>();
            String after = null;
            int pages = 0;
            do {
                ListPage page = store.list("ns/", after, pageSize);
                pages++;
                assertThat(page.entries().size()).isLessThanOrEqualTo(pageSize);
                page.entries().forEach(e -> listed.add(e.key()));
                if (page.nextStartAfter() != null) {
                    assertThat(page.entries()).hasSize(pageSize);
                    assertThat(page.nextStartAfter()).isEqualTo(page.entries().getLast().key());
                }
                after = page.nextStartAfter();
            } while (after != null);

            assertThat(listed).as("pages of %d", pageSize).containsExactlyElementsOf(expected);
            assertThat(pages).isEqualTo((expected.size() + pageSize - 1) / pageSize);
        }
        List<String> viaListAll = new ArrayList<>();
        store.listAll("", 250).forEach(e -> viaListAll.add(e.key()));
        assertThat(viaListAll).containsExactlyElementsOf(expected);
    }

    @Test
    void listingOrdersByTheBytesOfTheWholeKeyNotByPathComponents() {
        // '-' < '.' < '/' < '0' < 'A' < '_' < 'a': a key under "a/" sorts between "a.b" and "a0".
        List<String> keys = List.of("p/a_", "p/a/x", "p/a-b", "p/aB", "p/a0", "p/a.b", "p/a/y/z", "p/ab", "p/a/-");
        for (String key : keys) {
            store.put(key, new byte[] {1}, PutCondition.always());
        }

        assertThat(listKeys("p/", null, 100))
                .containsExactly("p/a-b", "p/a.b", "p/a/-", "p/a/x", "p/a/y/z", "p/a0", "p/aB", "p/a_", "p/ab");
        assertThat(listKeys("p/", null, 100)).isSortedAccordingTo(ObjectStoreContract::compareBytes);
        assertThat(listKeys("p/a", "p/a.b", 2)).containsExactly("p/a/-", "p/a/x");

        // The same names as objects rather than directories sort before their extensions.
        for (String key : List.of("q/a0", "q/a.c", "q/a", "q/a-b", "q/b-y", "q/b/x", "q/b.z")) {
            store.put(key, new byte[] {1}, PutCondition.always());
        }
        assertThat(listKeys("q/", null, 100))
                .containsExactly("q/a", "q/a-b", "q/a.c", "q/a0", "q/b-y", "q/b.z", "q/b/x");
        assertThat(listKeys("q/", "q/a", 2)).containsExactly("q/a-b", "q/a.c");
    }

    @Test
    void listingStartsStrictlyAfterStartAfter() {
        for (String key : List.of("s/b", "s/d", "s/f/g", "s/h")) {
            store.put(key, new byte[] {2}, PutCondition.always());
        }

        assertThat(listKeys("s/", "s/d", 10)).containsExactly("s/f/g", "s/h");
        assertThat(listKeys("s/", "s/c", 10)).containsExactly("s/d", "s/f/g", "s/h");
        assertThat(listKeys("s/", "s/f", 10)).containsExactly("s/f/g", "s/h");
        assertThat(listKeys("s/", "s/f/g", 10)).containsExactly("s/h");
        assertThat(listKeys("s/", "a", 10)).containsExactly("s/b", "s/d", "s/f/g", "s/h");
        assertThat(listKeys("s/", "", 10)).containsExactly("s/b", "s/d", "s/f/g", "s/h");
        ListPage past = store.list("s/", "s/h", 10);
        assertThat(past.entries()).isEmpty();
        assertThat(past.nextStartAfter()).isNull();
        assertThat(store.list("s/", "t", 10).entries()).isEmpty();
    }

    @Test
    void aListingPrefixMayEndInTheMiddleOfAComponent() {
        String tags = "ns/repo/_manifests/tags/";
        for (String tag : List.of("v1", "v10", "v1.0", "v1-rc", "v2", "latest")) {
            store.put(tags + tag, tag.getBytes(UTF_8), PutCondition.always());
        }
        store.put("ns/repo2/_manifests/tags/v1", new byte[] {3}, PutCondition.always());

        assertThat(listKeys(tags + "v1", null, 10))
                .containsExactly(tags + "v1", tags + "v1-rc", tags + "v1.0", tags + "v10");
        assertThat(listKeys(tags + "v", null, 10)).hasSize(5);
        assertThat(listKeys("ns/rep", null, 10)).hasSize(7);
        assertThat(listKeys("ns/repo/", null, 10)).hasSize(6);
        assertThat(listKeys("ns/repo2", null, 10)).containsExactly("ns/repo2/_manifests/tags/v1");
        assertThat(listKeys(tags + "v1.0", null, 10)).containsExactly(tags + "v1.0");
    }

    @Test
    void aListingWithNothingToShowIsEmptyAndDone() {
        ListPage emptyStore = store.list("", null, 10);
        assertThat(emptyStore.entries()).isEmpty();
        assertThat(emptyStore.nextStartAfter()).isNull();

        store.put("ns/a/b", new byte[] {4}, PutCondition.always());
        for (String prefix : List.of("ns/b", "ns/a/b/", "ns/a/bc", "other/", "ns/a/b/c")) {
            ListPage page = store.list(prefix, null, 10);
            assertThat(page.entries()).as(prefix).isEmpty();
            assertThat(page.nextStartAfter()).as(prefix).isNull();
        }
    }

    @Test
    void aPageThatEndsAtTheLastKeyIsTheLastPage() {
        for (String key : List.of("e/1", "e/2", "e/3")) {
            store.put(key, new byte[] {5}, PutCondition.always());
        }

        ListPage first = store.list("e/", null, 2);
        assertThat(first.nextStartAfter()).isEqualTo("e/2");
        ListPage exact = store.list("e/", "e/1", 2);
        assertThat(exact.entries()).extracting(ObjectInfo::key).containsExactly("e/2", "e/3");
        assertThat(exact.nextStartAfter()).isNull();
    }

    @Test
    void listedEntriesCarryTheSameMetadataAsStat() {
        store.put("m/a", Patterns.bytes(6, 300), PutCondition.always());
        store.put("m/b/c", Patterns.bytes(7, 0), PutCondition.always());

        List<ObjectInfo> listed = store.list("m/", null, 10).entries();

        assertThat(listed).extracting(ObjectInfo::key).containsExactly("m/a", "m/b/c");
        for (ObjectInfo entry : listed) {
            assertListedLikeStat(entry, store.stat(entry.key()).orElseThrow());
        }
    }

    // ---- move, concatenate, delete ----------------------------------------------------------------------------

    @Test
    void moveRenamesTheObjectAndReplacesTheTarget() {
        byte[] data = Patterns.bytes(8, 5000);
        store.put("ns/uploads/u1/data", data, PutCondition.always());
        store.put("ns/blobs/final", "old".getBytes(UTF_8), PutCondition.always());

        ObjectInfo moved = store.move("ns/uploads/u1/data", "ns/blobs/final");

        assertThat(moved.key()).isEqualTo("ns/blobs/final");
        assertThat(moved.size()).isEqualTo(5000);
        assertCrc(moved, Patterns.crc32c(data));
        assertThat(store.read("ns/blobs/final")).isEqualTo(data);
        assertThat(store.stat("ns/uploads/u1/data")).isEmpty();
        assertThat(listKeys("ns/", null, 10)).containsExactly("ns/blobs/final");
    }

    @Test
    void moveOntoItselfKeepsTheObject() {
        store.put("ns/same", "same".getBytes(UTF_8), PutCondition.always());

        ObjectInfo info = store.move("ns/same", "ns/same");

        assertThat(info.size()).isEqualTo(4);
        assertThat(store.read("ns/same")).asString(UTF_8).isEqualTo("same");
    }

    @Test
    void moveFromAMissingKeyThrowsAndLeavesTheTargetAlone() {
        store.put("ns/target", "kept".getBytes(UTF_8), PutCondition.always());

        assertThatThrownBy(() -> store.move("ns/missing", "ns/target")).isInstanceOf(ObjectNotFoundException.class);
        assertThat(store.read("ns/target")).asString(UTF_8).isEqualTo("kept");
    }

    @Test
    void concatenateJoinsTheSourcesInOrderAndKeepsThem() {
        // Three parts of one pattern, so the result must equal the pattern over their total length.
        long[] sizes = {5 * MIB + 3, 1, 7 * MIB + 1001};
        List<String> sources = new ArrayList<>();
        long offset = 0;
        for (int i = 0; i < sizes.length; i++) {
            String key = "ns/uploads/u2/chunk-" + i;
            store.put(key, Patterns.stream(9, offset, sizes[i]), PutCondition.always());
            sources.add(key);
            offset += sizes[i];
        }

        ObjectInfo joined = store.concatenate(sources, "ns/blobs/joined");

        assertThat(joined.size()).isEqualTo(offset);
        assertCrc(joined, Patterns.crc32c(9, 0, offset));
        assertSameInfo(store.stat("ns/blobs/joined").orElseThrow(), joined);
        Patterns.assertStreamEquals(store.get("ns/blobs/joined", 0, -1), 9, 0, offset);
        Patterns.assertStreamEquals(store.get("ns/uploads/u2/chunk-1", 0, -1), 9, sizes[0], 1);
        assertThat(listKeys("ns/uploads/", null, 10)).containsExactlyElementsOf(sources);
    }

    @Test
    void concatenateOfOneSourceCopiesIt() {
        byte[] data = Patterns.bytes(10, 777);
        store.put("ns/one", data, PutCondition.always());

        ObjectInfo copy = store.concatenate(List.of("ns/one"), "ns/copy");

        assertThat(store.read("ns/copy")).isEqualTo(data);
        assertThat(store.read("ns/one")).isEqualTo(data);
        assertCrc(copy, Patterns.crc32c(data));
    }

    @Test
    void concatenateOfNoSourcesWritesAnEmptyObject() {
        ObjectInfo empty = store.concatenate(List.of(), "ns/nothing");

        assertThat(empty.size()).isZero();
        assertThat(store.read("ns/nothing")).isEmpty();
        assertCrc(empty, "00000000");
    }

    @Test
    void concatenateWithAMissingSourcePublishesNothing() {
        store.put("ns/part-1", Patterns.bytes(11, 100), PutCondition.always());
        store.put("ns/existing", "before".getBytes(UTF_8), PutCondition.always());

        assertThatThrownBy(() -> store.concatenate(List.of("ns/part-1", "ns/part-2"), "ns/target"))
                .isInstanceOf(ObjectNotFoundException.class);
        assertThatThrownBy(() -> store.concatenate(List.of("ns/part-1", "ns/part-2"), "ns/existing"))
                .isInstanceOf(ObjectNotFoundException.class);

        assertThat(store.stat("ns/target")).isEmpty();
        assertThat(store.read("ns/existing")).asString(UTF_8).isEqualTo("before");
        assertThat(listKeys("ns/", null, 10)).containsExactly("ns/existing", "ns/part-1");
    }

    @Test
    void deleteRemovesTheObjectAndSaysWhetherThereWasOne() {
        store.put("ns/doomed/object", new byte[] {6}, PutCondition.always());
        store.put("ns/sibling", new byte[] {7}, PutCondition.always());

        assertThat(store.delete("ns/doomed/object")).isTrue();
        assertThat(store.delete("ns/doomed/object")).isFalse();
        assertThat(store.stat("ns/doomed/object")).isEmpty();
        assertThatThrownBy(() -> store.get("ns/doomed/object", 0, -1)).isInstanceOf(ObjectNotFoundException.class);
        assertThat(listKeys("", null, 10)).containsExactly("ns/sibling");

        store.put("ns/doomed/again", new byte[] {8}, PutCondition.always());
        assertThat(listKeys("ns/doomed/", null, 10)).containsExactly("ns/doomed/again");
    }

    @Test
    void concurrentDeletesAndPutsUnderOnePrefixNeverFail() throws Exception {
        int threads = 4;
        int rounds = 200;
        runConcurrently(threads, thread -> {
            for (int i = 0; i < rounds; i++) {
                // Each thread empties the shared directory again and again while the others write into it.
                String key = "ns/shared/deep/t" + thread + "-" + i;
                store.put(key, new byte[] {(byte) i}, PutCondition.always());
                assertThat(store.read(key)).containsExactly((byte) i);
                assertThat(store.delete(key)).isTrue();
            }
            return null;
        });

        assertThat(store.list("", null, 10).entries()).isEmpty();
    }

    // ---- conditional puts -------------------------------------------------------------------------------------

    @Test
    void ifAbsentCreatesOnlyWhenThereIsNoObject() {
        ObjectInfo created = store.put("ns/once", "first".getBytes(UTF_8), PutCondition.ifAbsent());

        assertThatThrownBy(() -> store.put("ns/once", "second".getBytes(UTF_8), PutCondition.ifAbsent()))
                .isInstanceOf(PreconditionFailedException.class);
        assertThat(store.read("ns/once")).asString(UTF_8).isEqualTo("first");
        assertThat(store.stat("ns/once").orElseThrow().etag()).isEqualTo(created.etag());

        store.delete("ns/once");
        store.put("ns/once", "third".getBytes(UTF_8), PutCondition.ifAbsent());
        assertThat(store.read("ns/once")).asString(UTF_8).isEqualTo("third");
    }

    @Test
    void ifAbsentWinsExactlyOnceAmongConcurrentWriters() throws Exception {
        int threads = 8;
        for (int round = 0; round < 10; round++) {
            String key = "ns/race/r" + round;
            List<Boolean> wins = runConcurrently(threads, thread -> {
                try {
                    store.put(key, Patterns.stream(thread, 0, 64 * 1024), PutCondition.ifAbsent());
                    return true;
                } catch (PreconditionFailedException e) {
                    return false;
                }
            });

            assertThat(wins).as("round %d", round).containsOnlyOnce(true);
            int winner = wins.indexOf(true);
            Patterns.assertStreamEquals(store.get(key, 0, -1), winner, 0, 64 * 1024);
        }
    }

    @Test
    void ifMatchReplacesWhenTheEtagIsCurrent() {
        ObjectInfo first = store.put("ns/record", "1".getBytes(UTF_8), PutCondition.always());

        ObjectInfo second = store.put("ns/record", "2".getBytes(UTF_8), PutCondition.ifMatch(first.etag()));

        assertThat(second.etag()).isNotEqualTo(first.etag());
        assertThat(store.read("ns/record")).asString(UTF_8).isEqualTo("2");
    }

    @Test
    void ifMatchWithAStaleEtagFailsAndLeavesTheObjectIntact() {
        ObjectInfo first = store.put("ns/record", "1".getBytes(UTF_8), PutCondition.always());
        ObjectInfo second = store.put("ns/record", "2".getBytes(UTF_8), PutCondition.ifMatch(first.etag()));

        assertThatThrownBy(() -> store.put("ns/record", "3".getBytes(UTF_8), PutCondition.ifMatch(first.etag())))
                .isInstanceOf(PreconditionFailedException.class);
        assertThat(store.read("ns/record")).asString(UTF_8).isEqualTo("2");
        assertThat(store.stat("ns/record").orElseThrow().etag()).isEqualTo(second.etag());
    }

    @Test
    void ifMatchOnAMissingKeyFails() {
        ObjectInfo gone = store.put("ns/gone", "x".getBytes(UTF_8), PutCondition.always());
        store.delete("ns/gone");

        assertThatThrownBy(() -> store.put("ns/gone", "y".getBytes(UTF_8), PutCondition.ifMatch(gone.etag())))
                .isInstanceOf(PreconditionFailedException.class);
        assertThatThrownBy(() -> store.put("ns/never", "y".getBytes(UTF_8), PutCondition.ifMatch("no-such-etag")))
                .isInstanceOf(PreconditionFailedException.class);
        assertThat(store.stat("ns/gone")).isEmpty();
        assertThat(store.stat("ns/never")).isEmpty();
    }

    @Test
    void concurrentIfMatchIncrementsLoseNoUpdate() throws Exception {
        store.put("ns/counter", "0".getBytes(UTF_8), PutCondition.always());
        int threads = 4;
        int increments = 25;

        runConcurrently(threads, thread -> {
            for (int done = 0; done < increments; ) {
                try {
                    if (tryIncrement(store, "ns/counter")) {
                        done++;
                    }
                } catch (ObjectNotFoundException | java.util.NoSuchElementException vanished) {
                    if (!overwrittenObjectsMayVanishBriefly()) {
                        throw vanished;
                    }
                    // Read while another writer replaced it: an attempt lost, like a failed If-Match.
                }
            }
            return null;
        });

        assertThat(store.read("ns/counter")).asString(UTF_8).isEqualTo(String.valueOf(threads * increments));
    }

    /**
     * Whether a read racing an overwrite may find no object at all for a moment. Only eventually consistent
     * backends may say so; an object on the others is always there, old or new.
     */
    protected boolean overwrittenObjectsMayVanishBriefly() {
        return false;
    }

    /**
     * One read-modify-write attempt. The etag is read before and after the content, so the content is known to be
     * the version that etag names.
     */
    static boolean tryIncrement(ObjectStore store, String key) {
        String etag = store.stat(key).orElseThrow().etag();
        long value = Long.parseLong(new String(store.read(key), UTF_8));
        if (!etag.equals(store.stat(key).orElseThrow().etag())) {
            return false;
        }
        try {
            store.put(key, String.valueOf(value + 1).getBytes(UTF_8), PutCondition.ifMatch(etag));
            return true;
        } catch (PreconditionFailedException e) {
            return false;
        }
    }

    // ---- atomic publish ---------------------------------------------------------------------------------------

    @Test
    void aReaderSeesOnlyWholeVersionsWhileWritersReplaceTheObject() throws Exception {
        long size = 4L * MIB + 5;
        int writers = 2;
        int versionsPerWriter = 12;
        store.put("ns/hot", version(0, size), PutCondition.always());
        AtomicBoolean writing = new AtomicBoolean(true);

        ExecutorService pool = Executors.newFixedThreadPool(writers + 1);
        try {
            Future<Integer> reader = pool.submit(() -> {
                int reads = 0;
                while (writing.get() || reads < 5) {
                    assertWholeVersion(store.get("ns/hot", 0, -1), size);
                    reads++;
                }
                return reads;
            });
            List<Future<?>> writes = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                writes.add(pool.submit(() -> {
                    for (int v = 1; v <= versionsPerWriter; v++) {
                        store.put("ns/hot", version(writer * 1000L + v, size), PutCondition.always());
                    }
                    return null;
                }));
            }
            for (Future<?> write : writes) {
                write.get();
            }
            writing.set(false);
            assertThat(reader.get()).isGreaterThanOrEqualTo(5);
        } finally {
            pool.shutdownNow();
        }
        assertWholeVersion(store.get("ns/hot", 0, -1), size);
    }

    /** A version's content: its number in 8 bytes, then the pattern it names. */
    private static InputStream version(long number, long size) {
        byte[] header = ByteBuffer.allocate(8).putLong(number).array();
        return new SequenceInputStream(new ByteArrayInputStream(header), Patterns.stream(number, 0, size - 8));
    }

    private static void assertWholeVersion(InputStream in, long size) {
        try (in) {
            long number = ByteBuffer.wrap(in.readNBytes(8)).getLong();
            Patterns.assertStreamEquals(in, number, 0, size - 8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- missing and invalid keys ------------------------------------------------------------------------------

    @Test
    void aMissingKeyHasNoMetadataAndCannotBeReadDeletedOrMoved() {
        store.put("ns/present", new byte[] {9}, PutCondition.always());

        for (String key : List.of("ns/absent", "ns/present/below", "ns")) {
            assertThat(store.stat(key)).as(key).isEmpty();
            assertThatThrownBy(() -> store.get(key, 0, -1)).as(key).isInstanceOf(ObjectNotFoundException.class);
            assertThatThrownBy(() -> store.get(key, 5, 10)).as(key).isInstanceOf(ObjectNotFoundException.class);
            assertThatThrownBy(() -> store.read(key)).as(key).isInstanceOf(ObjectNotFoundException.class);
            assertThat(store.delete(key)).as(key).isFalse();
            assertThatThrownBy(() -> store.move(key, "ns/elsewhere")).as(key)
                    .isInstanceOf(ObjectNotFoundException.class);
        }
        assertThat(listKeys("", null, 10)).containsExactly("ns/present");
    }

    static Stream<String> invalidKeys() {
        return Stream.of("", "/abs", "a//b", "a/../b", "..", ".", "a/.hidden", ".tmp/x", "%2F", "a%2Fb", "a\\b",
                "A b", "a/", "a\u0000b", "caf\u00e9", "a".repeat(1025), "x/".repeat(512) + "y", "a/" + "b".repeat(256));
    }

    @ParameterizedTest
    @MethodSource("invalidKeys")
    void anInvalidKeyIsRefusedAndTouchesNothing(String key) {
        store.put("ok/object", "safe".getBytes(UTF_8), PutCondition.always());

        assertInvalid(() -> store.put(key, "x".getBytes(UTF_8), PutCondition.always()));
        assertInvalid(() -> store.put(key, new ByteArrayInputStream(new byte[1]), PutCondition.ifAbsent()));
        assertInvalid(() -> store.stat(key));
        assertInvalid(() -> store.get(key, 0, -1));
        assertInvalid(() -> store.delete(key));
        assertInvalid(() -> store.move(key, "ok/moved"));
        assertInvalid(() -> store.move("ok/object", key));
        assertInvalid(() -> store.concatenate(List.of("ok/object", key), "ok/joined"));
        assertInvalid(() -> store.concatenate(List.of("ok/object"), key));

        assertThat(listKeys("", null, 10)).containsExactly("ok/object");
        assertThat(store.read("ok/object")).asString(UTF_8).isEqualTo("safe");
    }

    @ParameterizedTest
    @ValueSource(strings = {"../", "/abs/", "a//", "a/../", "..", "../etc", ".tmp/", "a/.locks/", "a b/", "a\\"})
    void anInvalidPrefixIsRefused(String prefix) {
        store.put("ok/object", "safe".getBytes(UTF_8), PutCondition.always());

        assertInvalid(() -> store.list(prefix, null, 10));
        assertThat(listKeys("", null, 10)).containsExactly("ok/object");
    }

    @Test
    void aKeyOfTheMaximumLengthIsAccepted() {
        String component = "c".repeat(203);
        String key = String.join("/", component, component, component, component, component) + "/xyzz";
        assertThat(key.getBytes(UTF_8)).hasSize(ObjectKeys.MAX_KEY_BYTES);

        store.put(key, "long".getBytes(UTF_8), PutCondition.always());

        assertThat(store.read(key)).asString(UTF_8).isEqualTo("long");
        assertThat(listKeys(component + "/", null, 10)).containsExactly(key);
    }

    @Test
    void capabilitiesNameTheBackend() {
        assertThat(store.capabilities().name()).isNotBlank();
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    protected byte[] read(String key, long offset, long length) {
        try (InputStream in = store.get(key, offset, length)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    protected List<String> listKeys(String prefix, String startAfter, int limit) {
        ListPage page = store.list(prefix, startAfter, limit);
        List<String> keys = page.entries().stream().map(ObjectInfo::key).toList();
        // Every listing in these tests also checks that the names-only listing agrees with the full one.
        KeyPage names = store.listKeys(prefix, startAfter, limit);
        assertThat(names.keys()).as("listKeys(%s, %s, %d)", prefix, startAfter, limit).isEqualTo(keys);
        assertThat(names.nextStartAfter()).as("listKeys(%s, %s, %d) next", prefix, startAfter, limit)
                .isEqualTo(page.nextStartAfter());
        return keys;
    }

    /** The CRC32C is optional, but when a backend reports one it must be the data's. */
    protected static void assertCrc(ObjectInfo info, String expected) {
        if (info.crc32c() != null) {
            assertThat(info.crc32c()).as("crc32c of " + info.key()).isEqualTo(expected);
        }
    }

    /** Equal apart from the timestamp, which backends may report with different precision in different calls. */
    protected static void assertSameInfo(ObjectInfo actual, ObjectInfo expected) {
        assertThat(actual).usingRecursiveComparison().ignoringFields("lastModified").isEqualTo(expected);
    }

    /**
     * A listing entry agrees with stat on key, size, ETag and time (within a second: listings and HEAD report
     * times with different precision, and some servers round one up and truncate the other), and on the CRC32C
     * where the listing has one at all.
     */
    protected static void assertListedLikeStat(ObjectInfo listed, ObjectInfo stat) {
        assertThat(listed).usingRecursiveComparison().comparingOnlyFields("key", "size", "etag").isEqualTo(stat);
        assertThat(Math.abs(listed.lastModified().toEpochMilli() - stat.lastModified().toEpochMilli()))
                .as("lastModified of %s: listed %s, stat %s", listed.key(), listed.lastModified(), stat.lastModified())
                .isLessThanOrEqualTo(1000);
        if (listed.crc32c() != null) {
            assertThat(listed.crc32c()).as("crc32c of " + listed.key()).isEqualTo(stat.crc32c());
        }
    }

    private static void assertInvalid(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOf(InvalidKeyException.class);
    }

    static int compareBytes(String a, String b) {
        return Arrays.compareUnsigned(a.getBytes(UTF_8), b.getBytes(UTF_8));
    }

    /** A task run by one of several threads that start together. */
    protected interface ThreadTask<T> {
        T run(int thread) throws Exception;
    }

    /** Runs {@code task} on {@code threads} threads released at once; returns their results in thread order. */
    protected static <T> List<T> runConcurrently(int threads, ThreadTask<T> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                Callable<T> call = () -> {
                    start.await();
                    return task.run(thread);
                };
                futures.add(pool.submit(call));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                try {
                    results.add(future.get());
                } catch (ExecutionException e) {
                    switch (e.getCause()) {
                        case Exception cause -> throw cause;
                        case Error cause -> throw cause;
                        default -> throw e;
                    }
                }
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
