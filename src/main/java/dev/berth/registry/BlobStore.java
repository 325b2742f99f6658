package dev.berth.registry;

import dev.berth.registry.digest.Digest;
import dev.berth.storage.ObjectInfo;
import dev.berth.storage.ObjectStore;
import dev.berth.storage.PutCondition;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Blobs as repositories see them: the bytes are stored once per namespace, and a repository reads a blob
 * only through its own link to it, so a digest never opens another repository's content.
 */
public final class BlobStore {
    private static final byte[] EMPTY = new byte[0];
    private final ObjectStore store;
    private final Catalog catalog;

    public BlobStore(ObjectStore store, Catalog catalog) {
        this.store = store;
        this.catalog = catalog;
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
        return store.stat(StorageLayout.blobData(ns, digest)).map(info -> new BlobInfo(digest, info.size(), info.etag()));
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

    /** Links a blob of {@code from} into {@code to}; false when {@code from} does not have it. */
    public boolean mount(Namespace ns, RepositoryName from, RepositoryName to, Digest digest) {
        if (stat(ns, from, digest).isEmpty()) {
            return false;
        }
        link(ns, to, digest);
        return true;
    }

    /**
     * Links a blob into {@code to} from any repository that holds it and that {@code mayRead} allows; false when
     * none does. A blob deleted from every repository is not revived, even while its bytes await collection.
     */
    public boolean mountAny(Namespace ns, RepositoryName to, Digest digest, Predicate<RepositoryName> mayRead) {
        for (RepositoryName holder : holders(ns, digest)) {
            if (mayRead.test(holder) && mount(ns, holder, to, digest)) {
                return true;
            }
        }
        return false;
    }

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
