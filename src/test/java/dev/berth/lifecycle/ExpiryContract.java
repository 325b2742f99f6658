package dev.berth.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.config.BerthConfig;
import dev.berth.config.BerthConfig.Lifecycle;
import dev.berth.config.BerthConfig.RetentionRule;
import dev.berth.registry.Namespace;
import dev.berth.registry.Registry;
import dev.berth.registry.RepositoryName;
import dev.berth.registry.StorageLayout;
import dev.berth.registry.digest.Digest;
import dev.berth.storage.CheckedStore;
import dev.berth.storage.ObjectInfo;
import dev.berth.storage.ObjectStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Expiry and retention, run on each backend. The backend is wrapped so objects carry the test clock's time as
 * their last write: the clock moves between pushes, and plans are made at the clock's "now", so no test sleeps.
 */
abstract class ExpiryContract {
    static final Namespace NS = Namespace.DEFAULT;
    static final Duration DAY = Duration.ofDays(1);

    TestClock clock;
    ObjectStore store;
    Registry registry;
    Images images;

    /** A fresh, empty backend. */
    abstract ObjectStore backend();

    @BeforeEach
    void openRegistry() {
        clock = new TestClock(Instant.parse("2025-03-01T12:00:00Z"));
        store = new StampedStore(CheckedStore.of(backend()), clock);
        registry = Registry.open(store, BerthConfig.defaults(), clock);
        images = new Images(registry, NS);
    }

    // ---- uploads ----

    @Test
    void expiredUploadsAndTheirChunksGoWhileYoungOnesStay() {
        String old = images.unfinishedUpload("team/app", "first chunk");
        images.appendChunk("team/app", old, "second chunk");
        clock.advance(Duration.ofHours(20));
        String young = images.unfinishedUpload("team/app", "young chunk");
        clock.advance(Duration.ofHours(5)); // old: 25h untouched, young: 5h

        ExpiryPlan plan = planner(lifecycle(Duration.ofHours(24), null)).plan(NS, clock.instant());

        assertThat(plan.of(PlannedRemoval.Kind.UPLOAD)).singleElement().satisfies(r -> {
            assertThat(r.name()).isEqualTo(old);
            assertThat(r.rule()).isEqualTo("lifecycle.uploads.expire-after 1d");
            assertThat(r.reason()).isEqualTo("last updated 1d 1h ago");
            assertThat(r.size()).isEqualTo(("first chunk" + "second chunk").length() + recordSize(old));
            assertThat(r.keys()).first().isEqualTo(StorageLayout.uploadRecord(NS, old));
        });
        apply(plan);

        assertThat(keysUnder(StorageLayout.uploadPrefix(NS, old))).isEmpty();
        assertThat(keysUnder(StorageLayout.uploadPrefix(NS, young))).containsExactly(
                StorageLayout.uploadRecord(NS, young), StorageLayout.uploadChunk(NS, young, 1));
    }

    @Test
    void anUploadStaysAsLongAsItKeepsReceivingChunks() {
        String id = images.unfinishedUpload("team/app", "chunk 1");
        clock.advance(Duration.ofHours(23));
        images.appendChunk("team/app", id, "chunk 2");
        clock.advance(Duration.ofHours(23)); // started 46h ago, last chunk 23h ago

        assertThat(planner(lifecycle(Duration.ofHours(24), null)).plan(NS, clock.instant()).removals()).isEmpty();
    }

    @Test
    void chunksWithoutAnUploadRecordGoOnceOld() {
        String orphan = images.unfinishedUpload("team/app", "left behind");
        store.delete(StorageLayout.uploadRecord(NS, orphan)); // as a cancel that failed half-way leaves it
        clock.advance(Duration.ofHours(10));
        String fresh = images.unfinishedUpload("team/app", "fresh");
        store.delete(StorageLayout.uploadRecord(NS, fresh));
        clock.advance(Duration.ofHours(15));

        ExpiryPlan plan = planner(lifecycle(Duration.ofHours(24), null)).plan(NS, clock.instant());

        assertThat(plan.removals()).singleElement().satisfies(r -> {
            assertThat(r.name()).isEqualTo(orphan);
            assertThat(r.reason()).startsWith("no upload record");
            assertThat(r.guard()).isNull();
        });
        apply(plan);
        assertThat(keysUnder(StorageLayout.uploadPrefix(NS, orphan))).isEmpty();
        assertThat(keysUnder(StorageLayout.uploadPrefix(NS, fresh))).hasSize(1);
    }

    @Test
    void anUploadThatReceivedAChunkAfterPlanningIsLeftAlone() {
        String id = images.unfinishedUpload("team/app", "chunk 1");
        clock.advance(Duration.ofHours(25));
        ExpiryPlan plan = planner(lifecycle(Duration.ofHours(24), null)).plan(NS, clock.instant());
        assertThat(plan.removals()).hasSize(1);

        images.appendChunk("team/app", id, "chunk 2"); // the client came back between planning and applying
        ExpiryResult result = new ExpiryExecutor(store).apply(plan);

        assertThat(result.applied()).isEmpty();
        assertThat(result.skipped()).singleElement()
                .satisfies(s -> assertThat(s.why()).isEqualTo("the upload received a chunk meanwhile"));
        assertThat(keysUnder(StorageLayout.uploadPrefix(NS, id))).hasSize(3);
    }

    // ---- tag expiry ----

    @Test
    void oldTagsExpireAndRecentOnesStayWhileTheManifestRemains() {
        Digest old = images.image("team/app", "old", "old");
        clock.advance(Duration.ofDays(20));
        Digest recent = images.image("team/app", "recent", "recent");
        clock.advance(Duration.ofDays(15)); // old: 35d, recent: 15d

        ExpiryPlan plan = planner(lifecycle(null, Duration.ofDays(30))).plan(NS, clock.instant());

        assertThat(plan.removals()).singleElement().satisfies(r -> {
            assertThat(r.kind()).isEqualTo(PlannedRemoval.Kind.TAG);
            assertThat(r.repository()).isEqualTo("team/app");
            assertThat(r.name()).isEqualTo("old");
            assertThat(r.target()).isEqualTo(old.toString());
            assertThat(r.rule()).isEqualTo("lifecycle.tags.expire-after 30d");
            assertThat(r.reason()).isEqualTo("last pushed 35d ago");
        });
        apply(plan);

        assertThat(tags("team/app")).containsExactly("recent");
        // Only the tag goes; the manifest, now untagged, is left to retention or garbage collection.
        assertThat(revisions("team/app")).containsExactlyInAnyOrder(old, recent);
    }

    @Test
    void pushingATagAgainRestartsItsAge() {
        Digest first = images.image("team/app", "one", "latest");
        clock.advance(Duration.ofDays(20));
        images.tag("team/app", first, "latest");
        clock.advance(Duration.ofDays(20));

        assertThat(planner(lifecycle(null, Duration.ofDays(30))).plan(NS, clock.instant()).removals()).isEmpty();
    }

    @Test
    void aTagPushedAgainAfterPlanningIsNotRemoved() {
        images.image("team/app", "one", "latest");
        clock.advance(Duration.ofDays(40));
        ExpiryPlan plan = planner(lifecycle(null, Duration.ofDays(30))).plan(NS, clock.instant());
        assertThat(plan.removals()).hasSize(1);

        images.image("team/app", "two", "latest");
        ExpiryResult result = new ExpiryExecutor(store).apply(plan);

        assertThat(result.skipped()).singleElement()
                .satisfies(s -> assertThat(s.why()).isEqualTo("the tag was pushed again meanwhile"));
        assertThat(tags("team/app")).containsExactly("latest");
    }

    // ---- retention: tags ----

    @Test
    void keepLastAloneKeepsTheNNewestTagsAndRemovesTheRestWhateverTheirAge() {
        pushDaily("ci/app", "b1", "b2", "b3", "b4", "b5"); // b5 newest, pushed today

        ExpiryPlan plan = planner(lifecycle(null, null, rule("ci/**", 2, null, null))).plan(NS, clock.instant());

        assertThat(names(plan)).containsExactlyInAnyOrder("b1", "b2", "b3");
        assertThat(plan.removals()).allSatisfy(r -> {
            assertThat(r.rule()).isEqualTo("lifecycle.retention[1] ci/**");
            assertThat(r.reason()).isEqualTo("not among the 2 most recently pushed tags");
        });
        apply(plan);
        assertThat(tags("ci/app")).containsExactlyInAnyOrder("b4", "b5");
    }

    @Test
    void keepLastWithTagExpiryKeepsTheNNewestEvenWhenOldAndRemovesTheRestEvenWhenYoung() {
        pushDaily("ci/app", "b1", "b2", "b3", "b4", "b5");
        clock.advance(Duration.ofDays(60)); // every tag is now older than the expiry age

        ExpiryPlan plan = planner(lifecycle(null, Duration.ofDays(30), rule("ci/**", 2, null, null)))
                .plan(NS, clock.instant());

        assertThat(names(plan)).containsExactlyInAnyOrder("b1", "b2", "b3");
        // retention decides first and is named; tag expiry would have taken them too
        assertThat(plan.removals()).allSatisfy(r -> assertThat(r.rule()).startsWith("lifecycle.retention[1]"));
        apply(plan);
        assertThat(tags("ci/app")).containsExactlyInAnyOrder("b4", "b5");
    }

    @Test
    void tagExpiryStillAppliesToRepositoriesNoRuleMatches() {
        pushDaily("ci/app", "b1", "b2");
        pushDaily("other/app", "x1", "x2");
        clock.advance(Duration.ofDays(60));

        ExpiryPlan plan = planner(lifecycle(null, Duration.ofDays(30), rule("ci/**", 5, null, null)))
                .plan(NS, clock.instant());

        assertThat(plan.removals()).extracting(r -> r.repository() + ":" + r.name() + " " + r.rule())
                .containsExactlyInAnyOrder("other/app:x1 lifecycle.tags.expire-after 30d",
                        "other/app:x2 lifecycle.tags.expire-after 30d");
    }

    @Test
    void equalPushTimesAreOrderedByName() {
        images.image("ci/app", "a", "beta");
        images.image("ci/app", "b", "alpha");
        images.image("ci/app", "c", "gamma"); // all three at the same instant

        ExpiryPlan plan = planner(lifecycle(null, null, rule("ci/**", 2, null, null))).plan(NS, clock.instant());

        assertThat(names(plan)).containsExactly("gamma");
    }

    @Test
    void keepMatchingKeepsTagsRegardlessOfAgeAndAloneRemovesTheOthers() {
        images.image("ci/app", "v1", "v1.0");
        clock.advance(Duration.ofDays(400));
        images.image("ci/app", "dev", "dev-123");
        images.image("ci/app", "rel", "release-v2"); // "^v" does not find it: the pattern is anchored

        ExpiryPlan plan = planner(lifecycle(null, null, rule("ci/**", null, "^v[0-9]", null)))
                .plan(NS, clock.instant());

        assertThat(names(plan)).containsExactlyInAnyOrder("dev-123", "release-v2");
        assertThat(plan.removals()).allSatisfy(r -> assertThat(r.reason()).isEqualTo("not matching ^v[0-9]"));
    }

    @Test
    void keepLastAndKeepMatchingInOneRuleKeepTheirUnion() {
        images.image("ci/app", "v1", "v1.0");
        clock.advance(DAY);
        pushDaily("ci/app", "b1", "b2", "b3");

        ExpiryPlan plan = planner(lifecycle(null, null, rule("ci/**", 1, "^v[0-9]", null))).plan(NS, clock.instant());

        assertThat(names(plan)).containsExactlyInAnyOrder("b1", "b2");
        assertThat(plan.removals()).allSatisfy(r -> assertThat(r.reason())
                .isEqualTo("not among the 1 most recently pushed tags and not matching ^v[0-9]"));
    }

    @Test
    void aTagKeptByAnyMatchingRuleIsNeverExpiredByAnotherRule() {
        images.image("ci/app", "v1", "v1.0");
        clock.advance(DAY);
        pushDaily("ci/app", "b1", "b2", "b3");
        clock.advance(Duration.ofDays(100)); // everything is far older than tags.expire-after

        ExpiryPlan plan = planner(lifecycle(null, Duration.ofDays(30),
                rule("ci/**", 1, null, null),
                rule("ci/app", null, "^v", null))).plan(NS, clock.instant());

        // b3 is kept by rule 1's keep-last, v1.0 by rule 2's keep-matching; neither expires
        assertThat(names(plan)).containsExactlyInAnyOrder("b1", "b2");
        assertThat(plan.removals()).allSatisfy(r -> {
            assertThat(r.rule()).isEqualTo("lifecycle.retention[1] ci/**");
            assertThat(r.reason()).endsWith(", and no other matching rule keeps it");
        });
    }

    @Test
    void aRuleWithOnlyDeleteUntaggedAfterNeitherKeepsNorRemovesTags() {
        pushDaily("ci/app", "b1", "b2");
        clock.advance(Duration.ofDays(60));

        assertThat(planner(lifecycle(null, null, rule("ci/**", null, null, DAY))).plan(NS, clock.instant())
                .of(PlannedRemoval.Kind.TAG)).isEmpty();
        assertThat(planner(lifecycle(null, Duration.ofDays(30), rule("ci/**", null, null, DAY)))
                .plan(NS, clock.instant()).of(PlannedRemoval.Kind.TAG)).hasSize(2);
    }

    @Test
    void singleStarRulesMatchOneLevelAndDoubleStarRulesEveryLevel() {
        pushDaily("ci/app", "a1", "a2");
        pushDaily("ci/app/tests", "t1", "t2");
        pushDaily("ci", "c1", "c2");

        ExpiryPlan one = planner(lifecycle(null, null, rule("ci/*", 1, null, null))).plan(NS, clock.instant());
        ExpiryPlan every = planner(lifecycle(null, null, rule("ci/**", 1, null, null))).plan(NS, clock.instant());

        assertThat(one.removals()).extracting(r -> r.repository() + ":" + r.name()).containsExactly("ci/app:a1");
        assertThat(every.removals()).extracting(r -> r.repository() + ":" + r.name())
                .containsExactlyInAnyOrder("ci/app:a1", "ci/app/tests:t1");
    }

    // ---- retention: untagged manifests ----

    @Test
    void untaggedManifestsGoAfterTheDurationButTaggedOnesNever() {
        Digest tagged = images.image("ci/app", "tagged", "latest");
        Digest oldUntagged = images.image("ci/app", "old untagged");
        clock.advance(Duration.ofDays(5));
        Digest youngUntagged = images.image("ci/app", "young untagged");
        clock.advance(Duration.ofDays(5)); // tagged and oldUntagged: 10d, youngUntagged: 5d

        ExpiryPlan plan = planner(lifecycle(null, null, rule("ci/**", null, null, Duration.ofDays(7))))
                .plan(NS, clock.instant());

        assertThat(plan.removals()).singleElement().satisfies(r -> {
            assertThat(r.kind()).isEqualTo(PlannedRemoval.Kind.MANIFEST);
            assertThat(r.name()).isEqualTo(oldUntagged.toString());
            assertThat(r.rule()).isEqualTo("lifecycle.retention[1] ci/** delete-untagged-after 7d");
            assertThat(r.reason()).isEqualTo("untagged, last pushed 10d ago");
        });
        apply(plan);
        assertThat(revisions("ci/app")).containsExactlyInAnyOrder(tagged, youngUntagged);
        assertThat(tags("ci/app")).containsExactly("latest");
    }

    @Test
    void platformManifestsOfATaggedIndexAndReferrersOfATaggedImageAreInUse() {
        Digest amd64 = images.image("ci/app", "amd64");
        Digest arm64 = images.image("ci/app", "arm64");
        Digest index = images.index("ci/app", List.of(amd64, arm64), "latest");
        Digest signature = images.referrer("ci/app", index, "signature of the index");
        Digest sbomOfPlatform = images.referrer("ci/app", amd64, "sbom of amd64");
        Digest signatureOfSignature = images.referrer("ci/app", signature, "countersignature");
        clock.advance(Duration.ofDays(30));

        ExpiryPlan plan = planner(lifecycle(null, null, rule("ci/**", null, null, DAY))).plan(NS, clock.instant());

        assertThat(plan.removals()).isEmpty();
        assertThat(revisions("ci/app")).containsExactlyInAnyOrder(amd64, arm64, index, signature, sbomOfPlatform,
                signatureOfSignature);
    }

    @Test
    void anUntaggedManifestGoesWithItsReferrerEntryAndItsOwnReferrersWhenOldToo() {
        Digest image = images.image("ci/app", "image");
        Digest signature = images.referrer("ci/app", image, "signature");
        Digest keptSubject = images.image("ci/app", "kept", "latest");
        Digest keptSignature = images.referrer("ci/app", keptSubject, "kept signature");
        clock.advance(Duration.ofDays(10));

        ExpiryPlan plan = planner(lifecycle(null, null, rule("ci/**", null, null, DAY))).plan(NS, clock.instant());

        assertThat(plan.removals()).extracting(PlannedRemoval::name)
                .containsExactlyInAnyOrder(image.toString(), signature.toString());
        assertThat(plan.removals()).filteredOn(r -> r.name().equals(signature.toString())).singleElement()
                .satisfies(r -> assertThat(r.keys()).containsExactly(
                        StorageLayout.referrer(NS, new RepositoryName("ci/app"), image, signature),
                        StorageLayout.manifestRevision(NS, new RepositoryName("ci/app"), signature)));
        apply(plan);

        assertThat(revisions("ci/app")).containsExactlyInAnyOrder(keptSubject, keptSignature);
        assertThat(registry.manifests().referrers(NS, new RepositoryName("ci/app"), image, null)).isEmpty();
        assertThat(registry.manifests().referrers(NS, new RepositoryName("ci/app"), keptSubject, null)).hasSize(1);
    }

    @Test
    void manifestsReleasedByTagRemovalsGoInTheSameRun() {
        Digest b1 = images.image("ci/app", "b1", "b1");
        clock.advance(DAY);
        Digest b2 = images.image("ci/app", "b2", "b2");
        clock.advance(Duration.ofDays(10));

        ExpiryPlan plan = planner(lifecycle(null, null, rule("ci/**", 1, null, Duration.ofDays(7))))
                .plan(NS, clock.instant());

        assertThat(plan.removals()).extracting(r -> r.kind() + " " + r.name())
                .containsExactly("TAG b1", "MANIFEST " + b1);
        apply(plan);
        assertThat(revisions("ci/app")).containsExactly(b2);
    }

    @Test
    void theLongestDeleteUntaggedAfterAmongMatchingRulesApplies() {
        images.image("ci/app", "untagged");
        clock.advance(Duration.ofDays(10));

        assertThat(planner(lifecycle(null, null, rule("ci/**", null, null, DAY),
                rule("ci/app", null, null, Duration.ofDays(14)))).plan(NS, clock.instant()).removals()).isEmpty();
        assertThat(planner(lifecycle(null, null, rule("ci/**", null, null, DAY),
                rule("ci/app", null, null, Duration.ofDays(9)))).plan(NS, clock.instant()).removals())
                .singleElement().satisfies(r -> assertThat(r.rule())
                        .isEqualTo("lifecycle.retention[2] ci/app delete-untagged-after 9d"));
    }

    @Test
    void anUntaggedManifestTaggedAfterPlanningStays() {
        Digest image = images.image("ci/app", "image");
        clock.advance(Duration.ofDays(10));
        ExpiryPlan plan = planner(lifecycle(null, null, rule("ci/**", null, null, DAY))).plan(NS, clock.instant());
        assertThat(plan.removals()).hasSize(1);

        // an index pushed meanwhile makes it a platform manifest of a tagged image, without pushing it again
        images.index("ci/app", List.of(image), "multi");
        ExpiryResult result = new ExpiryExecutor(store).apply(plan);

        assertThat(result.skipped()).singleElement()
                .satisfies(s -> assertThat(s.why()).isEqualTo("a tag reaches it again"));
        assertThat(revisions("ci/app")).contains(image);
    }

    // ---- dry run ----

    @Test
    void planningIsADryRunThatChangesNothingAndNamesTheRuleOfEveryRemoval() {
        String upload = images.unfinishedUpload("ci/app", "stale");
        images.image("ci/app", "v1", "v1.0");
        pushDaily("ci/app", "b1", "b2", "b3");
        Digest untagged = images.image("ci/app", "untagged");
        pushDaily("other/app", "x1");
        clock.advance(Duration.ofDays(40));
        TreeMap<String, String> before = snapshot();

        ExpiryPlan plan = planner(lifecycle(Duration.ofHours(24), Duration.ofDays(30),
                rule("ci/**", 2, "^v", Duration.ofDays(7)))).plan(NS, clock.instant());

        assertThat(snapshot()).isEqualTo(before);
        assertThat(plan.removals()).extracting(PlannedRemoval::describe).containsExactlyInAnyOrder(
                "upload " + upload + " (" + plan.removals().getFirst().size()
                        + " bytes): lifecycle.uploads.expire-after 1d: last updated 42d ago",
                "tag ci/app:b1 -> " + tagTarget("ci/app", "b1") + " (" + manifestSize("ci/app", "b1")
                        + " bytes): lifecycle.retention[1] ci/**: not among the 2 most recently pushed tags"
                        + " and not matching ^v",
                "tag other/app:x1 -> " + tagTarget("other/app", "x1") + " (" + manifestSize("other/app", "x1")
                        + " bytes): lifecycle.tags.expire-after 30d: last pushed 40d ago",
                "manifest ci/app@" + tagTarget("ci/app", "b1") + " (" + manifestSize("ci/app", "b1")
                        + " bytes): lifecycle.retention[1] ci/** delete-untagged-after 7d: untagged,"
                        + " last pushed 42d ago",
                "manifest ci/app@" + untagged + " (" + registry.manifests().stat(NS, new RepositoryName("ci/app"),
                        untagged.toString()).size() + " bytes): lifecycle.retention[1] ci/** delete-untagged-after 7d:"
                        + " untagged, last pushed 40d ago");
        assertThat(plan.totalSize()).isPositive();

        ExpiryResult result = new ExpiryExecutor(store).apply(plan);
        assertThat(result.applied()).hasSize(5);
        assertThat(result.skipped()).isEmpty();
        assertThat(snapshot()).isNotEqualTo(before);
    }

    // ---- the backend's own timestamps ----

    @Test
    void agesComeFromTheBackendsOwnLastWriteTimes() {
        ObjectStore raw = CheckedStore.of(backend()); // no test stamps: what the backend itself reports
        Registry real = Registry.open(raw, BerthConfig.defaults(), java.time.Clock.systemUTC());
        Images pushes = new Images(real, NS);
        String upload = pushes.unfinishedUpload("ci/app", "chunk");
        pushes.image("ci/app", "image", "latest");
        Instant pushed = Instant.now();
        ExpiryPlanner planner = new ExpiryPlanner(raw, lifecycle(Duration.ofHours(24), Duration.ofDays(2)));

        assertThat(planner.plan(NS, pushed.plus(Duration.ofHours(1))).removals()).isEmpty();
        assertThat(planner.plan(NS, pushed.plus(Duration.ofHours(25))).removals())
                .extracting(PlannedRemoval::name).containsExactly(upload);
        ExpiryPlan later = planner.plan(NS, pushed.plus(Duration.ofDays(3)));
        assertThat(later.removals()).extracting(PlannedRemoval::name).containsExactly(upload, "latest");

        new ExpiryExecutor(raw).apply(later);
        assertThat(real.manifests().tags(NS, new RepositoryName("ci/app"), null, 10).tags()).isEmpty();
        assertThat(raw.list(StorageLayout.uploadsPrefix(NS), null, 10).entries()).isEmpty();
    }

    // ---- helpers ----

    ExpiryPlanner planner(Lifecycle lifecycle) {
        return new ExpiryPlanner(store, lifecycle);
    }

    static Lifecycle lifecycle(Duration uploads, Duration tags, RetentionRule... rules) {
        Lifecycle defaults = BerthConfig.defaults().lifecycle();
        return defaults
                .withUploads(new BerthConfig.Uploads(uploads == null ? Duration.ofDays(3650) : uploads))
                .withTags(new BerthConfig.Tags(Optional.ofNullable(tags)))
                .withRetention(List.of(rules));
    }

    static RetentionRule rule(String glob, Integer keepLast, String keepMatching, Duration deleteUntaggedAfter) {
        return new RetentionRule(glob, keepLast == null ? OptionalInt.empty() : OptionalInt.of(keepLast),
                Optional.ofNullable(keepMatching), Optional.ofNullable(deleteUntaggedAfter));
    }

    void apply(ExpiryPlan plan) {
        ExpiryResult result = new ExpiryExecutor(store).apply(plan);
        assertThat(result.skipped()).isEmpty();
        assertThat(result.applied()).hasSameSizeAs(plan.removals());
    }

    /** Pushes one image per tag, a day apart, the last one now. */
    void pushDaily(String repo, String... tags) {
        for (int i = 0; i < tags.length; i++) {
            if (i > 0) {
                clock.advance(DAY);
            }
            images.image(repo, repo + " " + tags[i], tags[i]);
        }
    }

    static List<String> names(ExpiryPlan plan) {
        return plan.removals().stream().map(PlannedRemoval::name).toList();
    }

    List<String> tags(String repo) {
        return registry.manifests().tags(NS, new RepositoryName(repo), null, 1000).tags();
    }

    List<Digest> revisions(String repo) {
        String prefix = StorageLayout.manifestRevisionsPrefix(NS, new RepositoryName(repo));
        List<Digest> digests = new ArrayList<>();
        for (String key : keysUnder(prefix)) {
            digests.add(Digest.parse(key.substring(prefix.length()).replace('/', ':')));
        }
        return digests;
    }

    List<String> keysUnder(String prefix) {
        List<String> keys = new ArrayList<>();
        store.listAll(prefix, 100).forEach(info -> keys.add(info.key()));
        return keys;
    }

    TreeMap<String, String> snapshot() {
        TreeMap<String, String> all = new TreeMap<>();
        for (ObjectInfo info : store.listAll(NS.id() + "/", 1000)) {
            all.put(info.key(), info.etag());
        }
        return all;
    }

    long recordSize(String uploadId) {
        return store.stat(StorageLayout.uploadRecord(NS, uploadId)).orElseThrow().size();
    }

    String tagTarget(String repo, String tag) {
        return registry.manifests().stat(NS, new RepositoryName(repo), tag).digest().toString();
    }

    long manifestSize(String repo, String tag) {
        return registry.manifests().stat(NS, new RepositoryName(repo), tag).size();
    }
}
