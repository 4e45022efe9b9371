package org.relulearn.data;

import org.relulearn.linalg.Dense;

/** Seeded random teachers: Gaussian entries, optional unit-norm rows, a controllable condition number. */
public final class Teachers {
    private Teachers() {}

    /** Stream ids reserved for teacher parameters, apart from every data stream. */
    private static final long TEACHER_STREAM = -0x7EAC4E5L;

    /** A gate w* ~ N(0, I_d), scaled to unit norm when asked. */
    public static ReluGate randomGate(int d, long seed, boolean unitNorm) {
        Checks.atLeast("dimension d", d, 1);
        CounterRng rng = new CounterRng(seed, TEACHER_STREAM, 0);
        double[] w = new double[d];
        for (int j = 0; j < d; j++) w[j] = rng.nextGaussian();
        if (unitNorm) {
            double n = Dense.norm(w);
            for (int j = 0; j < d; j++) w[j] /= n;
        }
        return new ReluGate(w);
    }

    /**
     * A network y = A relu(W x + b) with k hidden units, d inputs, m outputs.
     *
     * @param unitRows   scale each row of W to unit norm
     * @param condition  if > 1: W = U diag(s) V^T with s geometric from 1 down to 1/condition
     *                   (rows then not unit norm); if <= 1: Gaussian entries
     * @param biasScale  biases ~ N(0, biasScale^2); 0 for a network without biases
     */
    public static OneHiddenLayerNetwork randomNetwork(int d, int k, int m, long seed, boolean unitRows,
                                                      double condition, double biasScale) {
        Checks.atLeast("dimension d", d, 1);
        Checks.atLeast("hidden units k", k, 1);
        Checks.atLeast("outputs m", m, 1);
        CounterRng rng = new CounterRng(seed, TEACHER_STREAM, 1);
        double[] w;
        if (condition > 1) {
            if (k > d) throw new IllegalArgumentException("a condition number needs k <= d, got k=" + k + " > d=" + d);
            double[] u = Dense.randomOrthonormalColumns(k, k, rng);
            double[] v = Dense.randomOrthonormalColumns(d, k, rng);
            double[] us = new double[k * k];
            for (int i = 0; i < k; i++) {
                for (int j = 0; j < k; j++) {
                    double s = Math.pow(condition, -(double) j / Math.max(1, k - 1));
                    us[i * k + j] = u[i * k + j] * s;
                }
            }
            w = Dense.multiply(us, k, k, Dense.transpose(v, d, k), d);
        } else {
            w = new double[k * d];
            for (int i = 0; i < w.length; i++) w[i] = rng.nextGaussian();
            if (unitRows) {
                for (int i = 0; i < k; i++) {
                    double n = 0;
                    for (int j = 0; j < d; j++) n += w[i * d + j] * w[i * d + j];
                    n = Math.sqrt(n);
                    for (int j = 0; j < d; j++) w[i * d + j] /= n;
                }
            }
        }
        double[] b = null;
        if (biasScale > 0) {
            b = new double[k];
            for (int i = 0; i < k; i++) b[i] = biasScale * rng.nextGaussian();
        }
        double[] a = new double[m * k];
        for (int i = 0; i < a.length; i++) a[i] = rng.nextGaussian();
        return new OneHiddenLayerNetwork(d, k, m, w, b, a);
    }
}
