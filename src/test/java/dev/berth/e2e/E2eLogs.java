package dev.berth.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/** Where the end-to-end tests keep registry logs and client output: one directory per test JVM under target/e2e-logs. */
final class E2eLogs {
    // One directory per run, so the numbered files of an earlier run are never mistaken for this one's.
    private static final Path DIR = Path.of("target", "e2e-logs",
            LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + "-" + ProcessHandle.current().pid())
            .toAbsolutePath();

    private E2eLogs() {
    }

    static Path dir() {
        try {
            return Files.createDirectories(DIR);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
