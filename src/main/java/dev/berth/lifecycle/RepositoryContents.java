package dev.berth.lifecycle;

import dev.berth.registry.Namespace;
import dev.berth.registry.RepositoryName;
import dev.berth.registry.StorageLayout;
import dev.berth.registry.digest.Digest;
import dev.berth.registry.digest.InvalidDigestException;
import dev.berth.storage.ObjectInfo;
import dev.berth.storage.ObjectNotFoundException;
import dev.berth.storage.ObjectStore;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The tags and manifest revisions of one repository, as listed at one moment.
 *
 * @param repository the repository
 * @param tags its tags, in name order
 * @param revisions its manifest revision links, in key order
 */
record RepositoryContents(RepositoryName repository, List<TagEntry> tags, List<RevisionEntry> revisions) {

    RepositoryContents {
        tags = List.copyOf(tags);
        revisions = List.copyOf(revisions);
    }

    /**
     * One tag.
     *
     * @param name the tag
     * @param target the digest it points to; null when the tag object does not hold a digest
     * @param pushed when the tag object was last written, which is the tag's last push
     * @param etag the tag object's etag
     * @param key the tag object's key
     */
    record TagEntry(String name, Digest target, Instant pushed, String etag, String key) {}

    /**
     * One manifest revision link.
     *
     * @param digest the manifest's digest
     * @param linked when the link was last written, which is the manifest's last push
     * @param etag the link's etag
     * @param key the link's key
     */
    record RevisionEntry(Digest digest, Instant linked, String etag, String key) {}

    /** Lists the tags and revisions of {@code repo}; tags deleted while listing are left out. */
    static RepositoryContents read(ObjectStore store, Namespace ns, RepositoryName repo) {
        String tagsPrefix = StorageLayout.tagsPrefix(ns, repo);
        List<TagEntry> tags = new ArrayList<>();
        for (ObjectInfo info : store.listAll(tagsPrefix, 1000)) {
            String text;
            try {
                text = new String(store.read(info.key()), StandardCharsets.US_ASCII).trim();
            } catch (ObjectNotFoundException deletedMeanwhile) {
                continue;
            }
            tags.add(new TagEntry(info.key().substring(tagsPrefix.length()), digestOrNull(text),
                    info.lastModified(), info.etag(), info.key()));
        }
        String revisionsPrefix = StorageLayout.manifestRevisionsPrefix(ns, repo);
        List<RevisionEntry> revisions = new ArrayList<>();
        for (ObjectInfo info : store.listAll(revisionsPrefix, 1000)) {
            // <algorithm>/<hex> below the prefix names the manifest
            Digest digest = digestOrNull(info.key().substring(revisionsPrefix.length()).replaceFirst("/", ":"));
            if (digest != null) {
                revisions.add(new RevisionEntry(digest, info.lastModified(), info.etag(), info.key()));
            }
        }
        return new RepositoryContents(repo, tags, revisions);
    }

    private static Digest digestOrNull(String text) {
        try {
            return Digest.parse(text);
        } catch (InvalidDigestException notADigest) {
            return null;
        }
    }
}
