package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.config.BerthConfig;
import dev.berth.registry.IncomingChunk;
import dev.berth.registry.Namespace;
import dev.berth.registry.Registry;
import dev.berth.registry.RepositoryName;
import dev.berth.registry.StorageLayout;
import dev.berth.registry.UploadRecord;
import dev.berth.registry.digest.Digest;
import dev.berth.registry.digest.DigestAlgorithm;
import dev.berth.storage.FilesystemStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code berth gc} on a filesystem store: the dry run lists with sizes and deletes nothing; a real run frees. */
class GcCommandTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int berth(String... args) {
        return Main.run(args, Map.of(), config -> 0, new PrintWriter(out), new PrintWriter(err));
    }

    private Digest orphanBlob(int size) {
        return orphanBlob(Namespace.DEFAULT, size);
    }

    private Digest orphanBlob(Namespace ns, int size) {
        Registry registry = Registry.open(new FilesystemStore(dir), BerthConfig.defaults(), Clock.systemUTC());
        RepositoryName repo = new RepositoryName("app");
        byte[] content = new byte[size];
        content[0] = 7;
        Digest digest = Digest.sha256(content);
        UploadRecord upload = registry.uploads().start(ns, repo, DigestAlgorithm.SHA256);
        registry.uploads().complete(ns, repo, upload.id(), digest,
                new IncomingChunk(new ByteArrayInputStream(content), size, null));
        registry.blobs().unlink(ns, repo, digest);
        return digest;
    }

    /** Sets every file's modification time back, as if it had been written {@code by} ago. */
    private void age(Duration by) throws IOException {
        FileTime then = FileTime.from(Instant.now().minus(by));
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                Files.setLastModifiedTime(p, then);
            }
        }
    }

    private List<Path> files() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).sorted().toList();
        }
    }

    @Test
    void dryRunListsWhatWouldGoWithSizesAndDeletesNothing() throws IOException {
        Digest orphan = orphanBlob(12345);
        age(Duration.ofHours(3));
        List<Path> before = files();

        int code = berth("gc", "--dry-run", "--storage", dir.toString());

        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString())
                .contains("would delete blob")
                .containsPattern("would delete blob +12345  " + StorageLayout.blobData(Namespace.DEFAULT, orphan))
                .containsPattern("gc \\(dry run\\): scanned \\d+ objects, would delete \\d+, would free 12.1 KiB in");
        assertThat(files()).isEqualTo(before);
    }

    @Test
    void expiredUploadsAreListedByADryRunAndRemovedByARealRun() throws IOException {
        Registry registry = Registry.open(new FilesystemStore(dir), BerthConfig.defaults(), Clock.systemUTC());
        UploadRecord upload = registry.uploads().start(Namespace.DEFAULT, new RepositoryName("app"),
                DigestAlgorithm.SHA256);
        age(Duration.ofHours(25));
        Path record = dir.resolve(StorageLayout.uploadRecord(Namespace.DEFAULT, upload.id()));

        assertThat(berth("gc", "--dry-run", "--storage", dir.toString())).as(err.toString()).isZero();
        assertThat(out.toString()).contains("would expire upload " + upload.id());
        assertThat(Files.exists(record)).isTrue();

        assertThat(berth("gc", "--storage", dir.toString())).as(err.toString()).isZero();
        assertThat(out.toString()).contains("expire upload " + upload.id());
        assertThat(Files.exists(record)).isFalse();
    }

    @Test
    void aRealRunDeletesAndSummarises() throws IOException {
        Digest orphan = orphanBlob(2048);
        age(Duration.ofHours(3));

        int code = berth("gc", "--storage", dir.toString());

        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).containsPattern("gc: scanned \\d+ objects, deleted \\d+, freed 2.0 KiB in");
        assertThat(Files.exists(dir.resolve(StorageLayout.blobData(Namespace.DEFAULT, orphan)))).isFalse();
    }

    @Test
    void theGraceWindowComesFromTheCommandLine() throws IOException {
        orphanBlob(100);
        age(Duration.ofHours(3));

        int code = berth("gc", "--dry-run", "--grace", "4h", "--storage", dir.toString());

        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).doesNotContain("would delete blob").contains("would delete 0,");
    }

    @Test
    void aMalformedGraceIsAUsageError() {
        assertThat(berth("gc", "--grace", "soon", "--storage", dir.toString())).isEqualTo(Main.EXIT_USAGE);
        assertThat(err.toString()).contains("not a duration");
    }

    @Test
    void everyConfiguredNamespaceIsCollectedUnlessOneIsNamed() throws IOException {
        Namespace teamA = new Namespace("team-a");
        Digest inDefault = orphanBlob(Namespace.DEFAULT, 300);
        Digest inTeamA = orphanBlob(teamA, 400);
        age(Duration.ofHours(3));
        Path config = Files.writeString(dir.resolveSibling(dir.getFileName() + ".yaml"),
                "namespaces: [{name: team-a, prefix: team-a}]\n");

        assertThat(berth("gc", "--config", config.toString(), "--storage", dir.toString(), "--namespace", "team-a"))
                .as(err.toString()).isZero();
        assertThat(out.toString()).contains("namespace team-a: gc: scanned").doesNotContain("namespace default");
        assertThat(Files.exists(dir.resolve(StorageLayout.blobData(teamA, inTeamA)))).isFalse();
        assertThat(Files.exists(dir.resolve(StorageLayout.blobData(Namespace.DEFAULT, inDefault)))).isTrue();

        assertThat(berth("gc", "--config", config.toString(), "--storage", dir.toString())).as(err.toString())
                .isZero();
        assertThat(out.toString()).contains("namespace default: gc: scanned");
        assertThat(Files.exists(dir.resolve(StorageLayout.blobData(Namespace.DEFAULT, inDefault)))).isFalse();
    }

    @Test
    void aNamespaceTheConfigurationLacksIsAUsageError() {
        assertThat(berth("gc", "--storage", dir.toString(), "--namespace", "team-a")).isEqualTo(Main.EXIT_USAGE);
        assertThat(err.toString()).contains("no namespace 'team-a'", "default");
    }
}
