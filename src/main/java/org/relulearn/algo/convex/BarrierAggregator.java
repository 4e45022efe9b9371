package org.relulearn.algo.convex;

import org.relulearn.data.Block;
import org.relulearn.engine.SummingAggregator;
import org.relulearn.engine.CompensatedSum;
import org.relulearn.engine.Shared;
import org.relulearn.linalg.Blas;

/**
 * One pass of the interior-point solver ({@link ConvexInteriorPoint}) at the point u = (u_1..u_2P):
 * with pattern bits d_ri = 1[x_r . h_i >= 0], signs e_ri = 2 d_ri - 1, the prediction
 * yhat_r = sum_g sigma_g d_r,i(g) x_r . u_g (sigma = +1 for the first P groups, -1 for the last P),
 * residual rho_r = yhat_r - y_r and cone slacks s_rg = e_r,i(g) x_r . u_g, it sums
 * <pre>
 *   sum rho_r^2,  sum rho_r y_r,                     (loss and the dual bound)
 *   A_i = X^T D_i rho                                (P x d': the loss gradient, sigma_g A_i for group g)
 *   b_g = sum_r e_rg x_r / s_rg                      (2P x d': minus the gradient of -sum log s)
 *   H_g = sum_r x_r x_r^T / s_rg^2                   (2P packed d' x d': the Hessian of -sum log s)
 *   sum log s_rg,  min s_rg,  rows with s_rg <= 0
 * </pre>
 * Without the barrier (a final evaluation where some groups are exactly zero) only the loss sums,
 * A and the largest cone violation max(-s_rg) over nonzero groups are formed. Rows whose design
 * vector is zero constrain nothing and are left out of the barrier.
 */
public final class BarrierAggregator extends SummingAggregator<BarrierAggregator> {
    private static final long serialVersionUID = 1L;

    private final Shared<double[]> point;
    private final int p;
    private final int dp;
    private final boolean bias;
    private final boolean barrier;
    private final CompensatedSum scalars = sums(3);   // sum res^2, sum res y, sum log s
    private final double[] minSlack = minima(1);
    private final double[] maxViolation = maxima(1);  // read as max(0, .): the violation starts at 0
    private final long[] infeasible = counters(1);
    private final CompensatedSum a;
    private final CompensatedSum b;
    private final CompensatedSum h;
    private transient double[][] design;
    private transient double[] z, wa, wb, scaled, buf, bb, packed, abuf;
    private transient boolean[] zero;

    /**
     * @param point   gates (P x d') then u (2P x d'), row-major
     * @param barrier false: only the loss sums, A and the cone violation
     */
    public BarrierAggregator(Shared<double[]> point, int p, int dp, boolean bias, boolean barrier) {
        this.point = point;
        this.p = p;
        this.dp = dp;
        this.bias = bias;
        this.barrier = barrier;
        this.a = sums(p * dp);
        this.b = barrier ? sums(2 * p * dp) : null;
        this.h = barrier ? sums(2 * p * dp * (dp + 1) / 2) : null;
    }

    @Override
    protected void addRows(Block block) {
        int rows = block.rows();
        if (rows == 0) return;
        if (design == null) {
            design = new double[1][];
            buf = new double[dp * dp];
            zero = new boolean[2 * p];
            double[] q = point.value();
            for (int g = 0; g < 2 * p; g++) {
                boolean allZero = true;
                for (int j = 0; j < dp; j++) allZero &= q[(p + g) * dp + j] == 0;
                zero[g] = allZero;
            }
        }
        double[] x = ConvexFeatures.design(block, bias, design);
        double[] y = block.y();
        int m = block.m(), cols = 3 * p;
        if (z == null || z.length < rows * cols) {
            z = new double[rows * cols];
            wa = new double[rows * p];
            wb = new double[rows * 2 * p];
            scaled = new double[rows * dp];
        }
        // z (column-major rows x 3P): x_r . h_i for the P gates, then x_r . u_g for the 2P groups.
        Blas.native3().dgemm("T", "N", rows, cols, dp, 1.0, x, dp, point.value(), dp, 0.0, z, rows);
        double[] sc = scalars.pending();
        for (int r = 0; r < rows; r++) {
            double yr = y[r * m], yhat = 0, s2 = 0;
            for (int j = 0; j < dp; j++) s2 += x[r * dp + j] * x[r * dp + j];
            for (int g = 0; g < 2 * p; g++) {
                int i = g < p ? g : g - p;
                if (z[r + i * rows] >= 0) yhat += (g < p ? 1 : -1) * z[r + (p + g) * rows];
            }
            double res = yhat - yr;
            sc[0] += res * res;
            sc[1] += res * yr;
            for (int i = 0; i < p; i++) wa[r + i * rows] = z[r + i * rows] >= 0 ? res : 0;
            for (int g = 0; g < 2 * p; g++) {
                int i = g < p ? g : g - p;
                double e = z[r + i * rows] >= 0 ? 1 : -1;
                double s = e * z[r + (p + g) * rows];
                if (!barrier) {
                    if (!zero[g]) maxViolation[0] = Math.max(maxViolation[0], -s);
                    continue;
                }
                if (s2 == 0) {
                    wb[r + g * rows] = 0;
                    continue;
                }
                if (!(s > 0)) {
                    infeasible[0]++;
                    wb[r + g * rows] = 0;
                    continue;
                }
                wb[r + g * rows] = e / s;
                sc[2] += Math.log(s);
                minSlack[0] = Math.min(minSlack[0], s);
            }
        }
        // X^T (D o rho): column-major d' x P = row-major P x d'.
        if (abuf == null) abuf = new double[p * dp];
        Blas.native3().dgemm("N", "N", dp, p, rows, 1.0, x, dp, wa, rows, 0.0, abuf, dp);
        a.add(abuf);
        if (barrier) {
            if (bb == null) bb = new double[2 * p * dp];
            Blas.native3().dgemm("N", "N", dp, 2 * p, rows, 1.0, x, dp, wb, rows, 0.0, bb, dp);
            b.add(bb);
            int tri = dp * (dp + 1) / 2;
            if (packed == null) packed = new double[2 * p * tri];
            for (int g = 0; g < 2 * p; g++) {
                // rows scaled by 1/s_rg = |wb|, then one dsyrk: sum x x^T / s^2
                for (int r = 0; r < rows; r++) {
                    double w = Math.abs(wb[r + g * rows]);
                    for (int j = 0; j < dp; j++) scaled[r * dp + j] = w * x[r * dp + j];
                }
                Blas.native3().dsyrk("U", "N", dp, rows, 1.0, scaled, dp, 0.0, buf, dp);
                for (int col = 0, at = g * tri; col < dp; col++) {
                    for (int row = 0; row <= col; row++) packed[at++] = buf[row + col * dp];
                }
            }
            h.add(packed);
        }
    }

    /** sum (yhat - y)^2. */
    public double residual2() { return scalars.value()[0]; }

    /** sum (yhat - y) y. */
    public double residualDotY() { return scalars.value()[1]; }

    /** X^T D_i (yhat - y), P x d' row-major. */
    public double[] lossGradient() { return a.value(); }

    /** b_g = sum_r e_rg x_r / s_rg, 2P x d' row-major. */
    public double[] barrierGradient() { return b.value(); }

    /** H_g = sum_r x_r x_r^T / s_rg^2, 2P packed upper triangles of d' x d' (column j's rows 0..j). */
    public double[] barrierHessians() { return h.value(); }

    public double logSlackSum() { return scalars.value()[2]; }

    public double minSlack() { return minSlack[0]; }

    /** Row-group pairs with s_rg <= 0 (the point left the interior). */
    public long infeasible() { return infeasible[0]; }

    /** max over rows and nonzero groups of -s_rg (evaluation pass; 0 or less when every group lies in its cone). */
    public double maxConeViolation() { return Math.max(0, maxViolation[0]); }
}
