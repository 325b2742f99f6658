package dev.berth.lifecycle;

import java.util.List;

/**
 * One thing expiry or retention removes, and the rule that removes it.
 *
 * @param kind what is removed
 * @param repository the repository it belongs to; null for an upload, whose repository may be unknown
 * @param name the upload id, the tag, or the manifest digest
 * @param target for a tag the digest it points to, for a manifest its media type; null otherwise
 * @param size for an upload, the bytes it stored (freed by the removal); for a tag or manifest, the size of the
 *     manifest concerned (its bytes are freed later by garbage collection, once nothing references them)
 * @param rule the configuration that causes the removal, e.g. {@code lifecycle.retention[1] ci/**}
 * @param reason why the rule applies, e.g. {@code last pushed 9d ago}
 * @param guard the etag the deciding object (upload record, tag, revision link) had when planned; the removal is
 *     applied only while the object still has it, so whatever changed since planning is left alone. Null for an
 *     upload without a record, whose objects can no longer change.
 * @param keys the objects removed, in the order they are deleted
 */
public record PlannedRemoval(
        Kind kind,
        String repository,
        String name,
        String target,
        long size,
        String rule,
        String reason,
        String guard,
        List<String> keys) {

    public PlannedRemoval {
        keys = List.copyOf(keys);
    }

    /** What a removal takes away. */
    public enum Kind {
        /** An unfinished upload: its record, chunks and assembly. */
        UPLOAD,
        /** A tag only; the manifest it pointed to stays. */
        TAG,
        /** A manifest no kept tag reaches: its revision link and its entry among its subject's referrers. */
        MANIFEST
    }

    /** One line for a dry run or a log: what goes, how big, and which rule takes it. */
    public String describe() {
        String what = switch (kind) {
            case UPLOAD -> "upload " + name;
            case TAG -> "tag " + repository + ":" + name + (target == null ? "" : " -> " + target);
            case MANIFEST -> "manifest " + repository + "@" + name;
        };
        return what + " (" + size + " bytes): " + rule + ": " + reason;
    }
}
