package org.relulearn.algo.twolayer;

import java.io.Serializable;
import org.relulearn.data.Block;
import org.relulearn.engine.SummingAggregator;
import org.relulearn.engine.CompensatedSum;
import org.relulearn.engine.Shared;
import org.relulearn.linalg.Blas;

/**
 * One distributed pass for the sharpness of f(x) = sum_j a_j relu(w_j . x) on large data: with
 * g_i = grad_theta f(x_i) and a direction v = (V_W, v_a),
 * <pre>
 *   trace = sum_i ||g_i||^2 = sum_i sum_j [ relu(h_ij)^2 + a_j^2 1{h_ij > 0} ||x_i||^2 ],   h = W x_i
 *   prod  = sum_i g_i (g_i . v),   g_i . v = sum_j 1{h_ij > 0} (a_j (V_W x_i)_j + v_aj h_ij)
 * </pre>
 * so (1/n) trace is Tr H of the Gauss-Newton matrix exactly (no Hutchinson estimate is needed for
 * it), and (1/n) prod is H v for power iteration. Per block: H = W X and U = V_W X (two dgemms),
 * D = a o 1{H > 0} o (g.v) and prod_W += D X^T (one more).
 */
public final class GaussNewtonAggregator extends SummingAggregator<GaussNewtonAggregator> {
    private static final long serialVersionUID = 1L;

    /** The parameters and a direction v (same layout: V_W m x p, v_a length m; null for trace only). */
    public record Input(TwoLayerParams params, double[] vw, double[] va) implements Serializable {}

    private final Shared<Input> shared;
    private final CompensatedSum trace = sums(1);
    private final CompensatedSum prodW;   // m x p row-major; empty for trace only
    private final CompensatedSum prodA;
    private transient double[] h;
    private transient double[] u;

    public GaussNewtonAggregator(Shared<Input> shared) {
        this.shared = shared;
        Input in = shared.value();
        boolean product = in.vw() != null;
        this.prodW = sums(product ? in.params().m() * in.params().p() : 0);
        this.prodA = sums(product ? in.params().m() : 0);
    }

    @Override
    protected void addRows(Block b) {
        int rows = b.rows();
        if (rows == 0) return;
        Input in = shared.value();
        TwoLayerParams t = in.params();
        int m = t.m(), p = t.p();
        if (b.d() != p) throw new IllegalArgumentException("expected blocks with d=" + p + "; got " + b);
        boolean product = in.vw() != null;
        if (h == null || h.length < m * rows) {
            h = new double[m * rows];
            u = new double[m * rows];
        }
        double[] x = b.x(), a = t.a();
        double[] tr = trace.pending(), pa = product ? prodA.pending() : null;
        Blas.native3().dgemm("T", "N", m, rows, p, 1.0, t.w(), p, x, p, 0.0, h, m);
        if (product) Blas.native3().dgemm("T", "N", m, rows, p, 1.0, in.vw(), p, x, p, 0.0, u, m);
        for (int r = 0; r < rows; r++) {
            int o = r * m;
            double xx = 0;
            for (int k = 0; k < p; k++) xx += x[r * p + k] * x[r * p + k];
            double gv = 0;
            for (int j = 0; j < m; j++) {
                double hj = h[o + j];
                if (hj <= 0) continue;
                tr[0] += hj * hj + a[j] * a[j] * xx;
                if (product) gv += a[j] * u[o + j] + in.va()[j] * hj;
            }
            if (!product) continue;
            for (int j = 0; j < m; j++) {
                double hj = h[o + j];
                if (hj > 0) {
                    pa[j] += gv * hj;
                    u[o + j] = gv * a[j];
                } else {
                    u[o + j] = 0;
                }
            }
        }
        if (product) Blas.native3().dgemm("N", "T", p, m, rows, 1.0, x, p, u, m, 1.0, prodW.pending(), p);
    }

    /** Tr H = (1/n) sum_i ||g_i||^2. */
    public double trace() { return trace.value()[0] / count(); }

    /** H v as [W part (m x p row-major) | a part (m)]. */
    public double[] product() {
        double[] w = prodW.value(), a = prodA.value();
        int mp = w.length, m = a.length;
        double[] out = new double[mp + m];
        for (int i = 0; i < mp; i++) out[i] = w[i] / count();
        for (int j = 0; j < m; j++) out[mp + j] = a[j] / count();
        return out;
    }
}
