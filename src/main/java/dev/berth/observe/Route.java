package dev.berth.observe;

import java.util.Locale;

/**
 * The kinds of request that metrics and the request log tell apart: a small fixed set, so a label never carries a
 * path or a repository name and the number of series stays bounded.
 */
public enum Route {
    /** {@code /v2/}, the version check. */
    BASE,
    /** {@code /v2/_catalog}. */
    CATALOG,
    /** A blob read or delete: {@code /v2/NAME/blobs/DIGEST}. */
    BLOB,
    /** An upload session, its chunks and its completion, and mounts: {@code /v2/NAME/blobs/uploads/...}. */
    BLOB_UPLOAD,
    /** {@code /v2/NAME/manifests/REFERENCE}. */
    MANIFEST,
    /** {@code /v2/NAME/tags/list}. */
    TAGS,
    /** {@code /v2/NAME/referrers/DIGEST}. */
    REFERRERS,
    /** The token endpoint and its key set: {@code /token}, {@code /token/jwks}. */
    TOKEN,
    /** Anything else, such as a path that is no registry endpoint. */
    OTHER;

    private final String label = name().toLowerCase(Locale.ROOT);

    /**
     * The route a path has the shape of, for requests refused before the registry routed them (a 401 asking for
     * credentials): plain string tests, cheaper than the registry's own matching, which stays the authority.
     */
    public static Route ofPath(String path) {
        if (!path.startsWith("/v2")) {
            return path.equals("/token") || path.startsWith("/token/") ? TOKEN : OTHER;
        }
        if (path.equals("/v2/") || path.equals("/v2")) {
            return BASE;
        }
        if (path.equals("/v2/_catalog")) {
            return CATALOG;
        }
        if (path.contains("/blobs/uploads")) {
            return BLOB_UPLOAD;
        }
        if (path.contains("/blobs/")) {
            return BLOB;
        }
        if (path.contains("/manifests/")) {
            return MANIFEST;
        }
        if (path.endsWith("/tags/list")) {
            return TAGS;
        }
        return path.contains("/referrers/") ? REFERRERS : OTHER;
    }

    /** The name as metrics and logs write it, such as {@code blob_upload}. */
    public String label() {
        return label;
    }
}
