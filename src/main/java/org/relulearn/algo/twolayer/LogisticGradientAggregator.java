package org.relulearn.algo.twolayer;

import org.relulearn.data.Block;
import org.relulearn.engine.Aggregator;
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
public final class LogisticGradientAggregator implements Aggregator<LogisticGradientAggregator> {
    private static final long serialVersionUID = 1L;
    private final Shared<TwoLayerParams> shared;
    private final int m;
    private final int p;
    private long n;
    private double loss;
    private long correct;
    private long flipped;
    private long flippedFitted;
    private double[] grad;           // m x p row-major, lazily allocated
    private transient double[] h;

    public LogisticGradientAggregator(Shared<TwoLayerParams> shared) {
        this.shared = shared;
        this.m = shared.value().m();
        this.p = shared.value().p();
    }

    @Override
    public void add(Block b) {
        int rows = b.rows();
        if (rows == 0) return;
        if (b.d() != p || b.m() < 1) throw new IllegalArgumentException("expected blocks with d=" + p + " and a label; got " + b);
        TwoLayerParams t = shared.value();
        if (grad == null) grad = new double[m * p];
        if (h == null || h.length < m * rows) h = new double[m * rows];
        double[] x = b.x(), y = b.y(), a = t.a();
        int lm = b.m();
        // H (m x R, column-major) = W X: row-major W is column-major W^T (p x m).
        Blas.native3().dgemm("T", "N", m, rows, p, 1.0, t.w(), p, x, p, 0.0, h, m);
        for (int r = 0; r < rows; r++) {
            int o = r * m;
            double f = 0;
            for (int j = 0; j < m; j++) f += a[j] * Math.max(0, h[o + j]);
            double yi = y[r * lm];
            double margin = yi * f;
            loss += margin > 0 ? Math.log1p(Math.exp(-margin)) : -margin + Math.log1p(Math.exp(margin));
            double c = -yi / (1 + Math.exp(margin));   // -y sigma(-y f)
            boolean fits = margin > 0;
            if (fits) correct++;
            double clean = Math.abs(x[r * p]) >= Math.abs(x[r * p + 1]) ? 1 : -1;
            if (clean != yi) {
                flipped++;
                if (fits) flippedFitted++;
            }
            for (int j = 0; j < m; j++) h[o + j] = h[o + j] > 0 ? a[j] * c : 0;
        }
        // G (column-major p x m = row-major m x p) += X D^T.
        Blas.native3().dgemm("N", "T", p, m, rows, 1.0, x, p, h, m, 1.0, grad, p);
        n += rows;
    }

    @Override
    public LogisticGradientAggregator merge(LogisticGradientAggregator o) {
        n += o.n;
        loss += o.loss;
        correct += o.correct;
        flipped += o.flipped;
        flippedFitted += o.flippedFitted;
        if (o.grad != null) {
            if (grad == null) grad = o.grad;
            else for (int i = 0; i < grad.length; i++) grad[i] += o.grad[i];
        }
        return this;
    }

    @Override
    public long count() { return n; }

    /** Mean gradient dL/dW (m x p row-major). */
    public double[] gradient() {
        double[] g = grad == null ? new double[m * p] : grad.clone();
        for (int i = 0; i < g.length; i++) g[i] /= n;
        return g;
    }

    public double meanLoss() { return loss / n; }
    public double trainAccuracy() { return (double) correct / n; }
    public long flippedRows() { return flipped; }
    /** Share of the rows with a flipped label that the network fits (NaN without flipped rows). */
    public double flippedFit() { return flipped == 0 ? Double.NaN : (double) flippedFitted / flipped; }
}
