package org.relulearn.algo.tensorgd;

import org.relulearn.data.Block;
import org.relulearn.engine.SummingAggregator;
import org.relulearn.engine.CompensatedSum;
import org.relulearn.linalg.Blas;

/**
 * Pass 1 of Phase I (docs/tensor-gd.md, Design, pass 1) over all rows: the validation statistics and the
 * degree <= 2 moments used by variance reduction,
 * <pre>
 *   n, sum x, sum x x^T, sum y, sum y^2, sum y x, sum y x x^T
 * </pre>
 * (the d x d sums packed, upper triangle, by dsyrk / dgemm per block), plus the first row holding a
 * non-finite value. Per row cost ~3 d^2 flops.
 */
public final class InputStatsAggregator extends SummingAggregator<InputStatsAggregator> {
    private static final long serialVersionUID = 1L;
    private final int d;
    private long firstBadRow = -1;
    private final CompensatedSum sx, sxx, sy, syy, syx, syxx;
    private transient double[] full, scaled;

    public InputStatsAggregator(int d) {
        this.d = d;
        int packed = d * (d + 1) / 2;
        sx = sums(d);
        sxx = sums(packed);
        sy = sums(1);
        syy = sums(1);
        syx = sums(d);
        syxx = sums(packed);
    }

    @Override
    protected void addRows(Block block) {
        int rows = block.rows();
        if (rows == 0) return;
        if (block.d() != d || block.m() != 1) {
            throw new IllegalArgumentException("tensor-gd needs d = " + d + " features and one label per row; got " + block);
        }
        double[] x = block.x(), y = block.y();
        if (firstBadRow < 0) {
            for (int r = 0; r < rows && firstBadRow < 0; r++) {
                if (!Double.isFinite(y[r])) firstBadRow = block.firstRow() + r;
                for (int j = 0; j < d && firstBadRow < 0; j++) if (!Double.isFinite(x[r * d + j])) firstBadRow = block.firstRow() + r;
            }
        }
        if (full == null) full = new double[d * d];
        if (scaled == null || scaled.length < rows * d) scaled = new double[rows * d];
        double[] bx = new double[d], byx = new double[d];
        double s = 0, ss = 0;
        for (int r = 0; r < rows; r++) {
            double yr = y[r];
            s += yr;
            ss += yr * yr;
            int o = r * d;
            for (int j = 0; j < d; j++) {
                double xj = x[o + j];
                bx[j] += xj;
                byx[j] += yr * xj;
                scaled[o + j] = yr * xj;
            }
        }
        sx.add(bx);
        syx.add(byx);
        sy.add(0, s);
        syy.add(0, ss);
        // X^T X: the d x rows column-major matrix times its transpose (upper triangle).
        Blas.native3().dsyrk("U", "N", d, rows, 1.0, x, d, 0.0, full, d);
        sxx.addPackedUpper(full, d);
        // X^T diag(y) X.
        Blas.native3().dgemm("N", "T", d, d, rows, 1.0, x, d, scaled, d, 0.0, full, d);
        syxx.addPackedUpper(full, d);
    }

    /** The driver-side summary. */
    @Override
    protected void mergeOther(InputStatsAggregator o) {
        if (firstBadRow < 0) firstBadRow = o.firstBadRow;
    }

    public InputStats result() {
        return new InputStats(d, count(), firstBadRow, sx.value(), sxx.value(), sy.value()[0], syy.value()[0], syx.value(), syxx.value());
    }
}
