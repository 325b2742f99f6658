package dev.berth.storage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.time.Duration;
import java.time.Clock;
import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FilesystemStoreTest extends ObjectStoreContract {
    @TempDir
    Path root;

    @Override
    protected ObjectStore createStore() {
        return new CheckedStore(new FilesystemStore(root));
    }

    @Test
    void capabilitiesAreFilesystemAndAtomic() {
        assertThat(store.capabilities()).isEqualTo(new StoreCapabilities("filesystem", true));
    }

    @Test
    void aJustWrittenFileHasNoVersionBecauseItsTimestampsCannotVouchForItYet() {
        FilesystemStore fresh = new FilesystemStore(root);
        fresh.put("ns/tag", "sha256:aaaa".getBytes(StandardCharsets.US_ASCII), PutCondition.always());

        assertThat(fresh.version("ns/tag")).isEmpty();
        assertThat(fresh.version("ns/absent")).isEmpty();
    }

    @Test
    void aSettledFileHasAVersionThatAReplacementOrADeletionChanges() {
        FilesystemStore writer = new FilesystemStore(root);
        // A reader whose clock is ahead sees every file as settled.
        FilesystemStore reader = new FilesystemStore(root, Clock.offset(Clock.systemUTC(), Duration.ofSeconds(5)));
        writer.put("ns/tag", "sha256:aaaa".getBytes(StandardCharsets.US_ASCII), PutCondition.always());
        Optional<String> first = reader.version("ns/tag");
        assertThat(first).isPresent();
        assertThat(reader.version("ns/tag")).isEqualTo(first);

        writer.put("ns/tag", "sha256:bbbb".getBytes(StandardCharsets.US_ASCII), PutCondition.always());
        assertThat(reader.version("ns/tag")).isPresent().isNotEqualTo(first);

        writer.delete("ns/tag");
        assertThat(reader.version("ns/tag")).isEmpty();
    }

    @Test
    void aDirectoryOfObjectsOnlyIsListedByNameFromStartAfterUpToTheLimit() {
        for (int i = 0; i < 80; i++) {
            store.put("t/tag-%02d".formatted(i), new byte[] {1}, PutCondition.always());
        }

        KeyPage page = store.listKeys("t/", "t/tag-10", 5);

        assertThat(page.keys()).containsExactly("t/tag-11", "t/tag-12", "t/tag-13", "t/tag-14", "t/tag-15");
        assertThat(page.nextStartAfter()).isEqualTo("t/tag-15");
        assertThat(listKeys("t/tag-4", null, 100)).hasSize(10).allMatch(key -> key.startsWith("t/tag-4"));
    }

    @Test
    void aLargeDirectoryThatGainsASubdirectoryIsNoLongerTakenForOneOfObjectsOnly() throws IOException {
        for (int i = 0; i < 100; i++) {
            store.put("t/a%02d".formatted(i), new byte[] {1}, PutCondition.always());
        }
        assertThat(listKeys("t/", "t/a97", 10)).containsExactly("t/a98", "t/a99");

        store.put("t/c/d", new byte[] {1}, PutCondition.always());
        Files.createDirectories(root.resolve("t/empty")); // a directory holding no object is no key either

        assertThat(listKeys("t/", "t/a97", 10)).containsExactly("t/a98", "t/a99", "t/c/d");
    }

        @Test
    void ifAbsentIsExclusiveAcrossTwoStoresOnOneRoot() throws Exception {
        List<ObjectStore> stores = List.of(new FilesystemStore(root), new FilesystemStore(root));
        int threads = 8;
        for (int round = 0; round < 20; round++) {
            String key = "ns/shared/r" + round;
            List<Boolean> wins = runConcurrently(threads, thread -> {
                try {
                    stores.get(thread % 2).put(key, new byte[] {(byte) thread}, PutCondition.ifAbsent());
                    return true;
                } catch (PreconditionFailedException e) {
                    return false;
                }
            });

            assertThat(wins).as("round %d", round).containsOnlyOnce(true);
            assertThat(store.read(key)).containsExactly((byte) wins.indexOf(true));
        }
    }

    @Test
    void ifMatchIsExclusiveAcrossTwoStoresOnOneRoot() throws Exception {
        List<ObjectStore> stores = List.of(new FilesystemStore(root), new FilesystemStore(root));
        store.put("ns/counter", "0".getBytes(UTF_8), PutCondition.always());
        int threads = 6;
        int increments = 30;

        runConcurrently(threads, thread -> {
            ObjectStore mine = stores.get(thread % 2);
            for (int done = 0; done < increments; ) {
                if (tryIncrement(mine, "ns/counter")) {
                    done++;
                }
            }
            return null;
        });

        assertThat(store.read("ns/counter")).asString(UTF_8).isEqualTo(String.valueOf(threads * increments));
    }

    @ParameterizedTest
    @ValueSource(strings = {"../escape", "a/../../escape", "/etc/passwd", ".tmp/x", ".locks/000", "a/./b", "a//b",
            "a/", "a/..", "."})
    void theBackendRefusesPathsOutsideItsObjectsEvenWithoutKeyChecks(String key) throws IOException {
        FilesystemStore raw = new FilesystemStore(root.resolve("inner"));
        Files.writeString(root.resolve("escape"), "outside");

        assertThatThrownBy(() -> raw.put(key, "x".getBytes(UTF_8), PutCondition.always()))
                .isInstanceOf(InvalidKeyException.class);
        assertThatThrownBy(() -> raw.stat(key)).isInstanceOf(InvalidKeyException.class);
        assertThatThrownBy(() -> raw.get(key, 0, -1)).isInstanceOf(InvalidKeyException.class);
        assertThatThrownBy(() -> raw.delete(key)).isInstanceOf(InvalidKeyException.class);
        assertThatThrownBy(() -> raw.list(key + "/", null, 10)).isInstanceOf(InvalidKeyException.class);
        assertThat(Files.readString(root.resolve("escape"))).isEqualTo("outside");
        assertThat(raw.list("", null, 10).entries()).isEmpty();
    }

    @Test
    void aComponentLongerThanAFileNameIsAnInvalidKey() {
        String key = "ns/" + "n".repeat(256);

        assertThatThrownBy(() -> store.put(key, new byte[1], PutCondition.always()))
                .isInstanceOf(InvalidKeyException.class);
    }

    @Test
    void objectsAreFilesUnderTheRootAndTheCrcIsStoredWithThem() throws IOException {
        ObjectInfo info = store.put("ns/blobs/data", "content".getBytes(UTF_8), PutCondition.always());

        Path file = root.resolve("ns/blobs/data");
        assertThat(Files.readString(file)).isEqualTo("content");
        UserDefinedFileAttributeView view = Files.getFileAttributeView(file, UserDefinedFileAttributeView.class);
        if (userAttributesWork()) {
            ByteBuffer stored = ByteBuffer.allocate(view.size("berth.crc32c"));
            view.read("berth.crc32c", stored);
            assertThat(new String(stored.array(), UTF_8)).isEqualTo(info.crc32c());
            assertThat(info.crc32c()).isEqualTo(Patterns.crc32c("content".getBytes(UTF_8)));
        } else {
            assertThat(info.crc32c()).isNull();
        }
    }

    @Test
    void deletingTheLastObjectRemovesItsEmptyDirectories() {
        store.put("ns/a/b/c/object", new byte[1], PutCondition.always());
        store.put("ns/keep", new byte[1], PutCondition.always());

        store.delete("ns/a/b/c/object");

        assertThat(root.resolve("ns/a")).doesNotExist();
        assertThat(root.resolve("ns")).isDirectory();
    }

    @Test
    void tempFilesAndForeignEntriesAreNeverListed() throws IOException {
        store.put("ns/real", new byte[1], PutCondition.always());
        Files.writeString(root.resolve(".tmp/leftover.part"), "partial");
        Files.createDirectories(root.resolve("ns/.hidden"));
        Files.writeString(root.resolve("ns/.hidden/file"), "x");
        Files.createSymbolicLink(root.resolve("ns/link"), root.resolve("ns/real"));

        assertThat(listKeys("", null, 10)).containsExactly("ns/real");
    }

    @Test
    void aSecondStoreOnTheSameRootSeesTheSameObjectsAndEtags() {
        ObjectInfo written = store.put("ns/persisted", "kept".getBytes(UTF_8), PutCondition.always());

        FilesystemStore reopened = new FilesystemStore(root);

        assertThat(reopened.stat("ns/persisted")).hasValue(written);
        assertThat(reopened.read("ns/persisted")).asString(UTF_8).isEqualTo("kept");
    }

    @Test
    void aKeyBelowAnObjectCannotBeWritten() {
        store.put("ns/file", new byte[1], PutCondition.always());

        assertThatThrownBy(() -> store.put("ns/file/below", new byte[1], PutCondition.always()))
                .isInstanceOf(StorageException.class)
                .isNotInstanceOf(InvalidKeyException.class);
        assertThat(listKeys("", null, 10)).containsExactly("ns/file");
    }

    @Test
    void viewsLendTheStoredBytesAndReadsContinueWhereTheViewsStopped() throws IOException {
        byte[] bytes = new byte[3 * 1024 * 1024 + 5];
        new java.util.Random(7).nextBytes(bytes);
        FilesystemStore files = new FilesystemStore(root);
        files.put("ns/blob", bytes, PutCondition.always());
        ByteBuffer got = ByteBuffer.allocate(bytes.length - 1000);

        try (var in = files.get("ns/blob", 1000, bytes.length - 1000)) {
            ViewReadable views = (ViewReadable) in;
            for (int i = 0; i < 2; i++) {
                try (ViewReadable.View view = views.view(1024 * 1024)) {
                    assertThat(view.bytes().isReadOnly()).isTrue();
                    got.put(view.bytes());
                }
            }
            while (views.read(got) > 0) {
                // the rest, copied
            }
            try (ViewReadable.View end = views.view(1024 * 1024)) {
                assertThat(end.bytes().hasRemaining()).as("a view at the end of the stream").isFalse();
            }
        }
        assertThat(got.array()).isEqualTo(java.util.Arrays.copyOfRange(bytes, 1000, bytes.length));
    }

    @Test
    void aViewKeepsTheBytesItLentWhenTheObjectIsReplacedAndIsUnmappedOnceClosed() throws Exception {
        FilesystemStore files = new FilesystemStore(root);
        files.put("ns/tag", "first".getBytes(UTF_8), PutCondition.always());
        ViewReadable.View view;
        try (var in = files.get("ns/tag", 0, 5)) {
            view = ((ViewReadable) in).view(1024);
        }
        files.put("ns/tag", "other".getBytes(UTF_8), PutCondition.always());

        assertThat(UTF_8.decode(view.bytes().duplicate()).toString()).isEqualTo("first");
        view.close();
        // Unmapped within the mapper's idle delay: the JDK then refuses the access instead of letting it fault.
        FileMapperTest.awaitUnmapped(view);
    }

    private boolean userAttributesWork() throws IOException {
        Path probe = Files.createTempFile(root, "probe", "");
        try {
            Files.getFileAttributeView(probe, UserDefinedFileAttributeView.class)
                    .write("berth.probe", ByteBuffer.wrap(new byte[] {1}));
            return true;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        } finally {
            Files.delete(probe);
        }
    }
}
