package org.relulearn.algo.hermite;

import org.relulearn.algo.tensor.HermiteRelu;

/**
 * The per-unit fit of (a, b) from the Hermite coefficients along one recovered direction, and its
 * orientation (docs/hermite.md, Algorithm). Over a grid of b' on [-B, B]:
 * <pre>
 *   min_b'  sum_{k=2..kmax} (1/k!) (mu_k - a(b') g_k(b'))^2,   a(b') = sum_k (1/k!) mu_k g_k(b') / sum_k (1/k!) g_k(b')^2
 * </pre>
 * then the orientation s from the order-1 coefficient: mu_1 is predicted a cdf(b') for s = +1 and
 * -a (1 - cdf(b')) for s = -1 (the two differ by a); the closer one wins. The unit is
 * a relu(s what.u + s b').
 *
 * @param a            output weight
 * @param bPrime       the fitted bias along the direction as found (before orientation)
 * @param sign         s = +1 or -1
 * @param residual     the weighted residual at the optimum
 * @param ambiguous    |mu_1 - pred_+| and |mu_1 - pred_-| are within 2 standard errors of each other
 * @param atEdge       |b'| reached the grid bound B (the unit is essentially affine or zero)
 * @param invisible    |mu_2| is below 3 standard errors (the unit is not seen)
 */
public record UnitCoefficientFit(double a, double bPrime, int sign, double residual, boolean ambiguous, boolean atEdge, boolean invisible) implements java.io.Serializable {

    /** The bias of the oriented unit, s b'. */
    public double bias() { return sign * bPrime; }

    /**
     * @param mu    mu[k] for k = 0..kmax (mu[0] unused)
     * @param se    standard errors, same layout
     */
    public static UnitCoefficientFit fit(double[] mu, double[] se, int kmax, double bound, int gridPoints) {
        double[] w = new double[kmax + 1];
        double fact = 1;
        for (int k = 1; k <= kmax; k++) {
            fact *= k;
            w[k] = 1 / fact;
        }
        double bestRes = Double.POSITIVE_INFINITY, bestB = 0, bestA = 0;
        double step = 2 * bound / (gridPoints - 1);
        double[] g = new double[kmax + 1];
        for (int p = 0; p < gridPoints; p++) {
            double b = -bound + p * step;
            double num = 0, den = 0;
            for (int k = 2; k <= kmax; k++) {
                g[k] = HermiteRelu.g(k, b);
                num += w[k] * mu[k] * g[k];
                den += w[k] * g[k] * g[k];
            }
            if (den <= 0) continue;
            double a = num / den;
            double res = 0;
            for (int k = 2; k <= kmax; k++) {
                double r = mu[k] - a * g[k];
                res += w[k] * r * r;
            }
            if (res < bestRes) {
                bestRes = res;
                bestB = b;
                bestA = a;
            }
        }
        double cdf = HermiteRelu.cdf(bestB);
        double plus = bestA * cdf, minus = -bestA * (1 - cdf);
        double ePlus = Math.abs(mu[1] - plus), eMinus = Math.abs(mu[1] - minus);
        int sign = ePlus <= eMinus ? 1 : -1;
        boolean ambiguous = Math.abs(ePlus - eMinus) < 2 * se[1];
        boolean atEdge = Math.abs(bestB) >= bound - 0.5 * step;
        boolean invisible = Math.abs(mu[2]) < 3 * se[2];
        return new UnitCoefficientFit(bestA, bestB, sign, bestRes, ambiguous, atEdge, invisible);
    }
}
