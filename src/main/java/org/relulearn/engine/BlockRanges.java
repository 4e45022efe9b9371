package org.relulearn.engine;

/** Partition i of p owns blocks [first(i), end(i)) of nb: contiguous, sizes differing by at most one. */
public final class BlockRanges {
    private BlockRanges() {}

    public static long first(long nb, int p, int i) { return Math.floorDiv(nb * i, p) ; }

    public static long end(long nb, int p, int i) { return first(nb, p, i + 1); }
}
