package org.relulearn.algo.tensorgd;

import org.relulearn.data.Block;
import org.relulearn.engine.SummingAggregator;
import org.relulearn.engine.CompensatedSum;
import org.relulearn.engine.Shared;
import org.relulearn.linalg.Blas;

/**
 * One Phase II pass (docs/tensor-gd.md, Design) over a block at a time, all by BLAS-3:
 * <pre>
 *   H = W X^T (dgemm),  r_i = sum_j v_j relu(h_ij) - y_i,  D_ij = r_i v_j 1[h_ij > 0],  G += X^T D (dgemm)
 *   loss sum = sum_i r_i^2
 * </pre>
 * so the empirical loss is L = loss sum / (2n) and its gradient (1/n) G (row j = d L / d w_j, with
 * relu'(0) = 0). With a direction Delta in the state it instead accumulates the Gauss-Newton
 * product J^T J Delta: e_i = sum_j v_j 1[h_ij > 0] delta_j . x_i, D_ij = e_i v_j 1[h_ij > 0] (one
 * power-iteration step for lambda_max of J^T J / n).
 */
public final class GdAggregator extends SummingAggregator<GdAggregator> {
    private static final long serialVersionUID = 1L;
    private final Shared<GdState> shared;
    private final int k, d;
    private final CompensatedSum grad;
    private final CompensatedSum loss;
    private transient double[] h, e, dm, gb;

    public GdAggregator(Shared<GdState> shared) {
        this.shared = shared;
        this.k = shared.value().k();
        this.d = shared.value().d();
        grad = sums(k * d);
        loss = sums(1);
    }

    @Override
    protected void addRows(Block block) {
        int rows = block.rows();
        if (rows == 0) return;
        GdState st = shared.value();
        double[] x = block.x(), y = block.y(), v = st.v();
        if (h == null || h.length < rows * k) {
            h = new double[rows * k];
            dm = new double[rows * k];
        }
        if (gb == null) gb = new double[k * d];
        // Row-major W (K x d) is column-major d x K: H (K x rows) = W X^T.
        Blas.native3().dgemm("T", "N", k, rows, d, 1.0, st.w(), d, x, d, 0.0, h, k);
        double ls = 0;
        if (st.direction() == null) {
            for (int r = 0; r < rows; r++) {
                int o = r * k;
                double pred = 0;
                for (int j = 0; j < k; j++) {
                    double hv = h[o + j];
                    if (hv > 0) pred += v[j] * hv;
                }
                double res = pred - y[r];
                ls += res * res;
                for (int j = 0; j < k; j++) dm[o + j] = h[o + j] > 0 ? res * v[j] : 0;
            }
        } else {
            if (e == null || e.length < rows * k) e = new double[rows * k];
            Blas.native3().dgemm("T", "N", k, rows, d, 1.0, st.direction(), d, x, d, 0.0, e, k);
            for (int r = 0; r < rows; r++) {
                int o = r * k;
                double s = 0;
                for (int j = 0; j < k; j++) if (h[o + j] > 0) s += v[j] * e[o + j];
                ls += s * s;
                for (int j = 0; j < k; j++) dm[o + j] = h[o + j] > 0 ? s * v[j] : 0;
            }
        }
        // G (column-major d x K = row-major K x d) = X^T D^T with D column-major K x rows.
        Blas.native3().dgemm("N", "T", d, k, rows, 1.0, x, d, dm, k, 0.0, gb, d);
        grad.add(gb);
        loss.add(0, ls);
    }

    /** The gradient sum G (row-major K x d; divide by n for the gradient) or J^T J Delta. */
    public double[] gradientSum() { return grad.value(); }

    /** sum r_i^2 (or sum e_i^2 = |J Delta|^2 in a Gauss-Newton pass). */
    public double squaredSum() { return loss.value()[0]; }
}
