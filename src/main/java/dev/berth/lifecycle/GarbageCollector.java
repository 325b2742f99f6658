package dev.berth.lifecycle;

import dev.berth.registry.Namespace;
import dev.berth.registry.RepositoryName;
import dev.berth.registry.StorageLayout;
import dev.berth.registry.digest.Digest;
import dev.berth.registry.digest.DigestAlgorithm;
import dev.berth.registry.digest.InvalidDigestException;
import dev.berth.storage.ObjectInfo;
import dev.berth.storage.ObjectNotFoundException;
import dev.berth.storage.ObjectStore;
import dev.berth.storage.PutCondition;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mark-and-sweep garbage collection of one namespace, safe while the registry serves traffic.
 *
 * <p><b>Mark.</b> For each repository in the catalog, the roots are its tags and, unless untagged manifests are
 * deleted by policy, every manifest revision (when they are, revisions younger than the grace window are roots
 * still), and every blob link younger than the grace window. From each root the collector follows, within that
 * repository, child manifests of indexes and manifest lists (to any depth), configs and layers, the subject of a
 * manifest, and the referrers of every kept manifest: an artifact attached to a kept manifest (signature, SBOM)
 * is kept with it, whether tagged or not. Manifest bytes are blob data like any other, so a kept manifest's
 * digest is marked too. The marked set (digests) is the only
 * thing that grows with the store; everything else streams through listings.
 *
 * <p><b>Sweep</b>, in this order, never touching anything written after {@code start - grace}:
 * <ol>
 *   <li>per repository, right after marking it: untagged manifest revisions nothing kept reaches (only when
 *       {@code deleteUntagged}; with their referrer entries), then blob links no kept manifest of the repository
 *       references (links and holders get {@link GcOptions#linkSlack} on top of the grace window);</li>
 *   <li>blob data in the namespace that nothing marked, whose data and every holder are old and whose holders
 *       name no remaining link or revision; then its holders;</li>
 *   <li>upload chunks and assemblies with no upload record (a live record keeps its chunks; expiring records is
 *       the upload expiry's business).</li>
 * </ol>
 *
 * <p><b>Why it is safe while serving.</b> A holder ({@code blobs/…/holders/<repo>/_holder}) announces that a
 * repository relies on a digest. Every request path that lets a client rely on a blob or manifest writes the
 * holder <em>before</em> it checks that the data exists (upload completion, mount, a HEAD or GET that refreshes an
 * old link, a manifest push for the manifest itself, its index children and, through confirmation, its blobs).
 * The collector, conversely, first <em>moves</em> a victim's data to {@code <ns>/_lifecycle/gc-trash/…}, then
 * lists the holders once more and looks for links and revisions they name, and only then deletes the trashed
 * copy, or moves it back if anything turned up. On a store with read-after-write consistency one side always
 * sees the other: either the request finds the data gone (and uploads again, or answers 404 /
 * {@code MANIFEST_BLOB_UNKNOWN}), or the collector finds the fresh holder and restores the data. Links and
 * untagged revisions are removed the same way: deleted, then the holder is checked, and the object is written
 * back if a request claimed the digest meanwhile. Holders themselves are removed only after the data is gone and
 * only when still old; a request that rewrites one afterwards re-checks the data and rewrites it again.
 *
 * <p><b>What remains.</b>
 * <ul>
 *   <li>While a victim sits in the trash (a move, a listing and a few stats), a request racing for exactly that
 *       old, unreferenced blob may get a 404 or {@code MANIFEST_BLOB_UNKNOWN}, or a pull of it may be cut short;
 *       it fails visibly and a retry succeeds. It is never told that content exists that then disappears.</li>
 *   <li>A collector that dies between the move and its last check leaves the blob in the trash, missing, until
 *       the next run: every run first moves trashed data back where the data is missing, then decides again.</li>
 *   <li>The last check lists holders. A backend whose listings lag behind writes (Swift container listings are
 *       eventually consistent) widens the window by that lag.</li>
 *   <li>Ages compare the store's {@code lastModified} with this process's clock; skew between them shortens the
 *       effective grace window, so keep grace far above any skew.</li>
 *   <li>A confirmation keeps a blob for one grace window: a client that HEADs a blob and pushes the manifest that
 *       needs it more than a grace window later finds it gone (its push fails with
 *       {@code MANIFEST_BLOB_UNKNOWN}; it is not accepted with a missing blob).</li>
 * </ul>
 * Two collectors running at once (a best-effort lease on a store without atomic conditional puts) are each safe
 * by the argument above; at worst one restores what the other trashed, and the blob survives one more run.
 */
public final class GarbageCollector {
    private static final Logger log = LoggerFactory.getLogger(GarbageCollector.class);
    private static final int PAGE = 1000;
    private static final int PROGRESS_EVERY = 250;
    /** Larger than any manifest Berth accepts; a "manifest" above it is not read for references. */
    private static final long MAX_MANIFEST_READ = 64L << 20;
    private static final byte[] EMPTY = new byte[0];

    private final ObjectStore store;
    private final Clock clock;

    public GarbageCollector(ObjectStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** Collects {@code ns} once and reports what it scanned and deleted (or would delete, in a dry run). */
    public GcReport collect(Namespace ns, GcOptions options, GcListener listener) {
        return new Run(ns, options, listener).run();
    }

    /** Where a victim's data waits while the collector checks a last time whether anything claimed it. */
    static String trash(Namespace ns, Digest digest) {
        return trashPrefix(ns) + digest.algorithm().id() + "/" + digest.hex();
    }

    static String trashPrefix(Namespace ns) {
        return ns.id() + "/_lifecycle/gc-trash/";
    }

    /** One collection's state: the marked set and the counters. */
    private final class Run {
        private final Namespace ns;
        private final GcOptions options;
        private final GcListener listener;
        private final Instant started;
        private final Instant cutoff;
        private final Instant linkCutoff;
        private final Set<Digest> marked = new HashSet<>();
        /** Links and revisions a dry run counts as deleted, so that the blob sweep sees them as gone. */
        private final Set<String> goneInDryRun = new HashSet<>();
        private String phase = "start";
        private long scanned;
        private long deleted;
        private long bytesFreed;
        private long lastReported;

        Run(Namespace ns, GcOptions options, GcListener listener) {
            this.ns = ns;
            this.options = options;
            this.listener = listener;
            this.started = clock.instant();
            this.cutoff = started.minus(options.grace());
            this.linkCutoff = cutoff.minus(options.linkSlack());
        }

        GcReport run() {
            phase("recover");
            recoverTrash();
            phase("mark");
            for (RepositoryName repo : repositories()) {
                collectRepository(repo);
            }
            phase("blobs");
            sweepBlobs();
            phase("uploads");
            sweepUploads();
            phase("done");
            return new GcReport(scanned, deleted, bytesFreed, Duration.between(started, clock.instant()),
                    options.dryRun());
        }

        // ---- mark, and the per-repository sweeps

        private List<RepositoryName> repositories() {
            String prefix = StorageLayout.catalogPrefix(ns);
            String suffix = "/_repository";
            List<RepositoryName> names = new ArrayList<>();
            for (ObjectInfo info : store.listAll(prefix, PAGE)) {
                scanned();
                String key = info.key();
                if (key.endsWith(suffix)) {
                    try {
                        names.add(new RepositoryName(key.substring(prefix.length(), key.length() - suffix.length())));
                    } catch (IllegalArgumentException invalid) {
                        log.warn("gc: ignoring catalog entry {}: {}", key, invalid.getMessage());
                    }
                }
            }
            return names;
        }

        private void collectRepository(RepositoryName repo) {
            Set<Digest> keptManifests = new HashSet<>();
            Set<Digest> keptBlobs = new HashSet<>();
            Deque<Digest> pending = new ArrayDeque<>();
            String tags = StorageLayout.tagsPrefix(ns, repo);
            for (ObjectInfo tag : store.listAll(tags, PAGE)) {
                scanned();
                try {
                    pending.add(Digest.parse(new String(store.read(tag.key()), StandardCharsets.US_ASCII).trim()));
                } catch (ObjectNotFoundException deletedMeanwhile) {
                    continue;
                } catch (InvalidDigestException unreadable) {
                    log.warn("gc: tag {} holds no digest: {}", tag.key(), unreadable.getMessage());
                    continue;
                }
                mark(repo, pending, keptManifests, keptBlobs);
            }
            String revisions = StorageLayout.manifestRevisionsPrefix(ns, repo);
            for (ObjectInfo revision : store.listAll(revisions, PAGE)) {
                scanned();
                if (!options.deleteUntagged() || isYoung(revision.lastModified(), cutoff)) {
                    digestOf(revisions, revision.key(), '/').ifPresent(pending::add);
                    mark(repo, pending, keptManifests, keptBlobs);
                }
            }
            if (options.deleteUntagged()) {
                for (ObjectInfo revision : store.listAll(revisions, PAGE)) {
                    Optional<Digest> digest = digestOf(revisions, revision.key(), '/');
                    if (digest.isPresent() && !keptManifests.contains(digest.get())
                            && !isYoung(revision.lastModified(), cutoff)) {
                        deleteRevision(repo, digest.get());
                    }
                }
            }
            String links = StorageLayout.blobLinksPrefix(ns, repo);
            for (ObjectInfo link : store.listAll(links, PAGE)) {
                scanned();
                Optional<Digest> digest = digestOf(links, link.key(), '/');
                if (digest.isEmpty() || keptBlobs.contains(digest.get()) || keptManifests.contains(digest.get())) {
                    continue;
                }
                if (isYoung(link.lastModified(), linkCutoff)) {
                    // A young link is a root: its client may push the manifest that needs it any moment, and the
                    // blob must not depend on its holder alone (a holder can be missing after a race with cleanup).
                    marked.add(digest.get());
                } else {
                    deleteLink(repo, digest.get());
                }
            }
        }

        /** Marks everything reachable from the pending manifests of {@code repo}. */
        private void mark(RepositoryName repo, Deque<Digest> pending, Set<Digest> keptManifests,
                Set<Digest> keptBlobs) {
            while (!pending.isEmpty()) {
                Digest digest = pending.poll();
                if (!keptManifests.add(digest)) {
                    continue;
                }
                marked.add(digest);
                ManifestReferences refs = references(repo, digest);
                for (Digest blob : refs.blobs()) {
                    keptBlobs.add(blob);
                    marked.add(blob);
                }
                pending.addAll(refs.manifests());
                if (refs.subject() != null) {
                    pending.add(refs.subject());
                }
                String referrers = StorageLayout.referrersPrefix(ns, repo, digest);
                for (ObjectInfo entry : store.listAll(referrers, PAGE)) {
                    scanned();
                    digestOf(referrers, entry.key(), '-').ifPresent(pending::add);
                }
            }
        }

        /** What a manifest of {@code repo} refers to; nothing when the repository has no such manifest. */
        private ManifestReferences references(RepositoryName repo, Digest digest) {
            // Only a digest with a revision here is a manifest of this repository, and so small enough to read.
            if (store.stat(StorageLayout.manifestRevision(ns, repo, digest)).isEmpty()) {
                return ManifestReferences.NONE;
            }
            String data = StorageLayout.blobData(ns, digest);
            try {
                Optional<ObjectInfo> info = store.stat(data);
                if (info.isEmpty() || info.get().size() > MAX_MANIFEST_READ) {
                    return ManifestReferences.NONE;
                }
                return ManifestReferences.of(store.read(data));
            } catch (ObjectNotFoundException gone) {
                return ManifestReferences.NONE;
            }
        }

        /**
         * Deletes an untagged revision nothing kept reaches, and its referrer entry. A push that relies on the
         * manifest writes its holder first, so a young holder after the delete puts the revision back.
         */
        private void deleteRevision(RepositoryName repo, Digest digest) {
            String key = StorageLayout.manifestRevision(ns, repo, digest);
            if (options.dryRun()) {
                goneInDryRun.add(key);
                counted(new GcVictim("manifest", key, 0));
                return;
            }
            Optional<ObjectInfo> now = store.stat(key);
            if (now.isEmpty() || isYoung(now.get().lastModified(), cutoff)) {
                return;
            }
            byte[] revision;
            try {
                revision = store.read(key);
            } catch (ObjectNotFoundException deletedMeanwhile) {
                return;
            }
            Digest subject = references(repo, digest).subject();
            store.delete(key);
            if (claimedSince(repo, digest)) {
                store.put(key, revision, PutCondition.always());
                log.info("gc: kept manifest {} in {}: a request claimed it while it was being deleted", digest, repo);
                return;
            }
            if (subject != null) {
                store.delete(StorageLayout.referrer(ns, repo, subject, digest));
            }
            counted(new GcVictim("manifest", key, 0));
        }

        /** Deletes a blob link no kept manifest references; a young holder afterwards puts it back. */
        private void deleteLink(RepositoryName repo, Digest digest) {
            String key = StorageLayout.blobLink(ns, repo, digest);
            if (options.dryRun()) {
                goneInDryRun.add(key);
                counted(new GcVictim("link", key, 0));
                return;
            }
            Optional<ObjectInfo> now = store.stat(key);
            if (now.isEmpty() || isYoung(now.get().lastModified(), linkCutoff)) {
                return;
            }
            store.delete(key);
            if (claimedSince(repo, digest)) {
                store.put(key, EMPTY, PutCondition.always());
                log.info("gc: kept link to {} in {}: a request claimed it while it was being deleted", digest, repo);
                return;
            }
            counted(new GcVictim("link", key, 0));
        }

        /** True when {@code repo}'s holder of {@code digest} was written within the grace window. */
        private boolean claimedSince(RepositoryName repo, Digest digest) {
            Optional<ObjectInfo> holder = store.stat(StorageLayout.blobHolder(ns, digest, repo));
            return holder.isPresent() && isYoung(holder.get().lastModified(), linkCutoff);
        }

        // ---- blob data

        private void sweepBlobs() {
            String prefix = StorageLayout.blobsPrefix(ns);
            Digest current = null;
            ObjectInfo data = null;
            List<ObjectInfo> holders = new ArrayList<>();
            for (ObjectInfo info : store.listAll(prefix, PAGE)) {
                scanned();
                // <alg>/<xx>/<hex>/data or <alg>/<xx>/<hex>/holders/<repo>/_holder: a digest's keys are adjacent
                String[] parts = info.key().substring(prefix.length()).split("/", 4);
                if (parts.length < 4) {
                    continue;
                }
                Optional<Digest> digest = digest(parts[0], parts[2]);
                if (digest.isEmpty()) {
                    continue;
                }
                if (!digest.get().equals(current)) {
                    if (current != null) {
                        considerBlob(current, data, holders);
                    }
                    current = digest.get();
                    data = null;
                    holders = new ArrayList<>();
                }
                if (parts[3].equals("data")) {
                    data = info;
                } else if (parts[3].startsWith("holders/") && parts[3].endsWith("/_holder")) {
                    holders.add(info);
                }
            }
            if (current != null) {
                considerBlob(current, data, holders);
            }
        }

        private void considerBlob(Digest digest, ObjectInfo data, List<ObjectInfo> holders) {
            if (marked.contains(digest)) {
                return;
            }
            if (data != null && isYoung(data.lastModified(), cutoff)) {
                return;
            }
            for (ObjectInfo holder : holders) {
                if (isYoung(holder.lastModified(), linkCutoff)) {
                    return;
                }
            }
            if (stillReferenced(digest, holders)) {
                return;
            }
            if (options.dryRun()) {
                if (data != null) {
                    counted(new GcVictim("blob", data.key(), data.size()));
                }
                holders.forEach(h -> counted(new GcVictim("holder", h.key(), 0)));
                return;
            }
            if (data != null && !trashAndCheck(digest, data)) {
                return;
            }
            for (ObjectInfo holder : holders) {
                // Only while still old: a request that rewrote it re-checks the data after writing it.
                Optional<ObjectInfo> now = store.stat(holder.key());
                if (now.isPresent() && !isYoung(now.get().lastModified(), linkCutoff) && store.delete(holder.key())) {
                    counted(new GcVictim("holder", holder.key(), 0));
                }
            }
        }

        /**
         * Moves the data to the trash, checks the holders once more, then deletes the trashed copy or moves it back.
         * True when the data is gone (deleted here, or already gone).
         */
        private boolean trashAndCheck(Digest digest, ObjectInfo data) {
            String trash = trash(ns, digest);
            ObjectInfo trashed;
            try {
                trashed = store.move(data.key(), trash);
            } catch (ObjectNotFoundException alreadyGone) {
                return true;
            }
            List<ObjectInfo> holders = new ArrayList<>();
            store.listAll(StorageLayout.blobHoldersPrefix(ns, digest), PAGE).forEach(holders::add);
            boolean claimed = isYoung(trashed.lastModified(), cutoff)
                    || holders.stream().anyMatch(h -> isYoung(h.lastModified(), linkCutoff))
                    || stillReferenced(digest, holders);
            if (claimed) {
                restore(digest, trash, data.key());
                return false;
            }
            if (!store.delete(trash)) {
                return false; // another collector's recovery moved it back: the blob lives until the next run
            }
            counted(new GcVictim("blob", data.key(), trashed.size()));
            return true;
        }

        private void restore(Digest digest, String trash, String key) {
            try {
                store.move(trash, key);
                log.info("gc: kept blob {}: a request claimed it while it was being deleted", digest);
            } catch (ObjectNotFoundException restoredElsewhere) {
                // another collector's recovery moved it back first
            }
        }

        /** True when a repository named by a holder still has a link or revision for the digest. */
        private boolean stillReferenced(Digest digest, List<ObjectInfo> holders) {
            String prefix = StorageLayout.blobHoldersPrefix(ns, digest);
            for (ObjectInfo holder : holders) {
                String key = holder.key();
                RepositoryName repo;
                try {
                    repo = new RepositoryName(key.substring(prefix.length(), key.length() - "/_holder".length()));
                } catch (IllegalArgumentException | IndexOutOfBoundsException notAHolder) {
                    continue;
                }
                for (String reference : List.of(StorageLayout.blobLink(ns, repo, digest),
                        StorageLayout.manifestRevision(ns, repo, digest))) {
                    if (!goneInDryRun.contains(reference) && store.stat(reference).isPresent()) {
                        return true;
                    }
                }
            }
            return false;
        }

        /** Puts back data a collector left in the trash when it stopped before deciding; otherwise drops it. */
        private void recoverTrash() {
            String prefix = trashPrefix(ns);
            for (ObjectInfo info : store.listAll(prefix, PAGE)) {
                scanned();
                String[] parts = info.key().substring(prefix.length()).split("/");
                Optional<Digest> digest = parts.length == 2 ? digest(parts[0], parts[1]) : Optional.empty();
                if (digest.isEmpty() || options.dryRun()) {
                    continue;
                }
                String data = StorageLayout.blobData(ns, digest.get());
                try {
                    if (store.stat(data).isEmpty()) {
                        store.move(info.key(), data);
                        log.info("gc: moved {} back from the trash; this run decides again", digest.get());
                    } else {
                        store.delete(info.key());
                    }
                } catch (ObjectNotFoundException handledMeanwhile) {
                    // a collector running at the same time restored or deleted it
                }
            }
        }

        // ---- uploads

        private void sweepUploads() {
            String prefix = StorageLayout.uploadsPrefix(ns);
            String id = null;
            boolean live = false;
            for (ObjectInfo info : store.listAll(prefix, PAGE)) {
                scanned();
                String rest = info.key().substring(prefix.length());
                int slash = rest.indexOf('/');
                if (slash < 0) {
                    continue;
                }
                String uploadId = rest.substring(0, slash);
                if (!uploadId.equals(id)) {
                    id = uploadId;
                    live = false;
                }
                // "_record" sorts before "assembled" and "chunk-…", so a live upload's record comes first.
                if (rest.substring(slash + 1).equals("_record")) {
                    live = true;
                    continue;
                }
                if (live || isYoung(info.lastModified(), cutoff)) {
                    continue;
                }
                if (options.dryRun()) {
                    counted(new GcVictim("upload", info.key(), info.size()));
                } else if (store.stat(StorageLayout.uploadRecord(ns, uploadId)).isEmpty() && store.delete(info.key())) {
                    counted(new GcVictim("upload", info.key(), info.size()));
                }
            }
        }

        // ---- helpers

        private Optional<Digest> digestOf(String prefix, String key, char separator) {
            String rest = key.substring(prefix.length());
            int at = rest.indexOf(separator);
            return at < 0 ? Optional.empty() : digest(rest.substring(0, at), rest.substring(at + 1));
        }

        private Optional<Digest> digest(String algorithm, String hex) {
            Optional<DigestAlgorithm> a = DigestAlgorithm.byId(algorithm);
            if (a.isEmpty()) {
                return Optional.empty();
            }
            try {
                return Optional.of(new Digest(a.get(), hex));
            } catch (InvalidDigestException notADigest) {
                return Optional.empty();
            }
        }

        private boolean isYoung(Instant lastModified, Instant limit) {
            return !lastModified.isBefore(limit);
        }

        private void counted(GcVictim victim) {
            deleted++;
            bytesFreed += victim.size();
            listener.victim(victim);
        }

        private void scanned() {
            scanned++;
            if (scanned - lastReported >= PROGRESS_EVERY) {
                lastReported = scanned;
                listener.progress(new GcProgress(phase, scanned, deleted, bytesFreed));
            }
        }

        private void phase(String next) {
            phase = next;
            listener.progress(new GcProgress(phase, scanned, deleted, bytesFreed));
        }
    }
}
