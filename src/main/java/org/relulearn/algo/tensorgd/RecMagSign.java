package org.relulearn.algo.tensorgd;

import org.relulearn.algo.tensor.Jennrich;
import org.relulearn.linalg.Dense;

/**
 * Step 4 of Phase I, magnitudes and signs (docs/tensor-gd.md, Design, "RecMagSign"): two small least squares,
 * <pre>
 *   zhat = argmin_z || Q1 - sum_j z_j a_j ||          a_j = V uhat_j (d-vectors)
 *   rhat = argmin_r || Q2 - sum_j r_j uhat_j uhat_j^T ||_F
 * </pre>
 * solved by their K x K normal equations (Gram a_i . a_j and (uhat_i . uhat_j)^2; pseudo-inverse so
 * two collapsed components do not blow up).
 */
public record RecMagSign(double[] zhat, double[] rhat) {

    /**
     * @param q1    Q1hat (d)
     * @param q2    Q2hat (row-major K x K)
     * @param dirs  row j = V uhat_j (row-major K x d)
     * @param comps row j = uhat_j (row-major K x K)
     */
    public static RecMagSign solve(double[] q1, double[] q2, double[] dirs, double[] comps, int k, int d) {
        double[] gz = new double[k * k], bz = new double[k], gr = new double[k * k], br = new double[k];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                double s = 0;
                for (int c = 0; c < d; c++) s += dirs[i * d + c] * dirs[j * d + c];
                gz[i * k + j] = s;
                double cu = 0;
                for (int c = 0; c < k; c++) cu += comps[i * k + c] * comps[j * k + c];
                gr[i * k + j] = cu * cu;
            }
            double s = 0;
            for (int c = 0; c < d; c++) s += dirs[i * d + c] * q1[c];
            bz[i] = s;
            double t = 0;
            for (int a = 0; a < k; a++) for (int b = 0; b < k; b++) t += comps[i * k + a] * q2[a * k + b] * comps[i * k + b];
            br[i] = t;
        }
        double[] z = Dense.multiply(Jennrich.pseudoInverseSymmetric(gz, k), k, k, bz, 1);
        double[] r = Dense.multiply(Jennrich.pseudoInverseSymmetric(gr, k), k, k, br, 1);
        return new RecMagSign(z, r);
    }
}
