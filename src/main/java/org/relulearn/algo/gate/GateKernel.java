package org.relulearn.algo.gate;

import org.relulearn.data.Block;
import org.relulearn.linalg.Blas;

/**
 * Block kernels of the gate: residuals with two BLAS-2 calls per block, no per-row allocation.
 * For a block X (column-major d x rows) and labels y:
 * <pre>
 *   z = X^T w                          (dgemv "T")
 *   r_i = y_i - relu(z_i)              (times 1{z_i > 0} for SGD)
 *   g += X r                           (dgemv "N")
 * </pre>
 */
public final class GateKernel {
    private GateKernel() {}

    /**
     * Adds sum_i r_i x_i of {@code block} into {@code g} and returns sum_i (y_i - relu(w.x_i))^2
     * (the squared loss, with the plain residual for both updates).
     *
     * @param scratch at least block.rows() doubles (modified)
     */
    public static double addResidualSum(Block block, double[] w, GateUpdate update, double[] g, double[] scratch) {
        int d = block.d(), rows = block.rows();
        if (rows == 0) return 0;
        if (block.m() != 1) throw new IllegalArgumentException("the gate needs one label per row, got m=" + block.m());
        if (w.length != d) throw new IllegalArgumentException("gate dimension " + w.length + " does not match data dimension " + d);
        double[] x = block.x(), y = block.y(), r = scratch;
        Blas.native3().dgemv("T", d, rows, 1.0, x, d, w, 1, 0.0, r, 1);
        double loss = 0;
        boolean sgd = update.usesDerivative();
        for (int i = 0; i < rows; i++) {
            double z = r[i];
            double res = y[i] - (z > 0 ? z : 0);
            loss += res * res;
            r[i] = (sgd && !(z > 0)) ? 0 : res;
        }
        Blas.native3().dgemv("N", d, rows, 1.0, x, d, r, 1, 1.0, g, 1);
        return loss;
    }

    /** Squared loss sum_i (y_i - relu(w.x_i))^2 of a block. */
    public static double loss(Block block, double[] w, double[] scratch) {
        int d = block.d(), rows = block.rows();
        if (rows == 0) return 0;
        double[] y = block.y(), z = scratch;
        Blas.native3().dgemv("T", d, rows, 1.0, block.x(), d, w, 1, 0.0, z, 1);
        double loss = 0;
        for (int i = 0; i < rows; i++) {
            double res = y[i] - (z[i] > 0 ? z[i] : 0);
            loss += res * res;
        }
        return loss;
    }
}
