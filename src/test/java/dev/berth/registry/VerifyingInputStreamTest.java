package dev.berth.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.registry.digest.Digest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Buffer reads through one reused buffer hash the whole blob, and refuse the last bytes of a wrong one. */
class VerifyingInputStreamTest {
    private final AtomicInteger verified = new AtomicInteger();
    private final AtomicInteger corrupt = new AtomicInteger();

    private final VerifyingInputStream.Outcome outcome = new VerifyingInputStream.Outcome() {
        @Override
        public void verified() {
            verified.incrementAndGet();
        }

        @Override
        public CorruptBlobException corrupt(Digest actual) {
            corrupt.incrementAndGet();
            return new CorruptBlobException(actual, actual, "blob hashes to " + actual);
        }
    };

    @Test
    void aRightBlobReadThroughOneReusedBufferIsVerifiedAndHandedOutWhole() throws Exception {
        byte[] blob = randomBytes(3 * 1024 * 1024 + 17);
        ByteArrayOutputStream sent = new ByteArrayOutputStream();
        try (VerifyingInputStream in = new VerifyingInputStream(new ByteArrayInputStream(blob), Digest.sha256(blob),
                blob.length, outcome)) {
            ByteBuffer buffer = ByteBuffer.allocateDirect(256 * 1024);
            int n;
            while ((n = readInto(in, buffer)) > 0) {
                byte[] chunk = new byte[n];
                buffer.get(chunk);
                sent.write(chunk);
            }
        }
        assertThat(sent.toByteArray()).isEqualTo(blob);
        assertThat(verified).hasValue(1);
        assertThat(corrupt).hasValue(0);
    }

    @Test
    void aByteFlippedInTheFirstBufferFailsTheReadOfTheLastOne() throws Exception {
        byte[] blob = randomBytes(2 * 1024 * 1024);
        Digest right = Digest.sha256(blob);
        byte[] stored = blob.clone();
        stored[10] ^= 1;
        AtomicLong handedOut = new AtomicLong();
        try (VerifyingInputStream in = new VerifyingInputStream(new ByteArrayInputStream(stored), right,
                stored.length, outcome)) {
            ByteBuffer buffer = ByteBuffer.allocateDirect(256 * 1024);
            assertThatThrownBy(() -> {
                int n;
                while ((n = readInto(in, buffer)) > 0) {
                    handedOut.addAndGet(n); // sent; the read that would complete the blob throws instead
                }
            }).isInstanceOf(CorruptBlobException.class);
        }
        assertThat(handedOut.get()).isPositive().isLessThan(stored.length);
        assertThat(corrupt).hasValue(1);
        assertThat(verified).hasValue(0);
    }

    /** What a sender does with one buffer: clear, fill, flip, then (here) drain it. */
    private static int readInto(VerifyingInputStream in, ByteBuffer buffer) throws Exception {
        buffer.clear();
        int n = in.read(buffer);
        buffer.flip();
        return n;
    }

    private static byte[] randomBytes(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }
}
