package org.relulearn.algo.twolayer;

import org.relulearn.data.Block;
import org.relulearn.engine.SummingAggregator;
import org.relulearn.engine.Shared;
import org.relulearn.linalg.Blas;

/** Share of rows whose label y (clean test labels) has the sign of f(x) = sum_j a_j relu(w_j.x). */
public final class CleanAccuracyAggregator extends SummingAggregator<CleanAccuracyAggregator> {
    private static final long serialVersionUID = 1L;
    private final Shared<TwoLayerParams> shared;
    private final long[] correct = counters(1);
    private transient double[] h;

    public CleanAccuracyAggregator(Shared<TwoLayerParams> shared) { this.shared = shared; }

    @Override
    protected void addRows(Block b) {
        int rows = b.rows();
        if (rows == 0) return;
        TwoLayerParams t = shared.value();
        int m = t.m(), p = t.p();
        if (h == null || h.length < m * rows) h = new double[m * rows];
        Blas.native3().dgemm("T", "N", m, rows, p, 1.0, t.w(), p, b.x(), p, 0.0, h, m);
        double[] a = t.a();
        for (int r = 0; r < rows; r++) {
            double f = 0;
            for (int j = 0; j < m; j++) f += a[j] * Math.max(0, h[r * m + j]);
            if (f * b.y()[r * b.m()] > 0) correct[0]++;
        }
    }

    public double accuracy() { return (double) correct[0] / count(); }
}
