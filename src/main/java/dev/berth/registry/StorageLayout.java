package dev.berth.registry;

import dev.berth.registry.digest.Digest;

/**
 * Where the registry keeps each thing in the object store. Repository names never have components starting
 * with {@code _}, so the {@code _blobs}, {@code _manifests} and {@code _referrers} markers cannot collide.
 */
public final class StorageLayout {
    private StorageLayout() {}

    /** The bytes of a blob (layers, configs and manifests alike), stored once per namespace. */
    public static String blobData(Namespace ns, Digest d) {
        return ns.id() + "/blobs/" + d.algorithm().id() + "/" + d.hex().substring(0, 2) + "/" + d.hex() + "/data";
    }

    /** The reverse of a blob link, kept beside the blob, so the repositories that hold a blob can be listed. */
    public static String blobHolder(Namespace ns, Digest d, RepositoryName repo) {
        return blobHoldersPrefix(ns, d) + repo.value() + "/_holder";
    }

    /** The prefix of every reverse link of a blob; the repository name sits between it and {@code /_holder}. */
    public static String blobHoldersPrefix(Namespace ns, Digest d) {
        String data = blobData(ns, d);
        return data.substring(0, data.length() - "data".length()) + "holders/";
    }

    /**
     * The marker that a blob's bytes passed verification on a read; it holds the etag of the version verified, so a
     * blob written again (a new etag) is verified again on its next read.
     */
    public static String blobVerified(Namespace ns, Digest d) {
        String data = blobData(ns, d);
        return data.substring(0, data.length() - "data".length()) + "verified";
    }

    /** The prefix of everything quarantined in a namespace. */
    public static String quarantinePrefix(Namespace ns) {
        return ns.id() + "/quarantine/";
    }

    /**
     * Where one quarantined copy of a blob lives: {@code data} (the bytes moved out of the blob's place) and
     * {@code record} (why and when) under a prefix unique to this quarantine, as a blob may be quarantined again
     * after a re-push.
     */
    public static String quarantined(Namespace ns, Digest d, String stamp) {
        return quarantinePrefix(ns) + d.algorithm().id() + "/" + d.hex() + "/" + stamp + "/";
    }

    /** The prefix under which every blob of a namespace lives. */
    public static String blobsPrefix(Namespace ns) {
        return ns.id() + "/blobs/";
    }

    /** The link that makes a blob visible in a repository. */
    public static String blobLink(Namespace ns, RepositoryName repo, Digest d) {
        return repository(ns, repo) + "_blobs/" + d.algorithm().id() + "/" + d.hex();
    }

    /** The prefix of every blob link of a repository; the algorithm and hex follow it. */
    public static String blobLinksPrefix(Namespace ns, RepositoryName repo) {
        return repository(ns, repo) + "_blobs/";
    }

    /** The link that makes a manifest visible in a repository; it holds the manifest's media type. */
    public static String manifestRevision(Namespace ns, RepositoryName repo, Digest d) {
        return repository(ns, repo) + "_manifests/revisions/" + d.algorithm().id() + "/" + d.hex();
    }

    /** The prefix of every manifest revision of a repository. */
    public static String manifestRevisionsPrefix(Namespace ns, RepositoryName repo) {
        return repository(ns, repo) + "_manifests/revisions/";
    }

    /** A tag: it holds the digest it points to. */
    public static String tag(Namespace ns, RepositoryName repo, Tag tag) {
        return tagsPrefix(ns, repo) + tag.value();
    }

    /** The prefix of every tag of a repository. */
    public static String tagsPrefix(Namespace ns, RepositoryName repo) {
        return repository(ns, repo) + "_manifests/tags/";
    }

    /** The entry that lists {@code referrer} among the referrers of {@code subject}; it holds the descriptor. */
    public static String referrer(Namespace ns, RepositoryName repo, Digest subject, Digest referrer) {
        return referrersPrefix(ns, repo, subject) + referrer.algorithm().id() + "-" + referrer.hex();
    }

    /** The prefix of every referrer of {@code subject}. */
    public static String referrersPrefix(Namespace ns, RepositoryName repo, Digest subject) {
        return repository(ns, repo) + "_referrers/" + subject.algorithm().id() + "/" + subject.hex() + "/";
    }

    /** The marker that lists a repository in the catalog. */
    public static String catalogEntry(Namespace ns, RepositoryName repo) {
        return catalogPrefix(ns) + repo.value() + "/_repository";
    }

    /** The prefix of every catalog marker of a namespace. */
    public static String catalogPrefix(Namespace ns) {
        return ns.id() + "/catalog/";
    }

    /** The state of one upload: its chunk list and serialized running digest. */
    public static String uploadRecord(Namespace ns, String uploadId) {
        return uploadPrefix(ns, uploadId) + "_record";
    }

    /** One received chunk of an upload, numbered from 1. */
    public static String uploadChunk(Namespace ns, String uploadId, int index) {
        return uploadPrefix(ns, uploadId) + String.format("chunk-%06d", index);
    }

    /** Where an upload assembles its chunks before the blob is published. */
    public static String uploadAssembly(Namespace ns, String uploadId) {
        return uploadPrefix(ns, uploadId) + "assembled";
    }

    /** The prefix of everything belonging to one upload. */
    public static String uploadPrefix(Namespace ns, String uploadId) {
        return uploadsPrefix(ns) + uploadId + "/";
    }

    /** The prefix of every upload of a namespace. */
    public static String uploadsPrefix(Namespace ns) {
        return ns.id() + "/uploads/";
    }

    /**
     * The private key bearer tokens are signed with, when none is configured: generated by the first process
     * and read by every other one sharing the store. Outside every prefix that expiry, GC and scrub walk.
     */
    public static String tokenSigningKey(Namespace ns) {
        return ns.id() + "/_auth/token-signing-key";
    }

    private static String repository(Namespace ns, RepositoryName repo) {
        return ns.id() + "/repositories/" + repo.value() + "/";
    }
}
