package org.relulearn.algo.convex;

import org.relulearn.data.Block;
import org.relulearn.engine.CompensatedSum;
import org.relulearn.engine.Shared;
import org.relulearn.engine.SummingAggregator;
import org.relulearn.linalg.Blas;

/**
 * One pass of the minimum-norm cone decomposition ({@link MinNormDecomposition}). For each group i with gate h_i,
 * gated solution u_i, current point w_i, Newton direction d_i and trial point y_i = w_i + alpha_i d_i, and for
 * every row r with a_r = s_r x_r, s_r = 2 1[x_r . h_i &gt;= 0] - 1, rho_r = max(0, -a_r . u_i), it sums
 * <pre>
 *   L_i = sum_r log(a_r . y_i - rho_r)                        (the log barrier at the trial point)
 *   b_i = sum_r a_r / (a_r . y_i - rho_r)                     (minus its gradient)
 *   H_i = sum_r x_r x_r^T / (a_r . y_i - rho_r)^2             (its Hessian, packed upper triangle)
 *   alphaMax_i = min_{r: a_r . d_i &lt; 0} (a_r . w_i - rho_r) / (-a_r . d_i)   (the ratio test along d_i from w_i)
 * </pre>
 * and counts rows where the trial point leaves the cone (a_r . y_i - rho_r &lt;= 0), so the driver accepts the trial
 * or shortens the step in the next pass. Rows on the gate's hyperplane (x_r . h_i = 0) start on the barrier's
 * boundary: they stay out of the sums but still bound the step, and a trial point violating one counts as infeasible
 * (those with rho_r &gt; 0, which no shift along h_i satisfies, are skipped: {@link GateShiftAggregator} counts them).
 * Rows whose design vector is zero constrain nothing. The minimum is exact under any merge order.
 */
public final class ConeBarrierAggregator extends SummingAggregator<ConeBarrierAggregator> {
    private static final long serialVersionUID = 1L;

    private final Shared<double[]> state;
    private final boolean[] active;
    private final Standardisation scale;
    private final int p;
    private final int dp;
    private final boolean bias;
    private final CompensatedSum logs;
    private final CompensatedSum gradient;
    private final CompensatedSum hessian;
    private final double[] alphaMax;
    private final long[] infeasible;
    private final long[] barrierRows;
    private transient double[] xs;
    private transient double[] z;
    private transient double[] weight;
    private transient double[] scaled;
    private transient double[] norms;
    private transient double[] square;
    private transient double[] gbuf;
    private transient double[] packed;

    /**
     * @param state  gates, u, w, d, y (each P x d' row-major) in one array, as {@link #pack} lays them out
     * @param active groups still being solved; the others are skipped
     */
    public ConeBarrierAggregator(Shared<double[]> state, boolean[] active, Standardisation scale, int p, int dp, boolean bias) {
        this.state = state;
        this.active = active.clone();
        this.scale = scale;
        this.p = p;
        this.dp = dp;
        this.bias = bias;
        this.logs = sums(p);
        this.gradient = sums(p * dp);
        this.hessian = sums(p * dp * (dp + 1) / 2);
        this.alphaMax = minima(p);
        this.infeasible = counters(p);
        this.barrierRows = counters(p);
    }

    /** The shared state layout: gates, u, w, d, y (P x d' each). */
    static double[] pack(double[] gates, double[] u, double[] w, double[] d, double[] y) {
        int n = gates.length;
        double[] s = new double[5 * n];
        System.arraycopy(gates, 0, s, 0, n);
        System.arraycopy(u, 0, s, n, n);
        System.arraycopy(w, 0, s, 2 * n, n);
        System.arraycopy(d, 0, s, 3 * n, n);
        System.arraycopy(y, 0, s, 4 * n, n);
        return s;
    }

    @Override
    protected void addRows(Block block) {
        int rows = block.rows(), d = block.d();
        if (rows == 0) return;
        if (xs == null || xs.length < rows * dp) {
            xs = new double[rows * dp];
            scaled = new double[rows * dp];
            norms = new double[rows];
        }
        for (int r = 0; r < rows; r++) {
            scale.apply(block.x(), r, xs, r * dp);
            if (bias) xs[r * dp + d] = 1.0;
            double s2 = 0;
            for (int j = 0; j < dp; j++) s2 += xs[r * dp + j] * xs[r * dp + j];
            norms[r] = s2;
        }
        int cols = 5 * p;
        if (z == null || z.length < rows * cols) {
            z = new double[rows * cols];
            weight = new double[rows * p];
        }
        // z (column-major rows x 5P): x . h_i, x . u_i, x . w_i, x . d_i, x . y_i
        Blas.native3().dgemm("T", "N", rows, cols, dp, 1.0, xs, dp, state.value(), dp, 0.0, z, rows);
        double[] lg = logs.pending();
        for (int i = 0; i < p; i++) {
            int col = i * rows;
            if (!active[i]) {
                java.util.Arrays.fill(weight, col, col + rows, 0.0);
                continue;
            }
            double amax = alphaMax[i];
            for (int r = 0; r < rows; r++) {
                weight[col + r] = 0;
                if (norms[r] == 0) continue;
                double ah = z[r + col];
                double s = ah >= 0 ? 1 : -1;
                double rho = Math.max(0, -s * z[r + (p + i) * rows]);
                double slackW = s * z[r + (2 * p + i) * rows] - rho;
                double slope = s * z[r + (3 * p + i) * rows];
                double slackY = s * z[r + (4 * p + i) * rows] - rho;
                if (ah == 0) {
                    if (rho > 0) continue;                 // on the hyperplane with a negative prediction: counted by the shift pass, left out
                    if (slope < 0) amax = Math.min(amax, Math.max(0, slackW) / -slope);
                    if (slackY < 0) infeasible[i]++;
                    continue;
                }
                if (slope < 0) amax = Math.min(amax, slackW / -slope);
                barrierRows[i]++;
                if (!(slackY > 0)) {
                    infeasible[i]++;
                    continue;
                }
                lg[i] += Math.log(slackY);
                weight[col + r] = s / slackY;
            }
            alphaMax[i] = amax;
        }
        // b (column-major d' x P = row-major P x d') = X^T weight
        if (gbuf == null) gbuf = new double[p * dp];
        Blas.native3().dgemm("N", "N", dp, p, rows, 1.0, xs, dp, weight, rows, 0.0, gbuf, dp);
        gradient.add(gbuf);
        int tri = dp * (dp + 1) / 2;
        if (packed == null) {
            packed = new double[p * tri];
            square = new double[dp * dp];
        }
        java.util.Arrays.fill(packed, 0.0);
        for (int i = 0; i < p; i++) {
            if (!active[i]) continue;
            // rows scaled by 1/slack = |weight|, then one dsyrk: sum x x^T / slack^2
            for (int r = 0; r < rows; r++) {
                double v = Math.abs(weight[i * rows + r]);
                for (int j = 0; j < dp; j++) scaled[r * dp + j] = v * xs[r * dp + j];
            }
            Blas.native3().dsyrk("U", "N", dp, rows, 1.0, scaled, dp, 0.0, square, dp);
            for (int c = 0, at = i * tri; c < dp; c++) {
                for (int r = 0; r <= c; r++) packed[at++] = square[r + c * dp];
            }
        }
        hessian.add(packed);
    }

    /** sum_r log(slack at the trial point) per group (meaningful when {@link #infeasible(int)} is 0). */
    public double logSlackSum(int i) { return logs.value()[i]; }

    /** b_i = sum_r a_r / slack_r at the trial point, P x d' row-major. */
    public double[] barrierGradient() { return gradient.value(); }

    /** H_i = sum_r x_r x_r^T / slack_r^2 at the trial point, P packed upper triangles (column c's rows 0..c). */
    public double[] barrierHessians() { return hessian.value(); }

    /** The largest step from w_i along d_i that keeps every row in the cone (+infinity when none bounds it). */
    public double alphaMax(int i) { return alphaMax[i]; }

    /** Rows where the trial point is outside the cone (slack &lt;= 0). */
    public long infeasible(int i) { return infeasible[i]; }

    /** Rows in the barrier of group i (off the gate's hyperplane, nonzero design vector). */
    public long barrierRows(int i) { return barrierRows[i]; }
}
