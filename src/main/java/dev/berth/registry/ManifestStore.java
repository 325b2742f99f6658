package dev.berth.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.config.BerthConfig.SparseIndexPolicy;
import dev.berth.registry.digest.Digest;
import dev.berth.registry.digest.DigestAlgorithm;
import dev.berth.registry.digest.InvalidDigestException;
import dev.berth.storage.KeyPage;
import dev.berth.storage.ObjectInfo;
import dev.berth.storage.ObjectNotFoundException;
import dev.berth.storage.ObjectStore;
import dev.berth.storage.PreconditionFailedException;
import dev.berth.storage.PutCondition;
import dev.berth.storage.StorageException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Manifests, tags and referrers of repositories. A manifest's bytes are stored as a blob, exactly as pushed;
 * a revision link makes it visible in a repository and records the media type it is served with; a tag object
 * holds one digest; a referrer entry under the subject's digest holds the descriptor a referrers listing shows.
 */
public final class ManifestStore {
    private static final Logger log = LoggerFactory.getLogger(ManifestStore.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ObjectStore store;
    private final BlobStore blobs;
    private final Catalog catalog;
    private final ManifestValidator validator;
    private final long maxSize;
    private final SparseIndexPolicy sparseIndexPolicy;
    private final ManifestCache cache;
    private final VersionCheckedReads<Digest> tagTargets;
    private final VersionCheckedReads<String> linkedMediaTypes;
    private final LongAdder corruptReads = new LongAdder();

    public ManifestStore(ObjectStore store, BlobStore blobs, Catalog catalog, long maxSize,
            SparseIndexPolicy sparseIndexPolicy, ManifestCache cache) {
        this.store = store;
        this.blobs = blobs;
        this.catalog = catalog;
        this.validator = new ManifestValidator();
        this.maxSize = maxSize;
        this.sparseIndexPolicy = sparseIndexPolicy;
        this.cache = cache;
        this.tagTargets = new VersionCheckedReads<>(store, ManifestStore::tagTarget, 100_000);
        this.linkedMediaTypes = new VersionCheckedReads<>(store, ManifestStore::linkedMediaType, 100_000);
    }

    /** How many manifest reads returned bytes that do not hash to the manifest's digest. */
    public long corruptReads() {
        return corruptReads.sum();
    }

    /** The largest manifest accepted, in bytes. */
    public long maxSize() {
        return maxSize;
    }

    /**
     * Stores a manifest under a tag or digest {@code reference}, then tags it with {@code reference} (when a tag)
     * and every one of {@code extraTags}. Everything is checked before anything is written.
     */
    public PutResult put(Namespace ns, RepositoryName repo, String reference, byte[] body, String contentType,
            List<String> extraTags) {
        if (body.length > maxSize) {
            throw RegistryException.withStatus(413, ErrorCode.MANIFEST_INVALID,
                    "manifest is larger than the limit of " + maxSize + " bytes");
        }
        LinkedHashSet<Tag> tags = new LinkedHashSet<>();
        Digest digest;
        if (Digest.looksLikeDigest(reference)) {
            Digest claimed = parseDigest(reference);
            digest = Digest.of(claimed.algorithm(), body);
            if (!digest.equals(claimed)) {
                throw new RegistryException(ErrorCode.DIGEST_INVALID,
                        "manifest digest does not match the reference", Map.of("expected", claimed.toString(),
                                "actual", digest.toString()));
            }
        } else {
            tags.add(new Tag(reference));
            digest = Digest.of(DigestAlgorithm.SHA256, body);
        }
        for (String t : extraTags) {
            tags.add(new Tag(t));
        }
        ParsedManifest manifest = validator.validate(body, contentType);
        // The holder first, then the checks: garbage collection keeps whatever a young holder names (BlobStore).
        blobs.claim(ns, repo, digest);
        checkReferences(ns, repo, manifest);

        String data = StorageLayout.blobData(ns, digest);
        Optional<ObjectInfo> existing = store.stat(data);
        if (existing.isEmpty() || existing.get().size() != body.length) {
            try {
                store.put(data, body, existing.isEmpty() ? PutCondition.ifAbsent() : PutCondition.always());
            } catch (PreconditionFailedException samePushedConcurrently) {
                // content-addressed: whoever won wrote these same bytes
            }
        }
        catalog.register(ns, repo);
        store.put(StorageLayout.manifestRevision(ns, repo, digest), revisionLink(manifest.mediaType()),
                PutCondition.always());
        if (manifest.subject() != null) {
            store.put(StorageLayout.referrer(ns, repo, manifest.subject().digest(), digest),
                    referrerDescriptor(manifest, digest, body.length), PutCondition.always());
        }
        byte[] target = digest.toString().getBytes(StandardCharsets.US_ASCII);
        for (Tag tag : tags) {
            store.put(StorageLayout.tag(ns, repo, tag), target, PutCondition.always());
        }
        return new PutResult(digest, List.copyOf(tags), manifest.subject() == null ? null : manifest.subject().digest(),
                manifest.mediaType());
    }

    /** The outcome of a manifest push: its digest, the tags set, its subject (null when none) and media type. */
    public record PutResult(Digest digest, List<Tag> tags, Digest subject, String mediaType) {}

    /** A manifest's metadata by tag or digest, without its bytes; {@code MANIFEST_UNKNOWN} when absent. */
    public ManifestInfo stat(Namespace ns, RepositoryName repo, String reference) {
        Digest digest = resolve(ns, repo, reference);
        String mediaType = mediaType(ns, repo, digest).orElseThrow(() -> unknown(reference));
        Optional<byte[]> cached = cache.get(ns, digest);
        if (cached.isPresent()) {
            return new ManifestInfo(digest, mediaType, cached.get().length);
        }
        ObjectInfo data = store.stat(StorageLayout.blobData(ns, digest)).orElseThrow(() -> unknown(reference));
        return new ManifestInfo(digest, mediaType, data.size());
    }

    /**
     * A manifest's bytes, exactly as pushed, with its metadata. The tag and the repository's link are read from
     * the store every time, so every completed push and delete shows; only the bytes come from the cache.
     */
    public Manifest get(Namespace ns, RepositoryName repo, String reference) {
        Digest digest = resolve(ns, repo, reference);
        String mediaType = mediaType(ns, repo, digest).orElseThrow(() -> unknown(reference));
        byte[] body = cache.get(ns, digest).orElse(null);
        if (body == null) {
            body = readVerified(ns, digest, repo, reference);
            cache.put(ns, digest, body);
        }
        return new Manifest(new ManifestInfo(digest, mediaType, body.length), body);
    }

    private byte[] readVerified(Namespace ns, Digest digest, RepositoryName repo, String reference) {
        byte[] body;
        try {
            body = store.read(StorageLayout.blobData(ns, digest));
        } catch (ObjectNotFoundException gone) {
            throw unknown(reference);
        }
        // A manifest is small and read whole, so checking it costs little: bytes that the store returned short or
        // altered are a backend failure, never a manifest to serve (or cache) under this digest.
        Digest actual = Digest.of(digest.algorithm(), body);
        if (!actual.equals(digest)) {
            corruptReads.increment();
            log.error("manifest {} in {}: the store returned {} bytes hashing to {}", digest, repo,
                    body.length, actual);
            throw new StorageException("manifest " + digest + ": the store returned other bytes");
        }
        return body;
    }

    /** A manifest's digest, media type and size. */
    public record ManifestInfo(Digest digest, String mediaType, long size) {}

    /** A manifest's bytes and metadata. */
    public record Manifest(ManifestInfo info, byte[] body) {}

    /**
     * Deletes a tag (only the tag), or a manifest by digest together with every tag pointing to it and its entry
     * in its subject's referrers; returns the tags deleted.
     */
    public List<Tag> delete(Namespace ns, RepositoryName repo, String reference) {
        if (!Digest.looksLikeDigest(reference)) {
            Tag tag = new Tag(reference);
            if (!store.delete(StorageLayout.tag(ns, repo, tag))) {
                throw unknown(reference);
            }
            return List.of(tag);
        }
        Digest digest = parseDigest(reference);
        String revision = StorageLayout.manifestRevision(ns, repo, digest);
        if (store.stat(revision).isEmpty()) {
            throw unknown(reference);
        }
        try {
            byte[] body = store.read(StorageLayout.blobData(ns, digest));
            ParsedManifest manifest = validator.validate(body, mediaType(ns, repo, digest).orElse(""));
            if (manifest.subject() != null) {
                store.delete(StorageLayout.referrer(ns, repo, manifest.subject().digest(), digest));
            }
        } catch (ObjectNotFoundException | RegistryException unreadable) {
            // nothing to unlist: the manifest's bytes are gone or were never a valid manifest
        }
        List<Tag> deleted = new ArrayList<>();
        for (String tag : tagsPointingTo(ns, repo, digest)) {
            if (store.delete(StorageLayout.tag(ns, repo, new Tag(tag)))) {
                deleted.add(new Tag(tag));
            }
        }
        store.delete(revision);
        return List.copyOf(deleted);
    }

    /**
     * Up to {@code limit} tags after {@code last} (null: from the start) in ASCII byte order;
     * {@code NAME_UNKNOWN} for a repository that never received content.
     */
    public TagPage tags(Namespace ns, RepositoryName repo, String last, int limit) {
        if (!catalog.exists(ns, repo)) {
            throw new RegistryException(ErrorCode.NAME_UNKNOWN, "repository name not known to registry", repo.value());
        }
        String prefix = StorageLayout.tagsPrefix(ns, repo);
        // Pages start at the client's last tag in the store itself: a deep page costs what the first one does.
        String after = last == null ? null : prefix + last;
        if (limit < 1) {
            return new TagPage(List.of(), !store.listKeys(prefix, after, 1).keys().isEmpty());
        }
        int wanted = limit;
        List<String> tags = new ArrayList<>();
        KeyPage page;
        do {
            // One call for the whole page: each call on the filesystem reads the tag directory once.
            page = store.listKeys(prefix, after, wanted - tags.size());
            page.keys().forEach(key -> tags.add(key.substring(prefix.length())));
            after = page.nextStartAfter();
        } while (after != null && tags.size() < wanted);
        return new TagPage(tags, after != null);
    }

    /** One page of tags and whether more follow. */
    public record TagPage(List<String> tags, boolean more) {}

    /** The descriptors of every manifest in {@code repo} whose subject is {@code subject}, optionally filtered. */
    public List<ObjectNode> referrers(Namespace ns, RepositoryName repo, Digest subject, String artifactType) {
        List<ObjectNode> result = new ArrayList<>();
        for (ObjectInfo info : store.listAll(StorageLayout.referrersPrefix(ns, repo, subject), 1000)) {
            ObjectNode descriptor;
            try {
                descriptor = (ObjectNode) JSON.readTree(store.read(info.key()));
            } catch (ObjectNotFoundException deletedMeanwhile) {
                continue;
            } catch (IOException e) {
                throw new dev.berth.storage.StorageException("referrer entry " + info.key() + " is unreadable", e);
            }
            if (artifactType == null || artifactType.equals(descriptor.path("artifactType").asText(null))) {
                result.add(descriptor);
            }
        }
        return result;
    }

    private void checkReferences(Namespace ns, RepositoryName repo, ParsedManifest manifest) {
        List<RegistryException.RegistryError> errors = new ArrayList<>();
        for (Descriptor d : manifest.blobs()) {
            if (!d.urls().isEmpty()) {
                continue; // a non-distributable layer lives elsewhere; Distribution does not require it either
            }
            // Confirming refreshes an old link, so a collection running now keeps the blob this manifest needs.
            Optional<BlobInfo> blob = blobs.confirm(ns, repo, d.digest());
            if (blob.isEmpty()) {
                errors.add(new RegistryException.RegistryError(ErrorCode.MANIFEST_BLOB_UNKNOWN,
                        "blob unknown to registry", Map.of("digest", d.digest().toString())));
            } else if (blob.get().size() != d.size()) {
                errors.add(sizeMismatch(d, blob.get().size()));
            }
        }
        for (Descriptor d : manifest.manifests()) {
            blobs.claim(ns, repo, d.digest());
            Optional<Long> size = mediaType(ns, repo, d.digest())
                    .flatMap(t -> store.stat(StorageLayout.blobData(ns, d.digest())))
                    .map(ObjectInfo::size);
            if (size.isEmpty()) {
                if (sparseIndexPolicy == SparseIndexPolicy.REJECT) {
                    errors.add(new RegistryException.RegistryError(ErrorCode.MANIFEST_BLOB_UNKNOWN,
                            "manifest unknown to registry", Map.of("digest", d.digest().toString())));
                }
            } else if (size.get() != d.size()) {
                errors.add(sizeMismatch(d, size.get()));
            }
        }
        if (!errors.isEmpty()) {
            boolean onlyUnknown = errors.stream().allMatch(e -> e.code() == ErrorCode.MANIFEST_BLOB_UNKNOWN);
            throw new RegistryException(400, onlyUnknown ? errors
                    : errors.stream().filter(e -> e.code() == ErrorCode.MANIFEST_INVALID).toList(), Map.of());
        }
    }

    private static RegistryException.RegistryError sizeMismatch(Descriptor d, long actual) {
        return new RegistryException.RegistryError(ErrorCode.MANIFEST_INVALID,
                "descriptor size " + d.size() + " does not match the stored size " + actual + " of " + d.digest(),
                Map.of("digest", d.digest().toString(), "size", d.size(), "stored", actual));
    }

    private Digest resolve(Namespace ns, RepositoryName repo, String reference) {
        if (Digest.looksLikeDigest(reference)) {
            return parseDigest(reference);
        }
        Tag tag = new Tag(reference);
        return tagTargets.read(StorageLayout.tag(ns, repo, tag)).orElseThrow(() -> unknown(reference));
    }

    private Optional<String> mediaType(Namespace ns, RepositoryName repo, Digest digest) {
        return linkedMediaTypes.read(StorageLayout.manifestRevision(ns, repo, digest));
    }

    private static Digest tagTarget(byte[] tagObject) {
        return Digest.parse(new String(tagObject, StandardCharsets.US_ASCII));
    }

    private static String linkedMediaType(byte[] revisionLink) {
        try {
            return JSON.readTree(revisionLink).path("mediaType").asText();
        } catch (IOException e) {
            throw new StorageException("a manifest revision link is unreadable", e);
        }
    }

    private List<String> tagsPointingTo(Namespace ns, RepositoryName repo, Digest digest) {
        String prefix = StorageLayout.tagsPrefix(ns, repo);
        String target = digest.toString();
        List<String> result = new ArrayList<>();
        for (ObjectInfo info : store.listAll(prefix, 1000)) {
            try {
                if (target.equals(new String(store.read(info.key()), StandardCharsets.US_ASCII))) {
                    result.add(info.key().substring(prefix.length()));
                }
            } catch (ObjectNotFoundException deletedMeanwhile) {
                // already gone
            }
        }
        return result;
    }

    private static byte[] revisionLink(String mediaType) {
        ObjectNode link = JSON.createObjectNode();
        link.put("mediaType", mediaType);
        return link.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] referrerDescriptor(ParsedManifest manifest, Digest digest, long size) {
        ObjectNode d = JSON.createObjectNode();
        d.put("mediaType", manifest.mediaType());
        d.put("digest", digest.toString());
        d.put("size", size);
        if (manifest.artifactType() != null) {
            d.put("artifactType", manifest.artifactType());
        }
        if (!manifest.annotations().isEmpty()) {
            ObjectNode annotations = d.putObject("annotations");
            manifest.annotations().forEach(annotations::put);
        }
        return d.toString().getBytes(StandardCharsets.UTF_8);
    }

    static Digest parseDigest(String text) {
        try {
            return Digest.parse(text);
        } catch (InvalidDigestException e) {
            throw new RegistryException(ErrorCode.DIGEST_INVALID, e.getMessage(), text);
        }
    }

    private static RegistryException unknown(String reference) {
        return new RegistryException(ErrorCode.MANIFEST_UNKNOWN, "manifest unknown to registry", reference);
    }
}
