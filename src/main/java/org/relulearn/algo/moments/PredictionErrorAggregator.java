package org.relulearn.algo.moments;

import org.relulearn.data.Block;
import org.relulearn.engine.SummingAggregator;
import org.relulearn.engine.CompensatedSum;
import org.relulearn.engine.Shared;
import org.relulearn.linalg.Blas;

/**
 * The evaluation pass: squared prediction errors of the network A relu(W x) and of the purely
 * linear fit (1/2) B x (the best linear predictor under a symmetric input, identity I1), with the
 * label sums needed for the centred total:
 * <pre>
 *   sse = sum ||y - A relu(W x)||^2,   sseLinear = sum ||y - (1/2) B x||^2,
 *   sst = sum ||y||^2 - n ||mean y||^2
 * </pre>
 * One block is three dgemms; the sums are plain doubles (they are compared with each other, not
 * used as moments).
 */
public final class PredictionErrorAggregator extends SummingAggregator<PredictionErrorAggregator> {
    private static final long serialVersionUID = 1L;
    private final Shared<NetworkShape> shared;
    private final CompensatedSum scalars = sums(3);   // sse, sseLinear, sum y^2
    private final CompensatedSum sumY;
    private transient double[] h;
    private transient double[] pred;

    public PredictionErrorAggregator(Shared<NetworkShape> shared) {
        this.shared = shared;
        this.sumY = sums(shared.value().l());
    }

    @Override
    protected void addRows(Block block) {
        int rows = block.rows();
        if (rows == 0) return;
        NetworkShape s = shared.value();
        int l = s.l(), k = s.k(), d = s.d();
        if (block.d() != d || block.m() != l) throw new IllegalArgumentException("evaluation expects d=" + d + ", m=" + l + "; got " + block);
        if (h == null || h.length < k * rows || pred.length < l * rows) {
            h = new double[k * rows];
            pred = new double[l * rows];
        }
        double[] y = block.y();
        RefitAggregator.hidden(s, block, h);
        // Row-major A (l x k) is column-major A^T: pred (l x rows) = A H.
        Blas.native3().dgemm("T", "N", l, rows, k, 1.0, s.a(), k, h, k, 0.0, pred, l);
        double[] sc = scalars.pending(), sy = sumY.pending();
        for (int i = 0, e = l * rows; i < e; i++) {
            double r = y[i] - pred[i];
            sc[0] += r * r;
            sc[2] += y[i] * y[i];
            sy[i % l] += y[i];
        }
        Blas.native3().dgemm("T", "N", l, rows, d, 0.5, s.b(), d, block.x(), d, 0.0, pred, l);
        for (int i = 0, e = l * rows; i < e; i++) {
            double r = y[i] - pred[i];
            sc[1] += r * r;
        }
    }

    /** sum ||y - mean y||^2. */
    public double totalSumOfSquares() {
        double c = 0;
        for (double v : sumY.value()) c += v * v;
        return scalars.value()[2] - c / Math.max(count(), 1);
    }

    /** sse / sst: the network's relative prediction error. */
    public double relativeError() { return scalars.value()[0] / totalSumOfSquares(); }

    /** sseLinear / sst: the linear fit's relative prediction error. */
    public double relativeErrorLinear() { return scalars.value()[1] / totalSumOfSquares(); }
}
