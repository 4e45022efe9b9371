package org.relulearn.algo.convex;

import org.relulearn.data.Block;
import org.relulearn.engine.SummingAggregator;
import org.relulearn.engine.CompensatedSum;
import org.relulearn.engine.Shared;
import org.relulearn.linalg.Blas;

/**
 * The once-per-run sums of the ADMM linear system (docs/convex.md, Design), over rows x_r
 * of the design matrix with pattern bits d_ri = 1[x_r . h_i >= 0]:
 * <pre>
 *   X^T X = sum_r x_r x_r^T                         (d' x d')
 *   X^T D_i y = sum_r d_ri y_r x_r                  (P x d', the pieces of F^T y)
 *   K = sum_r (d_r (x) x_r)(d_r (x) x_r)^T          (Pd' x Pd', block K_ij = X^T D_i D_j X; optional)
 *   y^T y
 * </pre>
 * Symmetric sums are accumulated as packed upper triangles (one dsyrk per block), compensated.
 */
public final class GramAggregator extends SummingAggregator<GramAggregator> {
    private static final long serialVersionUID = 1L;

    private final Shared<double[]> gates;
    private final int p;
    private final int dp;
    private final boolean bias;
    private final boolean withK;
    private final CompensatedSum xtx;
    private final CompensatedSum xtdy;
    private final CompensatedSum k;
    private final CompensatedSum yy = sums(1);
    private transient double[][] design;
    private transient double[] z;
    private transient double[] buf;
    private transient double[] kbuf;
    private transient double[] wide;

    public GramAggregator(Shared<double[]> gates, int p, int dp, boolean bias, boolean withK) {
        this.gates = gates;
        this.p = p;
        this.dp = dp;
        this.bias = bias;
        this.withK = withK;
        this.xtx = sums(dp * (dp + 1) / 2);
        this.xtdy = sums(p * dp);
        this.k = withK ? sums((int) ((long) p * dp * (p * dp + 1) / 2)) : null;
    }

    @Override
    protected void addRows(Block block) {
        int rows = block.rows();
        if (rows == 0) return;
        double[] yys = yy.pending();
        if (design == null) design = new double[1][];
        double[] x = ConvexFeatures.design(block, bias, design);
        double[] y = block.y();
        int m = block.m();
        if (buf == null) buf = new double[Math.max(dp * dp, p * dp)];
        Blas.native3().dsyrk("U", "N", dp, rows, 1.0, x, dp, 0.0, buf, dp);
        xtx.addPackedUpper(buf, dp);
        if (z == null || z.length < rows * p) z = new double[rows * p];
        Blas.native3().dgemm("T", "N", rows, p, dp, 1.0, x, dp, gates.value(), dp, 0.0, z, rows);
        if (withK) addK(x, rows, z);
        for (int r = 0; r < rows; r++) {
            double yr = y[r * m];
            yys[0] += yr * yr;
            for (int i = 0; i < p; i++) z[r + i * rows] = z[r + i * rows] >= 0 ? yr : 0;
        }
        // X^T (D o y): column-major d' x P = row-major P x d'.
        Blas.native3().dgemm("N", "N", dp, p, rows, 1.0, x, dp, z, rows, 0.0, buf, dp);
        xtdy.add(buf, 0, p * dp);
    }

    private void addK(double[] x, int rows, double[] hz) {
        int w = p * dp;
        if (wide == null || wide.length < rows * w) wide = new double[rows * w];
        if (kbuf == null) kbuf = new double[w * w];
        // Row r of the wide matrix is d_r (x) x_r: column-major Pd' x rows.
        for (int r = 0; r < rows; r++) {
            int o = r * w;
            for (int i = 0; i < p; i++) {
                if (hz[r + i * rows] >= 0) System.arraycopy(x, r * dp, wide, o + i * dp, dp);
                else java.util.Arrays.fill(wide, o + i * dp, o + (i + 1) * dp, 0.0);
            }
        }
        Blas.native3().dsyrk("U", "N", w, rows, 1.0, wide, w, 0.0, kbuf, w);
        k.addPackedUpper(kbuf, w);
    }

    /** X^T X, full d' x d'. */
    public double[] xtx() { return CompensatedSum.unpackSymmetric(xtx.value(), dp); }

    /** X^T D_i y stacked, P x d' row-major. */
    public double[] xtdy() { return xtdy.value(); }

    /** K, full Pd' x Pd' (null unless built with K). */
    public double[] k() { return withK ? CompensatedSum.unpackSymmetric(k.value(), p * dp) : null; }

    public double yy() { return yy.value()[0]; }
}
