package org.relulearn.algo.hermite;

import org.relulearn.algo.tensor.Jennrich;
import org.relulearn.linalg.Dense;

/**
 * Jennrich's simultaneous diagonalisation of the L contracted matrices M_l = What diag(c_l) What^T
 * (docs/hermite.md, Algorithm, on the driver). For every ordered pair (p, q), p != q, the eigenvectors
 * of M_p pinv(M_q) = What diag(c_p / c_q) What^{-1} are candidate columns what_i (real parts, unit
 * length). A candidate is scored by how well Z = inv(What) diagonalises all L matrices:
 * <pre>
 *   score = sum_l ||offdiag(Z M_l Z^T)||_F^2 / ||Z M_l Z^T||_F^2
 * </pre>
 * and the lowest score is kept. Pure driver algebra: L(L-1) eigensolves of m x m matrices.
 *
 * @param what      row-major m x m, column i = unit i's direction in subspace coordinates (unit length)
 * @param z         inv(what), row-major (rows z_i with z_i.what_j = delta_ij)
 * @param score     the kept candidate's score
 * @param imagRatio max |Im lambda| / max |lambda| of the kept candidate's eigenproblem
 * @param condition condition number of what
 * @param pair      the kept ordered pair (p, q)
 */
public record PairJennrich(int m, double[] what, double[] z, double score, double imagRatio, double condition, int[] pair) {

    public static PairJennrich decompose(double[][] matrices, int m) {
        int count = matrices.length;
        if (count < 2) throw new IllegalArgumentException("Jennrich needs at least 2 contracted matrices, got " + count);
        PairJennrich best = null;
        double[] imag = new double[1];
        for (int p = 0; p < count; p++) {
            for (int q = 0; q < count; q++) {
                if (p == q) continue;
                double[] prod = Dense.multiply(matrices[p], m, m, Jennrich.pseudoInverseSymmetric(matrices[q], m), m);
                double[] cand = SmallMatrices.eigenvectorColumns(prod, m, imag);
                if (cand == null) continue;
                double[] z = SmallMatrices.inverse(cand, m);
                if (z == null) continue;
                double s = score(matrices, z, m);
                if (!Double.isFinite(s)) continue;
                if (best == null || s < best.score) best = new PairJennrich(m, cand, z, s, imag[0], Double.NaN, new int[] {p, q});
            }
        }
        if (best == null) throw new ArithmeticException("Jennrich: no pair of contracted matrices gave an invertible set of eigenvectors;"
                + " the statistics are degenerate (m too large, or too few samples)");
        return new PairJennrich(m, best.what, best.z, best.score, best.imagRatio, SmallMatrices.condition(best.what, m), best.pair);
    }

    /** sum_l ||offdiag(Z M_l Z^T)||^2 / ||Z M_l Z^T||^2. */
    static double score(double[][] matrices, double[] z, int m) {
        double[] zt = Dense.transpose(z, m, m);
        double total = 0;
        for (double[] ml : matrices) {
            double[] c = Dense.multiply(Dense.multiply(z, m, m, ml, m), m, m, zt, m);
            double all = 0, off = 0;
            for (int i = 0; i < m; i++) for (int j = 0; j < m; j++) {
                double v = c[i * m + j] * c[i * m + j];
                all += v;
                if (i != j) off += v;
            }
            total += all > 0 ? off / all : 0;
        }
        return total;
    }

    /** Column i of what. */
    public double[] direction(int i) {
        double[] out = new double[m];
        for (int r = 0; r < m; r++) out[r] = what[r * m + i];
        return out;
    }
}
