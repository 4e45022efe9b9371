package org.relulearn.algo.hermite;

import org.relulearn.data.Block;
import org.relulearn.engine.SummingAggregator;
import org.relulearn.engine.CompensatedSum;
import org.relulearn.linalg.Blas;

/**
 * Pass 1 of the Hermite fit (docs/hermite.md, Algorithm): the degree <= 1 label statistics and the
 * validation statistics of the inputs, over rows (x, y) with scalar y:
 * <pre>
 *   n,  sum y,  sum y^2,  sum y x,  sum x,  sum x x^T (packed upper, one dsyrk per block),  sum_r x_rj^4 (per coordinate)
 * </pre>
 * The first row holding a non-finite value is remembered (global index), so the error can name it.
 */
public final class InputStatsAggregator extends SummingAggregator<InputStatsAggregator> {
    private static final long serialVersionUID = 1L;

    private final int d;
    private long firstBadRow = -1;
    private final CompensatedSum sumY = sums(2);    // sum y, sum y^2
    private final CompensatedSum sumYX;
    private final CompensatedSum sumX;
    private final CompensatedSum sumX4;
    private final CompensatedSum sumXX;
    private transient double[] blockXX, blockYX, blockX, blockX4;

    public InputStatsAggregator(int d) {
        this.d = d;
        this.sumYX = sums(d);
        this.sumX = sums(d);
        this.sumX4 = sums(d);
        this.sumXX = sums(d * (d + 1) / 2);
    }

    @Override
    protected void addRows(Block block) {
        int rows = block.rows();
        if (rows == 0) return;
        if (block.d() != d || block.m() != 1) {
            throw new IllegalArgumentException("the Hermite fit needs d=" + d + " features and one label per row; got " + block);
        }
        if (blockXX == null) {
            blockXX = new double[d * d];
            blockYX = new double[d];
            blockX = new double[d];
            blockX4 = new double[d];
        }
        double[] x = block.x(), y = block.y();
        if (firstBadRow < 0) {
            for (int r = 0; r < rows && firstBadRow < 0; r++) {
                boolean ok = Double.isFinite(y[r]);
                for (int j = 0, o = r * d; j < d && ok; j++) ok = Double.isFinite(x[o + j]);
                if (!ok) firstBadRow = block.firstRow() + r;
            }
        }
        Blas.native3().dsyrk("U", "N", d, rows, 1.0, x, d, 0.0, blockXX, d);
        sumXX.addPackedUpper(blockXX, d);
        Blas.native3().dgemv("N", d, rows, 1.0, x, d, y, 1, 0.0, blockYX, 1);
        sumYX.add(blockYX);
        java.util.Arrays.fill(blockX, 0);
        java.util.Arrays.fill(blockX4, 0);
        double sy = 0, syy = 0;
        for (int r = 0; r < rows; r++) {
            int o = r * d;
            for (int j = 0; j < d; j++) {
                double v = x[o + j], v2 = v * v;
                blockX[j] += v;
                blockX4[j] += v2 * v2;
            }
            sy += y[r];
            syy += y[r] * y[r];
        }
        sumX.add(blockX);
        sumX4.add(blockX4);
        sumY.add(0, sy);
        sumY.add(1, syy);
    }

    @Override
    protected void mergeOther(InputStatsAggregator o) {
        if (o.firstBadRow >= 0 && (firstBadRow < 0 || o.firstBadRow < firstBadRow)) firstBadRow = o.firstBadRow;
    }

    /** The global index of the first row with a NaN or infinite value, or -1. */
    public long firstNonFiniteRow() { return firstBadRow; }

    /** The averaged statistics (driver side). */
    public InputStats result() {
        if (count() == 0) throw new IllegalStateException("no rows were aggregated: the data set is empty");
        double inv = 1.0 / count();
        double[] y = sumY.value();
        double[] yx = scale(sumYX.value(), inv);
        double[] mx = scale(sumX.value(), inv);
        double[] x4 = scale(sumX4.value(), inv);
        double[] xx = scale(CompensatedSum.unpackSymmetric(sumXX.value(), d), inv);
        return new InputStats(d, count(), y[0] * inv, y[1] * inv, yx, mx, xx, x4);
    }

    static double[] scale(double[] a, double s) {
        for (int i = 0; i < a.length; i++) a[i] *= s;
        return a;
    }

    /**
     * Means of pass 1: ybar, mean y^2, mean y x, mean x, mean x x^T (row-major d x d), mean x_j^4.
     */
    public record InputStats(int d, long n, double meanY, double meanY2, double[] meanYX, double[] meanX, double[] secondX,
                             double[] fourthX) {
        /** T1hat = mean((y - ybar) x) = mean(y x) - ybar mean(x). */
        public double[] t1() {
            double[] t = meanYX.clone();
            for (int j = 0; j < d; j++) t[j] -= meanY * meanX[j];
            return t;
        }

        public double varianceY() { return Math.max(0, meanY2 - meanY * meanY); }
    }
}
