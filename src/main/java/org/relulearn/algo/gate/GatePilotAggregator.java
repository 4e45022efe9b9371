package org.relulearn.algo.gate;

import java.util.Arrays;
import org.relulearn.data.Block;
import org.relulearn.engine.Aggregator;
import org.relulearn.engine.CompensatedSum;
import org.relulearn.linalg.Blas;

/**
 * The pilot pass of the gate (gate spec section 6): sums that give Sigma = E[x x^T], the fourth-moment
 * matrix Q = E[||x||^2 x x^T] (m4 = lambda_max(Q)), the mean (asymmetry check), per-coordinate third
 * and second moments (odd-moment check), and the largest single ||x||^4 (heavy-tail check).
 * Q's block contribution is one dsyrk on the rows scaled by ||x_i||.
 */
public final class GatePilotAggregator implements Aggregator<GatePilotAggregator> {
    private static final long serialVersionUID = 1L;
    private final int d;
    private long n;
    private final CompensatedSum sumXX;
    private final CompensatedSum sumQ;
    private final CompensatedSum sumX;
    private final CompensatedSum sumX2;
    private final CompensatedSum sumX3;
    private double sumNorm4;
    private double maxNorm4;
    private transient double[] bXX;
    private transient double[] bQ;
    private transient double[] scaled;
    private transient double[] b1;
    private transient double[] b2;
    private transient double[] b3;

    public GatePilotAggregator(int d) {
        this.d = d;
        sumXX = new CompensatedSum(d * d);
        sumQ = new CompensatedSum(d * d);
        sumX = new CompensatedSum(d);
        sumX2 = new CompensatedSum(d);
        sumX3 = new CompensatedSum(d);
    }

    @Override
    public void add(Block block) {
        int rows = block.rows();
        if (rows == 0) return;
        if (block.d() != d) throw new IllegalArgumentException("pilot pass expects d=" + d + ", got " + block.d());
        if (bXX == null) {
            bXX = new double[d * d];
            bQ = new double[d * d];
            b1 = new double[d];
            b2 = new double[d];
            b3 = new double[d];
        }
        if (scaled == null || scaled.length < rows * d) scaled = new double[rows * d];
        double[] x = block.x();
        Arrays.fill(b1, 0);
        Arrays.fill(b2, 0);
        Arrays.fill(b3, 0);
        for (int r = 0; r < rows; r++) {
            int o = r * d;
            double nn = 0;
            for (int j = 0; j < d; j++) {
                double v = x[o + j];
                nn += v * v;
                b1[j] += v;
                b2[j] += v * v;
                b3[j] += v * v * v;
            }
            double s = Math.sqrt(nn);
            for (int j = 0; j < d; j++) scaled[o + j] = s * x[o + j];
            double n4 = nn * nn;
            sumNorm4 += n4;
            if (n4 > maxNorm4) maxNorm4 = n4;
        }
        Blas.native3().dsyrk("U", "N", d, rows, 1.0, x, d, 0.0, bXX, d);
        Blas.native3().dsyrk("U", "N", d, rows, 1.0, scaled, d, 0.0, bQ, d);
        sumXX.add(bXX);
        sumQ.add(bQ);
        sumX.add(b1);
        sumX2.add(b2);
        sumX3.add(b3);
        n += rows;
    }

    @Override
    public GatePilotAggregator merge(GatePilotAggregator o) {
        n += o.n;
        sumXX.merge(o.sumXX);
        sumQ.merge(o.sumQ);
        sumX.merge(o.sumX);
        sumX2.merge(o.sumX2);
        sumX3.merge(o.sumX3);
        sumNorm4 += o.sumNorm4;
        maxNorm4 = Math.max(maxNorm4, o.maxNorm4);
        return this;
    }

    @Override
    public long count() { return n; }

    /** The averaged statistics (driver side). */
    public PilotStatistics result() {
        if (n == 0) throw new IllegalArgumentException("the pilot sample is empty: give at least one row");
        double inv = 1.0 / n;
        double[] sigma = symmetric(sumXX.value(), inv);
        double[] q = symmetric(sumQ.value(), inv);
        double[] mean = sumX.value(), m2 = sumX2.value(), m3 = sumX3.value();
        for (int j = 0; j < d; j++) {
            mean[j] *= inv;
            m2[j] *= inv;
            m3[j] *= inv;
        }
        return PilotStatistics.of(d, n, sigma, q, mean, m2, m3, sumNorm4 * inv, maxNorm4 / sumNorm4);
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
