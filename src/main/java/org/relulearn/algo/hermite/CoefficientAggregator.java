package org.relulearn.algo.hermite;

import java.io.Serializable;
import org.relulearn.algo.tensor.HermiteRelu;
import org.relulearn.data.Block;
import org.relulearn.engine.SummingAggregator;
import org.relulearn.engine.CompensatedSum;
import org.relulearn.engine.Shared;
import org.relulearn.linalg.Blas;

/**
 * Pass 4 of the Hermite fit: the Hermite coefficients along each recovered unit (docs/hermite.md,
 * Algorithm). With Z = inv(What) (rows z_i, z_i.what_j = delta_ij) and t_i = z_i.u / |z_i|,
 * <pre>
 *   mu_{k,i} = |z_i|^k mean( y'_k He_k(t_i) ),   k = 1..kmax,   y'_1 = y - ybar, y'_2 = yc, y'_k = yr (k >= 3)
 * </pre>
 * (faithful: y'_k = y), which is He_k(u)(z_i, ..., z_i) by docs/tensor-gd.md, Model, so in the
 * population mu_{k,i} = a_i g_k(s_i b_i) for k >= 2 and mu_{1,i} = s_i a_i cdf(b_i). The sums of
 * squares give each mu's standard error. Per block: U = X V and T = U Zn^T are two gemms.
 */
public final class CoefficientAggregator extends SummingAggregator<CoefficientAggregator> {
    private static final long serialVersionUID = 1L;

    /** Normalised rows z_i / |z_i| (row-major m x m), the norms |z_i|, and kmax. */
    public record UnitProjection(int m, double[] zNormalised, double[] zNorms, int kmax) implements Serializable {}

    private final Shared<LabelResidual> residual;
    private final Shared<UnitProjection> projection;
    private final int m;
    private final int kmax;
    private final CompensatedSum sums;      // [k-1][i] sum y' He_k, then [k-1][i] sum (y' He_k)^2
    private transient double[] u, t, yc, yr, he, block;

    public CoefficientAggregator(Shared<LabelResidual> residual, Shared<UnitProjection> projection) {
        this.residual = residual;
        this.projection = projection;
        this.m = projection.value().m();
        this.kmax = projection.value().kmax();
        this.sums = sums(2 * kmax * m);
    }

    @Override
    protected void addRows(Block b) {
        int rows = b.rows();
        if (rows == 0) return;
        if (u == null || yc.length < rows) {
            u = new double[rows * m];
            t = new double[rows * m];
            yc = new double[rows];
            yr = new double[rows];
            he = new double[kmax + 1];
            block = new double[2 * kmax * m];
        }
        LabelResidual res = residual.value();
        UnitProjection pr = projection.value();
        double[] y = b.y();
        res.project(b.x(), rows, u);
        res.residuals(b.x(), y, rows, u, yc, yr);
        Blas.native3().dgemm("T", "N", m, rows, m, 1.0, pr.zNormalised(), m, u, m, 0.0, t, m);
        java.util.Arrays.fill(block, 0);
        double shift = res.enabled() ? res.meanY() : 0;
        int half = kmax * m;
        for (int r = 0; r < rows; r++) {
            double y1 = y[r] - shift, y2 = yc[r], y3 = yr[r];
            for (int i = 0; i < m; i++) {
                HermiteRelu.heAll(kmax, t[r * m + i], he);
                for (int k = 1; k <= kmax; k++) {
                    double v = (k == 1 ? y1 : k == 2 ? y2 : y3) * he[k];
                    int at = (k - 1) * m + i;
                    block[at] += v;
                    block[half + at] += v * v;
                }
            }
        }
        sums.add(block);
    }

    /** mu[k][i] for k = 0..kmax (row 0 unused, zero). */
    public double[][] coefficients() {
        return moments(false);
    }

    /** The standard errors of {@link #coefficients()}. */
    public double[][] standardErrors() {
        return moments(true);
    }

    private double[][] moments(boolean errors) {
        double[] s = sums.value();
        double[] norms = projection.value().zNorms();
        double[][] out = new double[kmax + 1][m];
        int half = kmax * m;
        for (int k = 1; k <= kmax; k++) {
            for (int i = 0; i < m; i++) {
                double scale = Math.pow(norms[i], k);
                double mean = s[(k - 1) * m + i] / count();
                if (errors) {
                    double var = Math.max(0, s[half + (k - 1) * m + i] / count() - mean * mean);
                    out[k][i] = scale * Math.sqrt(var / count());
                } else {
                    out[k][i] = scale * mean;
                }
            }
        }
        return out;
    }
}
