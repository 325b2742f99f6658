package dev.berth.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SegmentPlanTest {

    private static List<SloSegment> segments(int count) {
        List<SloSegment> list = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            list.add(new SloSegment("/c_segments/g/" + i, String.format("%032x", i), i + 1));
        }
        return list;
    }

    @Test
    void segmentsWithinTheLimitNeedOneManifest() {
        SegmentPlan plan = SegmentPlan.of(segments(1000), 1000, "c_segments", (l, i) -> "m" + l + "-" + i);

        assertThat(plan.nested()).isEmpty();
        assertThat(plan.top()).hasSize(1000);
        assertThat(plan.levels()).isEqualTo(1);
    }

    @Test
    void moreSegmentsNestManifestsThatListEverySegmentOnceInOrder() {
        List<SloSegment> leaves = segments(1001);
        SegmentPlan plan = SegmentPlan.of(leaves, 1000, "c_segments", (l, i) -> "m" + l + "-" + i);

        assertThat(plan.levels()).isEqualTo(2);
        assertThat(plan.nested()).hasSize(1); // 1000 in a nested manifest, the last one directly in the top
        assertThat(plan.top()).hasSize(2);
        assertThat(plan.top().get(0).size()).isEqualTo(SloSegment.totalSize(leaves.subList(0, 1000)));
        assertThat(plan.top().get(1)).isEqualTo(leaves.get(1000));
        assertThat(expand(plan, plan.top())).containsExactlyElementsOf(leaves);
    }

    @Test
    void aSmallLimitNestsSeveralLevels() {
        List<SloSegment> leaves = segments(30);
        SegmentPlan plan = SegmentPlan.of(leaves, 3, "c_segments", (l, i) -> "m" + l + "-" + i);

        assertThat(plan.levels()).isEqualTo(4); // 30 -> 10 -> 4 -> 2
        assertThat(plan.top()).hasSizeLessThanOrEqualTo(3);
        plan.nested().forEach(n -> assertThat(n.entries()).hasSizeBetween(2, 3));
        assertThat(expand(plan, plan.top())).containsExactlyElementsOf(leaves);
        assertThat(SloSegment.totalSize(plan.top())).isEqualTo(SloSegment.totalSize(leaves));
    }

    @Test
    void theSloEtagIsTheMd5OfTheConcatenatedSegmentEtags() {
        // Swift's value for the two segments "hello " and "world", observed on Swift 2.30.
        List<SloSegment> entries = List.of(
                new SloSegment("/s/1", "f814893777bcc2295fff05f00e508da6", 6),
                new SloSegment("/s/2", "7d793037a0760186574b0282f2f435e7", 5));

        assertThat(SloSegment.sloEtag(entries)).isEqualTo("a9241ba5acd28b215123d94a556f0dcc");
    }

    private static List<SloSegment> expand(SegmentPlan plan, List<SloSegment> entries) {
        List<SloSegment> out = new ArrayList<>();
        for (SloSegment entry : entries) {
            SegmentPlan.Nested nested = plan.nested().stream()
                    .filter(n -> n.asSegment().equals(entry)).findFirst().orElse(null);
            if (nested == null) {
                out.add(entry);
            } else {
                assertThat(entry.etag()).isEqualTo(SloSegment.sloEtag(nested.entries()));
                out.addAll(expand(plan, nested.entries()));
            }
        }
        return out;
    }
}
