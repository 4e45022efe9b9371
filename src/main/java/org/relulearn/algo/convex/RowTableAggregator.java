package org.relulearn.algo.convex;

import java.util.ArrayList;
import java.util.List;
import org.relulearn.data.Block;
import org.relulearn.engine.Aggregator;

/**
 * Gathers the design matrix's rows on the driver, for the n x n Woodbury route only (docs/convex.md,
 * Design, u-step), which needs the pairwise products x_r^T B^{-1} x_s. The trainer chooses that route
 * only when the n x n matrix fits its memory cap, so at most a few thousand rows travel; a row cap
 * guards against misuse. Merging concatenates in merge order, which the engine fixes per runner.
 */
public final class RowTableAggregator implements Aggregator<RowTableAggregator> {
    private static final long serialVersionUID = 1L;

    private final boolean bias;
    private final long maxRows;
    private final List<double[]> chunks = new ArrayList<>();
    private long n;
    private int dp;

    public RowTableAggregator(boolean bias, long maxRows) {
        this.bias = bias;
        this.maxRows = maxRows;
    }

    @Override
    public void add(Block block) {
        int rows = block.rows();
        if (rows == 0) return;
        dp = ConvexFeatures.columns(block.d(), bias);
        n += rows;
        if (n > maxRows) throw new IllegalStateException("the Woodbury route gathers at most " + maxRows + " rows; use the CG route");
        double[] x = ConvexFeatures.design(block, bias, new double[1][]);
        chunks.add(java.util.Arrays.copyOf(x, rows * dp));
    }

    @Override
    public RowTableAggregator merge(RowTableAggregator o) {
        chunks.addAll(o.chunks);
        n += o.n;
        if (dp == 0) dp = o.dp;
        return this;
    }

    @Override public long count() { return n; }

    /** All rows, row-major n x d'. */
    public double[] rows() {
        double[] all = new double[(int) (n * dp)];
        int at = 0;
        for (double[] c : chunks) {
            System.arraycopy(c, 0, all, at, c.length);
            at += c.length;
        }
        return all;
    }
}
