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
import java.io.RandomAccessFile;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code berth scrub} on a filesystem store: what it prints and the exit status it ends with. */
class ScrubCommandTest {
    private static final Namespace NS = Namespace.DEFAULT;

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int berth(String... args) {
        return Main.run(args, Map.of(), config -> {
            throw new AssertionError("scrub must not start a server");
        }, new PrintWriter(out), new PrintWriter(err));
    }

    @Test
    void aSoundStoreExitsZeroWithASummary() {
        push("app", new byte[] {1, 2, 3});

        assertThat(berth("scrub", "--storage", dir.toString())).isZero();

        assertThat(out.toString().lines()).singleElement().asString()
                .matches("namespace default: sound: 1 blobs checked, 3 bytes hashed, 0 manifests checked, 0 corrupt,"
                        + " 0 missing, 0 invalid, 0 quarantined, in [0-9.]+s");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void aCorruptBlobIsReportedWithExitOneAndOnlyQuarantinedWhenAsked() throws IOException {
        Digest digest = push("app", "some layer bytes".getBytes());
        Path file = dir.resolve(StorageLayout.blobData(NS, digest));
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(5);
            f.write('X');
        }

        assertThat(berth("scrub", "--storage", dir.toString())).isEqualTo(1);
        assertThat(out.toString().lines()).hasSize(2).first().asString()
                .startsWith("namespace default: corrupt blob " + digest + ": its 16 bytes hash to sha256:");
        assertThat(out.toString()).contains("NOT sound: 1 blobs checked, 16 bytes hashed").contains("1 corrupt");
        assertThat(file).exists();

        out.getBuffer().setLength(0);
        assertThat(berth("scrub", "--quarantine", "--storage", dir.toString())).isEqualTo(1);
        assertThat(out.toString()).contains("quarantined to default/quarantine/sha256/" + digest.hex())
                .contains("1 quarantined");
        assertThat(file).doesNotExist();

        // What stays is a repository link without bytes, until the blob is pushed again.
        out.getBuffer().setLength(0);
        assertThat(berth("scrub", "--storage", dir.toString())).isEqualTo(1);
        assertThat(out.toString().lines().findFirst()).contains(
                "namespace default: missing blob " + digest + " in app: linked, but its bytes are missing");
        push("app", "some layer bytes".getBytes());
        assertThat(berth("scrub", "--storage", dir.toString())).isZero();
    }

    @Test
    void everyConfiguredNamespaceIsScrubbedUnlessOneIsNamed() throws IOException {
        Namespace teamA = new Namespace("team-a");
        Digest digest = push(teamA, "app", "team-a's layer".getBytes());
        try (RandomAccessFile f = new RandomAccessFile(dir.resolve(StorageLayout.blobData(teamA, digest)).toFile(),
                "rw")) {
            f.seek(2);
            f.write('X');
        }
        push("app", "the default's layer".getBytes());
        Path config = Files.writeString(dir.resolveSibling(dir.getFileName() + ".yaml"),
                "namespaces: [{name: team-a, hosts: [a.example.com]}]\n");

        assertThat(berth("scrub", "--config", config.toString(), "--storage", dir.toString())).isEqualTo(1);
        assertThat(out.toString()).contains("namespace team-a: corrupt blob " + digest)
                .contains("namespace team-a: NOT sound: 1 blobs checked")
                .contains("namespace default: sound: 1 blobs checked");

        out.getBuffer().setLength(0);
        assertThat(berth("scrub", "--config", config.toString(), "--storage", dir.toString(),
                "--namespace", "default")).isZero();
        assertThat(out.toString()).doesNotContain("team-a");
    }

    @Test
    void aConfigurationErrorIsAUsageError() throws IOException {
        Path config = Files.writeString(dir.resolve("berth.yaml"), "verify-on-read: {policy: sometimes}\n");

        assertThat(berth("scrub", "--config", config.toString())).isEqualTo(Main.EXIT_USAGE);
        assertThat(err.toString()).contains("verify-on-read.policy");
    }

    @Test
    void helpNamesTheQuarantineOptionAndTheSharedOptions() {
        assertThat(berth("scrub", "--help")).isZero();
        assertThat(out.toString()).contains("--quarantine").contains("--config").contains("--storage");
    }

    private Digest push(String repo, byte[] content) {
        return push(NS, repo, content);
    }

    private Digest push(Namespace ns, String repo, byte[] content) {
        FilesystemStore store = new FilesystemStore(dir);
        Registry registry = Registry.open(store, BerthConfig.defaults(), Clock.systemUTC());
        Digest digest = Digest.sha256(content);
        UploadRecord upload = registry.uploads().start(ns, new RepositoryName(repo), DigestAlgorithm.SHA256);
        registry.uploads().complete(ns, new RepositoryName(repo), upload.id(), digest,
                new IncomingChunk(new ByteArrayInputStream(content), content.length, null));
        return digest;
    }
}
