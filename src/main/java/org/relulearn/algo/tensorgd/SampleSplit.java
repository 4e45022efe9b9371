package org.relulearn.algo.tensorgd;

import java.io.Serializable;
import org.relulearn.data.CounterRng;

/**
 * The sample split of Phase I (docs/tensor-gd.md, Design). Faithful: every row goes to
 * exactly one of S2 (subspace), S3 (order-3/4 statistic), S4a (Q1) or S4b (Q2) with probabilities
 * 1/3, 1/3, 1/6, 1/6, decided by a hash of (seed, row id) so every partition and every pass agrees
 * without shuffling. Reuse [DEV]: every step uses every row.
 *
 * <p>Row ids are {@code block.firstRow() + r}: global for synthetic data, partition-local for file
 * data (the assignment then depends on the partitioning, which is fixed for a cached data set).
 */
public record SampleSplit(TensorGdOptions.Split mode, long seed) implements Serializable {
    public static final int S2 = 0, S3 = 1, S4A = 2, S4B = 3;

    /** The part of row {@code row}: one of S2, S3, S4A, S4B (faithful mode only). */
    public int part(long row) {
        double u = (CounterRng.mix64(row * 0x9E3779B97F4A7C15L + seed * 0xC2B2AE3D27D4EB4FL + 0x5EED) >>> 11) * 0x1.0p-53;
        if (u < 1.0 / 3) return S2;
        if (u < 2.0 / 3) return S3;
        return u < 5.0 / 6 ? S4A : S4B;
    }

    /** Whether a row belongs to part {@code p} (always true in reuse mode). */
    public boolean in(long row, int p) {
        return mode == TensorGdOptions.Split.REUSE || part(row) == p;
    }

    /** The +-1 sign of a row in noise draw {@code draw}, independent of the part (a different hash): {@link SubspaceAggregator}. */
    public double sign(long row, int draw) {
        long h = CounterRng.mix64(row * 0xD6E8FEB86659FD93L + seed * 0x9E3779B97F4A7C15L + (0x51C4L + draw) * 0xC2B2AE3D27D4EB4FL);
        return (h >>> 63) == 0 ? 1 : -1;
    }

    public boolean reuse() { return mode == TensorGdOptions.Split.REUSE; }
}
