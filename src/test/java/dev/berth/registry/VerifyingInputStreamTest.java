package dev.berth.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.registry.digest.Digest;
import dev.berth.storage.FilesystemStore;
import dev.berth.storage.PutCondition;
import dev.berth.storage.ViewReadable;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Buffer reads and lent views hash the whole blob, and refuse the last bytes of a wrong one. */
class VerifyingInputStreamTest {
    private final AtomicInteger verified = new AtomicInteger();
    private final AtomicInteger corrupt = new AtomicInteger();

    private final VerifyingInputStream.Outcome outcome = new VerifyingInputStream.Outcome() {
        @Override
        public void verified() {
            verified.incrementAndGet();
        }

        @Override
        public CorruptBlobException corrupt(String found) {
            corrupt.incrementAndGet();
            return new CorruptBlobException(null, "blob came to " + found);
        }
    };

    @Test
    void aRightBlobReadThroughOneReusedBufferIsVerifiedAndHandedOutWhole() throws Exception {
        byte[] blob = randomBytes(3 * 1024 * 1024 + 17);
        ByteArrayOutputStream sent = new ByteArrayOutputStream();
        try (VerifyingInputStream in = new VerifyingInputStream(new ByteArrayInputStream(blob), Digest.sha256(blob),
                ReadCheck.digest(Digest.sha256(blob)), blob.length, outcome)) {
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
        assertThat(handedOutBeforeRefusal(stored, right, ReadCheck.digest(right))).isPositive()
                .isLessThan(stored.length);
        assertThat(corrupt).hasValue(1);
        assertThat(verified).hasValue(0);
    }

    @Test
    void aByteFlippedAfterTheCrc32cWasWrittenFailsTheReadOfTheLastBuffer() throws Exception {
        byte[] blob = randomBytes(2 * 1024 * 1024);
        CRC32C written = new CRC32C();
        written.update(blob);
        byte[] stored = blob.clone();
        stored[blob.length - 1] ^= 0x40;

        assertThat(handedOutBeforeRefusal(stored, Digest.sha256(blob),
                ReadCheck.crc32c(HexFormat.of().toHexDigits((int) written.getValue()))))
                .isPositive().isLessThan(stored.length);
        assertThat(corrupt).hasValue(1);
        assertThat(verified).hasValue(0);
    }

    @Test
    void viewsOfARightBlobOnDiskAreVerifiedAsTheyAreLentAndHandOutTheWholeBlob(@TempDir Path root) throws Exception {
        byte[] blob = randomBytes(5 * 1024 * 1024 + 3);
        ByteBuffer sent = ByteBuffer.allocate(blob.length);
        try (VerifyingInputStream in = onDisk(root, blob, blob, ReadCheck.digest(Digest.sha256(blob)))) {
            boolean more = true;
            while (more) {
                try (ViewReadable.View view = in.view(1024 * 1024)) {
                    more = view.bytes().hasRemaining();
                    sent.put(view.bytes());
                }
            }
        }
        assertThat(sent.array()).isEqualTo(blob);
        assertThat(verified).hasValue(1);
    }

    @Test
    void aByteFlippedOnDiskFailsTheViewOfTheLastBytes(@TempDir Path root) throws Exception {
        byte[] blob = randomBytes(5 * 1024 * 1024);
        byte[] stored = blob.clone();
        stored[20] ^= 1;
        AtomicLong handedOut = new AtomicLong();
        try (VerifyingInputStream in = onDisk(root, blob, stored, ReadCheck.digest(Digest.sha256(blob)))) {
            assertThatThrownBy(() -> {
                while (true) {
                    try (ViewReadable.View view = in.view(1024 * 1024)) {
                        handedOut.addAndGet(view.bytes().remaining());
                    }
                }
            }).isInstanceOf(CorruptBlobException.class);
        }
        assertThat(handedOut).hasValue(4 * 1024 * 1024);
        assertThat(corrupt).hasValue(1);
        assertThat(verified).hasValue(0);
    }

    /** A verified stream of {@code stored}, written by a filesystem store as the bytes of {@code blob}. */
    private VerifyingInputStream onDisk(Path root, byte[] blob, byte[] stored, ReadCheck check) {
        FilesystemStore store = new FilesystemStore(root);
        store.put("ns/blob", stored, PutCondition.always());
        return new VerifyingInputStream(store.get("ns/blob", 0, stored.length), Digest.sha256(blob), check,
                stored.length, outcome);
    }

    /** Streams {@code stored} through 256 KiB buffers until the check refuses a read; returns the bytes sent. */
    private long handedOutBeforeRefusal(byte[] stored, Digest digest, ReadCheck check) throws Exception {
        AtomicLong handedOut = new AtomicLong();
        try (VerifyingInputStream in = new VerifyingInputStream(new ByteArrayInputStream(stored), digest, check,
                stored.length, outcome)) {
            ByteBuffer buffer = ByteBuffer.allocateDirect(256 * 1024);
            assertThatThrownBy(() -> {
                int n;
                while ((n = readInto(in, buffer)) > 0) {
                    handedOut.addAndGet(n); // sent; the read that would complete the blob throws instead
                }
            }).isInstanceOf(CorruptBlobException.class);
        }
        return handedOut.get();
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
