package org.relulearn.algo.moments;

import org.relulearn.linalg.Dense;

/**
 * The linear part of y = A relu(W x) + noise under a symmetric input law. Since
 * relu(z) = (z + |z|)/2 and |w.x| x is odd in x, E[relu(w.x) x] = Sigma w / 2, hence
 * <pre>
 *   E[y x^T] = (1/2) A W Sigma,   B := E[y x^T] Sigma^{-1} = (1/2) A W.
 * </pre>
 * B is the first thing every moment method estimates (identity (I1) of docs/moments.md).
 */
public final class LinearPart {
    private LinearPart() {}

    /** B = E[y x^T] E[x x^T]^{-1}, row-major m x d. */
    public static double[] estimate(Moments mo) {
        int d = mo.d(), m = mo.m();
        if (m == 0) throw new IllegalArgumentException("the linear part needs labels; the data has none");
        // B Sigma = C  <=>  Sigma B^T = C^T (Sigma symmetric).
        double[] ct = Dense.transpose(mo.crossYX(), m, d);
        double[] bt;
        try {
            bt = Dense.solveSpd(mo.secondX(), d, ct, m);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("the second moment E[x x^T] is singular (" + e.getMessage()
                    + "): some input directions never vary; remove constant or collinear features");
        }
        return Dense.transpose(bt, d, m);
    }

    /** The population value (1/2) A W for a teacher without biases. */
    public static double[] ofTeacher(double[] a, double[] w, int m, int k, int d) {
        double[] b = Dense.multiply(a, m, k, w, d);
        for (int i = 0; i < b.length; i++) b[i] *= 0.5;
        return b;
    }
}
