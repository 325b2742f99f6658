package dev.berth.storage;

import static java.nio.file.LinkOption.NOFOLLOW_LINKS;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Reads a directory's entry names in sorted order, and keeps those of large directories that have settled. A page
 * of a paginated listing reads the whole directory and sorts it, so paging through the 100,000 tags of one
 * repository read 100,000 names per page; a kept listing makes later pages cost what they return.
 *
 * <p>A kept listing is used only while the directory's device, inode, change and modification times are as they
 * were when it was read, and only directories whose last change is older than {@code settled} are kept: adding or
 * removing an entry sets the change time to the current time, which differs from a change time that old, so no
 * change can hide behind an equal timestamp. Every listing therefore reflects every change completed before it,
 * by any process.
 */
final class DirectoryListings {
    /** In smaller directories a stat of each entry costs little, so they are not examined for being leaves. */
    private static final int SMALLEST_EXAMINED = 64;
    /** Smaller directories are read again each time: that is cheap, and keeps the cache for the large ones. */
    private static final int SMALLEST_KEPT = 1000;
    private static final String ATTRIBUTES = "unix:dev,ino,ctime,lastModifiedTime,nlink";

    /**
     * One directory's entries.
     *
     * @param names the entry names, sorted, without the store's own names (those starting with a dot)
     * @param leaf whether the directory held no subdirectory right after it was read, so every entry is a file (a
     *     subdirectory removed in between is named like an object, as a deleted object may be in any listing);
     *     small directories are never reported as leaves
     */
    record Listing(List<String> names, boolean leaf) {}

    private record Kept(String version, Listing listing) {}

    private final Clock clock;
    private final Duration settled;
    private final boolean unixAttributes;
    private final Cache<Path, Kept> kept;

    /**
     * @param maxNameChars how many characters of names to keep in all, for all directories together
     * @param unixAttributes whether the filesystem reports change times and link counts; without them nothing is kept
     */
    DirectoryListings(Clock clock, Duration settled, boolean unixAttributes, long maxNameChars) {
        this.clock = clock;
        this.settled = settled;
        this.unixAttributes = unixAttributes;
        this.kept = Caffeine.newBuilder()
                .maximumWeight(maxNameChars)
                .<Path, Kept>weigher((dir, k) -> k.listing().names().size() * 16
                        + k.listing().names().stream().mapToInt(String::length).sum())
                .build();
    }

    /** The entries of {@code dir}; the failure of reading it (absent, not a directory) as the filesystem gives it. */
    Listing read(Path dir) throws IOException {
        Kept k = kept.getIfPresent(dir);
        if (k != null && k.version().equals(settledVersion(attributes(dir)))) {
            return k.listing();
        }
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (!name.startsWith(".")) {
                    names.add(name);
                }
            }
        }
        Collections.sort(names);
        if (names.size() < SMALLEST_EXAMINED) {
            return new Listing(Collections.unmodifiableList(names), false);
        }
        // Taken after the names were read: a subdirectory present then shows in the link count, and a directory
        // whose last change is older than the settling time did not change while it was read.
        Map<String, Object> after = attributes(dir);
        Listing listing = new Listing(Collections.unmodifiableList(names), isLeaf(after));
        String version = settledVersion(after);
        if (version != null && names.size() >= SMALLEST_KEPT) {
            kept.put(dir, new Kept(version, listing));
        }
        return listing;
    }

    private Map<String, Object> attributes(Path dir) {
        if (!unixAttributes) {
            return null;
        }
        try {
            return Files.readAttributes(dir, ATTRIBUTES, NOFOLLOW_LINKS);
        } catch (IOException e) {
            return null; // reading the directory reports what is wrong with it
        }
    }

    /** On ext4, XFS and tmpfs a directory has two links plus one per subdirectory; btrfs reports 1, never a leaf. */
    private static boolean isLeaf(Map<String, Object> attributes) {
        return attributes != null && ((Integer) attributes.get("nlink")) == 2;
    }

    private String settledVersion(Map<String, Object> a) {
        return a == null ? null : FilesystemStore.settledIdentity(a, clock, settled);
    }
}
