package org.relulearn.algo.convex;

import java.io.Serializable;
import org.relulearn.algo.loss.ConvexLoss;
import org.relulearn.data.Block;
import org.relulearn.engine.Aggregator;
import org.relulearn.engine.CompensatedSum;
import org.relulearn.engine.Shared;
import org.relulearn.engine.StateUpdate;
import org.relulearn.linalg.Blas;

/**
 * The executor side of one ADMM iteration (docs/convex.md, Design): for the broadcast
 * u^{k+1}, v^{k+1} (2P groups of d' numbers; group g < P is v_g, g >= P is w_{g-P}) and gates h_i,
 * each row r updates its state and adds its share of the driver's sums. With e_ri = 2 d_ri - 1 and
 * i(g) = g mod P:
 * <pre>
 *   (Gu)_rg = e_ri x_r . u_g,   s_rg = max((Gu)_rg + nu_rg, 0),   nu'_rg = nu_rg + gamma ((Gu)_rg - s_rg)
 *   G^T s, G^T nu'  : group g gets sum_r e_ri s_rg x_r and sum_r e_ri nu'_rg x_r
 *   F^T t, F^T z    : pattern i gets sum_r d_ri t_r x_r and sum_r d_ri z_r x_r
 * </pre>
 * (s^k is not stored: s^{k+1} depends only on Gu^{k+1} and nu^k.) t is the working target of the next
 * u-step: for BCE the majorised target yhat_u - l'(yhat_u) (l'' <= 1), for hinge r' - mu' of the
 * split r = Fu (r' = prox of the hinge at yhat_u + mu, mu' = mu + gamma (yhat_u - r'), mu is the
 * row's last state entry); z = y - Fv is the residual of the convex prediction at v (for the
 * certificate). Scalars: ||Gu||^2, ||s||^2, ||Gu - s||^2, max nu', the losses of Fv and of the mapped
 * ReLU network sum_g (x . v_g)_+ - (x . w_g)_+, z^T y, z^T z, the largest cone violation of v,
 * correct classifications of the network, ||Fu - r'||^2.
 */
public final class AdmmPass implements Aggregator<AdmmPass> {
    private static final long serialVersionUID = 1L;

    /** What every task needs: the gates and iterates as one column-major d' x 5P matrix [H | U | V], and constants. */
    public record Step(Shared<double[]> q, int p, int dp, boolean bias, ConvexLoss loss, double gamma, double rho, double stateScale)
            implements Serializable {
        /** State entries per row: nu (2P), plus mu for the hinge split. */
        public int width() { return 2 * p + (loss == ConvexLoss.HINGE ? 1 : 0); }

        /** The state update run on every block. */
        public StateUpdate<double[], AdmmPass> update() {
            Step step = this;
            return (block, state, agg) -> agg.addBlock(step, block, state);
        }
    }

    private final int p;
    private final int dp;
    private long n;
    private final CompensatedSum mats;
    /** ||Gu||^2, ||s||^2, ||Gu - s||^2, loss(Fv), loss(network), z.y, z.z, ||Fu - r||^2. */
    private final double[] sums = new double[8];
    private double maxNu = Double.NEGATIVE_INFINITY;
    private double maxConeViolation;
    private long correct;
    private transient double[][] design;
    private transient double[] zbuf;
    private transient double[] wbuf;
    private transient double[] cbuf;

    public AdmmPass(int p, int dp) {
        this.p = p;
        this.dp = dp;
        this.mats = new CompensatedSum(6 * p * dp);
    }

    @Override
    public void add(Block block) {
        throw new UnsupportedOperationException("AdmmPass is a stateful pass: use PassRunner.updateState");
    }

    double[] addBlock(Step st, Block block, double[] old) {
        int rows = block.rows();
        int w = st.width();
        double[] next = new double[rows * w];
        if (rows == 0) return next;
        if (design == null) design = new double[1][];
        double[] x = ConvexFeatures.design(block, st.bias(), design);
        double[] y = block.y();
        int m = block.m();
        int p2 = 2 * p, p5 = 5 * p, p6 = 6 * p;
        if (zbuf == null || zbuf.length < rows * p5) zbuf = new double[rows * p5];
        if (wbuf == null || wbuf.length < rows * p6) wbuf = new double[rows * p6];
        if (cbuf == null) cbuf = new double[dp * p6];
        double[] z = zbuf, wm = wbuf;
        // Z (rows x 5P, column-major) = X [H | U | V].
        Blas.native3().dgemm("T", "N", rows, p5, dp, 1.0, x, dp, st.q().value(), dp, 0.0, z, rows);
        double gamma = st.gamma(), scale = st.stateScale();
        ConvexLoss loss = st.loss();
        double gu2 = 0, s2 = 0, res2 = 0, lossV = 0, lossNet = 0, zy = 0, zz = 0, fr2 = 0;
        for (int r = 0; r < rows; r++) {
            double yr = y[r * m];
            double yu = 0, yv = 0, net = 0;
            for (int i = 0; i < p; i++) {
                double zu = z[r + (p + i) * rows], zw = z[r + (p2 + i) * rows];
                double vv = z[r + (p + p2 + i) * rows], vw = z[r + (p2 + p2 + i) * rows];
                if (z[r + i * rows] >= 0) {
                    yu += zu - zw;
                    yv += vv - vw;
                }
                net += Math.max(vv, 0) - Math.max(vw, 0);
            }
            for (int g = 0; g < p2; g++) {
                int i = g < p ? g : g - p;
                double e = z[r + i * rows] >= 0 ? 1 : -1;
                double gu = e * z[r + (p + g) * rows];
                double nu = scale * old[r * w + g]; // scaled duals follow a change of rho
                double t = gu + nu;
                double s = Math.max(t, 0);
                // nu + gamma (gu - s), written so that nu <= 0 stays exactly true for gamma <= 1.
                double nuNext = t >= 0 ? (1 - gamma) * nu : nu + gamma * gu;
                next[r * w + g] = nuNext;
                wm[r + g * rows] = e * s;
                wm[r + (p2 + g) * rows] = e * nuNext;
                gu2 += gu * gu;
                s2 += s * s;
                res2 += (gu - s) * (gu - s);
                if (nuNext > maxNu) maxNu = nuNext;
                double violation = -e * z[r + (p + p2 + g) * rows];
                if (violation > maxConeViolation) maxConeViolation = violation;
            }
            double target;
            switch (loss) {
                case BCE -> target = yu - loss.derivative(yu, yr);
                case HINGE -> {
                    double mu = scale * old[r * w + p2];
                    double rr = ConvexLoss.hingeProx(yu + mu, yr, st.rho());
                    double muNext = mu + gamma * (yu - rr);
                    next[r * w + p2] = muNext;
                    target = rr - muNext;
                    fr2 += (yu - rr) * (yu - rr);
                }
                default -> target = yr;
            }
            double zr = yr - yv;
            for (int i = 0; i < p; i++) {
                boolean on = z[r + i * rows] >= 0;
                wm[r + (4 * p + i) * rows] = on ? target : 0;
                wm[r + (5 * p + i) * rows] = on ? zr : 0;
            }
            lossV += loss.value(yv, yr);
            lossNet += loss.value(net, yr);
            zy += zr * yr;
            zz += zr * zr;
            if (loss.correct(net, yr)) correct++;
        }
        // Column-major d' x 6P = X^T W: row-major 6P groups of d'.
        Blas.native3().dgemm("N", "N", dp, p6, rows, 1.0, x, dp, wm, rows, 0.0, cbuf, dp);
        mats.add(cbuf, 0, dp * p6);
        sums[0] += gu2;
        sums[1] += s2;
        sums[2] += res2;
        sums[3] += lossV;
        sums[4] += lossNet;
        sums[5] += zy;
        sums[6] += zz;
        sums[7] += fr2;
        n += rows;
        return next;
    }

    @Override
    public AdmmPass merge(AdmmPass o) {
        n += o.n;
        mats.merge(o.mats);
        for (int i = 0; i < sums.length; i++) sums[i] += o.sums[i];
        maxNu = Math.max(maxNu, o.maxNu);
        maxConeViolation = Math.max(maxConeViolation, o.maxConeViolation);
        correct += o.correct;
        return this;
    }

    @Override public long count() { return n; }

    /** The merged sums: G^T s (2P x d'), G^T nu (2P x d'), F^T t (P x d'), F^T z (P x d'), in that order. */
    public Result result() {
        double[] all = mats.value();
        int g = 2 * p * dp, f = p * dp;
        return new Result(n, java.util.Arrays.copyOfRange(all, 0, g), java.util.Arrays.copyOfRange(all, g, 2 * g),
                java.util.Arrays.copyOfRange(all, 2 * g, 2 * g + f), java.util.Arrays.copyOfRange(all, 2 * g + f, 2 * g + 2 * f),
                sums[0], sums[1], sums[2], sums[3], sums[4], sums[5], sums[6], sums[7], maxNu, maxConeViolation, correct);
    }

    /** The sums of one pass (see the class comment). */
    public record Result(long n, double[] gts, double[] gtnu, double[] ftTarget, double[] ftz, double gu2, double s2,
                         double res2, double lossConvex, double lossNetwork, double zy, double zz, double fr2, double maxNu,
                         double maxConeViolation, long correct) {}
}
