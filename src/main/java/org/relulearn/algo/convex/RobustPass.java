package org.relulearn.algo.convex;

import java.io.Serializable;
import org.relulearn.algo.loss.ConvexLoss;
import org.relulearn.data.Block;
import org.relulearn.engine.Aggregator;
import org.relulearn.engine.Shared;
import org.relulearn.engine.StateUpdate;
import org.relulearn.linalg.Blas;

/**
 * The executor side of the robust convex solver ({@link RobustConvexTrainer}): for K broadcast points
 * u (2P groups of d' numbers; g &lt; P is v_g, g &gt;= P is w_{g-P}; the bias coordinate last, not
 * perturbed) and the per-row multipliers mu_rg &gt;= 0 (the state), every row r adds, per point,
 * <pre>
 *   yhat_r = sum_i d_ri x_r.(u_i - u_{P+i}),   g_r = sum_i d_ri (u~_i - u~_{P+i})   (u~ = feature part)
 *   a_r = eps sum_k H(g_rk)                    (H = Huber smoothing of |.| at eta, H &lt;= |.|)
 *   loss_r = phi(yhat_r, y_r, a_r)             (smoothed worst-case loss, see {@link #smoothLoss})
 *   c_rg = epsCone N_g - e_ri(g) x_r.u_g       (N_g = sum_k H(u~_gk), broadcast; e = 2d - 1)
 *   w_rg = (mu_rg + rho c_rg)_+                (augmented-Lagrangian weight; the new mu in update mode)
 *   value += loss_r + (w_rg^2 - mu_rg^2) / (2 rho)
 *   T_i  += d_ri (phi_yhat x_r + pad(phi_a eps H'(g_r)))      (P x d')
 *   V_g  += w_rg e_ri(g) x_r,   W_g += w_rg                    (2P x d', 2P)
 * </pre>
 * from which the driver assembles the gradient of the smooth part,
 * grad_g = sign_g T_i(g) + epsCone W_g pad(H'(u~_g)) - V_g. Exact figures (no smoothing, radius eps)
 * are added too: the worst-case losses sum_r l_wc(yhat_r, y_r, eps ||g_r||_1), per group the largest
 * robust-cone violation max_r (eps ||u~_g||_1 - e_ri x_r.u_g) over nonzero groups, clean and
 * certified-robust correct counts. Per block: one gemm for the patterns, per point one gemm each for
 * x.u_g, g_r, T and V; no allocation per row.
 */
public final class RobustPass implements Aggregator<RobustPass> {
    private static final long serialVersionUID = 1L;

    /**
     * What every task needs. {@code q} holds the gates (P x d'), then per point its 2P x d' groups, then
     * per point the 2P smoothed l1 norms N_g and the 2P exact l1 norms of the feature parts.
     */
    public record Step(Shared<double[]> q, int points, int p, int dp, int d, boolean bias, ConvexLoss loss, double eps,
                       double epsCone, double eta, double rho, boolean updateMultipliers) implements Serializable {
        /** The state update run on every block (returns the old state unless multipliers are updated). */
        public StateUpdate<double[], RobustPass> update() {
            Step step = this;
            return (block, state, agg) -> agg.addBlock(step, block, state);
        }
    }

    private final int points;
    private final int p;
    private final int dp;
    private long n;
    /** Per point: smoothed value, exact worst-case loss sum, clean correct, robust correct, max smoothed violation. */
    private final double[] scalars;
    /** Per point: T (P x d'), V (2P x d'), W (2P), group violations (2P, max). */
    private final double[] mats;
    /** Per pattern: min_r |x_r . h_i| (the gate's own margin on the data). */
    private final double[] gateMinAbs;
    private transient double[][] design;
    private transient double[] zbuf;
    private transient double[] dbuf;
    private transient double[] qbuf;
    private transient double[] gbuf;
    private transient double[] udiff;
    private transient double[] rowGrad;
    private transient double[] webuf;
    private transient double[] nz;

    static final int SCALARS = 5;

    public RobustPass(int points, int p, int dp) {
        this.points = points;
        this.p = p;
        this.dp = dp;
        this.scalars = new double[points * SCALARS];
        for (int k = 0; k < points; k++) scalars[k * SCALARS + 4] = 0;
        this.mats = new double[points * matsPerPoint(p, dp)];
        this.gateMinAbs = new double[p];
        java.util.Arrays.fill(gateMinAbs, Double.POSITIVE_INFINITY);
        for (int k = 0; k < points; k++) {
            int off = k * matsPerPoint(p, dp) + 3 * p * dp + 2 * p;
            java.util.Arrays.fill(mats, off, off + 2 * p, Double.NEGATIVE_INFINITY);
        }
    }

    static int matsPerPoint(int p, int dp) { return 3 * p * dp + 4 * p; }

    @Override
    public void add(Block block) {
        throw new UnsupportedOperationException("RobustPass is a stateful pass: use PassRunner.updateState");
    }

    double[] addBlock(Step st, Block block, double[] mu) {
        int rows = block.rows();
        if (rows == 0) return mu;
        int p2 = 2 * p, d = st.d();
        double[] q = st.q().value();
        if (design == null) {
            design = new double[1][];
            udiff = new double[p * d];
            nz = new double[p2];
            lossOut = new double[3];
        }
        double[] x = ConvexFeatures.design(block, st.bias(), design);
        double[] y = block.y();
        int m = block.m();
        if (zbuf == null || zbuf.length < rows * p) {
            zbuf = new double[rows * p];
            dbuf = new double[rows * p];
            qbuf = new double[rows * p2];
            gbuf = new double[rows * Math.max(1, d)];
            rowGrad = new double[rows * dp];
            webuf = new double[rows * p2];
        }
        // Patterns: Z = X H^T (rows x P, column-major); D = 1[Z >= 0].
        Blas.native3().dgemm("T", "N", rows, p, dp, 1.0, x, dp, q, dp, 0.0, zbuf, rows);
        for (int a = 0; a < rows * p; a++) dbuf[a] = zbuf[a] >= 0 ? 1 : 0;
        for (int i = 0; i < p; i++) {
            double mn = gateMinAbs[i];
            for (int r = 0; r < rows; r++) mn = Math.min(mn, Math.abs(zbuf[r + i * rows]));
            gateMinAbs[i] = mn;
        }
        double[] next = st.updateMultipliers() ? new double[rows * p2] : mu;
        int per = matsPerPoint(p, dp);
        double rho = st.rho(), eps = st.eps(), epsCone = st.epsCone(), eta = st.eta();
        ConvexLoss loss = st.loss();
        for (int k = 0; k < st.points(); k++) {
            int uOff = p * dp + k * p2 * dp;
            int nOff = p * dp + st.points() * p2 * dp + k * 2 * p2;
            int mOff = k * per;
            // Q = X U^T (rows x 2P, column-major).
            Blas.native3().dgemm("T", "N", rows, p2, dp, 1.0, x, 0, dp, q, uOff, dp, 0.0, qbuf, 0, rows);
            // g = D (U~+ - U~-): udiff is P x d column-major.
            for (int i = 0; i < p; i++) {
                for (int c = 0; c < d; c++) udiff[i + c * p] = q[uOff + i * dp + c] - q[uOff + (p + i) * dp + c];
            }
            for (int g = 0; g < p2; g++) {
                double s = 0;
                for (int c = 0; c < dp; c++) s += Math.abs(q[uOff + g * dp + c]);
                nz[g] = s > 0 ? 1 : 0;
            }
            if (d > 0) Blas.native3().dgemm("N", "N", rows, d, p, 1.0, dbuf, rows, udiff, p, 0.0, gbuf, rows);
            double value = 0, exact = 0, cleanOk = 0, robustOk = 0, maxViol = scalars[k * SCALARS + 4];
            int vOff = mOff + p * dp, wOff = mOff + 3 * p * dp, violOff = wOff + p2;
            for (int r = 0; r < rows; r++) {
                double yr = y[r * m];
                double yhat = 0;
                for (int i = 0; i < p; i++) {
                    double di = dbuf[r + i * rows];
                    if (di != 0) yhat += qbuf[r + i * rows] - qbuf[r + (p + i) * rows];
                }
                double a = 0, l1 = 0;
                for (int c = 0; c < d; c++) {
                    double gc = gbuf[r + c * rows];
                    a += huber(gc, eta);
                    l1 += Math.abs(gc);
                }
                a *= eps;
                double epsL1 = eps * l1;
                exact += loss.worstCase(yhat, yr, epsL1);
                if (loss.classification()) {
                    if (loss.correct(yhat, yr)) cleanOk++;
                    double margin = (loss == ConvexLoss.HINGE ? yr : 2 * yr - 1) * yhat - epsL1;
                    if (margin > 0) robustOk++;
                }
                double[] lv = smoothLoss(loss, yhat, yr, a, eta, lossOut);
                value += lv[0];
                double phiY = lv[1], phiA = lv[2];
                int ro = r * dp;
                for (int c = 0; c < dp; c++) rowGrad[ro + c] = phiY * x[ro + c];
                if (eps > 0) for (int c = 0; c < d; c++) rowGrad[ro + c] += phiA * eps * huberDerivative(gbuf[r + c * rows], eta);
                for (int g = 0; g < p2; g++) {
                    int i = g < p ? g : g - p;
                    double e = 2 * dbuf[r + i * rows] - 1;
                    double eq = e * qbuf[r + g * rows];
                    double c = epsCone * q[nOff + g] - eq;
                    double muRg = mu[r * p2 + g];
                    double w = muRg + rho * c;
                    if (w < 0) w = 0;
                    value += (w * w - muRg * muRg) / (2 * rho);
                    if (c > maxViol) maxViol = c;
                    webuf[r + g * rows] = w * e;
                    mats[wOff + g] += w;
                    if (nz[g] != 0) {
                        double viol = eps * q[nOff + p2 + g] - eq;
                        if (viol > mats[violOff + g]) mats[violOff + g] = viol;
                    }
                    if (k == 0 && st.updateMultipliers()) next[r * p2 + g] = w;
                }
            }
            // T (d' x P column-major = P x d' row-major) += rowGrad^T D;  V (d' x 2P) += X^T We.
            Blas.native3().dgemm("N", "N", dp, p, rows, 1.0, rowGrad, 0, dp, dbuf, 0, rows, 1.0, mats, mOff, dp);
            Blas.native3().dgemm("N", "N", dp, p2, rows, 1.0, x, 0, dp, webuf, 0, rows, 1.0, mats, vOff, dp);
            int so = k * SCALARS;
            scalars[so] += value;
            scalars[so + 1] += exact;
            scalars[so + 2] += cleanOk;
            scalars[so + 3] += robustOk;
            scalars[so + 4] = maxViol;
        }
        n += rows;
        return next;
    }

    private transient double[] lossOut;

    /**
     * The smoothed worst-case loss and its partial derivatives (value, d/d yhat, d/d a) at a = eps sum_k H(g_k):
     * hinge S(1 - y yhat + a) with S the Huber-smoothed positive part; squared 1/2 r^2 + a H(r) + 1/2 a^2
     * (r = yhat - y; jointly convex because |H'| &lt;= 1, and exact at eps = 0); BCE softplus(-2(2y-1) yhat + 2a).
     * Each is at most the exact worst case 1/2(|r| + a)^2, (1 - y yhat + a)_+, softplus(...) and tends to it as eta -&gt; 0.
     */
    static double[] smoothLoss(ConvexLoss loss, double yhat, double y, double a, double eta, double[] out) {
        if (out == null) out = new double[3];
        switch (loss) {
            case HINGE -> {
                double z = 1 - y * yhat + a;
                double s;
                if (z <= 0) {
                    out[0] = 0;
                    s = 0;
                } else if (z < eta) {
                    out[0] = z * z / (2 * eta);
                    s = z / eta;
                } else {
                    out[0] = z - eta / 2;
                    s = 1;
                }
                out[1] = -y * s;
                out[2] = s;
            }
            case SQUARED -> {
                double r = yhat - y;
                double h = huber(r, eta);
                out[0] = 0.5 * r * r + a * h + 0.5 * a * a;
                out[1] = r + a * huberDerivative(r, eta);
                out[2] = h + a;
            }
            default -> {
                double s = 2 * y - 1;
                double t = -2 * s * yhat + 2 * a;
                double sig = ConvexLoss.sigmoid(t);
                out[0] = ConvexLoss.softplus(t);
                out[1] = -2 * s * sig;
                out[2] = 2 * sig;
            }
        }
        return out;
    }

    /** Huber smoothing of |z|: z^2 / (2 eta) for |z| &lt;= eta, |z| - eta/2 beyond (|z| - eta/2 &lt;= H &lt;= |z|). */
    static double huber(double z, double eta) {
        double az = Math.abs(z);
        return az <= eta ? z * z / (2 * eta) : az - eta / 2;
    }

    static double huberDerivative(double z, double eta) {
        return z >= eta ? 1 : z <= -eta ? -1 : z / eta;
    }

    @Override
    public RobustPass merge(RobustPass o) {
        n += o.n;
        for (int i = 0; i < p; i++) gateMinAbs[i] = Math.min(gateMinAbs[i], o.gateMinAbs[i]);
        int per = matsPerPoint(p, dp);
        for (int k = 0; k < points; k++) {
            int so = k * SCALARS;
            for (int s = 0; s < 4; s++) scalars[so + s] += o.scalars[so + s];
            scalars[so + 4] = Math.max(scalars[so + 4], o.scalars[so + 4]);
            int mOff = k * per, violOff = mOff + 3 * p * dp + 2 * p;
            for (int a = mOff; a < violOff; a++) mats[a] += o.mats[a];
            for (int a = violOff; a < violOff + 2 * p; a++) mats[a] = Math.max(mats[a], o.mats[a]);
        }
        return this;
    }

    @Override public long count() { return n; }

    /** Per pattern i: min_r |x_r . h_i|, so the gate h_i satisfies its robust cone with margin min - eps ||h~_i||_1. */
    public double[] gateMinAbs() { return gateMinAbs.clone(); }

    /** The figures of point k. */
    public Eval eval(int k) {
        int per = matsPerPoint(p, dp), so = k * SCALARS, mOff = k * per;
        return new Eval(scalars[so], scalars[so + 1], (long) scalars[so + 2], (long) scalars[so + 3], scalars[so + 4],
                java.util.Arrays.copyOfRange(mats, mOff, mOff + p * dp),
                java.util.Arrays.copyOfRange(mats, mOff + p * dp, mOff + 3 * p * dp),
                java.util.Arrays.copyOfRange(mats, mOff + 3 * p * dp, mOff + 3 * p * dp + 2 * p),
                java.util.Arrays.copyOfRange(mats, mOff + 3 * p * dp + 2 * p, mOff + per), n);
    }

    /**
     * One point's sums: the smoothed augmented-Lagrangian value (loss part + penalty part), the exact
     * worst-case loss sum, correct counts, the largest smoothed constraint value max c_rg, T, V, W,
     * and per group the exact robust-cone violation (-inf for zero groups).
     */
    public record Eval(double value, double exactLoss, long cleanCorrect, long robustCorrect, double maxSmoothedViolation,
                       double[] t, double[] v, double[] w, double[] groupViolation, long rows) {}
}
