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
 * @param asymmetry      ||E[x]|| / sqrt(tr(Sigma) / d)   (warn above about 0.1; docs/gate.md, Checks)
 * @param skewness       max_j |E[sign(x_j)]|: zero for every symmetric law, robust to heavy tails
 * @param tailShare      the largest single ||x||^4 over sum ||x||^4 (large: an infinite 4th moment)
 */
public record PilotStatistics(int d, long n, double lambdaMin, double lambdaMax, double m4,
                              double[] mean, double asymmetry, double skewness, double meanNorm4,
                              double tailShare, double[] sigma) implements Serializable {

    /** @param q the fourth-moment matrix per row group; m4 is the median of their largest eigenvalues */
    static PilotStatistics of(int d, long n, double[] sigma, double[][] q, double[] mean, double[] meanSign,
                              double meanNorm4, double tailShare) {
        Dense.SymmetricEigen es = Dense.symmetricEigen(sigma, d);
        // With heavy tails lambda_max(Q) is dominated by the few most extreme rows and does not settle
        // as n grows (E x^4 = infinity); the mean eigenvalue tr(Q)/d does (it equals lambda_max for
        // isotropic laws). Reconstructed: for laws without a fourth moment m4 must be estimated empirically,
        // and the paper's text available to us does not say how; this switch is our choice (docs/gate.md).
        boolean heavy = heavyTails(n, tailShare);
        double[] tops = new double[q.length];
        for (int g = 0; g < q.length; g++) {
            if (heavy) {
                double tr = 0;
                for (int j = 0; j < d; j++) tr += q[g][j * d + j];
                tops[g] = tr / d;
            } else {
                tops[g] = Dense.symmetricEigen(q[g], d).max();
            }
        }
        java.util.Arrays.sort(tops);
        double m4 = tops.length % 2 == 1 ? tops[tops.length / 2] : 0.5 * (tops[tops.length / 2 - 1] + tops[tops.length / 2]);
        double trace = 0;
        for (int j = 0; j < d; j++) trace += sigma[j * d + j];
        double asym = Dense.norm(mean) / Math.sqrt(Math.max(trace / d, 1e-300));
        double skew = 0;
        for (int j = 0; j < d; j++) skew = Math.max(skew, Math.abs(meanSign[j]));
        return new PilotStatistics(d, n, es.min(), es.max(), m4, mean, asym, skew, meanNorm4, tailShare, sigma);
    }

    /** Warnings of docs/gate.md, Checks (asymmetry, heavy tails); empty when none apply. */
    public List<String> warnings() {
        List<String> w = new ArrayList<>();
        if (asymmetric()) {
            w.add(String.format("the inputs look asymmetric (||mean||/rms = %.3g, max |E sign(x_j)| = %.3g): the Tron"
                    + " guarantee assumes x and -x have the same law; convergence may be slower and the poisoning"
                    + " floor differs", asymmetry, skewness));
        }
        if (heavyTails(n, tailShare)) {
            w.add(String.format("heavy tails: one sample carries %.1f%% of sum ||x||^4, suggesting an infinite fourth"
                    + " moment (e.g. Student-t with nu <= 4); the mini-batch theory does not apply and m4 is the"
                    + " empirical mean eigenvalue tr(E[||x||^2 x x^T])/d instead of the largest", 100 * tailShare));
        }
        return w;
    }

    /** One row carrying over 1% of sum ||x||^4 in a pilot of at least 10,000 rows. */
    static boolean heavyTails(long n, double tailShare) {
        return n >= 10_000 && tailShare > 0.01;
    }

    /** The asymmetry warning of docs/gate.md, Checks: ||mean||/rms above 0.1, or a coordinate's sign clearly biased. */
    public boolean asymmetric() {
        return asymmetry > 0.1 || skewness > Math.max(0.1, 5 / Math.sqrt(n));
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("n", n);
        m.put("lambdaMin", lambdaMin);
        m.put("lambdaMax", lambdaMax);
        m.put("m4", m4);
        m.put("asymmetry", asymmetry);
        m.put("meanSignMax", skewness);
        m.put("tailShare", tailShare);
        return m;
    }
}
