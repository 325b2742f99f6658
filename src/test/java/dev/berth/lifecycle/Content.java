package dev.berth.lifecycle;

import dev.berth.conformance.Descriptor;
import dev.berth.conformance.Manifest;
import dev.berth.conformance.MediaTypes;
import dev.berth.registry.IncomingChunk;
import dev.berth.registry.Namespace;
import dev.berth.registry.Registry;
import dev.berth.registry.RepositoryName;
import dev.berth.registry.StorageLayout;
import dev.berth.registry.UploadRecord;
import dev.berth.registry.digest.Digest;
import dev.berth.registry.digest.DigestAlgorithm;
import dev.berth.storage.ObjectStore;
import dev.berth.storage.PutCondition;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

/** Pushes test content through the registry domain, and damages it the way a failing store would. */
final class Content {
    static final Namespace NS = Namespace.DEFAULT;

    private final ObjectStore store;
    private final Registry registry;
    private final Random random = new Random(42);

    Content(ObjectStore store, Registry registry) {
        this.store = store;
        this.registry = registry;
    }

    /** An image pushed by {@link #pushImage}. */
    record Image(Descriptor config, Descriptor layer, Manifest manifest) {
        Digest layerDigest() {
            return Digest.parse(layer.digest());
        }

        Digest manifestDigest() {
            return Digest.parse(manifest.digest());
        }
    }

    /** Pushes a config, a layer of {@code layerSize} random bytes and a manifest over them, tagged {@code tag}. */
    Image pushImage(String repo, String tag, int layerSize) {
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"nonce\":" + random.nextLong() + "}")
                .getBytes(StandardCharsets.UTF_8);
        Descriptor configDescriptor = pushBlob(repo, MediaTypes.OCI_CONFIG, config);
        byte[] layer = new byte[layerSize];
        random.nextBytes(layer);
        Descriptor layerDescriptor = pushBlob(repo, MediaTypes.OCI_LAYER, layer);
        Manifest manifest = Manifest.ociImage(configDescriptor, List.of(layerDescriptor));
        registry.manifests().put(NS, new RepositoryName(repo), tag, manifest.bytes(), manifest.mediaType(), List.of());
        return new Image(configDescriptor, layerDescriptor, manifest);
    }

    /** Pushes {@code content} as a blob of {@code repo}. */
    Descriptor pushBlob(String repo, String mediaType, byte[] content) {
        RepositoryName name = new RepositoryName(repo);
        Digest digest = Digest.sha256(content);
        UploadRecord upload = registry.uploads().start(NS, name, DigestAlgorithm.SHA256);
        registry.uploads().complete(NS, name, upload.id(), digest,
                new IncomingChunk(new ByteArrayInputStream(content), content.length, null));
        return new Descriptor(mediaType, digest.toString(), content.length);
    }

    /** Replaces a blob's stored bytes with the same bytes but one flipped, as bit rot in the store would leave them. */
    void flipByte(Digest digest, int at) {
        String key = StorageLayout.blobData(NS, digest);
        byte[] bytes = store.read(key);
        bytes[at] ^= 0x01;
        store.put(key, bytes, PutCondition.always());
    }

    /** Removes a blob's bytes, leaving every link to it. */
    void loseBytes(Digest digest) {
        store.delete(StorageLayout.blobData(NS, digest));
    }
}
