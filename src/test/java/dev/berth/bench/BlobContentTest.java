package dev.berth.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class BlobContentTest {
    private final BlobContent content = new BlobContent(7);

    @Test
    void theDigestIsTheSha256OfTheBytesSentAcrossPatternRepeats() throws Exception {
        long size = 3L * BlobContent.PATTERN_LENGTH + 12_345;
        BlobContent.Blob blob = content.blob(size, 1, 2);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        content.copyTo(blob, 0, size, out);
        assertThat(out.size()).isEqualTo(size);
        assertThat(blob.digest()).isEqualTo(sha256(out.toByteArray()));
    }

    @Test
    void chunksWrittenSeparatelyConcatenateToTheBlob() throws Exception {
        long size = BlobContent.PATTERN_LENGTH + 100;
        BlobContent.Blob blob = content.blob(size, 5, 9);
        ByteArrayOutputStream whole = new ByteArrayOutputStream();
        content.copyTo(blob, 0, size, whole);
        ByteArrayOutputStream pieces = new ByteArrayOutputStream();
        long chunk = 300_001; // the last chunk ends inside the tail
        for (long from = 0; from < size; from += chunk) {
            HttpConnection.Body body = content.body(blob, from, Math.min(size, from + chunk));
            assertThat(body.length()).isEqualTo(Math.min(size, from + chunk) - from);
            body.writeTo(pieces);
        }
        assertThat(pieces.toByteArray()).isEqualTo(whole.toByteArray());
    }

    @Test
    void everySequenceNumberGivesOtherContent() {
        assertThat(content.blob(1000, 1, 1).digest()).isNotEqualTo(content.blob(1000, 1, 2).digest())
                .isNotEqualTo(content.blob(1000, 2, 1).digest());
        assertThat(content.blob(1000, 1, 1).digest()).isEqualTo(content.blob(1000, 1, 1).digest());
    }

    @Test
    void blobsSmallerThanTheirTailAndRangesOutsideAreRefused() {
        assertThatThrownBy(() -> content.blob(15, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        BlobContent.Blob blob = content.blob(100, 0, 0);
        assertThatThrownBy(() -> content.body(blob, 50, 101)).isInstanceOf(IllegalArgumentException.class);
    }

    private static String sha256(byte[] bytes) throws Exception {
        return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
