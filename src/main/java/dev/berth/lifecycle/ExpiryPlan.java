package dev.berth.lifecycle;

import dev.berth.registry.Namespace;
import java.time.Instant;
import java.util.List;

/**
 * Everything expiry and retention would remove from one namespace at one instant. Planning writes nothing, so a
 * plan is also the dry run; {@link ExpiryExecutor} applies it.
 *
 * @param namespace the namespace planned
 * @param now the instant every age was measured against
 * @param removals uploads first, then per repository its tags and then its manifests
 */
public record ExpiryPlan(Namespace namespace, Instant now, List<PlannedRemoval> removals) {

    public ExpiryPlan {
        removals = List.copyOf(removals);
    }

    /** The removals of one kind, in plan order. */
    public List<PlannedRemoval> of(PlannedRemoval.Kind kind) {
        return removals.stream().filter(r -> r.kind() == kind).toList();
    }

    /** The sum of the removals' sizes. */
    public long totalSize() {
        return removals.stream().mapToLong(PlannedRemoval::size).sum();
    }

    /** True when nothing would be removed. */
    public boolean isEmpty() {
        return removals.isEmpty();
    }
}
