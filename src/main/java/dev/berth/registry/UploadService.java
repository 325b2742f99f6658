package dev.berth.registry;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.berth.registry.digest.Crc32c;
import dev.berth.registry.digest.Digest;
import dev.berth.registry.digest.DigestAlgorithm;
import dev.berth.registry.digest.ResumableDigest;
import dev.berth.storage.ObjectInfo;
import dev.berth.storage.ObjectStore;
import dev.berth.storage.PreconditionFailedException;
import dev.berth.storage.PutCondition;
import dev.berth.storage.StorageException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Blob uploads on the store-held model: each chunk is streamed into its own object while the running digest
 * is updated, verified against what the store reports, and recorded in the upload record with the digest's
 * serialized state. Any process can take the next chunk, and completing an upload compares digests without
 * reading the data again.
 */
public final class UploadService {
    private static final Logger log = LoggerFactory.getLogger(UploadService.class);
    private static final Pattern UPLOAD_ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final ObjectStore store;
    private final BlobStore blobs;
    private final Clock clock;
    private final UploadDigests digests;
    private final LongAdder started = new LongAdder();
    private final LongAdder completed = new LongAdder();
    private final LongAdder failedDigest = new LongAdder();
    private final LongAdder failedIntegrity = new LongAdder();
    private final LongAdder failedOther = new LongAdder();
    private final LongAdder cancelled = new LongAdder();
    private final LongAdder chunkIntegrityFailures = new LongAdder();
    private final LongAdder publishIntegrityFailures = new LongAdder();

    public UploadService(ObjectStore store, BlobStore blobs, Clock clock) {
        this(store, blobs, clock, UploadDigests.inRecord());
    }

    /** Uploads whose running digests live where {@code digests} keeps them. */
    public UploadService(ObjectStore store, BlobStore blobs, Clock clock, UploadDigests digests) {
        this.store = store;
        this.blobs = blobs;
        this.clock = clock;
        this.digests = digests;
    }

    /**
     * What this process's uploads did so far.
     *
     * @param started uploads started
     * @param completed uploads completed: their blob was published
     * @param failedDigest completions refused because the content does not hash to the client's digest
     * @param failedIntegrity completions that failed an integrity check of the stored chunks or the assembled blob
     * @param failedOther completions that failed otherwise: the backend failed, the client went away, a bad range
     * @param cancelled uploads the client cancelled
     * @param chunkIntegrityFailures chunks refused because the store kept other bytes than were sent
     * @param publishIntegrityFailures publishes that found stored metadata contradicting the record, including wrong
     *     bytes found at the blob's address and replaced
     */
    public record Stats(long started, long completed, long failedDigest, long failedIntegrity, long failedOther,
            long cancelled, long chunkIntegrityFailures, long publishIntegrityFailures) {}

    /** The counts so far. */
    public Stats stats() {
        return new Stats(started.sum(), completed.sum(), failedDigest.sum(), failedIntegrity.sum(), failedOther.sum(),
                cancelled.sum(), chunkIntegrityFailures.sum(), publishIntegrityFailures.sum());
    }

    /** Starts an upload in {@code repo} whose running digest uses {@code algorithm}. */
    public UploadRecord start(Namespace ns, RepositoryName repo, DigestAlgorithm algorithm) {
        String id = UUID.randomUUID().toString();
        UploadRecord record = new UploadRecord(id, repo.value(), algorithm, clock.instant(), 0, List.of(),
                ResumableDigest.start(algorithm).state());
        store.put(StorageLayout.uploadRecord(ns, id), encode(record), PutCondition.ifAbsent());
        started.increment();
        log.debug("upload {}: started in {} with {}", id, repo, algorithm.id());
        return record;
    }

    /** The current state of an upload; {@code BLOB_UPLOAD_UNKNOWN} when there is none in {@code repo}. */
    public UploadRecord status(Namespace ns, RepositoryName repo, String id) {
        return load(ns, repo, id).record();
    }

    /**
     * Appends a chunk. With a range, it must start at the current offset and cover exactly the bytes sent, or
     * the answer is 416 with the current range; without one, the body is appended as it streams.
     */
    public UploadRecord append(Namespace ns, RepositoryName repo, String id, IncomingChunk chunk) {
        return append(ns, load(ns, repo, id), chunk).record();
    }

    /**
     * Completes an upload, appending an optional last chunk, and publishes the blob under {@code expected}
     * once its digest matches. A mismatch cancels the upload and publishes nothing.
     */
    public BlobInfo complete(Namespace ns, RepositoryName repo, String id, Digest expected, IncomingChunk lastChunk) {
        Loaded loaded = load(ns, repo, id);
        try {
            BlobInfo blob = complete(ns, repo, loaded, expected, lastChunk);
            completed.increment();
            return blob;
        } catch (IntegrityException e) {
            failedIntegrity.increment();
            throw e;
        } catch (RegistryException e) {
            (e.errors().get(0).code() == ErrorCode.DIGEST_INVALID ? failedDigest : failedOther).increment();
            throw e;
        } catch (RuntimeException e) {
            failedOther.increment();
            throw e;
        }
    }

    private BlobInfo complete(Namespace ns, RepositoryName repo, Loaded loaded, Digest expected,
            IncomingChunk lastChunk) {
        if (lastChunk != null) {
            loaded = append(ns, loaded, lastChunk);
        }
        UploadRecord record = loaded.record();
        Digest actual = expected.algorithm() == record.algorithm()
                ? digests.resume(record).digest()
                : rehash(ns, record, expected.algorithm());
        if (!actual.equals(expected)) {
            delete(ns, record);
            throw new RegistryException(ErrorCode.DIGEST_INVALID,
                    "provided digest did not match uploaded content",
                    Map.of("expected", expected.toString(), "actual", actual.toString()));
        }
        // The holder before the publish looks for existing data: a collection running now then either sees it or
        // has moved the old data away already, and the publish assembles this upload's own bytes.
        blobs.claim(ns, repo, expected);
        publish(ns, record, expected);
        blobs.link(ns, repo, expected);
        delete(ns, record);
        return new BlobInfo(expected, record.offset());
    }

    /** Cancels an upload and removes its chunks; {@code BLOB_UPLOAD_UNKNOWN} when there is none. */
    public void cancel(Namespace ns, RepositoryName repo, String id) {
        delete(ns, load(ns, repo, id).record());
        cancelled.increment();
    }

    private Loaded append(Namespace ns, Loaded loaded, IncomingChunk chunk) {
        UploadRecord record = loaded.record();
        ChunkRange range = chunk.range();
        if (range != null && range.start() != record.offset()) {
            throw rangeError(record, "chunk starts at " + range.start() + " but the upload is at " + record.offset());
        }
        PushbackInputStream in = new PushbackInputStream(chunk.body(), 1);
        int first = read(in);
        if (first < 0) {
            if (range != null && range.length() != 0) {
                throw rangeError(record, "Content-Range declares " + range.length() + " bytes but the body is empty");
            }
            return loaded;
        }
        unread(in, first);

        int index = record.chunks().size() + 1;
        String chunkKey = StorageLayout.uploadChunk(ns, record.id(), index);
        ResumableDigest digest = digests.resume(record);
        DigestingInputStream counted = new DigestingInputStream(in, digest);
        ObjectInfo stored;
        try {
            long expectedLength = range != null ? range.length() : chunk.declaredLength();
            stored = store.put(chunkKey, counted, expectedLength, PutCondition.ifAbsent());
        } catch (PreconditionFailedException concurrent) {
            throw rangeError(reload(ns, record), "another request wrote chunk " + index + " of this upload first");
        } catch (StorageException e) {
            if (DigestingInputStream.causedByClient(e)) {
                throw new ClientDisconnectedException("upload " + record.id() + ": chunk " + index
                        + " not received completely; the upload stays at " + record.offset(), e);
            }
            // A backend can fail a put that took effect (a timeout after the write): left in place, the unrecorded
            // object would refuse every resend of this chunk as a concurrent write.
            deleteQuietly(record, chunkKey);
            log.error("upload {}: storing chunk {} failed; the upload stays at {}: {}",
                    record.id(), index, record.offset(), e.toString());
            throw new StorageException("upload " + record.id() + ": storing chunk " + index + " failed: "
                    + e.getMessage(), e);
        }
        long size = counted.count();
        String crc = Crc32c.hex(counted.crc32c());
        if (read(in) >= 0) {
            // The store ended the object before the body did: what it holds matches what it read, but not what the
            // client sent, and the range check below would wrongly blame the client for it.
            store.delete(chunkKey);
            chunkIntegrityFailures.increment();
            log.error("upload {}: chunk {} failed verification: the store took {} bytes and left the rest of the body",
                    record.id(), index, size);
            throw new StorageException("upload " + record.id() + ": chunk " + index + " was stored incompletely");
        }
        if (range != null && range.length() != size) {
            store.delete(chunkKey);
            throw rangeError(record, "Content-Range declares " + range.length() + " bytes but " + size + " arrived");
        }
        if (log.isDebugEnabled()) {
            log.debug("upload {}: chunk {} checks: {} bytes (Content-Range {}, declared length {}), crc32c {};"
                            + " the store reports {} bytes, crc32c {}; {} bytes hashed so far",
                    record.id(), index, size, range == null ? "none" : range.start() + "-" + range.end(),
                    chunk.declaredLength(), crc, stored.size(), stored.crc32c() == null ? "not given" : stored.crc32c(),
                    record.offset() + size);
        }
        if (stored.size() != size || (stored.crc32c() != null && !stored.crc32c().equals(crc))) {
            store.delete(chunkKey);
            chunkIntegrityFailures.increment();
            log.error("upload {}: chunk {} failed verification: sent {} bytes crc32c {}, store reports {} bytes crc32c {}",
                    record.id(), index, size, crc, stored.size(), stored.crc32c());
            throw new StorageException("upload " + record.id() + ": chunk " + index + " was stored wrongly");
        }
        UploadRecord next = record.withChunk(new UploadRecord.Chunk(index, size, crc), digests.keep(record, digest));
        ObjectInfo written;
        try {
            written = store.put(StorageLayout.uploadRecord(ns, record.id()), encode(next),
                    PutCondition.ifMatch(loaded.etag()));
        } catch (PreconditionFailedException concurrent) {
            store.delete(chunkKey);
            throw rangeError(reload(ns, record), "the upload changed while this chunk was received");
        }
        return new Loaded(next, written.etag());
    }

    /**
     * Moves the verified chunks into the blob's place in one step, checking the store's metadata throughout. When
     * this fails, whatever it left under the digest that does not match the record is removed again, so wrong
     * bytes never stay at a content address for a later push of the same digest to adopt.
     */
    private void publish(Namespace ns, UploadRecord record, Digest digest) {
        String target = StorageLayout.blobData(ns, digest);
        String expectedCrc = combinedCrc(record);
        var existing = store.stat(target);
        if (existing.isPresent()) {
            if (matches(existing.get(), record.offset(), expectedCrc)) {
                return; // an identical push published the same content first
            }
            publishIntegrityFailures.increment();
            log.warn("upload {}: {} holds {} bytes with crc32c {} where {} bytes with crc32c {} belong; replacing it",
                    record.id(), target, existing.get().size(), existing.get().crc32c(), record.offset(), expectedCrc);
        }
        try {
            assemble(ns, record, target, expectedCrc);
            ObjectInfo published = store.stat(target).orElseThrow(() -> integrity(record, "the published blob vanished"));
            checkMatches(record, "the published blob " + digest, published, record.offset(), expectedCrc);
        } catch (StorageException e) {
            discardIfWrong(record, target, expectedCrc);
            log.error("upload {}: publishing {} failed, nothing published: {}", record.id(), digest, e.getMessage());
            throw e instanceof IntegrityException ? e
                    : new StorageException("upload " + record.id() + ": publishing " + digest + " failed: "
                            + e.getMessage(), e);
        }
    }

    /** Writes the chunks to {@code target}: a move of the only chunk, or a checked concatenation and a move. */
    private void assemble(Namespace ns, UploadRecord record, String target, String expectedCrc) {
        List<String> keys = new ArrayList<>();
        for (UploadRecord.Chunk chunk : record.chunks()) {
            String key = StorageLayout.uploadChunk(ns, record.id(), chunk.index());
            ObjectInfo info = store.stat(key).orElseThrow(() -> integrity(record, "chunk " + chunk.index() + " vanished"));
            checkMatches(record, "chunk " + chunk.index(), info, chunk.size(), chunk.crc32c());
            keys.add(key);
        }
        if (keys.isEmpty()) {
            store.put(target, new byte[0], PutCondition.always());
        } else if (keys.size() == 1) {
            store.move(keys.get(0), target);
        } else {
            String assembly = StorageLayout.uploadAssembly(ns, record.id());
            ObjectInfo assembled = store.concatenate(keys, assembly);
            checkMatches(record, "the assembled blob", assembled, record.offset(), expectedCrc);
            store.move(assembly, target);
        }
    }

    /**
     * Removes what a failed publish left at {@code target} unless it matches the record: matching bytes are the
     * right ones (a move that failed after it took effect, or an identical push), wrong ones must not stay.
     */
    private void discardIfWrong(UploadRecord record, String target, String expectedCrc) {
        try {
            var left = store.stat(target);
            if (left.isPresent() && !matches(left.get(), record.offset(), expectedCrc)) {
                store.delete(target);
                log.error("upload {}: removed {}: it held {} bytes with crc32c {} where {} bytes with crc32c {} belong",
                        record.id(), target, left.get().size(), left.get().crc32c(), record.offset(), expectedCrc);
            }
        } catch (StorageException e) {
            log.error("upload {}: could not check what the failed publish left at {}: {}", record.id(), target,
                    e.getMessage());
        }
    }

    /** The CRC32C of the whole blob, combined from the recorded chunks without reading them. */
    private static String combinedCrc(UploadRecord record) {
        long combined = 0;
        for (UploadRecord.Chunk chunk : record.chunks()) {
            combined = Crc32c.combine(combined, Long.parseLong(chunk.crc32c(), 16), chunk.size());
        }
        return Crc32c.hex(combined);
    }

    private static boolean matches(ObjectInfo info, long size, String crc32c) {
        return info.size() == size && (info.crc32c() == null || info.crc32c().equals(crc32c));
    }

    private void checkMatches(UploadRecord record, String what, ObjectInfo info, long size, String crc32c) {
        if (!matches(info, size, crc32c)) {
            throw integrity(record, what + " is " + info.size() + " bytes with crc32c " + info.crc32c()
                    + " where " + size + " bytes with crc32c " + crc32c + " were recorded");
        }
    }

    private IntegrityException integrity(UploadRecord record, String problem) {
        publishIntegrityFailures.increment();
        return new IntegrityException("upload " + record.id() + ": integrity check failed: " + problem);
    }

    /** A stored object whose metadata contradicts what Berth recorded; the message names the upload. */
    private static final class IntegrityException extends StorageException {
        IntegrityException(String message) {
            super(message);
        }
    }

    private void deleteQuietly(UploadRecord record, String key) {
        try {
            store.delete(key);
        } catch (StorageException e) {
            log.warn("upload {}: could not remove {}: {}", record.id(), key, e.getMessage());
        }
    }

    /** Hashes the stored chunks again with another algorithm: the one case where completing reads the data. */
    private Digest rehash(Namespace ns, UploadRecord record, DigestAlgorithm algorithm) {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance(algorithm.jdkName());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] buffer = new byte[1 << 16];
        for (UploadRecord.Chunk chunk : record.chunks()) {
            try (InputStream in = store.get(StorageLayout.uploadChunk(ns, record.id(), chunk.index()), 0, -1)) {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    md.update(buffer, 0, n);
                }
            } catch (IOException e) {
                throw ObjectStore.failure("re-reading upload " + record.id(), e);
            }
        }
        return new Digest(algorithm, HexFormat.of().formatHex(md.digest()));
    }

    private void delete(Namespace ns, UploadRecord record) {
        for (UploadRecord.Chunk chunk : record.chunks()) {
            store.delete(StorageLayout.uploadChunk(ns, record.id(), chunk.index()));
        }
        store.delete(StorageLayout.uploadAssembly(ns, record.id()));
        store.delete(StorageLayout.uploadRecord(ns, record.id()));
        digests.forget(record);
    }

    private Loaded load(Namespace ns, RepositoryName repo, String id) {
        if (id == null || !UPLOAD_ID.matcher(id).matches()) {
            throw unknown(id);
        }
        String key = StorageLayout.uploadRecord(ns, id);
        // Stat before reading: if the record changes in between, the stale etag makes the next write fail safely.
        ObjectInfo info = store.stat(key).orElseThrow(() -> unknown(id));
        UploadRecord record;
        try {
            record = JSON.readValue(store.read(key), UploadRecord.class);
        } catch (dev.berth.storage.ObjectNotFoundException gone) {
            throw unknown(id);
        } catch (IOException e) {
            throw new StorageException("upload record " + key + " is unreadable: " + e.getMessage(), e);
        }
        if (!Objects.equals(record.repository(), repo.value())) {
            throw unknown(id);
        }
        return new Loaded(record, info.etag());
    }

    private UploadRecord reload(Namespace ns, UploadRecord record) {
        try {
            return load(ns, new RepositoryName(record.repository()), record.id()).record();
        } catch (RegistryException gone) {
            return record;
        }
    }

    private static RegistryException unknown(String id) {
        return new RegistryException(ErrorCode.BLOB_UPLOAD_UNKNOWN, "blob upload unknown to registry", id);
    }

    private static RegistryException rangeError(UploadRecord record, String message) {
        return new RegistryException(416,
                List.of(new RegistryException.RegistryError(ErrorCode.BLOB_UPLOAD_INVALID, message, null)),
                Map.of("Range", record.rangeHeader(), "Docker-Upload-UUID", record.id()));
    }

    private static byte[] encode(UploadRecord record) {
        try {
            return JSON.writeValueAsBytes(record);
        } catch (IOException e) {
            throw new IllegalStateException("upload record not serializable", e);
        }
    }

    private static int read(InputStream in) {
        try {
            return in.read();
        } catch (IOException e) {
            throw new ClientDisconnectedException("reading the request body failed: " + e.getMessage(), e);
        }
    }

    private static void unread(PushbackInputStream in, int b) {
        try {
            in.unread(b);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private record Loaded(UploadRecord record, String etag) {}
}
