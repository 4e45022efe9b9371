package org.relulearn.algo.hermite;

import org.relulearn.data.Block;
import org.relulearn.engine.SummingAggregator;
import org.relulearn.engine.CompensatedSum;
import org.relulearn.engine.Shared;
import org.relulearn.linalg.Blas;

/**
 * Pass 2 of the Hermite fit: the order-2 statistic
 * <pre>
 *   T2hat = mean(yc x x^T) - mean(yc) I,   yc = y - ybar - T1hat.x   (faithful: yc = y)
 * </pre>
 * accumulated as sum yc x x^T = X^T diag(yc) X by two {@code dsyrk} calls per block: rows with
 * yc >= 0 scaled by sqrt(yc) (alpha = +1) and rows with yc < 0 scaled by sqrt(-yc) (alpha = -1), half
 * the flops of a general gemm. Also sum yc and sum yc^2 (for the noise threshold std(yc) sqrt(d/n)).
 */
public final class SecondOrderAggregator extends SummingAggregator<SecondOrderAggregator> {
    private static final long serialVersionUID = 1L;

    private final Shared<LabelResidual> residual;
    private final int d;
    private final CompensatedSum sumXX;
    private final CompensatedSum sums = sums(2);
    private transient double[] yc, pos, neg, block;

    public SecondOrderAggregator(Shared<LabelResidual> residual) {
        this.residual = residual;
        this.d = residual.value().d();
        this.sumXX = sums(d * (d + 1) / 2);
    }

    @Override
    protected void addRows(Block b) {
        int rows = b.rows();
        if (rows == 0) return;
        if (yc == null || yc.length < rows) {
            yc = new double[rows];
            pos = new double[rows * d];
            neg = new double[rows * d];
            block = new double[d * d];
        }
        double[] x = b.x();
        residual.value().residuals(x, b.y(), rows, null, yc, null);
        int np = 0, nn = 0;
        double s = 0, ss = 0;
        for (int r = 0; r < rows; r++) {
            double c = yc[r];
            s += c;
            ss += c * c;
            int o = r * d;
            if (c >= 0) {
                double q = Math.sqrt(c);
                int t = np++ * d;
                for (int j = 0; j < d; j++) pos[t + j] = q * x[o + j];
            } else {
                double q = Math.sqrt(-c);
                int t = nn++ * d;
                for (int j = 0; j < d; j++) neg[t + j] = q * x[o + j];
            }
        }
        java.util.Arrays.fill(block, 0);
        if (np > 0) Blas.native3().dsyrk("U", "N", d, np, 1.0, pos, d, 0.0, block, d);
        if (nn > 0) Blas.native3().dsyrk("U", "N", d, nn, -1.0, neg, d, 1.0, block, d);
        sumXX.addPackedUpper(block, d);
        sums.add(0, s);
        sums.add(1, ss);
    }

    /** T2hat (row-major d x d, symmetric). */
    public double[] t2() {
        double[] t = CompensatedSum.unpackSymmetric(sumXX.value(), d);
        double[] s = sums.value();
        for (int i = 0; i < t.length; i++) t[i] /= count();
        for (int i = 0; i < d; i++) t[i * d + i] -= s[0] / count();
        return t;
    }

    /** The standard deviation of the residual yc. */
    public double residualStd() {
        double[] s = sums.value();
        double mean = s[0] / count();
        return Math.sqrt(Math.max(0, s[1] / count() - mean * mean));
    }
}
