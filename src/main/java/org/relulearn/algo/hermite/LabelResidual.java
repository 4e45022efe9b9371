package org.relulearn.algo.hermite;

import java.io.Serializable;
import org.relulearn.linalg.Blas;

/**
 * The label residuals of the variance reduction (docs/tensor-gd.md, Model, [DEV]), shipped to the
 * workers for passes 2-4:
 * <pre>
 *   yc = y - ybar - T1hat.x                          (degree <= 1 part removed)
 *   yr = yc - (1/2) (u^T D u - tr D),  u = V^T x,  D = V^T T2hat V   (degree-2 part on the subspace removed)
 * </pre>
 * Subtracting a polynomial of degree < k leaves E[y He_k(x)] unchanged (Hermite orthogonality), so
 * yc is used for order 2 and yr for orders >= 3. The degree-2 part is taken on the m-dimensional
 * subspace only (cost m^2 per row instead of d^2); it is still a degree-2 polynomial, and T2 is
 * supported on that subspace. With {@code enabled = false} (faithful) every residual is y itself.
 *
 * @param v row-major d x m (null before the subspace is known)
 * @param dMatrix row-major m x m, D = V^T T2hat V (null with v)
 */
public record LabelResidual(boolean enabled, double meanY, double[] t1, int d, int m, double[] v, double[] dMatrix, double traceD)
        implements Serializable {

    /** Pass 2's residual: only the degree <= 1 part. */
    public static LabelResidual linear(boolean enabled, double meanY, double[] t1) {
        return new LabelResidual(enabled, meanY, t1.clone(), t1.length, 0, null, null, 0);
    }

    /** Passes 3-4: also the degree-2 part on the subspace V. */
    public LabelResidual withSubspace(double[] vRowMajor, int mUnits, double[] dm) {
        double tr = 0;
        for (int i = 0; i < mUnits; i++) tr += dm[i * mUnits + i];
        return new LabelResidual(enabled, meanY, t1, d, mUnits, vRowMajor.clone(), dm.clone(), tr);
    }

    /**
     * Fills yc[r] (and, when yr != null and the subspace is set, yr[r]) for the block's rows; u is the
     * block's projection U (row-major rows x m) or null. Faithful mode copies y into both.
     */
    public void residuals(double[] x, double[] y, int rows, double[] u, double[] yc, double[] yr) {
        if (!enabled) {
            System.arraycopy(y, 0, yc, 0, rows);
            if (yr != null) System.arraycopy(y, 0, yr, 0, rows);
            return;
        }
        // yc = y - ybar - X t1 in one dgemv (X as column-major d x rows, transposed).
        for (int r = 0; r < rows; r++) yc[r] = y[r] - meanY;
        Blas.native3().dgemv("T", d, rows, -1.0, x, d, t1, 1, 1.0, yc, 1);
        if (yr == null) return;
        for (int r = 0; r < rows; r++) {
            int o = r * m;
            double q = 0;
            for (int i = 0; i < m; i++) {
                double s = 0;
                int di = i * m;
                for (int j = 0; j < m; j++) s += dMatrix[di + j] * u[o + j];
                q += u[o + i] * s;
            }
            yr[r] = yc[r] - 0.5 * (q - traceD);
        }
    }

    /** U = X V for a block: row-major rows x m (column-major m x rows), one dgemm. */
    public void project(double[] x, int rows, double[] u) {
        // Row-major V (d x m) is column-major V^T (m x d); U^T (m x rows) = V^T X^T.
        Blas.native3().dgemm("N", "N", m, rows, d, 1.0, v, m, x, d, 0.0, u, m);
    }
}
