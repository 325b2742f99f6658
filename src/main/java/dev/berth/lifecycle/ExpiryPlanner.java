package dev.berth.lifecycle;

import dev.berth.config.BerthConfig;
import dev.berth.registry.Catalog;
import dev.berth.registry.Namespace;
import dev.berth.registry.RepositoryName;
import dev.berth.registry.StorageLayout;
import dev.berth.registry.digest.Digest;
import dev.berth.storage.ObjectInfo;
import dev.berth.storage.ObjectStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Plans what upload expiry, tag expiry and retention remove from a namespace, without writing anything: the plan
 * is the dry run, and {@link ExpiryExecutor} applies it. Garbage collection plans and applies this before it
 * marks, so that the content these removals release is collected in the same run.
 *
 * <pre>{@code
 * ExpiryPlan plan = new ExpiryPlanner(store, config.lifecycle()).plan(Namespace.DEFAULT, clock.instant());
 * plan.removals().forEach(r -> System.out.println(r.describe()));   // --dry-run stops here
 * ExpiryResult done = new ExpiryExecutor(store).apply(plan);
 * }</pre>
 */
public final class ExpiryPlanner {
    private final ObjectStore store;
    private final UploadExpiry uploads;
    private final TagExpiry tags;
    private final RetentionPolicy retention;

    /** Plans over {@code store} by the rules of {@code lifecycle}. */
    public ExpiryPlanner(ObjectStore store, BerthConfig.Lifecycle lifecycle) {
        this.store = store;
        this.uploads = new UploadExpiry(store, lifecycle.uploads().expireAfter());
        this.tags = new TagExpiry(lifecycle.tags().expireAfter());
        this.retention = new RetentionPolicy(lifecycle.retention());
    }

    /** Everything that has expired in {@code ns} at {@code now}: every age is measured against {@code now}. */
    public ExpiryPlan plan(Namespace ns, Instant now) {
        List<PlannedRemoval> removals = new ArrayList<>(uploads.plan(ns, now));
        for (String name : new Catalog(store).page(ns, null, Integer.MAX_VALUE).names()) {
            if (tags.enabled() || retention.appliesTo(name)) {
                removals.addAll(planRepository(ns, new RepositoryName(name), now));
            }
        }
        return new ExpiryPlan(ns, now, removals);
    }

    private List<PlannedRemoval> planRepository(Namespace ns, RepositoryName repo, Instant now) {
        RepositoryContents contents = RepositoryContents.read(store, ns, repo);
        RetentionPolicy.TagDecision decision = retention.tags(repo.value(), contents.tags());
        List<PlannedRemoval> removals = new ArrayList<>();
        List<Digest> survivors = new ArrayList<>();
        for (RepositoryContents.TagEntry tag : contents.tags()) {
            Optional<Verdict> verdict = Optional.ofNullable(decision.removed().get(tag.name()));
            if (verdict.isEmpty() && !decision.kept().contains(tag.name())) {
                verdict = tags.verdict(tag.pushed(), now);
            }
            if (verdict.isPresent()) {
                removals.add(new PlannedRemoval(PlannedRemoval.Kind.TAG, repo.value(), tag.name(),
                        tag.target() == null ? null : tag.target().toString(), manifestSize(ns, tag.target()),
                        verdict.get().rule(), verdict.get().reason(), tag.etag(), List.of(tag.key())));
            } else if (tag.target() != null) {
                survivors.add(tag.target());
            }
        }
        Optional<RetentionPolicy.UntaggedLimit> limit = retention.untagged(repo.value());
        if (limit.isPresent()) {
            removals.addAll(planUntagged(ns, repo, contents, survivors, limit.get(), now));
        }
        return removals;
    }

    /**
     * Manifests that no surviving tag reaches and that were last pushed longer ago than the limit. The tags this
     * plan removes count as gone already, so one run shows (and takes) everything the removals release.
     */
    private List<PlannedRemoval> planUntagged(Namespace ns, RepositoryName repo, RepositoryContents contents,
            List<Digest> survivors, RetentionPolicy.UntaggedLimit limit, Instant now) {
        ManifestGraph graph = ManifestGraph.read(store, ns, contents);
        Set<Digest> reachable = graph.reachableFrom(survivors);
        List<PlannedRemoval> removals = new ArrayList<>();
        for (RepositoryContents.RevisionEntry revision : contents.revisions()) {
            Duration age = Duration.between(revision.linked(), now);
            if (reachable.contains(revision.digest()) || age.compareTo(limit.after()) <= 0) {
                continue;
            }
            ManifestGraph.Node node = graph.node(revision.digest()).orElseThrow();
            List<String> keys = new ArrayList<>();
            if (node.subject() != null) {
                // Unlisted from its subject's referrers first: a crash in between then leaves a revision the next
                // run removes, never a referrer entry naming a manifest that is gone.
                keys.add(StorageLayout.referrer(ns, repo, node.subject(), revision.digest()));
            }
            keys.add(revision.key());
            removals.add(new PlannedRemoval(PlannedRemoval.Kind.MANIFEST, repo.value(), revision.digest().toString(),
                    node.mediaType(), node.size(), limit.rule(),
                    "untagged, last pushed " + DurationText.age(age) + " ago", revision.etag(), keys));
        }
        return removals;
    }

    private long manifestSize(Namespace ns, Digest digest) {
        if (digest == null) {
            return 0;
        }
        return store.stat(StorageLayout.blobData(ns, digest)).map(ObjectInfo::size).orElse(0L);
    }
}
