package org.relulearn.algo.moments;

import java.io.Serializable;

/**
 * The averaged pure-neuron-detector moment G[ab, ce] = E[Q_ab xr_c xr_e] of
 * {@link DetectorMomentAggregator}: k(k+1)/2 x q(q+1)/2, stored column-major with packed upper pair
 * indices (pair (a, b), a <= b, at b(b+1)/2 + a); and the averaged powers {@code zPowers} =
 * [E z_a^2 | E z_a^3 | E z_a^6] of the directions z = Bt x (length 3k, may be null).
 */
public record DetectorMoment(int k, int q, long n, double[] g, double[] zPowers) implements Serializable {

    public DetectorMoment(int k, int q, long n, double[] g) { this(k, q, n, g, null); }

    /**
     * The third-moment symmetry statistic: max over a of |E z_a^3| / (E z_a^2)^{3/2} - 4 se_a, with
     * se_a = sqrt(E z_a^6 / n) / (E z_a^2)^{3/2} the sampling scale of the standardised third moment
     * under symmetry. Positive values mean some direction is skewed beyond sampling noise; NaN when
     * the powers were not kept.
     */
    public double skewnessExcess() {
        if (zPowers == null) return Double.NaN;
        double worst = Double.NEGATIVE_INFINITY;
        for (int a = 0; a < k; a++) {
            double m2 = zPowers[a];
            if (!(m2 > 0)) continue;
            double scale = Math.pow(m2, 1.5);
            double skew = Math.abs(zPowers[k + a]) / scale;
            double se = Math.sqrt(zPowers[2 * k + a] / n) / scale;
            worst = Math.max(worst, skew - 4 * se);
        }
        return worst;
    }

    /** max over a of |E z_a^3| / (E z_a^2)^{3/2}: the largest standardised third moment. */
    public double maxSkewness() {
        if (zPowers == null) return Double.NaN;
        double worst = 0;
        for (int a = 0; a < k; a++) {
            double m2 = zPowers[a];
            if (m2 > 0) worst = Math.max(worst, Math.abs(zPowers[k + a]) / Math.pow(m2, 1.5));
        }
        return worst;
    }

    /** Index of the pair (a, b), a <= b, in the packed upper layout. */
    public static int pair(int a, int b) {
        return a <= b ? b * (b + 1) / 2 + a : a * (a + 1) / 2 + b;
    }

    /** G[(a,b), (c,e)], symmetric in a, b and in c, e. */
    public double get(int a, int b, int c, int e) {
        return g[pair(a, b) + k * (k + 1) / 2 * pair(c, e)];
    }
}
