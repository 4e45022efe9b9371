package org.relulearn.algo.convex;

import org.relulearn.data.Block;
import org.relulearn.engine.SummingAggregator;
import org.relulearn.engine.CompensatedSum;
import org.relulearn.engine.Shared;
import org.relulearn.linalg.Blas;

/**
 * One step's sums of the gate margin ascent ({@link GateChoice#refine}): for gates h_1..h_P (P x d'
 * row-major), z_ri = x_r . h_i, temperature tau and per-gate shifts s_i (a recent min_r |z_ri|, so the
 * exponentials stay in range),
 * <pre>
 *   S_i = sum_r exp(-(|z_ri| - s_i) / tau),   G_i = sum_r exp(-(|z_ri| - s_i) / tau) sign(z_ri) x_r   (d')
 * </pre>
 * so the soft minimum F_i = s_i - tau log S_i of |z_ri| has gradient G_i / S_i; also, exactly, the
 * largest negative and smallest non-negative z_ri (the gap around the hyperplane, as in
 * {@link GateMarginAggregator}). Per block one gemm for Z and one for G; no per-row allocation.
 */
public final class GateAscentAggregator extends SummingAggregator<GateAscentAggregator> {
    private static final long serialVersionUID = 1L;
    private final Shared<double[]> gates;
    private final double[] shift;
    private final double tau;
    private final int p;
    private final int dp;
    private final boolean bias;
    private final CompensatedSum s;
    private final CompensatedSum g;
    private final double[] below;
    private final double[] above;
    private transient double[][] design;
    private transient double[] z;

    public GateAscentAggregator(Shared<double[]> gates, double[] shift, double tau, int p, int dp, boolean bias) {
        this.gates = gates;
        this.shift = shift;
        this.tau = tau;
        this.p = p;
        this.dp = dp;
        this.bias = bias;
        this.s = sums(p);
        this.g = sums(p * dp);
        this.below = maxima(p);
        this.above = minima(p);
    }

    @Override
    protected void addRows(Block block) {
        int rows = block.rows();
        if (rows == 0) return;
        if (design == null) design = new double[1][];
        double[] x = ConvexFeatures.design(block, bias, design);
        if (z == null || z.length < rows * p) z = new double[rows * p];
        Blas.native3().dgemm("T", "N", rows, p, dp, 1.0, x, dp, gates.value(), dp, 0.0, z, rows);
        double[] sp = s.pending();
        for (int i = 0; i < p; i++) {
            double lo = below[i], hi = above[i], sum = 0, sh = shift[i];
            for (int r = 0; r < rows; r++) {
                int a = r + i * rows;
                double v = z[a];
                if (v >= 0) {
                    if (v < hi) hi = v;
                } else if (v > lo) {
                    lo = v;
                }
                double e = Math.exp(-(Math.abs(v) - sh) / tau);
                sum += e;
                z[a] = v >= 0 ? e : -e;   // z is rebuilt from the gates every block, so it can hold the weights now
            }
            below[i] = lo;
            above[i] = hi;
            sp[i] += sum;
        }
        // G (d' x P column-major = P x d' row-major) += X^T W.
        Blas.native3().dgemm("N", "N", dp, p, rows, 1.0, x, dp, z, rows, 1.0, g.pending(), dp);
    }

    double[] sums() { return s.value(); }
    double[] gradientSums() { return g.value(); }
    double[] below() { return below; }
    double[] above() { return above; }
}
