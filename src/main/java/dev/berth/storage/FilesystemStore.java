package dev.berth.storage;

import static java.nio.file.LinkOption.NOFOLLOW_LINKS;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.zip.CRC32C;

/**
 * The default backend: each key is a file under a root directory, published by renaming a finished temp file.
 *
 * <p>Layout: the object {@code a/b/c} is the file {@code root/a/b/c}; temp files live in {@code root/.tmp/} and lock
 * files in {@code root/.locks/}, which no key can reach because key components never start with {@code .}. Temp
 * files left behind by a crashed process are never visible as objects and may be removed by age.
 *
 * <p>Guarantees:
 * <ul>
 *   <li>Every write streams into a temp file, computing its CRC32C on the way, syncs it, and then renames it into
 *       place, so a reader opens either the old or the new file, never a partial one.</li>
 *   <li>Every change of a key (put, delete, move) is published while holding an exclusive {@link FileLock} on one
 *       of {@value #LOCK_STRIPES} lock files chosen by the key's CRC32C, so conditional puts are atomic against
 *       writers in other processes sharing the directory (over a local filesystem; network filesystems vary in
 *       how well they honour POSIX locks). {@code ifAbsent} additionally publishes with a hard link, which the
 *       kernel refuses when the target exists.</li>
 *   <li>The etag is built from the file's identity and change times: device and inode, modification and status
 *       change times in nanoseconds, size, and the stored CRC32C. A replacement is a new inode renamed into place,
 *       so the etag changes; it could repeat only if a recycled inode number got the same timestamps, size and
 *       CRC, that is, essentially the same content, like a content-hash etag.</li>
 *   <li>Reads lend mapped views of the file ({@link ViewReadable}) on JDK 22 and later, unmapped in groups once
 *       their readers close them ({@link FileMapper}); like an open file, a view keeps the bytes of the version it
 *       mapped.</li>
 *   <li>The CRC32C is kept in the extended attribute {@code user.berth.crc32c} where the filesystem supports user
 *       attributes; elsewhere {@link ObjectInfo#crc32c()} is null.</li>
 * </ul>
 *
 * <p>File locks belong to the whole JVM, so two instances on one root in one process exclude each other by
 * backing off; prefer one instance per root per process, since closing one of two channels on a lock file can
 * drop the other's POSIX lock towards other processes.
 */
public final class FilesystemStore implements ObjectStore {
    private static final StoreCapabilities CAPABILITIES = new StoreCapabilities("filesystem", true);
    /** The Java name of the attribute; the JDK adds the {@code user.} namespace. */
    private static final String CRC_ATTRIBUTE = "berth.crc32c";
    private static final int LOCK_STRIPES = 1024;
    private static final int BUFFER_BYTES = 256 * 1024;
    /** Characters of directory entry names kept for paginated listings of large directories (about 32 MiB). */
    private static final long LISTING_CACHE_CHARS = 16L * 1024 * 1024;
    /** How many bytes of a large write gather before they are flushed to disk in the background. */
    private static final long WRITEBACK_INTERVAL_BYTES = 8L * 1024 * 1024;
    /** Most filesystems refuse longer file names, so such a key could never be stored. */
    private static final int MAX_NAME_BYTES = 255;
    /** Publishing retries when a concurrent delete removes the empty parent directory it just created. */
    private static final int PUBLISH_ATTEMPTS = 1000;
    private final Clock clock;
    /** How long after its last change a file's stat is trusted to identify its content. */
    private static final Duration SETTLED = Duration.ofSeconds(2);
    private static final String UNIX_ATTRIBUTES = "unix:isRegularFile,size,lastModifiedTime,ctime,ino,dev";

    private final Path root;
    private final Path tmp;
    private final Path locks;
    private final boolean unixAttributes;
    private final boolean userAttributes;
    private final DirectoryListings listings;
    /** Lends mapped views of files for reads; null on a JDK without an explicit unmap, where reads copy. */
    private final FileMapper mapper = FileMapper.ofThisJdk().orElse(null);
    /** Threads of this instance queue here first, since a JVM cannot block on a file lock it already holds. */
    private final ReentrantLock[] localLocks = new ReentrantLock[LOCK_STRIPES];

    /** Opens (and creates when needed) the store under {@code root}. */
    public FilesystemStore(Path root) {
        this(root, Clock.systemUTC());
    }

    /** A store whose {@link #version} judges how long ago a file changed by {@code clock}; for tests. */
    FilesystemStore(Path root, Clock clock) {
        this.clock = clock;
        try {
            Path absolute = root.toAbsolutePath().normalize();
            Files.createDirectories(absolute);
            this.root = absolute.toRealPath();
            this.tmp = Files.createDirectories(this.root.resolve(".tmp"));
            this.locks = Files.createDirectories(this.root.resolve(".locks"));
        } catch (IOException e) {
            throw new StorageException("cannot open the store at " + root + ": " + e, e);
        }
        this.unixAttributes = this.root.getFileSystem().supportedFileAttributeViews().contains("unix");
        this.userAttributes = probeUserAttributes();
        this.listings = new DirectoryListings(clock, SETTLED, unixAttributes, LISTING_CACHE_CHARS);
        for (int i = 0; i < LOCK_STRIPES; i++) {
            localLocks[i] = new ReentrantLock();
        }
    }

    @Override
    public Optional<ObjectInfo> stat(String key) {
        Path path = pathOf(key);
        try {
            return readInfo(key, path);
        } catch (IOException e) {
            throw failure("stat " + key, e);
        }
    }

    /**
     * Device, inode, status and modification times and size, from one {@code stat}; without reading the CRC
     * attribute, which costs an open. A file whose status changed less than {@link #SETTLED} ago gets no version:
     * timestamps advance in clock ticks, and a file replaced within one tick by another of the same size on a
     * recycled inode would look unchanged. Once settled, any later replacement carries a later status time.
     */
    @Override
    public Optional<String> version(String key) {
        if (!unixAttributes) {
            return Optional.empty();
        }
        Path path = pathOf(key);
        try {
            Map<String, Object> a = Files.readAttributes(path, UNIX_ATTRIBUTES, NOFOLLOW_LINKS);
            if (!(Boolean) a.get("isRegularFile")) {
                return Optional.empty();
            }
            String identity = settledIdentity(a, clock, SETTLED);
            return identity == null ? Optional.empty()
                    : Optional.of(identity + "-" + Long.toHexString((Long) a.get("size")));
        } catch (IOException e) {
            return Optional.empty(); // absent, or unreadable: the caller reads and sees which
        }
    }

    @Override
    public InputStream get(String key, long offset, long length) {
        Path path = pathOf(key);
        FileChannel channel = null;
        try {
            // Opening a directory for reading succeeds on Linux, so make sure this is an object first.
            if (!isObject(path)) {
                throw new ObjectNotFoundException(key);
            }
            channel = FileChannel.open(path, StandardOpenOption.READ, NOFOLLOW_LINKS);
            long size = channel.size(); // of the version we opened, which later renames cannot change
            if (offset < 0 || offset > size || (length >= 0 && length > size - offset)) {
                throw new RangeNotSatisfiableException(key, offset, length, size);
            }
            InputStream in = new ChannelInputStream(channel, offset, length < 0 ? size - offset : length, mapper);
            channel = null;
            return in;
        } catch (IOException e) {
            throw absent(path, e) ? new ObjectNotFoundException(key) : failure("read " + key, e);
        } finally {
            closeQuietly(channel);
        }
    }

    @Override
    public ObjectInfo put(String key, InputStream data, PutCondition condition) {
        Path target = pathOf(key);
        Path temp = newTemp();
        try {
            long crc;
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                crc = copy(data, out);
                // The data must be durable before the name can point at it. An empty object (a link, a holder, a
                // catalog entry) has no data to lose, and its flush cost a journal commit, three per blob pushed.
                if (out.size() > 0) {
                    out.force(false);
                }
            }
            writeCrc(temp, crc);
            return publish(key, target, temp, condition);
        } catch (IOException e) {
            throw failure("put " + key, e);
        } finally {
            deleteQuietly(temp);
        }
    }

    @Override
    public ListPage list(String prefix, String startAfter, int limit) {
        List<ObjectInfo> found = walkFrom(prefix, startAfter, limit, true);
        if (found.size() <= limit) {
            return new ListPage(found, null);
        }
        List<ObjectInfo> page = found.subList(0, limit);
        return new ListPage(page, page.getLast().key());
    }

    /** Only a {@code stat} per entry, to tell objects from directories; no CRC attribute, which costs an open. */
    @Override
    public KeyPage listKeys(String prefix, String startAfter, int limit) {
        List<String> keys = walkFrom(prefix, startAfter, limit, false).stream().map(ObjectInfo::key).toList();
        if (keys.size() <= limit) {
            return new KeyPage(keys, null);
        }
        List<String> page = keys.subList(0, limit);
        return new KeyPage(page, page.getLast());
    }

    /** Up to {@code limit + 1} objects after {@code startAfter} under {@code prefix}, with full or bare metadata. */
    private List<ObjectInfo> walkFrom(String prefix, String startAfter, int limit, boolean fullInfo) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive: " + limit);
        }
        String from = prefix == null ? "" : prefix;
        // Start at the deepest directory the prefix names completely; its last, partial component filters names.
        String base = from.substring(0, from.lastIndexOf('/') + 1);
        Path dir = base.isEmpty() ? root : pathOf(base.substring(0, base.length() - 1));
        List<ObjectInfo> found = new ArrayList<>();
        try {
            walk(dir, base, new Range(from, startAfter), limit + 1, fullInfo, found);
        } catch (IOException e) {
            throw failure("list " + from, e);
        }
        return found;
    }

    @Override
    public boolean delete(String key) {
        Path path = pathOf(key);
        boolean deleted;
        try {
            deleted = locked(List.of(key), () -> {
                if (!isObject(path)) {
                    return false;
                }
                try {
                    Files.delete(path);
                    return true;
                } catch (NoSuchFileException e) {
                    return false;
                }
            });
        } catch (IOException e) {
            throw failure("delete " + key, e);
        }
        if (deleted) {
            pruneEmptyDirectories(path.getParent());
        }
        return deleted;
    }

    @Override
    public ObjectInfo move(String from, String to) {
        Path source = pathOf(from);
        Path target = pathOf(to);
        ObjectInfo moved;
        try {
            moved = locked(List.of(from, to), () -> {
                if (!isObject(source)) {
                    throw new ObjectNotFoundException(from);
                }
                if (!source.equals(target)) {
                    renameInto(source, target, from);
                }
                return readInfo(to, target).orElseThrow(() -> vanished(to));
            });
        } catch (IOException e) {
            throw failure("move " + from + " to " + to, e);
        }
        if (!source.equals(target)) {
            pruneEmptyDirectories(source.getParent());
        }
        return moved;
    }

    /**
     * Copies the sources into a temp file with {@link FileChannel#transferTo} (which the kernel may do without
     * passing the bytes through Java, or by sharing extents) and publishes it in one rename. The target's CRC32C
     * is combined from the sources' stored CRCs and sizes, so it states what the sources were verified to hold
     * when they were written; a source without a stored CRC is copied through a buffer and checksummed instead.
     */
    @Override
    public ObjectInfo concatenate(List<String> sources, String target) {
        List<Path> paths = sources.stream().map(this::pathOf).toList();
        Path targetPath = pathOf(target);
        Path temp = newTemp();
        try {
            long crc = 0; // the CRC32C of no bytes
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                for (int i = 0; i < paths.size(); i++) {
                    crc = append(sources.get(i), paths.get(i), out, crc);
                }
                out.force(false);
            }
            writeCrc(temp, crc);
            return publish(target, targetPath, temp, PutCondition.always());
        } catch (IOException e) {
            throw failure("concatenate into " + target, e);
        } finally {
            deleteQuietly(temp);
        }
    }

    @Override
    public StoreCapabilities capabilities() {
        return CAPABILITIES;
    }

    @Override
    public String toString() {
        return "filesystem(" + root + ")";
    }

    // ---- keys and paths -------------------------------------------------------------------------------------

    /**
     * Maps a key to its file, refusing anything that could leave the root or reach the store's own directories,
     * whatever checks the caller made before.
     */
    private Path pathOf(String key) {
        if (key == null || key.isEmpty()) {
            throw new InvalidKeyException(String.valueOf(key), "empty");
        }
        Path relative;
        try {
            relative = root.getFileSystem().getPath(key);
        } catch (InvalidPathException e) {
            throw new InvalidKeyException(key, "not a path: " + e.getReason());
        }
        // The path parser silently drops repeated and trailing separators; such a key is not a plain path.
        if (relative.isAbsolute() || !relative.toString().equals(key)) {
            throw new InvalidKeyException(key, "not a plain relative path");
        }
        for (Path part : relative) {
            String name = part.toString();
            if (name.startsWith(".")) {
                throw new InvalidKeyException(key, "component '" + name + "' starts with '.'");
            }
            if (name.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
                throw new InvalidKeyException(key, "component longer than " + MAX_NAME_BYTES + " bytes");
            }
        }
        Path resolved = root.resolve(relative).normalize();
        if (!resolved.startsWith(root) || resolved.equals(root)) {
            throw new InvalidKeyException(key, "outside the store");
        }
        return resolved;
    }

    private static boolean isObject(Path path) {
        return Files.isRegularFile(path, NOFOLLOW_LINKS);
    }

    /** True when the failure means there is no such object (no file, or a parent that is not a directory). */
    private static boolean absent(Path path, IOException e) {
        return e instanceof NoSuchFileException || !Files.exists(path, NOFOLLOW_LINKS);
    }

    // ---- writing and publishing -----------------------------------------------------------------------------

    private Path newTemp() {
        // Created with the process umask (unlike Files.createTempFile's owner-only mode), as the object will be.
        Path temp = tmp.resolve(UUID.randomUUID() + ".part");
        try {
            Files.createDirectories(tmp); // in case someone removed it while we were running
            Files.createFile(temp);
            return temp;
        } catch (IOException e) {
            throw failure("create a temp file", e);
        }
    }

    /** Streams {@code data} into {@code out} and returns the CRC32C of what was written. */
    private static long copy(InputStream data, FileChannel out) throws IOException {
        CRC32C crc = new CRC32C();
        byte[] buffer = new byte[BUFFER_BYTES];
        EarlyWriteback writeback = new EarlyWriteback(out, WRITEBACK_INTERVAL_BYTES);
        try {
            int n;
            // The buffer is filled before each write: a request body arrives in pieces of a few KiB, and writing
            // each piece as it came made one system call (and one copy into a temporary direct buffer) per piece.
            while ((n = data.readNBytes(buffer, 0, buffer.length)) > 0) {
                crc.update(buffer, 0, n);
                ByteBuffer chunk = ByteBuffer.wrap(buffer, 0, n);
                while (chunk.hasRemaining()) {
                    out.write(chunk);
                }
                writeback.written(n);
            }
        } finally {
            writeback.awaitFlush(); // before the caller closes the channel under it
        }
        return crc.getValue();
    }

    /** Appends one source to {@code out} and returns the CRC32C of everything written so far. */
    private long append(String key, Path source, FileChannel out, long crcSoFar) throws IOException {
        if (!isObject(source)) {
            throw new ObjectNotFoundException(key);
        }
        try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ, NOFOLLOW_LINKS)) {
            long size = in.size();
            Long stored = readCrc(source);
            long partCrc;
            if (stored != null || !userAttributes) {
                for (long done = 0; done < size; ) {
                    long n = in.transferTo(done, size - done, out);
                    if (n <= 0) {
                        throw new IOException(key + " ended after " + done + " of " + size + " bytes");
                    }
                    done += n;
                }
                partCrc = stored == null ? 0 : stored;
            } else {
                partCrc = copy(new ChannelInputStream(in, 0, size, null), out);
            }
            return Crc32cs.combine(crcSoFar, partCrc, size);
        } catch (NoSuchFileException e) {
            throw new ObjectNotFoundException(key);
        }
    }

    /** Makes the finished temp file visible at {@code target}, under the key's lock, and reports what is there. */
    private ObjectInfo publish(String key, Path target, Path temp, PutCondition condition) throws IOException {
        return locked(List.of(key), () -> {
            switch (condition) {
                case PutCondition.Always always -> renameInto(temp, target, key);
                case PutCondition.IfAbsent ifAbsent -> {
                    if (!linkInto(temp, target, key)) {
                        throw new PreconditionFailedException(key, condition);
                    }
                    Files.delete(temp); // before reading the etag: dropping the link changes the status time
                }
                case PutCondition.IfMatch ifMatch -> {
                    Optional<ObjectInfo> current = readInfo(key, target);
                    if (current.isEmpty() || !current.get().etag().equals(ifMatch.etag())) {
                        throw new PreconditionFailedException(key, condition);
                    }
                    renameInto(temp, target, key);
                }
            }
            return readInfo(key, target).orElseThrow(() -> vanished(key));
        });
    }

    /** Renames {@code file} onto {@code target}, replacing it, creating parents again if a delete removed them. */
    private void renameInto(Path file, Path target, String key) throws IOException {
        for (int attempt = 1; ; attempt++) {
            createParents(target, key);
            try {
                Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
                return;
            } catch (NoSuchFileException e) {
                if (!Files.exists(file, NOFOLLOW_LINKS)) {
                    throw e;
                }
                if (attempt == PUBLISH_ATTEMPTS) {
                    throw new StorageException("the parent of " + key + " keeps disappearing", e);
                }
            } catch (AtomicMoveNotSupportedException e) {
                throw new StorageException(root + " cannot rename atomically", e);
            }
        }
    }

    /** Links {@code file} at {@code target} unless something is there; false when it was. */
    private boolean linkInto(Path file, Path target, String key) throws IOException {
        for (int attempt = 1; ; attempt++) {
            createParents(target, key);
            try {
                Files.createLink(target, file);
                return true;
            } catch (FileAlreadyExistsException e) {
                return false;
            } catch (NoSuchFileException e) {
                if (!Files.exists(file, NOFOLLOW_LINKS)) {
                    throw e;
                }
                if (attempt == PUBLISH_ATTEMPTS) {
                    throw new StorageException("the parent of " + key + " keeps disappearing", e);
                }
            }
        }
    }

    private void createParents(Path target, String key) throws IOException {
        try {
            Files.createDirectories(target.getParent());
        } catch (FileAlreadyExistsException e) {
            // Also thrown when a concurrent delete removes a directory right after mkdir found it existing.
            for (Path dir = target.getParent(); !dir.equals(root); dir = dir.getParent()) {
                if (isObject(dir)) {
                    throw new StorageException("the parent " + dir + " of " + key + " is an object", e);
                }
            }
        } catch (NoSuchFileException e) {
            // A concurrent delete removed a directory between two levels; the caller's next attempt recreates it.
        }
    }

    /** Removes now-empty directories from {@code dir} up to (not including) the root. */
    private void pruneEmptyDirectories(Path dir) {
        for (Path d = dir; d != null && d.startsWith(root) && !d.equals(root); d = d.getParent()) {
            try {
                Files.delete(d);
            } catch (IOException e) {
                return; // not empty (the usual case), already gone, or not ours to remove: stop climbing
            }
        }
    }

    // ---- locking ----------------------------------------------------------------------------------------------

    /** An action run under locks that may throw the checked failure of the filesystem. */
    private interface LockedAction<T> {
        T run() throws IOException;
    }

    /** Runs {@code action} holding the lock stripes of all {@code keys}, taken in stripe order to avoid deadlock. */
    private <T> T locked(List<String> keys, LockedAction<T> action) throws IOException {
        int[] stripes = keys.stream().mapToInt(FilesystemStore::stripeOf).sorted().distinct().toArray();
        return lockFrom(stripes, 0, action);
    }

    private <T> T lockFrom(int[] stripes, int index, LockedAction<T> action) throws IOException {
        if (index == stripes.length) {
            return action.run();
        }
        int stripe = stripes[index];
        ReentrantLock local = localLocks[stripe];
        local.lock();
        try (FileChannel channel = FileChannel.open(
                        locks.resolve(String.format("%03x", stripe)),
                        StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE);
                FileLock ignored = acquire(channel)) {
            return lockFrom(stripes, index + 1, action);
        } finally {
            local.unlock();
        }
    }

    /** Blocks for the process-wide lock; backs off while another instance in this JVM holds it. */
    private static FileLock acquire(FileChannel channel) throws IOException {
        long pauseNanos = 10_000;
        while (true) {
            try {
                return channel.lock();
            } catch (OverlappingFileLockException e) {
                LockSupport.parkNanos(pauseNanos);
                pauseNanos = Math.min(pauseNanos * 2, 1_000_000);
            }
        }
    }

    /** A stable stripe for the key: every process must pick the same lock file for it. */
    private static int stripeOf(String key) {
        CRC32C crc = new CRC32C();
        crc.update(key.getBytes(StandardCharsets.UTF_8));
        return (int) (crc.getValue() % LOCK_STRIPES);
    }

    // ---- metadata ---------------------------------------------------------------------------------------------

    /** A listed object of which only the key is known; {@link #listKeys} reads nothing else. */
    private static ObjectInfo keyOnly(String key) {
        return new ObjectInfo(key, -1, null, null, null);
    }

    /** The key and size of a regular file, from one stat; no etag or CRC. */
    private static Optional<ObjectInfo> bareInfo(String key, Path path) throws IOException {
        try {
            BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class, NOFOLLOW_LINKS);
            return a.isRegularFile()
                    ? Optional.of(new ObjectInfo(key, a.size(), null, a.lastModifiedTime().toInstant(), null))
                    : Optional.empty();
        } catch (NoSuchFileException e) {
            return Optional.empty(); // deleted while the directory was listed
        }
    }

    /** Reads what is stored at {@code path}; empty when there is no object there. */
    private Optional<ObjectInfo> readInfo(String key, Path path) throws IOException {
        try {
            long size;
            FileTime modified;
            String identity;
            if (unixAttributes) {
                Map<String, Object> a = Files.readAttributes(path, UNIX_ATTRIBUTES, NOFOLLOW_LINKS);
                if (!(Boolean) a.get("isRegularFile")) {
                    return Optional.empty();
                }
                size = (Long) a.get("size");
                modified = (FileTime) a.get("lastModifiedTime");
                identity = Long.toHexString((Long) a.get("dev")) + "-" + Long.toHexString((Long) a.get("ino"))
                        + "-" + Long.toHexString(nanos((FileTime) a.get("ctime")));
            } else {
                BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class, NOFOLLOW_LINKS);
                if (!a.isRegularFile()) {
                    return Optional.empty();
                }
                size = a.size();
                modified = a.lastModifiedTime();
                identity = Integer.toHexString(String.valueOf(a.fileKey()).hashCode()) + "-"
                        + Long.toHexString(nanos(a.creationTime()));
            }
            Long crc = readCrc(path);
            String crcHex = crc == null ? null : Crc32cs.hex(crc);
            String etag = identity + "-" + Long.toHexString(nanos(modified)) + "-" + Long.toHexString(size)
                    + (crcHex == null ? "" : "-" + crcHex);
            return Optional.of(new ObjectInfo(key, size, etag, modified.toInstant(), crcHex));
        } catch (IOException e) {
            if (absent(path, e)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private static long nanos(FileTime time) {
        Instant instant = time.toInstant();
        return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    }

    /**
     * Device, inode, status and modification times from unix attributes, as hex; null when the status changed less
     * than {@code settled} ago, since a change within one clock tick could leave all four as they were. Files and
     * directories ({@link DirectoryListings}) are versioned by it alike.
     */
    static String settledIdentity(Map<String, Object> a, Clock clock, Duration settled) {
        long changed = nanos((FileTime) a.get("ctime"));
        if (TimeUnit.MILLISECONDS.toNanos(clock.millis()) - changed < settled.toNanos()) {
            return null;
        }
        return Long.toHexString((Long) a.get("dev")) + "-" + Long.toHexString((Long) a.get("ino")) + "-"
                + Long.toHexString(changed) + "-" + Long.toHexString(nanos((FileTime) a.get("lastModifiedTime")));
    }

    /** The stored CRC32C, or null when the filesystem keeps none for this file. */
    private Long readCrc(Path path) throws IOException {
        if (!userAttributes) {
            return null;
        }
        UserDefinedFileAttributeView view =
                Files.getFileAttributeView(path, UserDefinedFileAttributeView.class, NOFOLLOW_LINKS);
        ByteBuffer value = ByteBuffer.allocate(16);
        try {
            view.read(CRC_ATTRIBUTE, value);
        } catch (NoSuchFileException e) {
            throw e;
        } catch (FileSystemException e) {
            return null; // no such attribute: written by something other than this store
        }
        value.flip();
        return Crc32cs.parse(StandardCharsets.US_ASCII.decode(value).toString());
    }

    private void writeCrc(Path file, long crc) throws IOException {
        if (userAttributes) {
            UserDefinedFileAttributeView view =
                    Files.getFileAttributeView(file, UserDefinedFileAttributeView.class, NOFOLLOW_LINKS);
            view.write(CRC_ATTRIBUTE, StandardCharsets.US_ASCII.encode(Crc32cs.hex(crc)));
        }
    }

    private boolean probeUserAttributes() {
        Path probe = tmp.resolve("probe-" + UUID.randomUUID());
        try {
            Files.createFile(probe);
            UserDefinedFileAttributeView view =
                    Files.getFileAttributeView(probe, UserDefinedFileAttributeView.class, NOFOLLOW_LINKS);
            if (view == null) {
                return false;
            }
            view.write(CRC_ATTRIBUTE, StandardCharsets.US_ASCII.encode("00000000"));
            return true;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        } finally {
            deleteQuietly(probe);
        }
    }

    // ---- listing ----------------------------------------------------------------------------------------------

    /** Which keys a listing wants: those starting with {@code prefix} and strictly after {@code startAfter}. */
    private record Range(String prefix, String startAfter) {
        boolean wantsKey(String key) {
            return key.startsWith(prefix) && (startAfter == null || key.compareTo(startAfter) > 0);
        }

        /** Whether any key starting with {@code dirKey} (a directory's key, ending in '/') can be wanted. */
        boolean wantsSomeUnder(String dirKey) {
            if (!dirKey.startsWith(prefix) && !prefix.startsWith(dirKey)) {
                return false;
            }
            // Keys under the directory are all greater than startAfter unless startAfter lies past the whole subtree.
            return startAfter == null || startAfter.compareTo(dirKey) < 0 || startAfter.startsWith(dirKey);
        }
    }

    /**
     * A directory entry placed by the key it sorts by. A directory sorts as its name plus '/', like the keys inside
     * it, so "a-b" and "a.b" come before the directory "a" while "a0" comes after it.
     */
    private record Child(String sortKey, String key, Path path) {}

    /**
     * Visits {@code dir} in key order until {@code want} objects were found. Only directories that can hold wanted
     * keys are opened, and only the entries a page reaches are examined, so a page costs the directories along its
     * path, not the whole tree. Names are compared as strings, which is byte order for the ASCII keys allow.
     */
    private boolean walk(Path dir, String dirKey, Range range, int want, boolean fullInfo, List<ObjectInfo> found)
            throws IOException {
        DirectoryListings.Listing listing;
        try {
            listing = listings.read(dir);
        } catch (IOException e) {
            if (absent(dir, e) || !Files.isDirectory(dir, NOFOLLOW_LINKS)) {
                return false; // removed by a concurrent delete, or the prefix names an object, not a directory
            }
            throw e;
        }
        if (listing.leaf() && !fullInfo) {
            return listLeaf(listing.names(), dirKey, range, want, found);
        }
        List<String> names = new ArrayList<>();
        for (String name : listing.names()) {
            String key = dirKey + name;
            if (range.wantsKey(key) || range.wantsSomeUnder(key + "/")) {
                names.add(name);
            }
        }
        List<Child> children = new ArrayList<>(names.size());
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            String key = dirKey + name;
            Path path = dir.resolve(name);
            // Whether an entry is a directory changes its place only when a sibling extends its name with a
            // character below '/'; only then is it worth a stat before sorting.
            boolean placeDependsOnType = false;
            for (int j = i + 1; j < names.size() && names.get(j).startsWith(name); j++) {
                if (names.get(j).charAt(name.length()) < '/') {
                    placeDependsOnType = true;
                    break;
                }
            }
            boolean directory = placeDependsOnType && Files.isDirectory(path, NOFOLLOW_LINKS);
            children.add(new Child(directory ? key + "/" : key, key, path));
        }
        children.sort(Comparator.comparing(Child::sortKey));
        for (Child child : children) {
            Optional<ObjectInfo> object =
                    !range.wantsKey(child.key()) ? Optional.empty()
                            : fullInfo ? readInfo(child.key(), child.path()) : bareInfo(child.key(), child.path());
            if (object.isPresent()) {
                found.add(object.get());
                if (found.size() >= want) {
                    return true;
                }
            } else if (range.wantsSomeUnder(child.key() + "/") && Files.isDirectory(child.path(), NOFOLLOW_LINKS)) {
                if (walk(child.path(), child.key() + "/", range, want, fullInfo, found)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Lists the keys of a directory whose every entry is an object, without a stat of each (a tag list of 100,000
     * tags otherwise made 100,000 stat calls), starting at {@code startAfter} by binary search. An object deleted
     * while the directory was read may still be named, as in any listing.
     */
    private static boolean listLeaf(List<String> sortedNames, String dirKey, Range range, int want,
            List<ObjectInfo> found) {
        int from = 0;
        String after = range.startAfter();
        if (after != null && after.startsWith(dirKey)) {
            int at = Collections.binarySearch(sortedNames, after.substring(dirKey.length()));
            from = at >= 0 ? at + 1 : -at - 1;
        }
        for (int i = from; i < sortedNames.size(); i++) {
            String key = dirKey + sortedNames.get(i);
            if (range.wantsKey(key)) {
                found.add(keyOnly(key));
                if (found.size() >= want) {
                    return true;
                }
            }
        }
        return false;
    }

    // ---- small helpers ----------------------------------------------------------------------------------------

    private static StorageException vanished(String key) {
        return new StorageException(key + " vanished right after it was written");
    }

    private static StorageException failure(String what, IOException e) {
        return new StorageException(what + " failed: " + e, e);
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            // A leftover temp file is harmless: it is never visible as an object.
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // Nothing was written through it.
            }
        }
    }

    /** Reads {@code remaining} bytes of a file channel from a position, closing the channel with the stream. */
    private static final class ChannelInputStream extends InputStream implements ViewReadable {
        private final FileChannel channel;
        private final FileMapper mapper;
        private long position;
        private long remaining;

        /** A stream of {@code remaining} bytes from {@code position}, lending views through {@code mapper} if any. */
        ChannelInputStream(FileChannel channel, long position, long remaining, FileMapper mapper) {
            this.channel = channel;
            this.mapper = mapper;
            this.position = position;
            this.remaining = remaining;
        }

        @Override
        public View view(int max) throws IOException {
            if (mapper == null) {
                return null;
            }
            if (remaining == 0) {
                return ViewReadable.View.EMPTY;
            }
            long n = Math.min(max, remaining);
            View view = mapper.map(channel, position, n);
            position += n;
            remaining -= n;
            return view;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            java.util.Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) {
                return 0;
            }
            if (remaining == 0) {
                return -1;
            }
            return read(ByteBuffer.wrap(b, off, len));
        }

        @Override
        public int read(ByteBuffer into) throws IOException {
            if (remaining == 0) {
                return into.hasRemaining() ? -1 : 0;
            }
            if (!into.hasRemaining()) {
                return 0;
            }
            ByteBuffer window = into;
            if (into.remaining() > remaining) {
                window = into.slice(into.position(), (int) remaining);
            }
            int n = channel.read(window, position);
            if (window != into && n > 0) {
                into.position(into.position() + n);
            }
            if (n < 0) {
                // Objects are replaced, never truncated in place, so this file changed behind the store's back.
                throw new IOException("object ended " + remaining + " bytes early");
            }
            position += n;
            remaining -= n;
            return n;
        }

        @Override
        public long skip(long n) {
            long skipped = Math.max(0, Math.min(n, remaining));
            position += skipped;
            remaining -= skipped;
            return skipped;
        }

        @Override
        public int available() {
            return (int) Math.min(remaining, Integer.MAX_VALUE);
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }
}
