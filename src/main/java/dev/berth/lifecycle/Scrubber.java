package dev.berth.lifecycle;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.config.BerthConfig.SparseIndexPolicy;
import dev.berth.lifecycle.ScrubFinding.Kind;
import dev.berth.registry.BlobHasher;
import dev.berth.registry.Catalog;
import dev.berth.registry.Descriptor;
import dev.berth.registry.ManifestValidator;
import dev.berth.registry.Namespace;
import dev.berth.registry.ParsedManifest;
import dev.berth.registry.Quarantine;
import dev.berth.registry.RegistryException;
import dev.berth.registry.RepositoryName;
import dev.berth.registry.StorageLayout;
import dev.berth.registry.digest.Digest;
import dev.berth.registry.digest.DigestAlgorithm;
import dev.berth.registry.digest.InvalidDigestException;
import dev.berth.storage.ObjectInfo;
import dev.berth.storage.ObjectNotFoundException;
import dev.berth.storage.ObjectStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Checks everything a namespace holds: re-hashes every blob, streaming, and checks that every manifest revision of
 * every repository parses and that what it references is present in its repository with the declared size, that
 * every tag points to a manifest of its repository, and that every blob link has bytes behind it. It reports each
 * problem as it finds it; with quarantine on, it also moves corrupt blobs aside so they are no longer served.
 *
 * <pre>{@code
 * ScrubReport report = new Scrubber(store, new Quarantine(store, clock), SparseIndexPolicy.REJECT, 4 << 20)
 *         .scrub(Namespace.DEFAULT, false, finding -> System.out.println(finding.line()));
 * }</pre>
 */
public final class Scrubber {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int PAGE = 1000;

    private final ObjectStore store;
    private final BlobHasher hasher;
    private final Quarantine quarantine;
    private final Catalog catalog;
    private final ManifestValidator validator = new ManifestValidator();
    private final SparseIndexPolicy sparseIndex;
    private final long maxManifestSize;

    /**
     * A scrubber over {@code store}; {@code sparseIndex} says whether an index may name manifests its repository
     * lacks, and a manifest larger than {@code maxManifestSize} is reported rather than read.
     */
    public Scrubber(ObjectStore store, Quarantine quarantine, SparseIndexPolicy sparseIndex, long maxManifestSize) {
        this.store = store;
        this.hasher = new BlobHasher(store);
        this.quarantine = quarantine;
        this.catalog = new Catalog(store);
        this.sparseIndex = sparseIndex;
        this.maxManifestSize = maxManifestSize;
    }

    /** Scrubs {@code ns}, handing each problem to {@code findings} as it is found; quarantines corrupt blobs when asked. */
    public ScrubReport scrub(Namespace ns, boolean quarantineCorrupt, Consumer<ScrubFinding> findings) {
        Run run = new Run(ns, quarantineCorrupt, findings);
        long start = System.nanoTime();
        run.blobs();
        for (String name : catalog.page(ns, null, Integer.MAX_VALUE).names()) {
            run.repository(name);
        }
        return new ScrubReport(run.blobs, run.bytes, run.manifests, run.corrupt, run.missing, run.invalid,
                run.quarantined, Duration.ofNanos(System.nanoTime() - start));
    }

    /** The state of one scrub. */
    private final class Run {
        private final Namespace ns;
        private final boolean quarantineCorrupt;
        private final Consumer<ScrubFinding> findings;
        private long blobs;
        private long bytes;
        private long manifests;
        private long corrupt;
        private long missing;
        private long invalid;
        private long quarantined;

        Run(Namespace ns, boolean quarantineCorrupt, Consumer<ScrubFinding> findings) {
            this.ns = ns;
            this.quarantineCorrupt = quarantineCorrupt;
            this.findings = findings;
        }

        /** Re-hashes every blob of the namespace. */
        void blobs() {
            String prefix = StorageLayout.blobsPrefix(ns);
            for (ObjectInfo info : store.listAll(prefix, PAGE)) {
                String key = info.key();
                if (!key.endsWith("/data")) {
                    continue; // holders and verified markers
                }
                String[] parts = key.substring(prefix.length()).split("/"); // <alg>/<xx>/<hex>/data
                Optional<Digest> digest = parts.length == 4 ? digest(parts[0], parts[2]) : Optional.empty();
                if (digest.isEmpty()) {
                    report(Kind.INVALID, "object " + key, "not the place of any digest");
                    continue;
                }
                blob(digest.get());
            }
        }

        private void blob(Digest digest) {
            BlobHasher.Hashed hashed;
            try {
                hashed = hasher.hash(ns, digest);
            } catch (ObjectNotFoundException deletedMeanwhile) {
                return; // collected or quarantined since the listing
            }
            blobs++;
            bytes += hashed.bytes();
            if (hashed.actual().equals(digest)) {
                return;
            }
            String detail = "its " + hashed.bytes() + " bytes hash to " + hashed.actual();
            if (quarantineCorrupt) {
                Quarantine.Result result = quarantine.quarantineIfCorrupt(ns, digest, "scrub: " + detail);
                detail += switch (result.outcome()) {
                    case QUARANTINED -> {
                        quarantined++;
                        yield "; quarantined to " + result.location();
                    }
                    case SOUND -> "; a second read hashes right, so it was left in place";
                    case REPLACED -> "; it was written again meanwhile, so it was left in place";
                    case ABSENT -> "; it was removed meanwhile";
                };
            }
            corrupt++;
            report(Kind.CORRUPT, "blob " + digest, detail);
        }

        /** Checks a repository's blob links, manifest revisions and tags. */
        void repository(String name) {
            RepositoryName repo;
            try {
                repo = new RepositoryName(name);
            } catch (RegistryException | IllegalArgumentException e) {
                report(Kind.INVALID, "repository " + name, "not a valid name: " + e.getMessage());
                return;
            }
            String links = StorageLayout.blobLinksPrefix(ns, repo);
            for (ObjectInfo info : store.listAll(links, PAGE)) {
                Optional<Digest> digest = digestAfter(links, info.key());
                if (digest.isPresent() && store.stat(StorageLayout.blobData(ns, digest.get())).isEmpty()) {
                    report(Kind.MISSING, "blob " + digest.get() + " in " + repo, "linked, but its bytes are missing");
                }
            }
            String revisions = StorageLayout.manifestRevisionsPrefix(ns, repo);
            for (ObjectInfo info : store.listAll(revisions, PAGE)) {
                digestAfter(revisions, info.key()).ifPresent(digest -> manifest(repo, digest));
            }
            String tags = StorageLayout.tagsPrefix(ns, repo);
            for (ObjectInfo info : store.listAll(tags, PAGE)) {
                tag(repo, info.key().substring(tags.length()), info.key());
            }
        }

        private void manifest(RepositoryName repo, Digest digest) {
            String subject = "manifest " + digest + " in " + repo;
            Optional<String> mediaType = mediaType(repo, digest);
            if (mediaType.isEmpty()) {
                return; // deleted since the listing
            }
            manifests++;
            Optional<ObjectInfo> data = store.stat(StorageLayout.blobData(ns, digest));
            if (data.isEmpty()) {
                report(Kind.MISSING, subject, "its bytes are missing");
                return;
            }
            if (data.get().size() > maxManifestSize) {
                report(Kind.INVALID, subject, "it is " + data.get().size() + " bytes, more than the manifest limit of "
                        + maxManifestSize);
                return;
            }
            byte[] body;
            try {
                body = store.read(StorageLayout.blobData(ns, digest));
            } catch (ObjectNotFoundException gone) {
                report(Kind.MISSING, subject, "its bytes are missing");
                return;
            }
            if (!Digest.of(digest.algorithm(), body).equals(digest)) {
                return; // corrupt: the blob pass has reported it already
            }
            ParsedManifest manifest;
            try {
                manifest = validator.validate(body, mediaType.get());
            } catch (RegistryException e) {
                report(Kind.INVALID, subject, "it does not parse: " + e.errors().get(0).message());
                return;
            }
            for (Descriptor d : manifest.blobs()) {
                if (d.urls().isEmpty()) { // a non-distributable layer lives elsewhere
                    reference(subject, repo, d, "blob", store.stat(StorageLayout.blobLink(ns, repo, d.digest())));
                }
            }
            for (Descriptor d : manifest.manifests()) {
                Optional<ObjectInfo> revision = store.stat(StorageLayout.manifestRevision(ns, repo, d.digest()));
                if (revision.isPresent() || sparseIndex == SparseIndexPolicy.REJECT) {
                    reference(subject, repo, d, "manifest", revision);
                }
            }
        }

        /** Checks that the content {@code d} names is linked in {@code repo} ({@code link}) with its declared size. */
        private void reference(String subject, RepositoryName repo, Descriptor d, String what,
                Optional<ObjectInfo> link) {
            if (link.isEmpty()) {
                report(Kind.MISSING, subject, "it references " + what + " " + d.digest() + ", which " + repo
                        + " does not hold");
                return;
            }
            Optional<ObjectInfo> data = store.stat(StorageLayout.blobData(ns, d.digest()));
            if (data.isEmpty()) {
                report(Kind.MISSING, subject, "it references " + what + " " + d.digest() + ", whose bytes are missing");
            } else if (data.get().size() != d.size()) {
                report(Kind.INVALID, subject, "it declares " + d.size() + " bytes for " + what + " " + d.digest()
                        + ", which has " + data.get().size());
            }
        }

        private void tag(RepositoryName repo, String tag, String key) {
            String subject = "tag " + repo + ":" + tag;
            String target;
            try {
                target = new String(store.read(key), StandardCharsets.US_ASCII).trim();
            } catch (ObjectNotFoundException deletedMeanwhile) {
                return;
            }
            Digest digest;
            try {
                digest = Digest.parse(target);
            } catch (InvalidDigestException e) {
                report(Kind.INVALID, subject, "it holds '" + target + "', not a digest");
                return;
            }
            if (store.stat(StorageLayout.manifestRevision(ns, repo, digest)).isEmpty()) {
                report(Kind.MISSING, subject, "it points to " + digest + ", which " + repo + " does not hold");
            }
        }

        private Optional<String> mediaType(RepositoryName repo, Digest digest) {
            try {
                byte[] link = store.read(StorageLayout.manifestRevision(ns, repo, digest));
                return Optional.of(JSON.readTree(link).path("mediaType").asText(""));
            } catch (ObjectNotFoundException deletedMeanwhile) {
                return Optional.empty();
            } catch (IOException e) {
                report(Kind.INVALID, "manifest " + digest + " in " + repo, "its revision link is unreadable: " + e);
                return Optional.empty();
            }
        }

        private void report(Kind kind, String subject, String detail) {
            switch (kind) {
                case CORRUPT -> { } // counted by the caller, which knows whether it was quarantined
                case MISSING -> missing++;
                case INVALID -> invalid++;
            }
            findings.accept(new ScrubFinding(kind, subject, detail));
        }

        /** The digest whose algorithm and hex follow {@code prefix} in {@code key} as {@code <alg>/<hex>}. */
        private Optional<Digest> digestAfter(String prefix, String key) {
            String[] parts = key.substring(prefix.length()).split("/");
            Optional<Digest> digest = parts.length == 2 ? digest(parts[0], parts[1]) : Optional.empty();
            if (digest.isEmpty()) {
                report(Kind.INVALID, "object " + key, "not the place of any digest");
            }
            return digest;
        }
    }

    private static Optional<Digest> digest(String algorithm, String hex) {
        try {
            return DigestAlgorithm.byId(algorithm).map(a -> new Digest(a, hex));
        } catch (InvalidDigestException e) {
            return Optional.empty();
        }
    }
}
