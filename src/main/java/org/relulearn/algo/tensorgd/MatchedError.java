package org.relulearn.algo.tensorgd;

import org.relulearn.linalg.Hungarian;

/**
 * The permutation-invariant error of docs/tensor-gd.md, Diagnostics:
 * <pre>
 *   err(W) = min_pi ||W - W* P_pi||_F / ||W*||_F
 * </pre>
 * over assignments of estimated rows to true rows (W, W* row-major K x d), by the Hungarian method on
 * the squared row distances.
 */
public final class MatchedError {
    private MatchedError() {}

    public static double of(double[] w, double[] truth, int k, int d) {
        if (w.length != k * d || truth.length != k * d) throw new IllegalArgumentException("W and W* must both be " + k + " x " + d);
        double[] cost = new double[k * k];
        double norm = 0;
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                double s = 0;
                for (int c = 0; c < d; c++) {
                    double diff = w[i * d + c] - truth[j * d + c];
                    s += diff * diff;
                }
                cost[i * k + j] = s;
            }
        }
        for (double t : truth) norm += t * t;
        int[] p = Hungarian.minimise(cost, k, k);
        double s = 0;
        for (int i = 0; i < k; i++) s += cost[i * k + p[i]];
        return Math.sqrt(s / norm);
    }
}
