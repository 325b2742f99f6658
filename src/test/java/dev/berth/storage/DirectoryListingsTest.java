package dev.berth.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Directory listings are sorted, tell leaves from directories with subdirectories, and are never stale. */
class DirectoryListingsTest {
    private static final Duration SETTLED = Duration.ofSeconds(2);
    /** A clock far enough ahead that every directory counts as settled, so large listings are kept. */
    private final Clock ahead = Clock.offset(Clock.systemUTC(), Duration.ofSeconds(10));

    @TempDir
    Path dir;

    @Test
    void namesAreSortedAndLeaveOutTheStoresOwnDotNames() throws IOException {
        for (String name : new String[] {"b", "a-c", "a", ".tmp", "a.b"}) {
            Files.createFile(dir.resolve(name));
        }

        DirectoryListings.Listing listing = listings(Clock.systemUTC()).read(dir);

        assertThat(listing.names()).containsExactly("a", "a-c", "a.b", "b");
    }

    @Test
    void aLargeDirectoryOfFilesIsALeafUntilItGainsASubdirectory() throws IOException {
        DirectoryListings listings = listings(Clock.systemUTC());
        createFiles(100);
        assertThat(listings.read(dir).leaf()).isTrue();

        Files.createDirectory(dir.resolve("sub"));
        assertThat(listings.read(dir).leaf()).isFalse();
    }

    @Test
    void aSmallDirectoryIsNeverReportedAsALeaf() throws IOException {
        createFiles(3);

        assertThat(listings(Clock.systemUTC()).read(dir).leaf()).isFalse();
    }

    @Test
    void theListingOfAnUnchangedSettledLargeDirectoryIsKept() throws IOException {
        DirectoryListings listings = listings(ahead);
        createFiles(1500);

        DirectoryListings.Listing first = listings.read(dir);

        assertThat(listings.read(dir)).isSameAs(first);
    }

    @Test
    void aKeptListingNeverHidesAnEntryAddedOrRemovedAfterIt() throws IOException {
        DirectoryListings listings = listings(ahead);
        createFiles(1500);
        assertThat(listings.read(dir).names()).hasSize(1500);

        Files.createFile(dir.resolve("zz-new"));
        assertThat(listings.read(dir).names()).hasSize(1501).endsWith("zz-new");

        Files.delete(dir.resolve("f-00000"));
        assertThat(listings.read(dir).names()).hasSize(1500).doesNotContain("f-00000");
    }

    @Test
    void aDirectoryChangedWithinTheSettlingTimeIsNotKept() throws IOException {
        DirectoryListings listings = listings(Clock.systemUTC());
        createFiles(1500);

        DirectoryListings.Listing first = listings.read(dir);

        assertThat(listings.read(dir)).isNotSameAs(first).isEqualTo(first);
    }

    private DirectoryListings listings(Clock clock) {
        return new DirectoryListings(clock, SETTLED, true, 1 << 20);
    }

    private void createFiles(int count) throws IOException {
        for (int i = 0; i < count; i++) {
            Files.createFile(dir.resolve("f-%05d".formatted(i)));
        }
    }
}
