package dev.berth.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.registry.digest.Digest;
import dev.berth.storage.ObjectInfo;
import dev.berth.storage.ObjectNotFoundException;
import dev.berth.storage.ObjectStore;
import dev.berth.storage.PutCondition;
import dev.berth.storage.StorageException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves a blob whose stored bytes do not hash to its digest out of its place, into
 * {@code <ns>/quarantine/<alg>/<hex>/<stamp>/data} beside a {@code record} of why and when. The blob is then
 * unknown: reads answer 404, manifests that reference it fail validation, and a fresh push publishes it again,
 * since publishing writes the blob whenever its place is empty. Repository links stay, so a re-push heals every
 * repository that held it.
 *
 * <p>It re-reads the blob before moving it: one bad read (a flaky link to the backend) must not hide good content,
 * so only bytes that hash wrong twice, from a version that did not change in between, are quarantined.
 */
public final class Quarantine {
    private static final Logger log = LoggerFactory.getLogger(Quarantine.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final ObjectStore store;
    private final BlobHasher hasher;
    private final Clock clock;

    public Quarantine(ObjectStore store, Clock clock) {
        this.store = store;
        this.hasher = new BlobHasher(store);
        this.clock = clock;
    }

    /** What became of a blob handed to {@link #quarantineIfCorrupt}. */
    public enum Outcome {
        /** Its bytes hashed wrong again and were moved to quarantine. */
        QUARANTINED,
        /** Its bytes hash to its digest on a second read: the first read was wrong, not the store. */
        SOUND,
        /** Its bytes were replaced while they were checked (a re-push); the new version is left alone. */
        REPLACED,
        /** It has no bytes (any more): nothing to quarantine. */
        ABSENT
    }

    /**
     * The result of a quarantine attempt.
     *
     * @param outcome what happened
     * @param actual what the bytes hashed to on the second read; null when they were not read
     * @param location the prefix the blob was moved under when quarantined; null otherwise
     */
    public record Result(Outcome outcome, Digest actual, String location) {}

    /**
     * Re-reads {@code digest}'s bytes and quarantines them when they still do not hash to it. {@code reason} says
     * who found it and how, for the record and the log.
     */
    public Result quarantineIfCorrupt(Namespace ns, Digest digest, String reason) {
        String data = StorageLayout.blobData(ns, digest);
        Optional<ObjectInfo> before = store.stat(data);
        if (before.isEmpty()) {
            return new Result(Outcome.ABSENT, null, null);
        }
        BlobHasher.Hashed hashed;
        try {
            hashed = hasher.hash(ns, digest);
        } catch (ObjectNotFoundException gone) {
            return new Result(Outcome.ABSENT, null, null);
        }
        if (hashed.actual().equals(digest)) {
            log.warn("blob {}: {}, but a second read hashes right; left in place", digest, reason);
            return new Result(Outcome.SOUND, hashed.actual(), null);
        }
        Optional<ObjectInfo> after = store.stat(data);
        if (after.isEmpty()) {
            return new Result(Outcome.ABSENT, hashed.actual(), null);
        }
        if (!Objects.equals(after.get().etag(), before.get().etag())) {
            // Another process wrote the blob meanwhile (a re-push after an earlier quarantine): what was read is not
            // what is there now, and the new version is verified by its own first read.
            log.warn("blob {}: {}; its bytes were replaced while being checked, so the new version stays", digest,
                    reason);
            return new Result(Outcome.REPLACED, hashed.actual(), null);
        }
        Instant now = clock.instant();
        String location = StorageLayout.quarantined(ns, digest,
                STAMP.format(now) + "-" + UUID.randomUUID().toString().substring(0, 8));
        try {
            store.move(data, location + "data");
        } catch (ObjectNotFoundException gone) {
            return new Result(Outcome.ABSENT, hashed.actual(), null); // quarantined by another process first
        }
        deleteQuietly(StorageLayout.blobVerified(ns, digest));
        writeRecord(location, digest, hashed, after.get(), reason, now);
        log.error("blob {} quarantined to {} ({}); a second read of its {} bytes hashes to {}", digest, location,
                reason, hashed.bytes(), hashed.actual());
        return new Result(Outcome.QUARANTINED, hashed.actual(), location);
    }

    private void writeRecord(String location, Digest digest, BlobHasher.Hashed hashed, ObjectInfo info, String reason,
            Instant now) {
        ObjectNode record = JSON.createObjectNode();
        record.put("digest", digest.toString());
        record.put("actual", hashed.actual().toString());
        record.put("size", hashed.bytes());
        record.put("etag", info.etag());
        record.put("reason", reason);
        record.put("quarantinedAt", now.toString());
        try {
            store.put(location + "record", record.toString().getBytes(StandardCharsets.UTF_8), PutCondition.always());
        } catch (StorageException e) {
            // The blob is out of service, which is what matters; only the explanation beside it is missing.
            log.warn("blob {}: quarantined to {}, but its record could not be written: {}", digest, location,
                    e.getMessage());
        }
    }

    private void deleteQuietly(String key) {
        try {
            store.delete(key);
        } catch (StorageException e) {
            log.warn("could not remove {}: {}", key, e.getMessage());
        }
    }
}
