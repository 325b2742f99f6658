package dev.berth.events;

import dev.berth.registry.RepositoryName;
import dev.berth.registry.Tag;
import dev.berth.registry.digest.Digest;

/**
 * What an event is about, with the fields of Distribution's event target; a field an action does not carry is
 * null, and left out of the JSON (as Distribution leaves out its empty fields).
 *
 * @param mediaType the content's media type; {@code application/octet-stream} for blobs, as Distribution sends
 * @param size the content's length in bytes, or -1 when the action carries none; sent as {@code size} and
 *     {@code length}
 * @param digest the content's digest
 * @param repository the repository the action happened in
 * @param fromRepository for a mount, the repository the blob was mounted from
 * @param url where the content can be fetched
 * @param tag the tag a manifest was pushed, pulled or deleted by
 */
public record EventTarget(String mediaType, long size, Digest digest, String repository, String fromRepository,
        String url, String tag) {
    /** The media type Distribution gives blobs in events: a registry does not know a blob's own type. */
    public static final String BLOB_MEDIA_TYPE = "application/octet-stream";

    /** A blob pushed or pulled in {@code repo}. */
    static EventTarget blob(String baseUrl, RepositoryName repo, Digest digest, long size) {
        return new EventTarget(BLOB_MEDIA_TYPE, size, digest, repo.value(), null, blobUrl(baseUrl, repo, digest), null);
    }

    /** A blob mounted into {@code repo} from {@code from}. */
    static EventTarget mountedBlob(String baseUrl, RepositoryName repo, Digest digest, long size,
            RepositoryName from) {
        return new EventTarget(BLOB_MEDIA_TYPE, size, digest, repo.value(), from.value(),
                blobUrl(baseUrl, repo, digest), null);
    }

    /** A manifest pushed or pulled in {@code repo}, by {@code tag} (null: by digest). */
    static EventTarget manifest(String baseUrl, RepositoryName repo, Digest digest, String mediaType, long size,
            Tag tag) {
        return new EventTarget(mediaType, size, digest, repo.value(), null,
                baseUrl + "/v2/" + repo.value() + "/manifests/" + digest, tag == null ? null : tag.value());
    }

    /** A manifest or blob deleted from {@code repo}: only the digest and repository, as from Distribution. */
    static EventTarget deleted(RepositoryName repo, Digest digest) {
        return new EventTarget(null, -1, digest, repo.value(), null, null, null);
    }

    /** A tag deleted from {@code repo}: only the repository and tag, as from Distribution. */
    static EventTarget deletedTag(RepositoryName repo, Tag tag) {
        return new EventTarget(null, -1, null, repo.value(), null, null, tag.value());
    }

    private static String blobUrl(String baseUrl, RepositoryName repo, Digest digest) {
        return baseUrl + "/v2/" + repo.value() + "/blobs/" + digest;
    }
}
