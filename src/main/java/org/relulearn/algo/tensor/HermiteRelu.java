package org.relulearn.algo.tensor;

/**
 * Probabilists' Hermite polynomials and the Hermite coefficients of a shifted ReLU
 * (docs/tensor-gd.md, Model). One convention throughout: unnormalised He_k, E[He_j He_k] = k! [j=k].
 *
 * <pre>
 *   He_0 = 1, He_1(t) = t, He_{k+1}(t) = t He_k(t) - k He_{k-1}(t)
 *   g_k(b) = E_z[relu(z + b) He_k(z)],  z ~ N(0, 1):
 *     g_0(b) = b cdf(b) + pdf(b),  g_1(b) = cdf(b),  g_k(b) = (-1)^k He_{k-2}(b) pdf(b)  (k >= 2)
 *   one neuron: E[relu(w.x + b) He_k(x)] = |w| g_k(b/|w|) wbar^{(x)k}
 * </pre>
 * Pure Java, no allocation except where an array is returned.
 */
public final class HermiteRelu {
    private HermiteRelu() {}

    /** 1/sqrt(2 pi). */
    public static final double INV_SQRT_2PI = 0.3989422804014327;

    /** Standard normal density pdf(t) = exp(-t^2/2)/sqrt(2 pi). */
    public static double pdf(double t) {
        return INV_SQRT_2PI * Math.exp(-0.5 * t * t);
    }

    /**
     * Standard normal CDF. |t| < 3: the series cdf(t) = 1/2 + pdf(t) sum_n t^{2n+1}/(2n+1)!!; beyond,
     * the Mills-ratio continued fraction 1-cdf(t) = pdf(t) / (t + 1/(t + 2/(t + 3/(t + ...)))), so the
     * far tail keeps its relative accuracy (about 1e-15 absolute everywhere).
     */
    public static double cdf(double t) {
        if (Double.isNaN(t)) return Double.NaN;
        double a = Math.abs(t);
        if (a < 3) {
            double x2 = t * t, term = t, sum = t;
            for (int n = 1; n < 200; n++) {
                term *= x2 / (2 * n + 1);
                sum += term;
                if (Math.abs(term) < 1e-17 * Math.abs(sum)) break;
            }
            return 0.5 + pdf(t) * sum;
        }
        if (a > 40) return t > 0 ? 1.0 : 0.0;
        double f = a;
        for (int k = 300; k >= 1; k--) f = a + k / f;
        double upperTail = pdf(a) / f;
        return t > 0 ? 1 - upperTail : upperTail;
    }

    /** He_k(t) by the three-term recurrence. */
    public static double he(int k, double t) {
        if (k < 0) throw new IllegalArgumentException("Hermite order must be >= 0, got " + k);
        if (k == 0) return 1;
        double prev = 1, cur = t;
        for (int j = 1; j < k; j++) {
            double next = t * cur - j * prev;
            prev = cur;
            cur = next;
        }
        return cur;
    }

    /** He_0(t) .. He_kmax(t) into {@code out[0..kmax]} (no allocation). */
    public static void heAll(int kmax, double t, double[] out) {
        if (kmax < 0) throw new IllegalArgumentException("Hermite order must be >= 0, got " + kmax);
        out[0] = 1;
        if (kmax >= 1) out[1] = t;
        for (int j = 1; j < kmax; j++) out[j + 1] = t * out[j] - j * out[j - 1];
    }

    /** g_k(b) = E[relu(z + b) He_k(z)] for z ~ N(0,1) (closed form above). */
    public static double g(int k, double b) {
        if (k < 0) throw new IllegalArgumentException("Hermite order must be >= 0, got " + k);
        if (k == 0) return b * cdf(b) + pdf(b);
        if (k == 1) return cdf(b);
        double sign = (k % 2 == 0) ? 1 : -1;
        return sign * he(k - 2, b) * pdf(b);
    }

    /** g_0(b) .. g_kmax(b) as a new array. */
    public static double[] gAll(int kmax, double b) {
        double[] out = new double[kmax + 1];
        for (int k = 0; k <= kmax; k++) out[k] = g(k, b);
        return out;
    }

    /**
     * The order-k Hermite coefficient of one neuron relu(w.x + b) with |w| = norm > 0:
     * E[relu(w.x + b) He_k(x)] = norm * g_k(b / norm) * wbar^{(x)k}; this returns norm * g_k(b / norm).
     */
    public static double neuronCoefficient(int k, double norm, double bias) {
        if (!(norm > 0)) throw new IllegalArgumentException("neuron norm must be > 0, got " + norm);
        return norm * g(k, bias / norm);
    }
}
