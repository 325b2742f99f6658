package dev.berth.storage;

import java.util.ArrayList;
import java.util.List;

/**
 * How an {@link S3Store} assembles sources into one multipart upload: a list of parts, each either a server-side
 * copy of one byte range of one source, or an upload of small pieces that Berth reads and sends as one part.
 *
 * <p>S3 refuses parts below {@link S3Limits#minPartSize()} except the last, and part copies above
 * {@link S3Limits#maxPartCopySize()}. So a source of at least the minimum is copied in one or more evenly split
 * ranges; smaller sources are merged with their neighbours (and, when a large source follows, with its first
 * bytes) into uploaded parts of exactly the minimum. Merging is the only case in which data passes through Berth,
 * and it never holds more than one minimum part per concatenation.
 *
 * @param parts the parts in order
 */
record ConcatenationPlan(List<Part> parts) {
    ConcatenationPlan {
        parts = List.copyOf(parts);
    }

    /** A byte range of one source, by its index in the source list. */
    record Piece(int source, long offset, long length) {}

    /** One part of the multipart upload. */
    sealed interface Part {
        /** The part's length in bytes. */
        long length();
    }

    /** A server-side copy of one range. */
    record CopyPart(Piece piece) implements Part {
        @Override
        public long length() {
            return piece.length();
        }
    }

    /** Pieces read through Berth and uploaded as one part. */
    record UploadPart(List<Piece> pieces) implements Part {
        UploadPart {
            pieces = List.copyOf(pieces);
        }

        @Override
        public long length() {
            return pieces.stream().mapToLong(Piece::length).sum();
        }
    }

    /** Plans the parts for sources of these sizes; empty sources contribute nothing. */
    static ConcatenationPlan of(long[] sizes, S3Limits limits) {
        Planner planner = new Planner(limits, true);
        for (int i = 0; i < sizes.length; i++) {
            planner.add(i, sizes[i]);
        }
        return new ConcatenationPlan(planner.finish());
    }

    /**
     * Splits the sources into consecutive groups whose plans each stay within {@link S3Limits#maxParts()}, greedily.
     * Returns the index where each group starts, the first being 0. Concatenating each group first and then the
     * results is how an {@link S3Store} handles more parts than one upload may have.
     */
    static List<Integer> groupStarts(long[] sizes, S3Limits limits) {
        List<Integer> starts = new ArrayList<>();
        starts.add(0);
        Planner counter = new Planner(limits, false);
        for (int i = 0; i < sizes.length; i++) {
            Planner trial = counter.copy();
            trial.add(i, sizes[i]);
            if (trial.countWhenFinished() > limits.maxParts() && i > starts.getLast()) {
                starts.add(i);
                counter = new Planner(limits, false);
                counter.add(i, sizes[i]);
            } else {
                counter = trial;
            }
        }
        return starts;
    }

    /** The total number of bytes. */
    long length() {
        return parts.stream().mapToLong(Part::length).sum();
    }

    /** Walks the sources once; without {@code keep} it only counts, so grouping stays linear. */
    private static final class Planner {
        private final S3Limits limits;
        private final boolean keep;
        private final List<Part> parts = new ArrayList<>();
        private List<Piece> pending = new ArrayList<>();
        private long pendingSize;
        private int count;

        Planner(S3Limits limits, boolean keep) {
            this.limits = limits;
            this.keep = keep;
        }

        Planner copy() {
            Planner copy = new Planner(limits, keep);
            copy.parts.addAll(parts);
            copy.pending = new ArrayList<>(pending);
            copy.pendingSize = pendingSize;
            copy.count = count;
            return copy;
        }

        void add(int source, long size) {
            long offset = 0;
            if (pendingSize > 0 && size > 0) {
                // Top the pending merge up to the minimum with this source's first bytes.
                long take = Math.min(size, limits.minPartSize() - pendingSize);
                addPending(new Piece(source, 0, take));
                offset = take;
            }
            long rest = size - offset;
            if (rest == 0) {
                return;
            }
            if (rest < limits.minPartSize()) {
                addPending(new Piece(source, offset, rest));
                return;
            }
            // Even ranges, each at most the copy maximum and (since that is twice the minimum) at least the minimum.
            long n = (rest + limits.maxPartCopySize() - 1) / limits.maxPartCopySize();
            long base = rest / n;
            long extra = rest % n;
            for (long k = 0; k < n; k++) {
                long length = base + (k < extra ? 1 : 0);
                count++;
                if (keep) {
                    parts.add(new CopyPart(new Piece(source, offset, length)));
                }
                offset += length;
            }
        }

        private void addPending(Piece piece) {
            pending.add(piece);
            pendingSize += piece.length();
            if (pendingSize >= limits.minPartSize()) {
                flush();
            }
        }

        private void flush() {
            count++;
            if (keep) {
                parts.add(new UploadPart(pending));
            }
            pending = new ArrayList<>();
            pendingSize = 0;
        }

        int countWhenFinished() {
            return count + (pendingSize > 0 ? 1 : 0);
        }

        List<Part> finish() {
            if (pendingSize > 0) {
                flush(); // the last part may be below the minimum
            }
            return parts;
        }
    }
}
