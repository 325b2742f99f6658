package dev.berth.lifecycle;

import static dev.berth.lifecycle.Content.NS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.config.BerthConfig;
import dev.berth.config.BerthConfig.SparseIndexPolicy;
import dev.berth.lifecycle.ScrubFinding.Kind;
import dev.berth.registry.Quarantine;
import dev.berth.registry.Registry;
import dev.berth.registry.RepositoryName;
import dev.berth.registry.StorageLayout;
import dev.berth.registry.digest.Digest;
import dev.berth.registry.digest.DigestAlgorithm;
import dev.berth.storage.ObjectInfo;
import dev.berth.storage.CheckedStore;
import dev.berth.storage.ObjectStore;
import dev.berth.storage.PutCondition;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Scrub on every backend (memory, filesystem, Swift, S3): a sound registry passes, and each kind of damage is reported and, when asked, quarantined. */
class ScrubberTest {
    private ObjectStore store;
    private Registry registry;
    private Content content;
    private Scrubber scrubber;
    private final List<ScrubFinding> findings = new ArrayList<>();

    private ObjectStore backend;

    private void open(Backends kind) {
        backend = kind.open();
        store = CheckedStore.of(backend);
        registry = Registry.open(store, BerthConfig.defaults(), Clock.systemUTC());
        content = new Content(store, registry);
        scrubber = new Scrubber(store, new Quarantine(store, Clock.systemUTC()), SparseIndexPolicy.REJECT, 4 << 20);
    }

    @AfterEach
    void close() throws Exception {
        if (backend instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }

    private ScrubReport scrub(boolean quarantine) {
        findings.clear();
        return scrubber.scrub(NS, quarantine, findings::add);
    }

    @ParameterizedTest
    @EnumSource(Backends.class)
    void aSoundRegistryIsReportedSound(Backends backend) {
        open(backend);
        Content.Image a = content.pushImage("app/one", "v1", 5_000);
        content.pushImage("app/two", "latest", 7_000);

        ScrubReport report = scrub(false);

        assertThat(findings).isEmpty();
        assertThat(report.sound()).isTrue();
        // Two images: two configs, two layers and two manifests, all stored as blobs.
        assertThat(report.blobs()).isEqualTo(6);
        assertThat(report.manifests()).isEqualTo(2);
        assertThat(report.bytes()).isGreaterThan(12_000);
        assertThat(report.summary()).startsWith("sound: 6 blobs checked");
        assertThat(a.layerDigest()).isNotNull();
    }

    @ParameterizedTest
    @EnumSource(Backends.class)
    void flippedByteMissingBlobAndMissingReferenceAreEachReported(Backends backend) {
        open(backend);
        Content.Image flipped = content.pushImage("app/flipped", "v1", 5_000);
        Content.Image lost = content.pushImage("app/lost", "v1", 5_000);
        Content.Image unlinked = content.pushImage("app/unlinked", "v1", 5_000);
        content.flipByte(flipped.layerDigest(), 1234);
        content.loseBytes(lost.layerDigest());
        store.delete(StorageLayout.blobLink(NS, new RepositoryName("app/unlinked"), unlinked.layerDigest()));

        ScrubReport report = scrub(false);

        assertThat(report.sound()).isFalse();
        assertThat(report.corrupt()).isEqualTo(1);
        assertThat(report.quarantined()).isZero();
        assertThat(lines(Kind.CORRUPT)).singleElement().asString()
                .startsWith("corrupt blob " + flipped.layerDigest() + ": its 5000 bytes hash to sha256:");
        assertThat(lines(Kind.MISSING)).containsExactlyInAnyOrder(
                "missing blob " + lost.layerDigest() + " in app/lost: linked, but its bytes are missing",
                "missing manifest " + lost.manifestDigest() + " in app/lost: it references blob "
                        + lost.layerDigest() + ", whose bytes are missing",
                "missing manifest " + unlinked.manifestDigest() + " in app/unlinked: it references blob "
                        + unlinked.layerDigest() + ", which app/unlinked does not hold");
        assertThat(report.missing()).isEqualTo(3);
        // Reporting changes nothing: the corrupt blob is still in place.
        assertThat(registry.blobs().stat(NS, new RepositoryName("app/flipped"), flipped.layerDigest())).isPresent();
    }

    @ParameterizedTest
    @EnumSource(Backends.class)
    void quarantineMovesACorruptBlobOutOfServiceAndARePushHealsIt(Backends backend) {
        open(backend);
        RepositoryName repo = new RepositoryName("app/heal");
        Content.Image image = content.pushImage(repo.value(), "v1", 50_000);
        byte[] good = store.read(StorageLayout.blobData(NS, image.layerDigest()));
        content.flipByte(image.layerDigest(), 49_999);

        ScrubReport report = scrub(true);

        assertThat(report.corrupt()).isEqualTo(1);
        assertThat(report.quarantined()).isEqualTo(1);
        assertThat(lines(Kind.CORRUPT)).singleElement().asString()
                .contains("quarantined to " + StorageLayout.quarantinePrefix(NS) + "sha256/" + image.layerDigest().hex());
        assertThat(registry.blobs().stat(NS, repo, image.layerDigest())).as("served no more").isEmpty();
        List<ObjectInfo> quarantined = list(StorageLayout.quarantinePrefix(NS));
        assertThat(quarantined).extracting(info -> info.key().replaceAll(".*/", "")).containsExactly("data", "record");
        String record = new String(store.read(quarantined.get(1).key()), StandardCharsets.UTF_8);
        assertThat(record).contains(image.layerDigest().toString()).contains("scrub: its 50000 bytes hash to");

        // Until it is pushed again, the repository lacks it.
        assertThat(scrub(false).sound()).isFalse();
        assertThat(lines(Kind.MISSING)).hasSize(2);

        content.pushBlob(repo.value(), image.layer().mediaType(), good);
        assertThat(registry.blobs().stat(NS, repo, image.layerDigest())).isPresent();
        assertThat(scrub(false).sound()).as("after the re-push: " + findings).isTrue();
    }

    @ParameterizedTest
    @EnumSource(value = Backends.class, names = {"MEMORY", "FILESYSTEM"})
    void manifestsThatDoNotParseAndTagsToNowhereAreReported(Backends backend) {
        open(backend);
        RepositoryName repo = new RepositoryName("app/odd");
        content.pushImage(repo.value(), "v1", 1_000);
        byte[] garbage = "{\"schemaVersion\": 2, \"mediaType\": \"application/vnd.oci.image.manifest.v1+json\"}"
                .getBytes(StandardCharsets.UTF_8);
        Digest garbageDigest = Digest.of(DigestAlgorithm.SHA256, garbage);
        store.put(StorageLayout.blobData(NS, garbageDigest), garbage, PutCondition.always());
        store.put(StorageLayout.manifestRevision(NS, repo, garbageDigest),
                "{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\"}".getBytes(StandardCharsets.UTF_8),
                PutCondition.always());
        Digest nowhere = Digest.sha256("nothing".getBytes(StandardCharsets.UTF_8));
        store.put(StorageLayout.tag(NS, repo, new dev.berth.registry.Tag("dangling")),
                nowhere.toString().getBytes(StandardCharsets.US_ASCII), PutCondition.always());

        ScrubReport report = scrub(false);

        assertThat(report.invalid()).isEqualTo(1);
        assertThat(lines(Kind.INVALID)).singleElement().asString()
                .startsWith("invalid manifest " + garbageDigest + " in app/odd: it does not parse: config is required");
        assertThat(lines(Kind.MISSING)).containsExactly(
                "missing tag app/odd:dangling: it points to " + nowhere + ", which app/odd does not hold");
        assertThat(report.corrupt()).isZero();
    }

    private List<String> lines(Kind kind) {
        return findings.stream().filter(f -> f.kind() == kind).map(ScrubFinding::line).toList();
    }

    private List<ObjectInfo> list(String prefix) {
        List<ObjectInfo> result = new ArrayList<>();
        store.listAll(prefix, 100).forEach(result::add);
        return result;
    }
}
