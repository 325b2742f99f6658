package dev.berth.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ConcatenationPlanTest {
    private static final S3Limits SMALL = new S3Limits(10, 10, 10_000, 25, 100);

    @Test
    void largeSourcesAreCopiedWholeAndSmallOnesMerged() {
        ConcatenationPlan plan = ConcatenationPlan.of(new long[] {12, 3, 4, 5, 10}, SMALL);

        assertThat(plan.parts()).containsExactly(
                copy(0, 0, 12),
                new ConcatenationPlan.UploadPart(List.of(piece(1, 0, 3), piece(2, 0, 4), piece(3, 0, 3))),
                new ConcatenationPlan.UploadPart(List.of(piece(3, 3, 2), piece(4, 0, 8))),
                new ConcatenationPlan.UploadPart(List.of(piece(4, 8, 2))));
    }

    @Test
    void sourcesAboveTheCopyLimitAreSplitEvenly() {
        ConcatenationPlan plan = ConcatenationPlan.of(new long[] {51}, SMALL);

        assertThat(plan.parts()).containsExactly(copy(0, 0, 17), copy(0, 17, 17), copy(0, 34, 17));
    }

    @Test
    void everyPlanCoversTheSourcesInOrderWithinTheLimits() {
        SplittableRandom random = new SplittableRandom(7);
        for (int round = 0; round < 500; round++) {
            long[] sizes = new long[random.nextInt(0, 12)];
            for (int i = 0; i < sizes.length; i++) {
                sizes[i] = random.nextInt(4) == 0 ? random.nextLong(0, 80) : random.nextLong(0, 12);
            }
            ConcatenationPlan plan = ConcatenationPlan.of(sizes, SMALL);

            List<long[]> covered = new ArrayList<>(); // {source, offset, length} in order
            for (int p = 0; p < plan.parts().size(); p++) {
                ConcatenationPlan.Part part = plan.parts().get(p);
                if (p < plan.parts().size() - 1) {
                    assertThat(part.length()).as("round %d part %d", round, p).isGreaterThanOrEqualTo(10);
                }
                switch (part) {
                    case ConcatenationPlan.CopyPart c -> {
                        assertThat(c.length()).isBetween(10L, 25L);
                        covered.add(new long[] {c.piece().source(), c.piece().offset(), c.piece().length()});
                    }
                    case ConcatenationPlan.UploadPart u -> {
                        assertThat(u.length()).isLessThanOrEqualTo(10);
                        u.pieces().forEach(x -> covered.add(new long[] {x.source(), x.offset(), x.length()}));
                    }
                }
            }
            long[] position = new long[sizes.length];
            int source = 0;
            for (long[] piece : covered) {
                while (source < sizes.length && position[source] == sizes[source]) {
                    source++;
                }
                assertThat(piece[0]).as("round %d", round).isEqualTo(source);
                assertThat(piece[1]).isEqualTo(position[source]);
                position[source] += piece[2];
            }
            for (int i = 0; i < sizes.length; i++) {
                assertThat(position[i]).as("round %d source %d", round, i).isEqualTo(sizes[i]);
            }
        }
    }

    @Test
    void groupsKeepEachUploadWithinThePartLimit() {
        S3Limits three = new S3Limits(10, 10, 3, 25, 100);
        long[] sizes = {10, 10, 10, 10, 10, 10, 10, 3};

        List<Integer> starts = ConcatenationPlan.groupStarts(sizes, three);

        assertThat(starts).containsExactly(0, 3, 6);
        assertThat(ConcatenationPlan.groupStarts(new long[] {10, 10}, three)).containsExactly(0);
    }

    private static ConcatenationPlan.Piece piece(int source, long offset, long length) {
        return new ConcatenationPlan.Piece(source, offset, length);
    }

    private static ConcatenationPlan.CopyPart copy(int source, long offset, long length) {
        return new ConcatenationPlan.CopyPart(piece(source, offset, length));
    }
}
