package dev.berth.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.BerthServer;
import dev.berth.config.BerthConfig;
import dev.berth.config.BerthConfig.VerifyOnRead;
import dev.berth.config.BerthConfig.VerifyPolicy;
import dev.berth.conformance.Client;
import dev.berth.conformance.Descriptor;
import dev.berth.conformance.Digests;
import dev.berth.conformance.Expect;
import dev.berth.conformance.Http;
import dev.berth.conformance.Manifest;
import dev.berth.conformance.MediaTypes;
import dev.berth.registry.LogCapture;
import dev.berth.registry.Namespace;
import dev.berth.registry.Quarantine;
import dev.berth.registry.StorageLayout;
import dev.berth.registry.digest.Digest;
import dev.berth.storage.FilesystemStore;
import dev.berth.storage.ObjectStore;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The closing test of scrub and verify on read, over HTTP against Berth on the filesystem: one byte of a stored
 * blob is flipped in its file on disk, as bit rot would; scrub reports it; a GET refuses to complete it (under
 * {@code always}, and on the first read under {@code sample}) and quarantines it; a re-push of the blob heals it.
 */
class FlippedByteTest {
    private static final Namespace NS = Namespace.DEFAULT;
    /** Several of the HTTP layer's 4 MiB views, so the client receives most of the body before the refusal. */
    private static final int LAYER_SIZE = 9_000_000;
    private static final String REPO = "library/rot";

    @TempDir
    Path root;

    @ParameterizedTest
    @EnumSource(value = VerifyPolicy.class, names = {"ALWAYS", "SAMPLE"})
    void aFlippedByteIsReportedRefusedQuarantinedAndHealedByARePush(VerifyPolicy policy) throws Exception {
        try (BerthServer server = start(policy)) {
            Http http = new Http(server.uri());
            Client client = new Client(http);
            byte[] layer = Digests.randomBytes(LAYER_SIZE);
            Descriptor config = client.pushBlob(REPO, MediaTypes.OCI_CONFIG, Client.configJson());
            Descriptor pushed = client.pushBlob(REPO, MediaTypes.OCI_LAYER, layer);
            Manifest manifest = client.pushManifest(REPO, "v1", Manifest.ociImage(config, List.of(pushed)));
            Digest digest = Digest.parse(pushed.digest());

            flipByteOnDisk(digest, 1_234_567);

            // Scrub reports it, and only reports it.
            List<ScrubFinding> findings = new ArrayList<>();
            ScrubReport report = scrubber().scrub(NS, false, findings::add);
            assertThat(report.sound()).isFalse();
            assertThat(report.corrupt()).isEqualTo(1);
            assertThat(findings).extracting(ScrubFinding::line).singleElement().asString()
                    .startsWith("corrupt blob " + digest + ": its " + LAYER_SIZE + " bytes hash to sha256:");
            Expect.status(http.head("/v2/" + REPO + "/blobs/" + digest), 200);

            // The first read (under sample) or any read (under always) is refused: java.net.http checks the body
            // against Content-Length, so a response cut short is an error, never a body.
            try (LogCapture logs = new LogCapture()) {
                assertThatThrownBy(() -> http.get("/v2/" + REPO + "/blobs/" + digest))
                        .isInstanceOf(UncheckedIOException.class);
                assertThat(logs.mentioning("quarantined")).anySatisfy(line -> assertThat(line).contains(digest.toString()));
            }

            // Quarantined: unknown to reads, and to manifests that reference it.
            Expect.status(http.head("/v2/" + REPO + "/blobs/" + digest), 404);
            Expect.status(client.putManifest(REPO, "v2", manifest), 400);
            assertThat(quarantinedFiles(digest)).containsExactlyInAnyOrder("data", "record");

            // A re-push of the same blob publishes it again, and reads are whole and right.
            client.pushBlob(REPO, MediaTypes.OCI_LAYER, layer);
            Http.Response get = Expect.status(http.get("/v2/" + REPO + "/blobs/" + digest), 200);
            assertThat(get.body()).isEqualTo(layer);
            Expect.body(Expect.status(http.get("/v2/" + REPO + "/blobs/" + digest), 200), layer);
            Expect.status(client.putManifest(REPO, "v2", manifest), 201);
            assertThat(scrubber().scrub(NS, false, findings::add).sound()).isTrue();
        }
    }

    @Test
    void curlSeesARefusedCorruptBlobAsAnIncompleteTransfer() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/curl")), "curl is not installed");
        try (BerthServer server = start(VerifyPolicy.ALWAYS)) {
            Http http = new Http(server.uri());
            Descriptor pushed = new Client(http).pushBlob(REPO, MediaTypes.OCI_LAYER, Digests.randomBytes(LAYER_SIZE));
            Digest digest = Digest.parse(pushed.digest());
            flipByteOnDisk(digest, LAYER_SIZE - 1);

            Process curl = new ProcessBuilder("/usr/bin/curl", "-sS", "-o", "/dev/null", "-w", "%{http_code} %{size_download}",
                    http.resolve("/v2/" + REPO + "/blobs/" + digest).toString())
                    .redirectErrorStream(true)
                    .start();
            assertThat(curl.waitFor(30, TimeUnit.SECONDS)).as("curl finished").isTrue();
            String output = new String(curl.getInputStream().readAllBytes());

            // 18: "partial file", the transfer ended before Content-Length bytes arrived.
            assertThat(curl.exitValue()).as("curl's exit code; it printed: " + output).isEqualTo(18);
        }
    }

    @Test
    void aCorruptBlobWithinOneViewIsAnsweredWithAnErrorInsteadOfAnyOfItsBytes() throws Exception {
        try (BerthServer server = start(VerifyPolicy.ALWAYS)) {
            Http http = new Http(server.uri());
            Descriptor pushed = new Client(http).pushBlob(REPO, MediaTypes.OCI_LAYER, Digests.randomBytes(1_000_000));
            Digest digest = Digest.parse(pushed.digest());
            flipByteOnDisk(digest, 999_999);

            try (LogCapture logs = new LogCapture()) {
                Http.Response get = Expect.status(http.get("/v2/" + REPO + "/blobs/" + digest), 500);
                assertThat(get.header("Content-Type")).startsWith("application/json");
                assertThat(get.text()).contains("\"UNKNOWN\"", "the stored bytes of " + digest + " failed verification");
                assertThat(get.header("Docker-Content-Digest")).as("the blob's headers are gone with its bytes").isNull();
                assertThat(logs.mentioning("quarantined")).anySatisfy(line -> assertThat(line).contains(digest.toString()));
            }
            Expect.status(http.head("/v2/" + REPO + "/blobs/" + digest), 404);
        }
    }

    @Test
    void withVerificationOffTheStoreIsServedAsItIsAndOnlyScrubFindsTheDamage() throws Exception {
        try (BerthServer server = start(VerifyPolicy.OFF)) {
            Http http = new Http(server.uri());
            byte[] layer = Digests.randomBytes(LAYER_SIZE);
            Descriptor pushed = new Client(http).pushBlob(REPO, MediaTypes.OCI_LAYER, layer);
            Digest digest = Digest.parse(pushed.digest());
            flipByteOnDisk(digest, 10);

            Http.Response get = Expect.status(http.get("/v2/" + REPO + "/blobs/" + digest), 200);

            assertThat(get.body()).hasSize(LAYER_SIZE).isNotEqualTo(layer);
            assertThat(scrubber().scrub(NS, true, finding -> { }).quarantined()).isEqualTo(1);
            Expect.status(http.head("/v2/" + REPO + "/blobs/" + digest), 404);
        }
    }

    private BerthServer start(VerifyPolicy policy) throws Exception {
        return BerthServer.start(BerthConfig.defaults()
                .withListen("127.0.0.1:0")
                .withStorage(new BerthConfig.Storage(BerthConfig.StorageDriver.FILESYSTEM, new BerthConfig.Filesystem(root)))
                .withVerifyOnRead(new VerifyOnRead(policy, 0)));
    }

    /** A scrubber of its own over the same directory, as {@code berth scrub} would be beside a running server. */
    private Scrubber scrubber() {
        ObjectStore store = new FilesystemStore(root);
        return new Scrubber(store, new Quarantine(store, Clock.systemUTC()), BerthConfig.SparseIndexPolicy.REJECT,
                4 << 20);
    }

    /** Flips one bit of the blob's file in place, leaving its size, and the CRC32C recorded beside it, unchanged. */
    private void flipByteOnDisk(Digest digest, long at) throws IOException {
        Path file = root.resolve(StorageLayout.blobData(NS, digest));
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(at);
            int b = f.read();
            f.seek(at);
            f.write(b ^ 0x01);
        }
    }

    private List<String> quarantinedFiles(Digest digest) throws IOException {
        Path dir = root.resolve(StorageLayout.quarantined(NS, digest, "x")).getParent().getParent();
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).toList();
        }
    }
}
