package dev.berth.lifecycle;

import java.util.List;

/**
 * What applying an {@link ExpiryPlan} did.
 *
 * @param applied the removals carried out
 * @param skipped the removals left undone, each with the reason
 */
public record ExpiryResult(List<PlannedRemoval> applied, List<Skip> skipped) {

    public ExpiryResult {
        applied = List.copyOf(applied);
        skipped = List.copyOf(skipped);
    }

    /**
     * A removal not carried out.
     *
     * @param removal the planned removal
     * @param why what changed since planning, or the storage failure
     * @param failure true when the store failed, false when the object changed and was rightly left alone
     */
    public record Skip(PlannedRemoval removal, String why, boolean failure) {}

    /** The removals that failed because the store did. */
    public List<Skip> failures() {
        return skipped.stream().filter(Skip::failure).toList();
    }
}
