package org.relulearn.algo.moments;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A method-of-moments fit: the network in canonical form (unit-norm rows of W) and its certificates
 * (docs/moments.md, Certificates).
 *
 * @param a                   A_hat, row-major l x k (refitted by pass 3 when asked)
 * @param w                   W_hat, row-major k x d, unit-norm rows
 * @param symmetryStatistic   ||mean x|| / sqrt(tr Sigma_x / d)
 * @param skewness            max over the directions z = Bt x of |E z^3| / (E z^2)^{3/2} (0 for a symmetric law)
 * @param singularValues      B's singular values, descending
 * @param singularGap         S_k / S_{k+1}
 * @param nullGap             sigma_(k+1 smallest) / sigma_(k smallest) of the projected linear map
 * @param pdMargin            lambda_min / lambda_max of the positive-definite combination used for whitening (NaN
 *                            for the paper-style diagonalisation)
 * @param eigenGap            relative minimum eigenvalue gap of the whitened combination (paper-style: 1 / the
 *                            condition number of the chosen eigenvector matrix)
 * @param maxImaginary        paper-style diagonalisation: the largest |Im lambda| / max |lambda| over its random
 *                            pairs (0 when every pair was real); NaN for the whitened variant
 * @param heldOutError        relative prediction error of A relu(W x) on the held-out data
 * @param heldOutErrorLinear  that of the purely linear fit (1/2) B x
 * @param heldOutInSample     true when no held-out data was given and the training data was used
 * @param reducedWeighting    true when pass 2 used xr = V_k^T x
 * @param seconds             wall time per pass: pass 1, pass 2, pass 3 (0 if skipped), evaluation
 */
public record MomentsResult(int l, int k, int d, long n, double[] a, double[] w, double symmetryStatistic,
                            double skewness, double[] singularValues, double singularGap, double nullGap, double pdMargin,
                            double eigenGap, double maxImaginary,
                            double heldOutError, double heldOutErrorLinear, boolean heldOutInSample,
                            boolean reducedWeighting, int signsFlipped, double[] seconds, List<String> messages) {

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("l", l);
        m.put("k", k);
        m.put("d", d);
        m.put("n", n);
        m.put("A", a);
        m.put("W", w);
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("symmetryStatistic", symmetryStatistic);
        c.put("thirdMomentSkewness", skewness);
        c.put("singularValuesOfB", singularValues);
        c.put("singularGapAtK", singularGap);
        c.put("nullGap", nullGap);
        c.put("positiveDefiniteMargin", pdMargin);
        c.put("eigenGap", eigenGap);
        if (!Double.isNaN(maxImaginary)) c.put("maxImaginaryPart", maxImaginary);
        c.put("heldOutRelativeError", heldOutError);
        c.put("heldOutRelativeErrorLinear", heldOutErrorLinear);
        c.put("heldOutInSample", heldOutInSample);
        m.put("certificates", c);
        m.put("reducedWeighting", reducedWeighting);
        m.put("signsFlipped", signsFlipped);
        m.put("secondsPerPass", seconds);
        m.put("messages", messages);
        return m;
    }
}
