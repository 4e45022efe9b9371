package org.relulearn.algo.moments;

import org.relulearn.data.Block;
import org.relulearn.engine.SummingAggregator;
import org.relulearn.engine.CompensatedSum;
import org.relulearn.linalg.Blas;

/**
 * The moment pass every algorithm needs, over rows (x, y) with x in R^d and y in R^m:
 * <pre>
 *   n,   sum x,   sum x x^T,   sum y x^T,   sum y,   sum y y^T
 * </pre>
 * Per block, sum x x^T is one {@code dsyrk} and sum y x^T one {@code dgemm} (BLAS-3); each block's
 * partial sums are then added with compensation ({@link CompensatedSum}), so totals stay accurate
 * at 1e9 rows. Only upper triangles of the symmetric sums are accumulated, packed (d(d+1)/2 entries),
 * which halves the memory traffic of the compensated add and the size of a partial result.
 */
public final class MomentAggregator extends SummingAggregator<MomentAggregator> {
    private static final long serialVersionUID = 1L;

    private final int d;
    private final int m;
    private final CompensatedSum sumX;
    private final CompensatedSum sumXX;   // upper triangle of d x d, packed by columns
    private final CompensatedSum sumYX;   // column-major m x d
    private final CompensatedSum sumY;
    private final CompensatedSum sumYY;   // upper triangle of m x m, packed by columns
    private transient double[] blockXX;
    private transient double[] blockYX;
    private transient double[] blockYY;
    private transient double[] blockX;
    private transient double[] blockY;

    public MomentAggregator(int d, int m) {
        if (d < 1 || m < 0) throw new IllegalArgumentException("need d >= 1 and m >= 0, got d=" + d + ", m=" + m);
        this.d = d;
        this.m = m;
        this.sumX = sums(d);
        this.sumXX = sums(d * (d + 1) / 2);
        this.sumYX = sums(m * d);
        this.sumY = sums(m);
        this.sumYY = sums(m * (m + 1) / 2);
    }

    @Override
    protected void addRows(Block block) {
        int rows = block.rows();
        if (rows == 0) return;
        if (block.d() != d || block.m() != m) {
            throw new IllegalArgumentException("moment pass expects d=" + d + ", m=" + m + "; got " + block);
        }
        ensureScratch();
        double[] x = block.x(), y = block.y();
        Blas.native3().dsyrk("U", "N", d, rows, 1.0, x, d, 0.0, blockXX, d);
        sumXX.addPackedUpper(blockXX, d);
        rowSums(x, rows, d, blockX);
        sumX.add(blockX);
        if (m > 0) {
            Blas.native3().dgemm("N", "T", m, d, rows, 1.0, y, m, x, d, 0.0, blockYX, m);
            sumYX.add(blockYX);
            Blas.native3().dsyrk("U", "N", m, rows, 1.0, y, m, 0.0, blockYY, m);
            sumYY.addPackedUpper(blockYY, m);
            rowSums(y, rows, m, blockY);
            sumY.add(blockY);
        }
    }

    /**
     * out[j] = sum over r of a[r*width + j], each column summed in row order. The naive loop does not
     * vectorise and cost as much as a third of the block's work at d = 100, so wide rows are added
     * with the vectorised Java daxpy (alpha = 1: y + 1.0*x rounds exactly like y + x) and narrow
     * ones eight columns at a time in registers (eight independent chains instead of one load-add-
     * store per element); either way the sums are bit-identical to adding one row at a time.
     */
    static void rowSums(double[] a, int rows, int width, double[] out) {
        if (width >= 32) {
            java.util.Arrays.fill(out, 0, width, 0.0);
            dev.ludovic.netlib.blas.BLAS blas = Blas.java();
            for (int r = 0; r < rows; r++) blas.daxpy(width, 1.0, a, r * width, 1, out, 0, 1);
            return;
        }
        int j = 0;
        for (; j + 8 <= width; j += 8) {
            double s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
            for (int r = 0, o = j; r < rows; r++, o += width) {
                s0 += a[o];
                s1 += a[o + 1];
                s2 += a[o + 2];
                s3 += a[o + 3];
                s4 += a[o + 4];
                s5 += a[o + 5];
                s6 += a[o + 6];
                s7 += a[o + 7];
            }
            out[j] = s0;
            out[j + 1] = s1;
            out[j + 2] = s2;
            out[j + 3] = s3;
            out[j + 4] = s4;
            out[j + 5] = s5;
            out[j + 6] = s6;
            out[j + 7] = s7;
        }
        for (; j + 4 <= width; j += 4) {
            double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
            for (int r = 0, o = j; r < rows; r++, o += width) {
                s0 += a[o];
                s1 += a[o + 1];
                s2 += a[o + 2];
                s3 += a[o + 3];
            }
            out[j] = s0;
            out[j + 1] = s1;
            out[j + 2] = s2;
            out[j + 3] = s3;
        }
        for (; j < width; j++) {
            double s = 0;
            for (int r = 0, o = j; r < rows; r++, o += width) s += a[o];
            out[j] = s;
        }
    }

    private void ensureScratch() {
        if (blockXX == null) {
            blockXX = new double[d * d];
            blockX = new double[d];
            blockYX = new double[m * d];
            blockYY = new double[m * m];
            blockY = new double[m];
        }
    }

    /** The averaged moments (driver side). */
    public Moments result() {
        if (count() == 0) throw new IllegalStateException("no rows were aggregated: the data set is empty");
        double inv = 1.0 / count();
        double[] xx = CompensatedSum.unpackSymmetric(sumXX.value(), d);
        double[] yy = CompensatedSum.unpackSymmetric(sumYY.value(), m);
        double[] yxCol = sumYX.value();
        double[] yx = new double[m * d];
        for (int i = 0; i < m; i++) for (int j = 0; j < d; j++) yx[i * d + j] = yxCol[i + j * m] * inv;
        return new Moments(d, m, count(), scale(sumX.value(), inv), scale(xx, inv), yx, scale(sumY.value(), inv), scale(yy, inv));
    }

    private static double[] scale(double[] a, double s) {
        for (int i = 0; i < a.length; i++) a[i] *= s;
        return a;
    }
}
