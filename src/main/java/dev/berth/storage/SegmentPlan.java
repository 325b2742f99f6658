package dev.berth.storage;

import java.util.ArrayList;
import java.util.List;

/**
 * How a list of segments becomes manifests no longer than Swift allows: when there are more segments than one
 * manifest may hold, they are grouped into nested manifests (an SLO segment may itself be an SLO), level by level,
 * until the top manifest fits. Pure computation, so it is tested without a server.
 *
 * @param nested the nested manifests in the order they must be written (each before any manifest naming it)
 * @param top the entries of the manifest written last, at the target key
 * @param levels how many levels of manifests there are, the top one included
 */
record SegmentPlan(List<Nested> nested, List<SloSegment> top, int levels) {

    /**
     * A manifest stored among the segments.
     *
     * @param object its object name in the segments container
     * @param entries what it lists
     * @param asSegment the entry that names it in the manifest one level up
     */
    record Nested(String object, List<SloSegment> entries, SloSegment asSegment) {}

    /** Names a nested manifest by its level (1 is just above the segments) and its index in that level. */
    interface Namer {
        String object(int level, int index);
    }

    /**
     * Plans manifests over {@code segments} with at most {@code limit} entries each.
     *
     * @param container the segments container, for the paths of nested manifests
     */
    static SegmentPlan of(List<SloSegment> segments, int limit, String container, Namer namer) {
        if (limit < 2) {
            throw new IllegalArgumentException("a manifest must hold at least 2 segments: " + limit);
        }
        List<Nested> nested = new ArrayList<>();
        List<SloSegment> level = List.copyOf(segments);
        int depth = 1;
        while (level.size() > limit) {
            List<SloSegment> up = new ArrayList<>();
            for (int from = 0, index = 0; from < level.size(); from += limit, index++) {
                List<SloSegment> group = List.copyOf(level.subList(from, Math.min(from + limit, level.size())));
                if (group.size() == 1) {
                    up.add(group.getFirst()); // a manifest of one entry would only add a hop
                    continue;
                }
                String object = namer.object(depth, index);
                SloSegment entry = new SloSegment(
                        "/" + container + "/" + object, SloSegment.sloEtag(group), SloSegment.totalSize(group));
                nested.add(new Nested(object, group, entry));
                up.add(entry);
            }
            level = up;
            depth++;
        }
        return new SegmentPlan(List.copyOf(nested), level, depth);
    }
}
