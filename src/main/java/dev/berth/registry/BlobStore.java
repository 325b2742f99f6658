package dev.berth.registry;

import dev.berth.registry.digest.Digest;
import dev.berth.storage.ObjectInfo;
import dev.berth.storage.ObjectNotFoundException;
import dev.berth.storage.ObjectStore;
import dev.berth.storage.PreconditionFailedException;
import dev.berth.storage.PutCondition;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Blobs as repositories see them: the bytes are stored once per namespace, and a repository reads a blob
 * only through its own link to it, so a digest never opens another repository's content.
 *
 * <p>Garbage collection treats a blob as young while its data, a link to it, or a holder (reverse link) of it
 * was written within its grace window. So every path that lets a client rely on a blob writes the holder
 * <em>before</em> it checks that the data is present ({@link #claim}, {@link #link}, {@link #confirm}); the
 * collector moves data away <em>before</em> it checks the holders a last time. One of the two then sees the
 * other (see {@code dev.berth.lifecycle.GarbageCollector}).
 */
public final class BlobStore {
    private static final byte[] EMPTY = new byte[0];
    private final ObjectStore store;
    private final Catalog catalog;
    private final Clock clock;
    private final Duration refreshAfter;

    /** A blob store whose confirmations never refresh links; for tools that only read. */
    public BlobStore(ObjectStore store, Catalog catalog) {
        this(store, catalog, Clock.systemUTC(), Duration.ofDays(36_500));
    }

    /**
     * @param refreshAfter a link older than this is rewritten when a client confirms the blob (HEAD, GET, or a
     *     manifest referencing it), so the blob is young again for garbage collection; a short interval costs a
     *     write per confirmation, so it is a fraction of the grace window
     */
    public BlobStore(ObjectStore store, Catalog catalog, Clock clock, Duration refreshAfter) {
        this.store = store;
        this.catalog = catalog;
        this.clock = clock;
        this.refreshAfter = refreshAfter;
    }

    /** How often confirmations refresh a link for a grace window of {@code grace}: a quarter of it, at most 5 min. */
    public static Duration refreshInterval(Duration grace) {
        Duration quarter = grace.dividedBy(4);
        return quarter.compareTo(Duration.ofMinutes(5)) < 0 ? quarter : Duration.ofMinutes(5);
    }

    /**
     * Like {@link #stat}, for a client about to rely on the blob: a link older than the refresh interval is
     * rewritten (holder first) before the data is checked, so a collection running now either sees the fresh
     * holder or has already moved the data away, and then the blob is reported missing.
     */
    public Optional<BlobInfo> confirm(Namespace ns, RepositoryName repo, Digest digest) {
        String link = StorageLayout.blobLink(ns, repo, digest);
        Optional<ObjectInfo> linked = store.stat(link);
        if (linked.isEmpty()) {
            return Optional.empty();
        }
        if (linked.get().lastModified().isBefore(clock.instant().minus(refreshAfter))) {
            claim(ns, repo, digest);
            try {
                store.put(link, EMPTY, PutCondition.ifMatch(linked.get().etag()));
            } catch (PreconditionFailedException | ObjectNotFoundException unlinkedMeanwhile) {
                // a collection or a DELETE removed the link after the stat; whoever removed it decides
                if (store.stat(link).isEmpty()) {
                    return Optional.empty();
                }
            }
        }
        return statData(ns, digest);
    }

    /** Like {@link #confirm}, but a missing blob is a {@code BLOB_UNKNOWN} failure. */
    public BlobInfo requireConfirmed(Namespace ns, RepositoryName repo, Digest digest) {
        return confirm(ns, repo, digest).orElseThrow(
                () -> new RegistryException(ErrorCode.BLOB_UNKNOWN, "blob unknown to registry", digest.toString()));
    }

    /**
     * Writes {@code repo}'s holder of a blob (or manifest), announcing that it is about to rely on it: garbage
     * collection keeps a digest with a young holder. Call it before checking that the data is present.
     */
    public void claim(Namespace ns, RepositoryName repo, Digest digest) {
        store.put(StorageLayout.blobHolder(ns, digest, repo), EMPTY, PutCondition.always());
    }

    /** The blob when {@code repo} links to it and its bytes are present. */
    public Optional<BlobInfo> stat(Namespace ns, RepositoryName repo, Digest digest) {
        if (store.stat(StorageLayout.blobLink(ns, repo, digest)).isEmpty()) {
            return Optional.empty();
        }
        return statData(ns, digest);
    }

    /** The blob's bytes when the namespace holds them, whichever repository links to them. */
    public Optional<BlobInfo> statData(Namespace ns, Digest digest) {
        return store.stat(StorageLayout.blobData(ns, digest))
                .map(info -> new BlobInfo(digest, info.size(), info.etag(), info.crc32c()));
    }

    /** Like {@link #stat}, but a missing blob is a {@code BLOB_UNKNOWN} failure. */
    public BlobInfo require(Namespace ns, RepositoryName repo, Digest digest) {
        return stat(ns, repo, digest).orElseThrow(
                () -> new RegistryException(ErrorCode.BLOB_UNKNOWN, "blob unknown to registry", digest.toString()));
    }

    /** Streams {@code length} bytes of a blob from {@code offset}; a negative length reads to the end. */
    public InputStream open(Namespace ns, Digest digest, long offset, long length) {
        return store.get(StorageLayout.blobData(ns, digest), offset, length);
    }

    /** Makes a blob whose bytes are present visible in {@code repo}. */
    public void link(Namespace ns, RepositoryName repo, Digest digest) {
        // The reverse link first: a holder without a link is ignored, a link without a holder only hides a mount.
        store.put(StorageLayout.blobHolder(ns, digest, repo), EMPTY, PutCondition.always());
        store.put(StorageLayout.blobLink(ns, repo, digest), EMPTY, PutCondition.always());
        catalog.register(ns, repo);
    }

    /** The repositories that link to a blob, in name order. */
    public List<RepositoryName> holders(Namespace ns, Digest digest) {
        String prefix = StorageLayout.blobHoldersPrefix(ns, digest);
        String suffix = "/_holder";
        List<RepositoryName> result = new ArrayList<>();
        for (ObjectInfo info : store.listAll(prefix, 1000)) {
            String key = info.key();
            if (key.endsWith(suffix)) {
                RepositoryName repo = new RepositoryName(key.substring(prefix.length(), key.length() - suffix.length()));
                if (store.stat(StorageLayout.blobLink(ns, repo, digest)).isPresent()) {
                    result.add(repo);
                }
            }
        }
        return result;
    }

    /** Links a blob of {@code from} into {@code to}; the blob mounted, or empty when {@code from} does not have it. */
    public Optional<BlobInfo> mount(Namespace ns, RepositoryName from, RepositoryName to, Digest digest) {
        if (stat(ns, from, digest).isEmpty()) {
            return Optional.empty();
        }
        link(ns, to, digest);
        // Checked again after the holder is written: garbage collection may have taken the data in between.
        Optional<BlobInfo> data = statData(ns, digest);
        if (data.isEmpty()) {
            store.delete(StorageLayout.blobLink(ns, to, digest));
        }
        return data;
    }

    /**
     * Links a blob into {@code to} from any repository that holds it and that {@code mayRead} allows; empty when
     * none does. A blob deleted from every repository is not revived, even while its bytes await collection.
     */
    public Optional<Mount> mountAny(Namespace ns, RepositoryName to, Digest digest, Predicate<RepositoryName> mayRead) {
        for (RepositoryName holder : holders(ns, digest)) {
            if (mayRead.test(holder)) {
                Optional<BlobInfo> mounted = mount(ns, holder, to, digest);
                if (mounted.isPresent()) {
                    return Optional.of(new Mount(holder, mounted.get()));
                }
            }
        }
        return Optional.empty();
    }

    /**
     * A blob linked into a repository from another.
     *
     * @param from the repository it was mounted from
     * @param blob the blob
     */
    public record Mount(RepositoryName from, BlobInfo blob) {}

    /** Removes {@code repo}'s link to a blob; the bytes stay until garbage collection. */
    public void unlink(Namespace ns, RepositoryName repo, Digest digest) {
        boolean linked = store.delete(StorageLayout.blobLink(ns, repo, digest));
        store.delete(StorageLayout.blobHolder(ns, digest, repo));
        if (!linked) {
            throw new RegistryException(ErrorCode.BLOB_UNKNOWN, "blob unknown to registry", digest.toString());
        }
    }

    /** The stored metadata of a blob's bytes, for integrity checks. */
    Optional<ObjectInfo> dataInfo(Namespace ns, Digest digest) {
        return store.stat(StorageLayout.blobData(ns, digest));
    }
}
