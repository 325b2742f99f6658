package dev.berth.storage;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * A flat, content-agnostic object store: the only state Berth keeps.
 *
 * <p>Keys are {@code /}-separated paths of components made of {@code [A-Za-z0-9._-]} (no empty,
 * {@code .}-leading or {@code ..} components, at most 1024 bytes; see {@link ObjectKeys}). A key is never both
 * an object and the prefix of another object's key, so the filesystem backend can map keys to files.
 * Berth lays its keys out like this (the registry layer owns the layout; the store knows none of it):
 *
 * <pre>
 * &lt;namespace&gt;/blobs/sha256/ab/abcd…/data                      blob bytes, written once
 * &lt;namespace&gt;/repositories/&lt;name&gt;/_blobs/sha256/abcd…          repository link to a blob
 * &lt;namespace&gt;/repositories/&lt;name&gt;/_manifests/revisions/sha256/abcd…
 * &lt;namespace&gt;/repositories/&lt;name&gt;/_manifests/tags/&lt;tag&gt;
 * &lt;namespace&gt;/uploads/&lt;uuid&gt;/_record                           upload state, digest state included
 * &lt;namespace&gt;/uploads/&lt;uuid&gt;/chunk-000001                       one object per received chunk
 * </pre>
 *
 * <p>A minimal use:
 *
 * <pre>{@code
 * ObjectStore store = new FilesystemStore(Path.of("data"));
 * ObjectInfo written = store.put("ns/hello", new ByteArrayInputStream(bytes), PutCondition.ifAbsent());
 * try (InputStream in = store.get("ns/hello", 2, 3)) { ... }           // bytes 2, 3 and 4
 * store.concatenate(List.of("ns/a", "ns/b"), "ns/ab");                  // published in one step
 * }</pre>
 *
 * <p>Every method fails with a subclass of {@link StorageException}: {@link ObjectNotFoundException} for a
 * missing key, {@link PreconditionFailedException} when a conditional put loses, {@link InvalidKeyException}
 * for a key outside the grammar; anything else means the backend itself failed.
 */
public interface ObjectStore {

    /** Metadata of the object at {@code key}, or empty when there is none. */
    Optional<ObjectInfo> stat(String key);

    /**
     * Streams {@code length} bytes of the object starting at {@code offset}; a negative length reads to the end.
     * The range must lie within the object ({@link RangeNotSatisfiableException} otherwise): an empty range, such
     * as a length of 0 or an offset equal to the size, is within it and reads nothing; a negative offset is not.
     */
    InputStream get(String key, long offset, long length);

    /**
     * Streams {@code data} into {@code key}. The object becomes visible in one step once all bytes are stored;
     * a reader never sees a partial object. The returned metadata is what the backend stored, including its
     * own CRC32C of the bytes when the backend computes one.
     */
    ObjectInfo put(String key, InputStream data, PutCondition condition);

    /**
     * Lists objects whose key starts with {@code prefix}, in ascending byte order of key, strictly after
     * {@code startAfter} (null: from the beginning), at most {@code limit} entries. Each entry carries the key,
     * size, ETag and last-modified time as the backend's listing reports them, and the CRC32C only when the listing
     * itself has it (null otherwise, since fetching it would cost a request per entry on some backends);
     * {@link #stat} is the authoritative source of an object's metadata.
     */
    ListPage list(String prefix, String startAfter, int limit);

    /** Deletes the object at {@code key}; returns false when there was none. */
    boolean delete(String key);

    /** Moves an object to a new key, replacing what was there, in one visible step. */
    ObjectInfo move(String from, String to);

    /**
     * Writes the concatenation of {@code sources}, in order, to {@code target}, published in one step. The
     * sources stay in place. The backend assembles the object itself where it can, without a client-side copy.
     */
    ObjectInfo concatenate(List<String> sources, String target);

    /**
     * A token that differs whenever the object at {@code key} differs, when the store can give one for much less than
     * a read costs and vouch for it; empty otherwise (no object, a backend where this would cost a round trip, or
     * an object changed too recently to vouch for). Callers that remember an object's bytes may use them again while
     * the token stays the same, and read the object whenever it is empty.
     */
    default Optional<String> version(String key) {
        return Optional.empty();
    }

    /** What this backend guarantees, so callers can tell a strong conditional put from a best-effort one. */
    StoreCapabilities capabilities();

    /**
     * Like {@link #put(String, InputStream, PutCondition)}, told how many bytes {@code data} should yield (-1 when
     * unknown), so a backend that needs the length up front can stream without buffering. Such a backend fails
     * the put, publishing nothing, when the stream yields another number of bytes; others ignore the hint.
     */
    default ObjectInfo put(String key, InputStream data, long length, PutCondition condition) {
        return put(key, data, condition);
    }

    /** Writes a small object held in memory. */
    default ObjectInfo put(String key, byte[] data, PutCondition condition) {
        return put(key, new ByteArrayInputStream(data), condition);
    }

    /** Reads a whole small object into memory. */
    default byte[] read(String key) {
        try (InputStream in = get(key, 0, -1)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new StorageException("reading " + key + " failed: " + e.getMessage(), e);
        }
    }

    /** Iterates over every object under {@code prefix} in key order, fetching pages of {@code pageSize}. */
    default Iterable<ObjectInfo> listAll(String prefix, int pageSize) {
        return () -> new Iterator<>() {
            private Iterator<ObjectInfo> page = List.<ObjectInfo>of().iterator();
            private String after;
            private boolean done;

            @Override
            public boolean hasNext() {
                while (!page.hasNext() && !done) {
                    ListPage next = list(prefix, after, pageSize);
                    page = new ArrayList<>(next.entries()).iterator();
                    after = next.nextStartAfter();
                    done = after == null;
                }
                return page.hasNext();
            }

            @Override
            public ObjectInfo next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return page.next();
            }
        };
    }

    /** Wraps an {@link IOException} from a backend call in the store's unchecked failure. */
    static StorageException failure(String what, IOException e) {
        if (e instanceof java.nio.file.NoSuchFileException) {
            return new ObjectNotFoundException(what);
        }
        return new StorageException(what + ": " + e, e);
    }

    /** Rethrows an unchecked IO failure as a storage failure. */
    static StorageException failure(String what, UncheckedIOException e) {
        return failure(what, e.getCause());
    }
}
