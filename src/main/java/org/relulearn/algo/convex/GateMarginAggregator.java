package org.relulearn.algo.convex;

import org.relulearn.data.Block;
import org.relulearn.engine.SummingAggregator;
import org.relulearn.engine.Shared;
import org.relulearn.linalg.Blas;

/**
 * The gates' distances to the data, one pass: for gate vectors h_1..h_P (P x d' row-major) and the
 * design rows x_r (bias column included when the fit has one), with z_ri = x_r . h_i,
 * <pre>
 *   below_i = max { z_ri : z_ri &lt; 0 }   (-inf when no row is inactive)
 *   above_i = min { z_ri : z_ri &gt;= 0 }  (+inf when no row is active)
 * </pre>
 * The pattern d_ri = 1[z_ri &gt;= 0] keeps its rows within any threshold strictly between below_i and
 * above_i, so recentring the gate's bias coordinate by -(below_i + above_i)/2 gives the same pattern with
 * the largest smallest |z_ri| for the gate's direction, (above_i - below_i)/2 ({@link GateChoice}).
 * Max and min are exact, so any merge order gives the same result. One gemm per block, no per-row allocation.
 */
public final class GateMarginAggregator extends SummingAggregator<GateMarginAggregator> {
    private static final long serialVersionUID = 1L;
    private final Shared<double[]> gates;
    private final int p;
    private final boolean bias;
    private final double[] below;
    private final double[] above;
    private transient double[][] design;
    private transient double[] z;

    public GateMarginAggregator(Shared<double[]> gates, int p, boolean bias) {
        this.gates = gates;
        this.p = p;
        this.bias = bias;
        this.below = maxima(p);
        this.above = minima(p);
    }

    @Override
    protected void addRows(Block block) {
        int rows = block.rows();
        if (rows == 0) return;
        int dp = ConvexFeatures.columns(block.d(), bias);
        if (design == null) design = new double[1][];
        double[] x = ConvexFeatures.design(block, bias, design);
        if (z == null || z.length < rows * p) z = new double[rows * p];
        Blas.native3().dgemm("T", "N", rows, p, dp, 1.0, x, dp, gates.value(), dp, 0.0, z, rows);
        for (int i = 0; i < p; i++) {
            double lo = below[i], hi = above[i];
            for (int r = 0; r < rows; r++) {
                double v = z[r + i * rows];
                if (v >= 0) {
                    if (v < hi) hi = v;
                } else if (v > lo) {
                    lo = v;
                }
            }
            below[i] = lo;
            above[i] = hi;
        }
    }

    /** Per gate: the largest negative x_r . h_i (-inf if none). */
    public double[] below() { return below.clone(); }

    /** Per gate: the smallest non-negative x_r . h_i (+inf if none). */
    public double[] above() { return above.clone(); }
}
