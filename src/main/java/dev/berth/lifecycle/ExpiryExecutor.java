package dev.berth.lifecycle;

import dev.berth.registry.Namespace;
import dev.berth.registry.RepositoryName;
import dev.berth.registry.digest.Digest;
import dev.berth.storage.ObjectInfo;
import dev.berth.storage.ObjectStore;
import dev.berth.storage.StorageException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies an {@link ExpiryPlan} while the registry serves. Each removal first checks that its deciding object is
 * unchanged since planning (the store has no conditional delete, so this narrows the race rather than closing
 * it): an upload that received a chunk, a tag pushed again, or a manifest pushed again is left alone. Before
 * manifests of a repository go, the repository's tags are read again, and a manifest a tag reaches by now stays.
 */
public final class ExpiryExecutor {
    private static final Logger log = LoggerFactory.getLogger(ExpiryExecutor.class);

    private final ObjectStore store;

    /** Removes from {@code store}. */
    public ExpiryExecutor(ObjectStore store) {
        this.store = store;
    }

    /** Carries out every removal of {@code plan} that still holds; what changed meanwhile is skipped and reported. */
    public ExpiryResult apply(ExpiryPlan plan) {
        List<PlannedRemoval> applied = new ArrayList<>();
        List<ExpiryResult.Skip> skipped = new ArrayList<>();
        Map<String, List<PlannedRemoval>> manifestsByRepository = new LinkedHashMap<>();
        for (PlannedRemoval removal : plan.removals()) {
            if (removal.kind() == PlannedRemoval.Kind.MANIFEST) {
                // after every tag removal, so the re-check sees the tags as they will stay
                manifestsByRepository.computeIfAbsent(removal.repository(), r -> new ArrayList<>()).add(removal);
            } else {
                attempt(removal, Optional.empty(), applied, skipped);
            }
        }
        manifestsByRepository.forEach((repository, removals) -> {
            Set<Digest> reachable;
            try {
                reachable = reachableNow(plan.namespace(), new RepositoryName(repository));
            } catch (StorageException e) {
                log.error("expiry: could not re-read the tags of {}; its manifests stay: {}", repository,
                        e.getMessage());
                removals.forEach(r -> skipped.add(new ExpiryResult.Skip(r, "storage failed: " + e.getMessage(), true)));
                return;
            }
            for (PlannedRemoval removal : removals) {
                boolean tagged = reachable.contains(Digest.parse(removal.name()));
                attempt(removal, tagged ? Optional.of("a tag reaches it again") : Optional.empty(), applied, skipped);
            }
        });
        return new ExpiryResult(applied, skipped);
    }

    private void attempt(PlannedRemoval removal, Optional<String> veto, List<PlannedRemoval> applied,
            List<ExpiryResult.Skip> skipped) {
        try {
            Optional<String> why = veto.or(() -> changedSincePlanning(removal));
            if (why.isPresent()) {
                log.info("expiry: kept {}: {}", removal.describe(), why.get());
                skipped.add(new ExpiryResult.Skip(removal, why.get(), false));
                return;
            }
            for (String key : removal.keys()) {
                store.delete(key);
            }
            log.info("expiry: removed {}", removal.describe());
            applied.add(removal);
        } catch (StorageException e) {
            log.error("expiry: removing {} failed: {}", removal.describe(), e.getMessage());
            skipped.add(new ExpiryResult.Skip(removal, "storage failed: " + e.getMessage(), true));
        }
    }

    /** Why the removal no longer holds, judged by its deciding object: the first of its keys. */
    private Optional<String> changedSincePlanning(PlannedRemoval removal) {
        if (removal.guard() == null) {
            return Optional.empty(); // an upload without a record: nothing can write to it any more
        }
        String guarded = switch (removal.kind()) {
            case UPLOAD, TAG -> removal.keys().getFirst();
            case MANIFEST -> removal.keys().getLast(); // the revision link; a referrer entry precedes it
        };
        Optional<ObjectInfo> now = store.stat(guarded);
        if (now.isEmpty()) {
            return Optional.of(switch (removal.kind()) {
                case UPLOAD -> "the upload was completed or cancelled meanwhile";
                case TAG, MANIFEST -> "already deleted";
            });
        }
        if (!now.get().etag().equals(removal.guard())) {
            return Optional.of(switch (removal.kind()) {
                case UPLOAD -> "the upload received a chunk meanwhile";
                case TAG -> "the tag was pushed again meanwhile";
                case MANIFEST -> "the manifest was pushed again meanwhile";
            });
        }
        return Optional.empty();
    }

    private Set<Digest> reachableNow(Namespace ns, RepositoryName repo) {
        RepositoryContents contents = RepositoryContents.read(store, ns, repo);
        List<Digest> tagged = contents.tags().stream().map(RepositoryContents.TagEntry::target)
                .filter(d -> d != null).toList();
        return ManifestGraph.read(store, ns, contents).reachableFrom(tagged);
    }
}
