package org.relulearn.algo.tensorgd;

import org.relulearn.data.Block;
import org.relulearn.engine.SummingAggregator;
import org.relulearn.engine.CompensatedSum;
import org.relulearn.engine.Shared;
import org.relulearn.linalg.Blas;

/**
 * One step of block subspace iteration for step 1 when d is too large for the packed d x d pass
 * (docs/tensor-gd.md, Design step 1, "larger d"): over S2 the sums of
 * <pre>
 *   P2hat Q = (1/|S2|) sum y1 x (x^T Q) - mean(y1) Q        (Q: d x p, p = K + oversampling)
 * </pre>
 * i.e. |S2|, sum y1 and sum y1 x (x^T Q) (two dgemms per block of selected rows; O(dp) per row).
 */
public final class SubspaceIterationAggregator extends SummingAggregator<SubspaceIterationAggregator> {
    private static final long serialVersionUID = 1L;
    private final Shared<Phase1Inputs> shared;
    private final Shared<double[]> basis;      // Q, row-major d x p
    private final int d, p;
    private final CompensatedSum sy;
    private final CompensatedSum sz;           // row-major d x p
    private final long[] used = counters(1);   // rows of the split S2
    private transient double[] selX, xq, zb;

    public SubspaceIterationAggregator(Shared<Phase1Inputs> shared, Shared<double[]> basis, int p) {
        this.shared = shared;
        this.basis = basis;
        this.d = shared.value().d();
        this.p = p;
        sy = sums(1);
        sz = sums(d * p);
    }

    @Override
    protected void addRows(Block block) {
        int rows = block.rows();
        if (rows == 0) return;
        Phase1Inputs in = shared.value();
        double[] q = basis.value();
        if (selX == null || selX.length < rows * d) {
            selX = new double[rows * d];
            xq = new double[rows * p];
        }
        if (zb == null) zb = new double[d * p];
        double[] x = block.x(), y = block.y(), m1 = in.m1();
        SampleSplit split = in.split();
        int c = 0;
        double s = 0;
        double[] w = new double[rows];
        for (int r = 0; r < rows; r++) {
            if (!split.in(block.firstRow() + r, SampleSplit.S2)) continue;
            int o = r * d;
            double yr = y[r];
            if (in.varianceReduction()) {
                double lin = 0;
                for (int j = 0; j < d; j++) lin += m1[j] * x[o + j];
                yr = yr - in.ybar() - lin;
            }
            System.arraycopy(x, o, selX, c * d, d);
            w[c] = yr;
            s += yr;
            c++;
        }
        if (c == 0) return;
        // Row-major Q (d x p) is column-major p x d: XQ^T (p x c, column-major) = Q^T X^T.
        Blas.native3().dgemm("N", "N", p, c, d, 1.0, q, p, selX, d, 0.0, xq, p);
        for (int r = 0; r < c; r++) for (int j = 0; j < p; j++) xq[r * p + j] *= w[r];
        // Z (column-major p x d = row-major d x p) = (y1 * X Q)^T X.
        Blas.native3().dgemm("N", "T", p, d, c, 1.0, xq, p, selX, d, 0.0, zb, p);
        sz.add(zb);
        sy.add(0, s);
        used[0] += c;
    }

    /** Rows of the split S2 added. */
    @Override public long count() { return used[0]; }

    /** P2hat Q, row-major d x p. */
    public double[] product() {
        double[] z = sz.value();
        double mean = sy.value()[0] / used[0];
        double[] q = basis.value();
        for (int i = 0; i < z.length; i++) z[i] = z[i] / used[0] - mean * q[i];
        return z;
    }
}
