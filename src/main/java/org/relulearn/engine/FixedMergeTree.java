package org.relulearn.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * The fixed merge tree of deterministic aggregation, shared by {@link LocalPassRunner} and the
 * Spark runner's deterministic mode so both combine partial results in exactly the same order.
 *
 * <p>With p partial results (indexed 0..p-1) and depth D, the fan-out is
 * f = max(2, ceil(p^(1/D))). While more than f results remain, result i joins group floor(i / f)
 * and each group merges its members left to right in index order; the last at most f results are
 * merged left to right on the driver. Floating-point addition is not associative, so the order
 * is part of the result: two runners that follow this tree give bit-identical sums for any
 * aggregator.
 *
 * <p>Up to {@link #DIRECT_MERGE_LIMIT} partial results are merged directly on the driver whatever
 * the depth: an extra tree level costs a shuffle stage (tens of milliseconds) and saves nothing
 * when so few partial results travel.
 */
public final class FixedMergeTree {
    private FixedMergeTree() {}

    /** Partial results merged directly on the driver, with no intermediate level. */
    public static final int DIRECT_MERGE_LIMIT = 16;

    /** Fan-out f = max(2, ceil(p^(1/depth))) of the tree over p partial results (p when p is small). */
    public static int fanout(int parts, int depth) {
        if (parts < 1) throw new IllegalArgumentException("need at least one partial result, got " + parts);
        if (depth < 1) throw new IllegalArgumentException("aggregation depth must be >= 1, got " + depth);
        if (parts <= DIRECT_MERGE_LIMIT) return Math.max(2, parts);
        return Math.max(2, (int) Math.ceil(Math.pow(parts, 1.0 / depth)));
    }

    /** The treeReduce depth for p partial results: 1 (direct) up to the limit, else the configured depth. */
    public static int treeDepth(int parts, int depth) {
        return parts <= DIRECT_MERGE_LIMIT ? 1 : depth;
    }

    /** The group of result {@code index} at the next level: floor(index / fanout). */
    public static int groupOf(int index, int fanout) {
        return index / fanout;
    }

    /**
     * Merges partial results given in index order along the tree. The elements are merged into
     * (and so modified); the returned aggregator is one of them.
     */
    public static <A extends Aggregator<A>> A reduce(List<A> partsInIndexOrder, int depth) {
        int f = fanout(partsInIndexOrder.size(), depth);
        List<A> level = partsInIndexOrder;
        while (level.size() > f) {
            int groups = (level.size() + f - 1) / f;
            List<A> next = new ArrayList<>(groups);
            for (int g = 0; g < groups; g++) {
                next.add(leftFold(level, g * f, Math.min(level.size(), (g + 1) * f)));
            }
            level = next;
        }
        return leftFold(level, 0, level.size());
    }

    private static <A extends Aggregator<A>> A leftFold(List<A> parts, int from, int to) {
        A acc = parts.get(from);
        for (int i = from + 1; i < to; i++) acc = acc.merge(parts.get(i));
        return acc;
    }
}
