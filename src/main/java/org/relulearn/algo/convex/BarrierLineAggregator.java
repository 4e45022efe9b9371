package org.relulearn.algo.convex;

import org.relulearn.data.Block;
import org.relulearn.engine.SummingAggregator;
import org.relulearn.engine.CompensatedSum;
import org.relulearn.engine.Shared;
import org.relulearn.linalg.Blas;

/**
 * The line search pass of {@link ConvexInteriorPoint}: along u + alpha du, for a grid of step sizes
 * alpha_1..alpha_L at once, with residual rho_r = yhat_r - y_r, its change drho_r (yhat of du) and
 * cone slacks s_rg, ds_rg, it sums
 * <pre>
 *   sum rho^2,  sum rho drho,  sum drho^2          (the loss along the line is exactly quadratic in alpha)
 *   L_l = sum_{r,g} log(s_rg + alpha_l ds_rg)      (the linear barrier at each step; -infinity when a slack is <= 0)
 * </pre>
 * so one pass chooses the step that the Newton step of a self-concordant barrier only bounds. It also sums
 * sum drho y and t X^T E mu with the primal-dual estimate t mu_rg = max(0, (1 - ds_rg / s_rg) / s_rg) of the
 * cone multipliers after the full Newton step, for the certificate.
 */
public final class BarrierLineAggregator extends SummingAggregator<BarrierLineAggregator> {
    private static final long serialVersionUID = 1L;

    private final Shared<double[]> point;
    private final double[] alphas;
    private final int p;
    private final int dp;
    private final boolean bias;
    private final CompensatedSum scalars = sums(4);   // rr, rd, dd, dy
    private final CompensatedSum mult;
    private final CompensatedSum logs;
    private final long[] infeasible;
    private transient double[][] design;
    private transient double[] z;
    private transient double[] product;

    /** @param point gates (P x d'), u (2P x d'), du (2P x d'), row-major */
    public BarrierLineAggregator(Shared<double[]> point, double[] alphas, int p, int dp, boolean bias) {
        this.point = point;
        this.alphas = alphas.clone();
        this.p = p;
        this.dp = dp;
        this.bias = bias;
        this.logs = sums(alphas.length);
        this.infeasible = counters(alphas.length);
        this.mult = sums(2 * p * dp);
    }

    @Override
    protected void addRows(Block block) {
        int rows = block.rows();
        if (rows == 0) return;
        double[] sc = scalars.pending(), mu = mult.pending(), lg = logs.pending();
        if (design == null) design = new double[1][];
        double[] x = ConvexFeatures.design(block, bias, design);
        double[] y = block.y();
        int m = block.m(), cols = 5 * p, nl = alphas.length;
        if (z == null || z.length < rows * cols) z = new double[rows * cols];
        if (product == null) product = new double[nl];
        java.util.Arrays.fill(product, 1.0);
        // z (column-major rows x 5P): x . h_i, then x . u_g, then x . du_g
        Blas.native3().dgemm("T", "N", rows, cols, dp, 1.0, x, dp, point.value(), dp, 0.0, z, rows);
        for (int r = 0; r < rows; r++) {
            double yhat = 0, dyhat = 0, s2 = 0;
            for (int j = 0; j < dp; j++) s2 += x[r * dp + j] * x[r * dp + j];
            for (int g = 0; g < 2 * p; g++) {
                int i = g < p ? g : g - p;
                boolean on = z[r + i * rows] >= 0;
                double sigma = g < p ? 1 : -1, e = on ? 1 : -1;
                double s = e * z[r + (p + g) * rows], ds = e * z[r + (3 * p + g) * rows];
                if (on) {
                    yhat += sigma * z[r + (p + g) * rows];
                    dyhat += sigma * z[r + (3 * p + g) * rows];
                }
                if (s2 == 0 || !(s > 0)) continue;
                // the Newton estimate of the cone multiplier, clipped at 0: t mu = (1 - ds / s) / s
                double w = Math.max(0, (1 - ds / s) / s) * e;
                if (w != 0) for (int j = 0; j < dp; j++) mu[g * dp + j] += w * x[r * dp + j];
                // sum of logs as the log of running products, taken when a product leaves [1e-150, 1e150]: one log per
                // ~20 slacks instead of one per slack, the line pass's main cost on small data
                for (int l = 0; l < nl; l++) {
                    double v = s + alphas[l] * ds;
                    if (v > 0) {
                        double q = product[l] * v;
                        if (q > 1e150 || q < 1e-150) {
                            lg[l] += Math.log(product[l]) + Math.log(v);   // never log(q): q may under- or overflow
                            q = 1;
                        }
                        product[l] = q;
                    } else {
                        infeasible[l]++;
                    }
                }
            }
            double res = yhat - y[r * m];
            sc[0] += res * res;
            sc[1] += res * dyhat;
            sc[2] += dyhat * dyhat;
            sc[3] += dyhat * y[r * m];
        }
        for (int l = 0; l < nl; l++) lg[l] += Math.log(product[l]);
    }

    /** sum ||rho + alpha drho||^2 at step alpha. */
    public double residual2(double alpha) {
        double[] v = scalars.value();
        return v[0] + 2 * alpha * v[1] + alpha * alpha * v[2];
    }

    /** sum drho y (with {@link #residual2} the dual point of the full Newton step). */
    public double deltaDotY() { return scalars.value()[3]; }

    /** sum_r e_rg x_r max(0, (1 - ds_rg / s_rg) / s_rg): t times the Newton estimate of X^T E_i mu_g (2P x d'). */
    public double[] newtonMultipliers() { return mult.value(); }

    /** sum log(s + alpha_l ds), or -infinity when some slack is not positive there. */
    public double logSlackSum(int l) { return infeasible[l] > 0 ? Double.NEGATIVE_INFINITY : logs.value()[l]; }
}
