package org.relulearn.algo.convex;

import org.relulearn.data.Block;
import org.relulearn.engine.SummingAggregator;
import org.relulearn.engine.Shared;
import org.relulearn.linalg.Blas;

/**
 * The cone decomposition of a gated-ReLU solution into ReLU units: for a group u_i with gate h_i,
 * v_i = u_i + t_i h_i and w_i = t_i h_i lie in the cone K_i = {v : (2 D_i - I) X v >= 0} as soon as
 * <pre>  t_i = max_r max(0, -s_ri (x_r . u_i)) / |x_r . h_i|,   s_ri = sign(x_r . h_i) (+1 at 0)  </pre>
 * since w_i is h_i scaled. Then relu(x_r . v_i) - relu(x_r . w_i) = d_ri x_r . u_i on every row: the ReLU
 * network predicts exactly what the gated model predicts on the rows summed. This pass computes the
 * t_i (a max, exact under any merge order) and counts rows where no t works (x_r . h_i = 0 with
 * x_r . u_i &lt; 0). It also counts, per group, the rows with s_ri x_r . u_i &gt; 0: none means -u_i lies in the cone,
 * so the minimum-norm decomposition ({@link MinNormDecomposition}) is v_i = 0, w_i = -u_i.
 */
public final class GateShiftAggregator extends SummingAggregator<GateShiftAggregator> {
    private static final long serialVersionUID = 1L;

    private final Shared<double[]> gates;
    private final Shared<double[]> groups;
    private final Standardisation scale;
    private final int p;
    private final int dp;
    private final boolean bias;
    private final double[] shift;
    private final long[] infeasible;
    private final long[] positive;
    private transient double[] xs;
    private transient double[] a;
    private transient double[] c;

    public GateShiftAggregator(Shared<double[]> gates, Shared<double[]> groups, Standardisation scale, int p, int dp, boolean bias) {
        this.gates = gates;
        this.groups = groups;
        this.scale = scale;
        this.p = p;
        this.dp = dp;
        this.bias = bias;
        this.shift = maxima(p);
        this.infeasible = counters(1);
        this.positive = counters(p);
    }

    @Override
    protected void addRows(Block block) {
        int rows = block.rows(), d = block.d();
        if (rows == 0) return;
        if (xs == null || xs.length < rows * dp) xs = new double[rows * dp];
        for (int r = 0; r < rows; r++) {
            scale.apply(block.x(), r, xs, r * dp);
            if (bias) xs[r * dp + d] = 1.0;
        }
        if (a == null || a.length < rows * p) {
            a = new double[rows * p];
            c = new double[rows * p];
        }
        Blas.native3().dgemm("T", "N", rows, p, dp, 1.0, xs, dp, gates.value(), dp, 0.0, a, rows);
        Blas.native3().dgemm("T", "N", rows, p, dp, 1.0, xs, dp, groups.value(), dp, 0.0, c, rows);
        for (int i = 0; i < p; i++) {
            double t = Math.max(0, shift[i]);
            for (int r = 0; r < rows; r++) {
                double ar = a[r + i * rows], cr = c[r + i * rows];
                double s = ar >= 0 ? 1 : -1;
                if (s * cr > 0) positive[i]++;
                if (s * cr >= 0) continue;
                if (ar == 0) {
                    infeasible[0]++;
                    continue;
                }
                t = Math.max(t, -s * cr / Math.abs(ar));
            }
            shift[i] = t;
        }
    }

    /** t_i per gate. */
    public double[] shifts() {
        double[] t = shift.clone();
        for (int i = 0; i < t.length; i++) t[i] = Math.max(0, t[i]);
        return t;
    }

    /** Rows with s_ri x_r . u_i &gt; 0, per group (none: -u_i lies in its cone). */
    public long[] positiveRows() { return positive.clone(); }

    /** Rows on a gate's hyperplane where the group's prediction is negative (no shift makes them exact). */
    public long infeasibleRows() { return infeasible[0]; }
}
