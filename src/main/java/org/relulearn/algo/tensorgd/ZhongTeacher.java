package org.relulearn.algo.tensorgd;

import org.relulearn.data.CounterRng;
import org.relulearn.data.OneHiddenLayerNetwork;
import org.relulearn.linalg.Dense;

/**
 * The test-data teacher of Zhong et al.'s experiment code (docs/tensor-gd.md, Model, generate_syn.m):
 * <pre>
 *   W* = U diag(linspace(1, kappa, K)) Q^T   (d x K; here stored transposed, row j = w_j*)
 * </pre>
 * with U (d x K) orthonormal columns and Q (K x K) orthogonal, both from QR of Gaussian matrices, and
 * v = 1 (Paper-1 mode) or v_j = +-1 at random. Returned as a one-output network y = v^T relu(W x).
 */
public final class ZhongTeacher {
    private ZhongTeacher() {}

    private static final long STREAM = 0x2407_7EAL;

    public static OneHiddenLayerNetwork create(int d, int k, double kappa, boolean randomSigns, long seed) {
        if (k < 1 || k > d) throw new IllegalArgumentException("need 1 <= K <= d, got K = " + k + ", d = " + d);
        if (!(kappa >= 1)) throw new IllegalArgumentException("condition number kappa must be >= 1, got " + kappa);
        CounterRng rng = new CounterRng(seed, STREAM, 0);
        double[] u = Dense.randomOrthonormalColumns(d, k, rng);   // d x K
        double[] q = Dense.randomOrthonormalColumns(k, k, rng);   // K x K
        double[] w = new double[k * d];
        for (int j = 0; j < k; j++) {          // w_j = sum_c U[:, c] s_c Q[j, c]
            for (int c = 0; c < k; c++) {
                double s = k == 1 ? 1 : 1 + (kappa - 1) * c / (k - 1.0);
                double f = s * q[j * k + c];
                for (int i = 0; i < d; i++) w[j * d + i] += u[i * k + c] * f;
            }
        }
        double[] v = new double[k];
        for (int j = 0; j < k; j++) v[j] = randomSigns ? (rng.nextDouble() < 0.5 ? -1 : 1) : 1;
        return new OneHiddenLayerNetwork(d, k, 1, w, null, v);
    }
}
