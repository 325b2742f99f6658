package dev.berth.lifecycle;

import dev.berth.registry.Namespace;
import dev.berth.registry.StorageLayout;
import dev.berth.storage.ObjectInfo;
import dev.berth.storage.ObjectStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds unfinished uploads untouched for longer than {@code lifecycle.uploads.expire-after}. Every chunk rewrites
 * the upload record, so the record's last write is the upload's last activity. Objects of an upload whose record
 * is gone (a cancel or completion that failed half-way, or an earlier expiry interrupted) can never be used
 * again; they go once each of them is older than the same age.
 */
final class UploadExpiry {
    static final String RULE = "lifecycle.uploads.expire-after";
    private static final String RECORD = "_record";

    private final ObjectStore store;
    private final Duration expireAfter;

    UploadExpiry(ObjectStore store, Duration expireAfter) {
        this.store = store;
        this.expireAfter = expireAfter;
    }

    /** The uploads of {@code ns} that have expired at {@code now}, in upload id order. */
    List<PlannedRemoval> plan(Namespace ns, Instant now) {
        String prefix = StorageLayout.uploadsPrefix(ns);
        List<PlannedRemoval> removals = new ArrayList<>();
        String current = null;
        List<ObjectInfo> objects = new ArrayList<>();
        // Keys of one upload are contiguous in the listing, so one pass groups them without holding every upload.
        for (ObjectInfo info : store.listAll(prefix, 1000)) {
            String rest = info.key().substring(prefix.length());
            int slash = rest.indexOf('/');
            String id = slash < 0 ? rest : rest.substring(0, slash);
            if (!id.equals(current)) {
                decide(current, objects, now).ifPresent(removals::add);
                current = id;
                objects.clear();
            }
            objects.add(info);
        }
        decide(current, objects, now).ifPresent(removals::add);
        return removals;
    }

    private Optional<PlannedRemoval> decide(String id, List<ObjectInfo> objects, Instant now) {
        if (id == null || objects.isEmpty()) {
            return Optional.empty();
        }
        String rule = RULE + " " + DurationText.of(expireAfter);
        ObjectInfo record = objects.stream().filter(o -> o.key().endsWith("/" + RECORD)).findFirst().orElse(null);
        long size = objects.stream().mapToLong(ObjectInfo::size).sum();
        if (record != null) {
            if (!expired(record, now)) {
                return Optional.empty();
            }
            // The record goes first: without it no process can add a chunk, so nothing new appears behind us.
            List<String> keys = new ArrayList<>();
            keys.add(record.key());
            objects.stream().map(ObjectInfo::key).filter(k -> !k.equals(record.key())).forEach(keys::add);
            return Optional.of(new PlannedRemoval(PlannedRemoval.Kind.UPLOAD, null, id, null, size, rule,
                    "last updated " + DurationText.age(Duration.between(record.lastModified(), now)) + " ago",
                    record.etag(), keys));
        }
        if (!objects.stream().allMatch(o -> expired(o, now))) {
            return Optional.empty();
        }
        Instant newest = objects.stream().map(ObjectInfo::lastModified).max(Instant::compareTo).orElseThrow();
        return Optional.of(new PlannedRemoval(PlannedRemoval.Kind.UPLOAD, null, id, null, size, rule,
                "no upload record; newest object written " + DurationText.age(Duration.between(newest, now))
                        + " ago", null, objects.stream().map(ObjectInfo::key).toList()));
    }

    private boolean expired(ObjectInfo info, Instant now) {
        return Duration.between(info.lastModified(), now).compareTo(expireAfter) > 0;
    }
}
