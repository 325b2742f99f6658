package dev.berth.registry;

import dev.berth.config.BerthConfig.VerifyOnRead;
import dev.berth.config.BerthConfig.VerifyPolicy;
import dev.berth.registry.digest.Digest;
import dev.berth.storage.ObjectNotFoundException;
import dev.berth.storage.ObjectStore;
import dev.berth.storage.PutCondition;
import dev.berth.storage.StorageException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens blobs for serving and, as the verify-on-read policy asks, checks a full read while it streams, so a blob
 * whose stored bytes are not the bytes pushed is never served whole: the read fails before its last bytes, and the
 * blob is quarantined.
 *
 * <p>Policies: {@code always} hashes every full read; {@code sample} checks the first full read of every version of
 * a blob, then hashes a random share {@code rate} of later ones; {@code off} checks nothing. A range read that does
 * not cover the whole blob is never checked: its bytes alone cannot be checked against the digest. The first read
 * under {@code sample} compares the bytes with the CRC32C the store keeps for them, which the upload checked against
 * the client's bytes before it published the blob, so it finds what went wrong in the store since, at a thirtieth of
 * SHA-256's cost; it hashes with the digest when the store keeps no CRC32C. Under {@code sample} the first good read
 * leaves a marker object beside the blob ({@link StorageLayout#blobVerified}) holding the etag of the version it
 * checked, so every process sharing the store skips later reads of that version, and a blob written again (a re-push
 * after quarantine gets a new etag) is checked again. Each process remembers the markers it has seen, so a hot blob
 * costs no extra store call per read.
 */
public final class BlobReader {
    private static final Logger log = LoggerFactory.getLogger(BlobReader.class);
    /** How many verified blob versions a process remembers; a forgotten one costs one small read of its marker. */
    private static final int REMEMBERED = 10_000;

    private final ObjectStore store;
    private final Quarantine quarantine;
    private final VerifyOnRead policy;
    private final DoubleSupplier random;
    private final Executor markerWrites;
    /** Marker key to the etag it vouches for, in access order so the least recently read are forgotten first. */
    private final Map<String, String> verified = Collections.synchronizedMap(new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > REMEMBERED;
        }
    });
    private final AtomicLong hashed = new AtomicLong();
    private final AtomicLong passed = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();

    /**
     * A reader with {@code policy}; {@code random} yields numbers in [0, 1) for sampling later reads, and
     * {@code markerWrites} writes the markers of verified reads, so that a read's last bytes never wait for one.
     */
    public BlobReader(ObjectStore store, Quarantine quarantine, VerifyOnRead policy, DoubleSupplier random,
            Executor markerWrites) {
        this.store = store;
        this.quarantine = quarantine;
        this.policy = policy;
        this.random = random;
        this.markerWrites = markerWrites;
    }

    /**
     * How many reads were checked, how many of them checked out, and how many did not.
     *
     * @param hashed reads chosen for checking, by digest or by CRC32C
     * @param passed checked reads whose bytes were right
     * @param failed checked reads whose bytes were not
     */
    public record Stats(long hashed, long passed, long failed) {}

    /** The counts so far. */
    public Stats stats() {
        return new Stats(hashed.get(), passed.get(), failed.get());
    }

    /**
     * Streams {@code length} bytes of {@code blob} from {@code offset}. When the read is checked and the bytes are
     * wrong, the read of the last bytes throws {@link CorruptBlobException} after the blob was quarantined.
     */
    public InputStream open(Namespace ns, BlobInfo blob, long offset, long length) {
        boolean full = offset == 0 && length == blob.size();
        Mode mode = full ? mode(ns, blob) : Mode.NONE;
        if (mode == Mode.NONE) {
            return length == 0 ? InputStream.nullInputStream() : store.get(StorageLayout.blobData(ns, blob.digest()), offset, length);
        }
        hashed.incrementAndGet();
        VerifyingInputStream.Outcome outcome = new VerifyingInputStream.Outcome() {
            @Override
            public void verified() {
                passed.incrementAndGet();
                if (mode == Mode.FIRST) {
                    mark(ns, blob);
                }
            }

            @Override
            public CorruptBlobException corrupt(String found) {
                failed.incrementAndGet();
                return quarantine(ns, blob, found, mode == Mode.FIRST);
            }
        };
        if (length == 0) {
            // Nothing to stream, so check now: an empty body is a whole body, and it must be the right one.
            try {
                VerifyingInputStream.check(blob.digest(), outcome);
            } catch (CorruptBlobException e) {
                throw new StorageException(e.getMessage(), e);
            }
            return InputStream.nullInputStream();
        }
        // A first read compares with the CRC32C written with the bytes; any other checked read hashes them.
        ReadCheck check = mode == Mode.FIRST && blob.crc32c() != null
                ? ReadCheck.crc32c(blob.crc32c()) : ReadCheck.digest(blob.digest());
        InputStream in = store.get(StorageLayout.blobData(ns, blob.digest()), 0, length);
        return new VerifyingInputStream(in, blob.digest(), check, length, outcome);
    }

    /** Whether a full read is checked, and whether it is the first of its version. */
    private enum Mode { NONE, FIRST, SAMPLED, ALWAYS }

    private Mode mode(Namespace ns, BlobInfo blob) {
        VerifyPolicy p = policy.policy();
        if (p == VerifyPolicy.OFF) {
            return Mode.NONE;
        }
        if (p == VerifyPolicy.ALWAYS) {
            return Mode.ALWAYS;
        }
        if (!isVerified(ns, blob)) {
            return Mode.FIRST;
        }
        return random.getAsDouble() < policy.rate() ? Mode.SAMPLED : Mode.NONE;
    }

    private boolean isVerified(Namespace ns, BlobInfo blob) {
        String key = StorageLayout.blobVerified(ns, blob.digest());
        String version = blob.etag() == null ? "" : blob.etag();
        if (version.equals(verified.get(key))) {
            return true;
        }
        String marked;
        try {
            marked = new String(store.read(key), StandardCharsets.UTF_8);
        } catch (ObjectNotFoundException never) {
            return false;
        } catch (StorageException e) {
            log.warn("blob {}: its verified marker is unreadable, so this read is verified: {}", blob.digest(),
                    e.getMessage());
            return false;
        }
        if (!marked.equals(version)) {
            return false;
        }
        verified.put(key, version);
        return true;
    }

    /**
     * Remembers a verified version at once and writes its marker through {@code markerWrites}: the write is made
     * durable, and a read that waited for its {@code fsync} would hold back its last bytes for a hint.
     */
    private void mark(Namespace ns, BlobInfo blob) {
        String key = StorageLayout.blobVerified(ns, blob.digest());
        String version = blob.etag() == null ? "" : blob.etag();
        verified.put(key, version);
        try {
            markerWrites.execute(() -> writeMarker(blob, key, version));
        } catch (RejectedExecutionException e) {
            log.warn("blob {}: verified, but the marker was not written: {}", blob.digest(), e.toString());
        }
    }

    private void writeMarker(BlobInfo blob, String key, String version) {
        try {
            store.put(key, version.getBytes(StandardCharsets.UTF_8), PutCondition.always());
        } catch (StorageException e) {
            // The read was good; without the marker the next read is verified again, which costs time, not safety.
            verified.remove(key, version);
            log.warn("blob {}: verified, but the marker could not be written: {}", blob.digest(), e.getMessage());
        }
    }

    /**
     * Hands a blob whose read came to {@code found} to the quarantine, which hashes it again. When that second read
     * hashes right after a first read went wrong, it is the version's verified read, so it leaves the marker: a
     * CRC32C kept wrong beside right bytes would otherwise fail every first read.
     */
    private CorruptBlobException quarantine(Namespace ns, BlobInfo blob, String found, boolean firstRead) {
        String message = "blob " + blob.digest() + ": the " + blob.size() + " bytes read came to " + found;
        log.error("{}; the read is aborted before its last bytes", message);
        verified.remove(StorageLayout.blobVerified(ns, blob.digest()));
        try {
            Quarantine.Result result = quarantine.quarantineIfCorrupt(ns, blob.digest(),
                    "verify on read: a read of it came to " + found);
            if (firstRead && result.outcome() == Quarantine.Outcome.SOUND) {
                mark(ns, blob);
            }
            return new CorruptBlobException(blob.digest(), message + " (" + describe(result) + ")");
        } catch (RuntimeException e) {
            log.error("blob {}: quarantine failed: {}", blob.digest(), e.toString());
            return new CorruptBlobException(blob.digest(), message + " (quarantine failed: " + e + ")");
        }
    }

    private static String describe(Quarantine.Result result) {
        return switch (result.outcome()) {
            case QUARANTINED -> "quarantined to " + result.location();
            case SOUND -> "a second read hashes right, so it stays";
            case REPLACED -> "written again meanwhile, so it stays";
            case ABSENT -> "gone meanwhile";
        };
    }
}
