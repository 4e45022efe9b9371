package org.relulearn.algo.gate;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.relulearn.linalg.Dense;

/**
 * What the step-size rule and the diagnostics need from the pilot pass: lambda_min and lambda_max of
 * Sigma = E[x x^T], m4 = lambda_max(E[||x||^2 x x^T]), and the symmetry and tail statistics.
 *
 * @param asymmetry      ||E[x]|| / sqrt(tr(Sigma) / d)   (warn above about 0.1; spec section 6)
 * @param skewness       max_j |E[x_j^3]| / E[x_j^2]^{3/2}  (odd-moment statistic)
 * @param tailShare      the largest single ||x||^4 over sum ||x||^4 (large: an infinite 4th moment)
 */
public record PilotStatistics(int d, long n, double lambdaMin, double lambdaMax, double m4,
                              double[] mean, double asymmetry, double skewness, double meanNorm4,
                              double tailShare, double[] sigma) implements Serializable {

    static PilotStatistics of(int d, long n, double[] sigma, double[] q, double[] mean, double[] m2, double[] m3,
                              double meanNorm4, double tailShare) {
        Dense.SymmetricEigen es = Dense.symmetricEigen(sigma, d);
        Dense.SymmetricEigen eq = Dense.symmetricEigen(q, d);
        double trace = 0;
        for (int j = 0; j < d; j++) trace += sigma[j * d + j];
        double asym = Dense.norm(mean) / Math.sqrt(Math.max(trace / d, 1e-300));
        double skew = 0;
        for (int j = 0; j < d; j++) {
            if (m2[j] > 0) skew = Math.max(skew, Math.abs(m3[j]) / Math.pow(m2[j], 1.5));
        }
        return new PilotStatistics(d, n, es.min(), es.max(), eq.max(), mean, asym, skew, meanNorm4, tailShare, sigma);
    }

    /** Warnings of the spec's section 6 (asymmetry, heavy tails); empty when none apply. */
    public List<String> warnings() {
        List<String> w = new ArrayList<>();
        if (asymmetry > 0.1 || skewness > 0.3) {
            w.add(String.format("the inputs look asymmetric (||mean||/rms = %.3g, max |skewness| = %.3g): the Tron"
                    + " guarantee assumes x and -x have the same law; convergence may be slower and the poisoning"
                    + " floor differs", asymmetry, skewness));
        }
        if (n >= 10_000 && tailShare > 0.01) {
            w.add(String.format("heavy tails: one sample carries %.1f%% of sum ||x||^4, suggesting an infinite fourth"
                    + " moment (e.g. Student-t with nu <= 4); the mini-batch theory does not apply and m4 is an"
                    + " empirical estimate", 100 * tailShare));
        }
        return w;
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("n", n);
        m.put("lambdaMin", lambdaMin);
        m.put("lambdaMax", lambdaMax);
        m.put("m4", m4);
        m.put("asymmetry", asymmetry);
        m.put("skewness", skewness);
        m.put("tailShare", tailShare);
        return m;
    }
}
