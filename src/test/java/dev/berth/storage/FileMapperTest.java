package dev.berth.storage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;
import org.junit.jupiter.api.io.TempDir;

/** Views over mapped files (JDK 22 and later; Java 21 copies instead, so those tests are reported as skipped there). */
class FileMapperTest {
    private static final int WINDOW = 4 * 1024 * 1024;

    @TempDir
    Path dir;

    @Test
    void theForeignMemoryApiGivesAMapperFromJava22On() {
        assertThat(FileMapper.ofThisJdk().isPresent()).as("a mapper on Java %s", Runtime.version())
                .isEqualTo(Runtime.version().feature() >= 22);
    }

    @Test
    @EnabledForJreRange(min = JRE.JAVA_22)
    void aClosedViewIsUnmappedOnceItsGenerationIsIdle() throws Exception {
        FileMapper mapper = mapper(Duration.ofMillis(50));
        try (FileChannel channel = fileOf("hello")) {
            ViewReadable.View view = mapper.map(channel, 0, 5);
            assertThat(UTF_8.decode(view.bytes().duplicate()).toString()).isEqualTo("hello");
            view.close();

            awaitUnmapped(view);
        }
    }

    @Test
    @EnabledForJreRange(min = JRE.JAVA_22)
    void anIdleCheckLeavesAGenerationThatIsLeasedAgainMapped() throws Exception {
        FileMapper mapper = mapper(Duration.ofMillis(300));
        try (FileChannel channel = fileOf("hello")) {
            mapper.map(channel, 0, 5).close(); // asks for an idle check
            try (ViewReadable.View again = mapper.map(channel, 0, 5)) {
                Thread.sleep(900); // the check has run: the generation was leased again when it did
                assertThat(again.bytes().get(0)).isEqualTo((byte) 'h');
            }
        }
    }

    @Test
    @EnabledForJreRange(min = JRE.JAVA_22)
    void aFullGenerationIsUnmappedWhenItsLastViewClosesWhileTheNextStaysMapped() throws Exception {
        FileMapper mapper = mapper(Duration.ofHours(1)); // no idle check in this test
        Path file = dir.resolve("large");
        try (RandomAccessFile sparse = new RandomAccessFile(file.toFile(), "rw")) {
            sparse.setLength(FileMapper.GENERATION_BYTES + WINDOW);
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            List<ViewReadable.View> full = new ArrayList<>();
            for (long at = 0; at < FileMapper.GENERATION_BYTES; at += WINDOW) {
                full.add(mapper.map(channel, at, WINDOW));
            }
            ViewReadable.View next = mapper.map(channel, FileMapper.GENERATION_BYTES, WINDOW);

            full.subList(1, full.size()).forEach(ViewReadable.View::close);
            assertThat(full.get(0).bytes().get(0)).as("mapped while one of its generation is open").isZero();
            full.get(0).close();

            assertThatThrownBy(() -> full.get(0).bytes().get(0)).isInstanceOf(IllegalStateException.class);
            assertThat(next.bytes().get(WINDOW - 1)).isZero();
            next.close();
        }
    }

    private FileMapper mapper(Duration idleDelay) {
        return FileMapper.ofThisJdk(idleDelay)
                .orElseThrow(() -> new AssertionError("no mapper on Java " + Runtime.version()));
    }

    private FileChannel fileOf(String text) throws IOException {
        Path file = Files.writeString(dir.resolve("small"), text);
        return FileChannel.open(file, StandardOpenOption.READ);
    }

    /** Waits up to 5 s for the view's bytes to be unmapped, which the JDK reports instead of faulting. */
    static void awaitUnmapped(ViewReadable.View view) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (true) {
            try {
                view.bytes().get(0);
            } catch (IllegalStateException unmapped) {
                return;
            }
            assertThat(System.nanoTime()).as("unmapped within 5 s").isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}
