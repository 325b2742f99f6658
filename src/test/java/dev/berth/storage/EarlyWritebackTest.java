package dev.berth.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Background flushes of a file being written never lose bytes, and a flush that fails fails the write. */
class EarlyWritebackTest {
    @TempDir
    Path dir;

    @Test
    void bytesWrittenWhileFlushesRunAreAllInTheFile() throws IOException {
        Path file = dir.resolve("data");
        byte[] piece = new byte[64 * 1024];
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            EarlyWriteback writeback = new EarlyWriteback(out, 128 * 1024);
            for (int i = 0; i < 100; i++) {
                java.util.Arrays.fill(piece, (byte) i);
                out.write(ByteBuffer.wrap(piece));
                writeback.written(piece.length);
            }
            writeback.awaitFlush();
            out.force(false);
        }
        byte[] stored = Files.readAllBytes(file);
        assertThat(stored).hasSize(100 * piece.length);
        for (int i = 0; i < 100; i++) {
            assertThat(stored[i * piece.length]).isEqualTo((byte) i);
            assertThat(stored[(i + 1) * piece.length - 1]).isEqualTo((byte) i);
        }
    }

    @Test
    void aFlushThatFailsIsReportedToTheWriter() throws IOException {
        Path file = dir.resolve("data");
        FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        EarlyWriteback writeback = new EarlyWriteback(out, 1);
        out.close(); // the flush started next finds the channel closed
        writeback.written(1);
        assertThatThrownBy(writeback::awaitFlush).isInstanceOf(ClosedChannelException.class);
    }

    @Test
    void nothingIsFlushedBeforeTheIntervalIsReached() throws IOException {
        Path file = dir.resolve("data");
        FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        EarlyWriteback writeback = new EarlyWriteback(out, 1024);
        out.close(); // a flush would fail on the closed channel, so none may start
        writeback.written(1023);
        writeback.awaitFlush();
    }
}
