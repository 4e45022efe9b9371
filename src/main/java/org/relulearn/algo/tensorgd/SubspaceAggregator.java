package org.relulearn.algo.tensorgd;

import org.relulearn.data.Block;
import org.relulearn.engine.Aggregator;
import org.relulearn.engine.CompensatedSum;
import org.relulearn.engine.Shared;
import org.relulearn.linalg.Blas;

/**
 * Pass 2 of Phase I (spec section 2.4 step 1) over S2: the sums of
 * <pre>
 *   P2hat = (1/|S2|) sum y1 x x^T - mean(y1) I
 * </pre>
 * i.e. |S2|, sum y1 and the packed upper triangle of sum y1 x x^T (one dgemm X^T diag(y1) X per
 * block of selected rows), y1 as in {@link Phase1Inputs}.
 */
public final class SubspaceAggregator implements Aggregator<SubspaceAggregator> {
    private static final long serialVersionUID = 1L;
    private final Shared<Phase1Inputs> shared;
    private final int d;
    private long n;
    private final CompensatedSum sy;
    private final CompensatedSum syxx;
    private transient double[] selX, scaled, full;

    public SubspaceAggregator(Shared<Phase1Inputs> shared) {
        this.shared = shared;
        this.d = shared.value().d();
        sy = new CompensatedSum(1);
        syxx = new CompensatedSum(d * (d + 1) / 2);
    }

    @Override
    public void add(Block block) {
        int rows = block.rows();
        if (rows == 0) return;
        Phase1Inputs in = shared.value();
        if (selX == null || selX.length < rows * d) {
            selX = new double[rows * d];
            scaled = new double[rows * d];
        }
        if (full == null) full = new double[d * d];
        double[] x = block.x(), y = block.y(), m1 = in.m1();
        SampleSplit split = in.split();
        boolean vr = in.varianceReduction();
        int c = 0;
        double s = 0;
        for (int r = 0; r < rows; r++) {
            if (!split.in(block.firstRow() + r, SampleSplit.S2)) continue;
            int o = r * d, to = c * d;
            double yr = y[r];
            if (vr) {
                double lin = 0;
                for (int j = 0; j < d; j++) lin += m1[j] * x[o + j];
                yr = yr - in.ybar() - lin;
            }
            s += yr;
            for (int j = 0; j < d; j++) {
                selX[to + j] = x[o + j];
                scaled[to + j] = yr * x[o + j];
            }
            c++;
        }
        if (c == 0) return;
        Blas.native3().dgemm("N", "T", d, d, c, 1.0, selX, d, scaled, d, 0.0, full, d);
        syxx.addPackedUpper(full, d);
        sy.add(0, s);
        n += c;
    }

    @Override
    public SubspaceAggregator merge(SubspaceAggregator o) {
        n += o.n;
        sy.merge(o.sy);
        syxx.merge(o.syxx);
        return this;
    }

    @Override
    public long count() { return n; }

    /** P2hat, row-major d x d (requires count() > 0). */
    public double[] p2() {
        double[] m = CompensatedSum.unpackSymmetric(syxx.value(), d);
        for (int i = 0; i < d * d; i++) m[i] /= n;
        double mean = sy.value()[0] / n;
        for (int j = 0; j < d; j++) m[j * d + j] -= mean;
        return m;
    }
}
