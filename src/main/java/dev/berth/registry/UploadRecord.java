package dev.berth.registry;

import dev.berth.registry.digest.DigestAlgorithm;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The whole state of one blob upload, kept in the store next to its chunks, so any Berth process can take the
 * next chunk: the verified chunks so far and the serialized running digest of their bytes.
 *
 * @param id the upload's id, as it appears in its URL
 * @param repository the repository the upload was started in
 * @param algorithm the algorithm of the running digest
 * @param started when the upload began
 * @param offset the number of bytes received and verified, the sum of the chunk sizes
 * @param chunks the chunks, in order
 * @param digestState the running digest's serialized state after the last chunk
 */
public record UploadRecord(
        String id,
        String repository,
        DigestAlgorithm algorithm,
        Instant started,
        long offset,
        List<Chunk> chunks,
        byte[] digestState) {

    public UploadRecord {
        chunks = List.copyOf(chunks);
    }

    /**
     * One stored chunk.
     *
     * @param index its number, from 1, which names its object
     * @param size its length in bytes
     * @param crc32c the CRC32C Berth computed as the chunk streamed in, 8 hex digits
     */
    public record Chunk(int index, long size, String crc32c) {}

    /** This record with one more verified chunk and the digest state after it. */
    public UploadRecord withChunk(Chunk chunk, byte[] newState) {
        List<Chunk> more = new ArrayList<>(chunks);
        more.add(chunk);
        return new UploadRecord(id, repository, algorithm, started, offset + chunk.size(), more, newState);
    }

    /** The value of the {@code Range} header for this upload, {@code 0-<last byte>}, as Distribution writes it. */
    public String rangeHeader() {
        return "0-" + Math.max(0, offset - 1);
    }
}
