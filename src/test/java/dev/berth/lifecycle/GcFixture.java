package dev.berth.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.config.BerthConfig;
import dev.berth.registry.Namespace;
import dev.berth.registry.Registry;
import dev.berth.registry.RepositoryName;
import dev.berth.registry.StorageLayout;
import dev.berth.registry.UploadRecord;
import dev.berth.registry.digest.Digest;
import dev.berth.registry.digest.DigestAlgorithm;
import dev.berth.registry.IncomingChunk;
import dev.berth.storage.ObjectInfo;
import dev.berth.storage.ObjectStore;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;

/** A registry on a clocked store, with helpers to push images, indexes and referrers and to run GC. */
final class GcFixture {
    static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    static final Duration GRACE = Duration.ofHours(1);
    static final Namespace NS = Namespace.DEFAULT;
    private static final ObjectMapper JSON = new ObjectMapper();

    final TestClock clock = new TestClock(Instant.parse("2030-01-01T00:00:00Z"));
    final ClockedStore store;
    final Registry registry;
    private final Random random = new Random(42);

    GcFixture(ObjectStore backend) {
        this(backend, true);
    }

    GcFixture(ObjectStore backend, boolean atomicConditionalPut) {
        this.store = new ClockedStore(backend, clock, atomicConditionalPut);
        this.registry = Registry.open(store, BerthConfig.defaults(), clock);
    }

    /** What one pushed manifest is. */
    record Pushed(Digest digest, String mediaType, long size, List<Digest> blobs) {}

    GcOptions options(boolean deleteUntagged) {
        return new GcOptions(GRACE, deleteUntagged, false, Duration.ofMinutes(5));
    }

    GcReport gc(boolean deleteUntagged) {
        return new GarbageCollector(store, clock).collect(NS, options(deleteUntagged), GcListener.NONE);
    }

    /** Moves time past the grace window (and the link slack). */
    void age() {
        clock.advance(Duration.ofHours(2));
    }

    byte[] bytes(int size) {
        byte[] b = new byte[size];
        random.nextBytes(b);
        return b;
    }

    Digest blob(String repo, byte[] content) {
        RepositoryName name = new RepositoryName(repo);
        Digest digest = Digest.sha256(content);
        UploadRecord record = registry.uploads().start(NS, name, DigestAlgorithm.SHA256);
        registry.uploads().complete(NS, name, record.id(), digest,
                new IncomingChunk(new ByteArrayInputStream(content), content.length, null));
        return digest;
    }

    /** An image of a fresh config and {@code layers} fresh layers, tagged {@code tag} (null: by digest). */
    Pushed image(String repo, String tag, int layers) {
        List<byte[]> contents = new ArrayList<>();
        for (int i = 0; i < layers; i++) {
            contents.add(bytes(100 + i));
        }
        return image(repo, tag, contents, null);
    }

    Pushed image(String repo, String tag, List<byte[]> layers, Pushed subject) {
        byte[] config = ("{\"seed\":" + random.nextLong() + "}").getBytes(StandardCharsets.UTF_8);
        ObjectNode m = JSON.createObjectNode();
        m.put("schemaVersion", 2);
        m.put("mediaType", OCI_MANIFEST);
        List<Digest> blobs = new ArrayList<>();
        Digest configDigest = blob(repo, config);
        blobs.add(configDigest);
        m.set("config", descriptor("application/vnd.oci.image.config.v1+json", configDigest, config.length));
        ArrayNode layerArray = m.putArray("layers");
        for (byte[] layer : layers) {
            Digest d = blob(repo, layer);
            blobs.add(d);
            layerArray.add(descriptor("application/vnd.oci.image.layer.v1.tar", d, layer.length));
        }
        if (subject != null) {
            m.put("artifactType", "application/vnd.example.sbom");
            m.set("subject", descriptor(subject.mediaType(), subject.digest(), subject.size()));
        }
        return put(repo, tag, m, OCI_MANIFEST, blobs);
    }

    Pushed index(String repo, String tag, List<Pushed> children) {
        ObjectNode m = JSON.createObjectNode();
        m.put("schemaVersion", 2);
        m.put("mediaType", OCI_INDEX);
        ArrayNode manifests = m.putArray("manifests");
        for (Pushed child : children) {
            manifests.add(descriptor(child.mediaType(), child.digest(), child.size()));
        }
        return put(repo, tag, m, OCI_INDEX, List.of());
    }

    private Pushed put(String repo, String tag, ObjectNode manifest, String mediaType, List<Digest> blobs) {
        byte[] body = manifest.toString().getBytes(StandardCharsets.UTF_8);
        Digest digest = Digest.sha256(body);
        registry.manifests().put(NS, new RepositoryName(repo), tag != null ? tag : digest.toString(), body, mediaType,
                List.of());
        return new Pushed(digest, mediaType, body.length, blobs);
    }

    private static ObjectNode descriptor(String mediaType, Digest digest, long size) {
        ObjectNode d = JSON.createObjectNode();
        d.put("mediaType", mediaType);
        d.put("digest", digest.toString());
        d.put("size", size);
        return d;
    }

    boolean hasData(Digest digest) {
        return store.stat(StorageLayout.blobData(NS, digest)).isPresent();
    }

    boolean hasRevision(String repo, Digest digest) {
        return store.stat(StorageLayout.manifestRevision(NS, new RepositoryName(repo), digest)).isPresent();
    }

    boolean hasLink(String repo, Digest digest) {
        return store.stat(StorageLayout.blobLink(NS, new RepositoryName(repo), digest)).isPresent();
    }

    /** Asserts that a pushed manifest, its data and every blob it names are there and hash to their digests. */
    void assertComplete(String repo, Pushed pushed) {
        assertThat(hasRevision(repo, pushed.digest())).as("revision of %s in %s", pushed.digest(), repo).isTrue();
        assertHashes(pushed.digest());
        for (Digest blob : pushed.blobs()) {
            assertThat(registry.blobs().stat(NS, new RepositoryName(repo), blob)).as("blob %s in %s", blob, repo)
                    .isPresent();
            assertHashes(blob);
        }
    }

    void assertHashes(Digest digest) {
        assertThat(hasData(digest)).as("data of %s", digest).isTrue();
        assertThat(Digest.sha256(store.read(StorageLayout.blobData(NS, digest)))).isEqualTo(digest);
    }

    /** Every key with its size, to compare the whole store before and after. */
    TreeMap<String, Long> snapshot() {
        TreeMap<String, Long> keys = new TreeMap<>();
        for (ObjectInfo info : store.listAll(NS.id() + "/", 1000)) {
            keys.put(info.key(), info.size());
        }
        return keys;
    }
}
