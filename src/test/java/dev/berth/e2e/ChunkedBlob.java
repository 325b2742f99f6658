package dev.berth.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * A deterministic blob cut into chunks, each generated from its own seed, so any chunk's body can be
 * produced again at any time (a request body supplier may be asked twice) without keeping the data.
 */
public record ChunkedBlob(long seed, List<Long> chunkSizes) {
    /** A blob of {@code size} bytes in chunks of {@code chunkSize} (the last one shorter). */
    public static ChunkedBlob of(long seed, long size, long chunkSize) {
        List<Long> sizes = new ArrayList<>();
        for (long offset = 0; offset < size; offset += chunkSize) {
            sizes.add(Math.min(chunkSize, size - offset));
        }
        return new ChunkedBlob(seed, List.copyOf(sizes));
    }

    /** Total length. */
    public long size() {
        return chunkSizes.stream().mapToLong(Long::longValue).sum();
    }

    /** Offset of chunk {@code index}. */
    public long offset(int index) {
        return chunkSizes.subList(0, index).stream().mapToLong(Long::longValue).sum();
    }

    /** A fresh stream of chunk {@code index}'s bytes. */
    public InputStream chunk(int index) {
        return new SeededBytes(seed * 1_000_003L + index, chunkSizes.get(index));
    }

    /** The blob's digest, computed by generating every chunk once (streamed, nothing kept). */
    public Digests.Hashed digest() throws IOException {
        MessageDigest sha = Digests.sha256();
        byte[] buffer = new byte[1 << 20];
        long total = 0;
        for (int i = 0; i < chunkSizes.size(); i++) {
            try (InputStream in = chunk(i)) {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    sha.update(buffer, 0, n);
                    total += n;
                }
            }
        }
        return new Digests.Hashed(Digests.format(sha.digest()), total);
    }

    /**
     * PATCHes chunk {@code index} to {@code upload} (already pointing at the process that should get it),
     * checks the 202 and the Range the registry reports, and returns the next upload location.
     */
    public URI patch(RegistryHttp http, URI upload, int index) throws IOException {
        return RegistryHttp.location(send(http, upload, index));
    }

    /** As {@link #patch}, returning the checked response itself (to see which process answered). */
    public HttpResponse<String> send(RegistryHttp http, URI upload, int index) throws IOException {
        long offset = offset(index);
        long length = chunkSizes.get(index);
        HttpResponse<String> response = http.patchChunk(upload, offset, length, () -> chunk(index));
        RegistryHttp.expect(response, 202, "PATCH chunk " + index + " (bytes " + offset + "-" + (offset + length - 1) + ")");
        String range = response.headers().firstValue("Range")
                .orElseThrow(() -> new AssertionError("PATCH response without Range\n" + RegistryHttp.describe(response)));
        if (!range.equals("0-" + (offset + length - 1))) {
            throw new AssertionError("PATCH chunk " + index + ": expected Range 0-" + (offset + length - 1)
                    + "\n" + RegistryHttp.describe(response));
        }
        return response;
    }
}
