package org.relulearn.algo.gate;

import java.util.Arrays;
import org.relulearn.data.Block;
import org.relulearn.engine.SummingAggregator;
import org.relulearn.engine.CompensatedSum;
import org.relulearn.linalg.Blas;

/**
 * The pilot pass of the gate (docs/gate.md, Checks) over n rows: sums that give Sigma = E[x x^T], the
 * fourth-moment matrix Q = E[||x||^2 x x^T] (m4 = lambda_max(Q)), the mean (asymmetry check), the
 * mean sign of each coordinate (a symmetry check that heavy tails cannot fool) and the largest
 * single ||x||^4 (heavy-tail check).
 *
 * <p>Q is accumulated separately for G contiguous groups of global row indices, and m4 is the
 * median over groups of lambda_max(Q_g) (median of means): with heavy tails (Student-t, nu &lt;= 4)
 * a single extreme row dominates one group's Q, not the median, so the step size does not collapse.
 * Each group's block contribution is one dsyrk on the rows scaled by ||x_i||.
 */
public final class GatePilotAggregator extends SummingAggregator<GatePilotAggregator> {
    private static final long serialVersionUID = 1L;
    /** Above this d, one group only (G d^2 doubles per aggregator would be too much memory). */
    static final int GROUPED_UP_TO_D = 512;
    private final int d;
    private final long total;
    private final int groups;
    private final CompensatedSum sumXX;
    private final CompensatedSum[] sumQ;
    private final CompensatedSum sumX;
    private final CompensatedSum sumSign;
    private final CompensatedSum sumNorm4 = sums(1);
    private final double[] maxNorm4 = maxima(1);
    private transient double[] bXX;
    private transient double[] bQ;
    private transient double[] scaled;
    private transient double[] b1;
    private transient double[] bs;

    /** @param total the pilot size n (groups are ranges of global row indices of [0, n)) */
    public GatePilotAggregator(int d, long total) {
        this.d = d;
        this.total = Math.max(1, total);
        this.groups = d <= GROUPED_UP_TO_D && total >= 8 * 1000L ? 8 : 1;
        sumXX = sums(d * d);
        sumQ = new CompensatedSum[groups];
        for (int g = 0; g < groups; g++) sumQ[g] = sums(d * d);
        sumX = sums(d);
        sumSign = sums(d);
    }

    private int groupOf(long row) {
        return (int) Math.min(groups - 1, Math.max(0, row / ((total + groups - 1) / groups)));
    }

    @Override
    protected void addRows(Block block) {
        int rows = block.rows();
        if (rows == 0) return;
        if (block.d() != d) throw new IllegalArgumentException("pilot pass expects d=" + d + ", got " + block.d());
        if (bXX == null) {
            bXX = new double[d * d];
            bQ = new double[d * d];
            b1 = new double[d];
            bs = new double[d];
        }
        if (scaled == null || scaled.length < rows * d) scaled = new double[rows * d];
        double[] x = block.x();
        Arrays.fill(b1, 0);
        Arrays.fill(bs, 0);
        double[] norm4 = sumNorm4.pending();
        for (int r = 0; r < rows; r++) {
            int o = r * d;
            double nn = 0;
            for (int j = 0; j < d; j++) {
                double v = x[o + j];
                nn += v * v;
                b1[j] += v;
                bs[j] += Math.signum(v);
            }
            double s = Math.sqrt(nn);
            for (int j = 0; j < d; j++) scaled[o + j] = s * x[o + j];
            double n4 = nn * nn;
            norm4[0] += n4;
            if (n4 > maxNorm4[0]) maxNorm4[0] = n4;
        }
        Blas.native3().dsyrk("U", "N", d, rows, 1.0, x, d, 0.0, bXX, d);
        sumXX.add(bXX);
        // Runs of rows that fall in the same group get one dsyrk each (usually the whole block).
        int from = 0;
        while (from < rows) {
            int g = groupOf(block.firstRow() + from);
            int to = from + 1;
            while (to < rows && groupOf(block.firstRow() + to) == g) to++;
            Blas.native3().dsyrk("U", "N", d, to - from, 1.0, scaled, from * d, d, 0.0, bQ, 0, d);
            sumQ[g].add(bQ);
            from = to;
        }
        sumX.add(b1);
        sumSign.add(bs);
    }

    /** The averaged statistics (driver side). */
    public PilotStatistics result() {
        if (count() == 0) throw new IllegalArgumentException("the pilot sample is empty: give at least one row");
        double[] sigma = symmetric(sumXX.value(), 1.0 / count());
        double[][] q = new double[groups][];
        for (int g = 0; g < groups; g++) {
            long rowsInGroup = Math.min(total, (g + 1) * ((total + groups - 1) / groups)) - g * ((total + groups - 1) / groups);
            q[g] = symmetric(sumQ[g].value(), 1.0 / Math.max(1, groups == 1 ? count() : rowsInGroup));
        }
        double[] mean = sumX.value(), sign = sumSign.value();
        for (int j = 0; j < d; j++) {
            mean[j] /= count();
            sign[j] /= count();
        }
        double sum4 = sumNorm4.value()[0];
        return PilotStatistics.of(d, count(), sigma, q, mean, sign, sum4 / count(), Math.max(0, maxNorm4[0]) / sum4);
    }

    private double[] symmetric(double[] colUpper, double scale) {
        for (int j = 0; j < d; j++) {
            for (int i = 0; i <= j; i++) {
                double v = colUpper[i + j * d] * scale;
                colUpper[i + j * d] = v;
                colUpper[j + i * d] = v;
            }
        }
        return colUpper;
    }
}
