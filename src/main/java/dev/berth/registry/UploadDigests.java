package dev.berth.registry;

import dev.berth.registry.digest.ResumableDigest;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where an upload's running digest lives between its chunks. Berth keeps it {@link #inRecord() in the upload record}
 * in the store, so that any replica can take the next chunk; {@link #inProcessMemory()} exists only to measure what
 * that costs against a digest that never leaves memory.
 */
public interface UploadDigests {

    /** The running digest to hash the next chunk of {@code record} with. */
    ResumableDigest resume(UploadRecord record);

    /** What to record as the digest state after a chunk was hashed into {@code digest}. */
    byte[] keep(UploadRecord record, ResumableDigest digest);

    /** The upload ended (completed or cancelled); its digest is no longer needed. */
    void forget(UploadRecord record);

    /** The running state saved in each upload record and restored for each chunk: what Berth runs with. */
    static UploadDigests inRecord() {
        return new UploadDigests() {
            @Override
            public ResumableDigest resume(UploadRecord record) {
                return ResumableDigest.resume(record.digestState());
            }

            @Override
            public byte[] keep(UploadRecord record, ResumableDigest digest) {
                return digest.state();
            }

            @Override
            public void forget(UploadRecord record) {
                // nothing outside the record
            }
        };
    }

    /**
     * For benchmarks only: each upload's digest object stays in this process between chunks and is never saved or
     * restored, as in a registry without resumable hashing. Uploads then cannot move between processes, and a
     * restart loses their digests.
     */
    static UploadDigests inProcessMemory() {
        Map<String, ResumableDigest> running = new ConcurrentHashMap<>();
        return new UploadDigests() {
            @Override
            public ResumableDigest resume(UploadRecord record) {
                return running.computeIfAbsent(record.id(), id -> ResumableDigest.resume(record.digestState()));
            }

            @Override
            public byte[] keep(UploadRecord record, ResumableDigest digest) {
                return record.digestState();
            }

            @Override
            public void forget(UploadRecord record) {
                running.remove(record.id());
            }
        };
    }
}
