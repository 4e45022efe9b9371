package org.relulearn.algo.tensorgd;

import org.relulearn.engine.CompensatedSum;

/**
 * The totals of pass 1 ({@link InputStatsAggregator}) and what the driver derives from them:
 * <pre>
 *   ybar = sum y / n,  M1hat = sum y x / n,  M2hat = sum y x x^T / n - ybar I   (docs/tensor-gd.md, Model)
 *   mean x = sum x / n,  cov x = sum x x^T / n - mean x mean x^T
 * </pre>
 *
 * @param firstBadRow the id of the first row with a non-finite value, or -1
 * @param sxxPacked   packed upper triangle of sum x x^T
 * @param syxxPacked  packed upper triangle of sum y x x^T
 */
public record InputStats(int d, long n, long firstBadRow, double[] sx, double[] sxxPacked, double sy, double syy, double[] syx,
                         double[] syxxPacked) {

    public double meanY() { return sy / n; }

    /** The empirical variance of y. */
    public double varY() {
        double m = meanY();
        return Math.max(0, syy / n - m * m);
    }

    public double[] m1() {
        double[] m = syx.clone();
        for (int j = 0; j < d; j++) m[j] /= n;
        return m;
    }

    /** M2hat = mean(y x x^T) - ybar I, row-major d x d. */
    public double[] m2() {
        double[] m = CompensatedSum.unpackSymmetric(syxxPacked, d);
        double ybar = meanY();
        for (int i = 0; i < d * d; i++) m[i] /= n;
        for (int j = 0; j < d; j++) m[j * d + j] -= ybar;
        return m;
    }

    /**
     * The Gaussian-input check of docs/tensor-gd.md, Diagnostics: the largest deviation of mean x from 0 and of
     * cov x from I in units of its tolerance, 6/sqrt(n) (mean and off-diagonal entries) and
     * 6 sqrt(2/n) (diagonal entries, whose sampling sd is sqrt(2/n)). Above 1 the check fails.
     *
     * @return {worst ratio, index of the worst entry (mean: j; cov: d + i*d + j)}
     */
    public double[] gaussianCheck() {
        double tol = 6 / Math.sqrt(n), tolDiag = 6 * Math.sqrt(2.0 / n);
        double worst = 0;
        int at = -1;
        double[] mean = new double[d];
        for (int j = 0; j < d; j++) {
            mean[j] = sx[j] / n;
            double r = Math.abs(mean[j]) / tol;
            if (r > worst) { worst = r; at = j; }
        }
        double[] c = CompensatedSum.unpackSymmetric(sxxPacked, d);
        for (int i = 0; i < d; i++) {
            for (int j = i; j < d; j++) {
                double cov = c[i * d + j] / n - mean[i] * mean[j];
                double r = i == j ? Math.abs(cov - 1) / tolDiag : Math.abs(cov) / tol;
                if (r > worst) { worst = r; at = d + i * d + j; }
            }
        }
        return new double[] {worst, at};
    }

    /** A description of the entry {@link #gaussianCheck} names. */
    public String describeEntry(int at) {
        if (at < d) return String.format("mean of feature %d = %.4g (expected 0)", at, sx[at] / n);
        int i = (at - d) / d, j = (at - d) % d;
        double[] c = CompensatedSum.unpackSymmetric(sxxPacked, d);
        double cov = c[i * d + j] / n - (sx[i] / n) * (sx[j] / n);
        return String.format("covariance of features %d and %d = %.4g (expected %d)", i, j, cov, i == j ? 1 : 0);
    }
}
