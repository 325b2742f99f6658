package dev.berth.registry;

import dev.berth.registry.digest.Digest;
import dev.berth.registry.digest.DigestAlgorithm;
import dev.berth.storage.ObjectStore;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Streams a stored blob through its digest's algorithm, to learn what its bytes really hash to. */
public final class BlobHasher {
    private static final int BUFFER = 1 << 20;
    private final ObjectStore store;

    public BlobHasher(ObjectStore store) {
        this.store = store;
    }

    /** What a blob's bytes hashed to and how many there were. */
    public record Hashed(Digest actual, long bytes) {}

    /**
     * Reads the whole of {@code digest}'s bytes and hashes them with its algorithm; throws
     * {@link dev.berth.storage.ObjectNotFoundException} when there are none.
     */
    public Hashed hash(Namespace ns, Digest digest) {
        String key = StorageLayout.blobData(ns, digest);
        MessageDigest md = newDigest(digest.algorithm());
        byte[] buffer = new byte[BUFFER];
        long bytes = 0;
        try (InputStream in = store.get(key, 0, -1)) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                md.update(buffer, 0, n);
                bytes += n;
            }
        } catch (IOException e) {
            throw ObjectStore.failure("hashing " + key, e);
        }
        return new Hashed(new Digest(digest.algorithm(), HexFormat.of().formatHex(md.digest())), bytes);
    }

    /** A fresh JDK digest of {@code algorithm}. */
    static MessageDigest newDigest(DigestAlgorithm algorithm) {
        try {
            return MessageDigest.getInstance(algorithm.jdkName());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm.jdkName() + " missing from the JDK", e);
        }
    }
}
