package org.relulearn.algo.twolayer;

import org.relulearn.data.Block;
import org.relulearn.engine.SummingAggregator;
import org.relulearn.engine.CompensatedSum;
import org.relulearn.engine.Shared;
import org.relulearn.linalg.Blas;

/**
 * One full-batch pass of gradient descent on the mean logistic loss of f(x) = sum_j a_j relu(w_j.x)
 * with the output layer a fixed (the XOR-cluster grokking setting of Xu et al., arXiv 2310.02541):
 * <pre>
 *   L = (1/n) sum_i log(1 + exp(-y_i f(x_i))),
 *   dL/dW = sum_i c_i (a o 1{W x_i > 0}) x_i^T,   c_i = -y_i sigma(-y_i f(x_i)),   (sum, divided by n at the end)
 * </pre>
 * Per block of R rows: H = W X (one dgemm), D = (a c^T) o 1{H > 0}, G += D X^T (one dgemm). The
 * same pass counts the training accuracy against the given (possibly flipped) labels y, and, with
 * the clean class c(x) = sign(|x . u1| - |x . u2|) of the cluster axes u1 = e_1, u2 = e_2, how many
 * rows carry a flipped label and how many of those the network fits.
 */
public final class LogisticGradientAggregator extends SummingAggregator<LogisticGradientAggregator> {
    private static final long serialVersionUID = 1L;
    private final Shared<TwoLayerParams> shared;
    private final int m;
    private final int p;
    private final CompensatedSum loss = sums(1);
    private final long[] counts = counters(3);   // correct, flipped, flipped and fitted
    private final CompensatedSum grad;           // m x p row-major
    private transient double[] h;

    public LogisticGradientAggregator(Shared<TwoLayerParams> shared) {
        this.shared = shared;
        this.m = shared.value().m();
        this.p = shared.value().p();
        this.grad = sums(m * p);
    }

    @Override
    protected void addRows(Block b) {
        int rows = b.rows();
        if (rows == 0) return;
        if (b.d() != p || b.m() < 1) throw new IllegalArgumentException("expected blocks with d=" + p + " and a label; got " + b);
        TwoLayerParams t = shared.value();
        if (h == null || h.length < m * rows) h = new double[m * rows];
        double[] x = b.x(), y = b.y(), a = t.a();
        int lm = b.m();
        double[] lossSum = loss.pending();
        // H (m x R, column-major) = W X: row-major W is column-major W^T (p x m).
        Blas.native3().dgemm("T", "N", m, rows, p, 1.0, t.w(), p, x, p, 0.0, h, m);
        for (int r = 0; r < rows; r++) {
            int o = r * m;
            double f = 0;
            for (int j = 0; j < m; j++) f += a[j] * Math.max(0, h[o + j]);
            double yi = y[r * lm];
            double margin = yi * f;
            lossSum[0] += margin > 0 ? Math.log1p(Math.exp(-margin)) : -margin + Math.log1p(Math.exp(margin));
            double c = -yi / (1 + Math.exp(margin));   // -y sigma(-y f)
            boolean fits = margin > 0;
            if (fits) counts[0]++;
            double clean = Math.abs(x[r * p]) >= Math.abs(x[r * p + 1]) ? 1 : -1;
            if (clean != yi) {
                counts[1]++;
                if (fits) counts[2]++;
            }
            for (int j = 0; j < m; j++) h[o + j] = h[o + j] > 0 ? a[j] * c : 0;
        }
        // G (column-major p x m = row-major m x p) += X D^T.
        Blas.native3().dgemm("N", "T", p, m, rows, 1.0, x, p, h, m, 1.0, grad.pending(), p);
    }

    /** Mean gradient dL/dW (m x p row-major). */
    public double[] gradient() {
        double[] g = grad.value();
        for (int i = 0; i < g.length; i++) g[i] /= count();
        return g;
    }

    public double meanLoss() { return loss.value()[0] / count(); }
    public double trainAccuracy() { return (double) counts[0] / count(); }
    public long flippedRows() { return counts[1]; }
    /** Share of the rows with a flipped label that the network fits (NaN without flipped rows). */
    public double flippedFit() { return counts[1] == 0 ? Double.NaN : (double) counts[2] / counts[1]; }
}
