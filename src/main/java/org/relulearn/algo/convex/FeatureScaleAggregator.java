package org.relulearn.algo.convex;

import org.relulearn.data.Block;
import org.relulearn.engine.Aggregator;

/**
 * Per-column mean and sum of squared deviations of the features and the (first) label, and the
 * first row holding a non-finite value. Blocks are summarised by two passes over their rows and
 * combined by Chan's pairwise update
 * <pre>  n = n_a + n_b,  mean = mean_a + (mean_b - mean_a) n_b / n,  M2 = M2_a + M2_b + (mean_b - mean_a)^2 n_a n_b / n  </pre>
 * which stays accurate when the columns have large offsets (the one-pass E[x^2] - E[x]^2 does not).
 */
public final class FeatureScaleAggregator implements Aggregator<FeatureScaleAggregator> {
    private static final long serialVersionUID = 1L;

    private final int d;
    private long n;
    private final double[] mean;
    private final double[] m2;
    private long firstBadRow = -1;
    private transient double[] blockMean;
    private transient double[] blockM2;

    public FeatureScaleAggregator(int d) {
        this.d = d;
        this.mean = new double[d + 1];
        this.m2 = new double[d + 1];
    }

    @Override
    public void add(Block block) {
        int rows = block.rows();
        if (rows == 0) return;
        if (blockMean == null) {
            blockMean = new double[d + 1];
            blockM2 = new double[d + 1];
        }
        java.util.Arrays.fill(blockMean, 0);
        java.util.Arrays.fill(blockM2, 0);
        double[] x = block.x(), y = block.y();
        int m = block.m();
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < d; j++) blockMean[j] += x[r * d + j];
            blockMean[d] += y[r * m];
        }
        for (int j = 0; j <= d; j++) blockMean[j] /= rows;
        for (int r = 0; r < rows; r++) {
            boolean bad = false;
            for (int j = 0; j < d; j++) {
                double e = x[r * d + j] - blockMean[j];
                blockM2[j] += e * e;
                bad |= !Double.isFinite(x[r * d + j]);
            }
            double e = y[r * m] - blockMean[d];
            blockM2[d] += e * e;
            bad |= !Double.isFinite(y[r * m]);
            if (bad && (firstBadRow < 0 || block.firstRow() + r < firstBadRow)) firstBadRow = block.firstRow() + r;
        }
        combine(rows, blockMean, blockM2);
    }

    private void combine(long nb, double[] meanB, double[] m2B) {
        if (nb == 0) return;
        long total = n + nb;
        for (int j = 0; j <= d; j++) {
            double delta = meanB[j] - mean[j];
            mean[j] += delta * nb / total;
            m2[j] += m2B[j] + delta * delta * ((double) n * nb / total);
        }
        n = total;
    }

    @Override
    public FeatureScaleAggregator merge(FeatureScaleAggregator o) {
        combine(o.n, o.mean, o.m2);
        if (o.firstBadRow >= 0 && (firstBadRow < 0 || o.firstBadRow < firstBadRow)) firstBadRow = o.firstBadRow;
        return this;
    }

    @Override public long count() { return n; }

    /** The first (global) row with a non-finite feature or label, or -1. */
    public long firstNonFiniteRow() { return firstBadRow; }

    /**
     * The standardisation of the features (population standard deviation) and, when {@code label}, of the label.
     */
    public Standardisation standardisation(boolean label) {
        double[] mu = java.util.Arrays.copyOf(mean, d), sd = new double[d];
        for (int j = 0; j < d; j++) sd[j] = n > 0 ? Math.sqrt(m2[j] / n) : 1;
        // A column constant up to round-off keeps scale 1 (it is centred to ~0 and its group weight is free).
        for (int j = 0; j < d; j++) if (sd[j] <= 1e-12 * Math.max(1, Math.abs(mu[j]))) sd[j] = 1;
        double sy = n > 0 ? Math.sqrt(m2[d] / n) : 1;
        if (sy <= 1e-12 * Math.max(1, Math.abs(mean[d]))) sy = 1;
        return label ? new Standardisation(mu, sd, mean[d], sy) : new Standardisation(mu, sd, 0, 1);
    }
}
