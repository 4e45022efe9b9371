package org.relulearn.linalg;

import org.netlib.util.intW;

/**
 * Thin singular value decomposition A = U diag(s) V^T of a dense r x c matrix by LAPACK dgesvd.
 * Singular values are descending; U holds min(r, c) columns and V all c columns (the full right
 * basis, so null-space vectors of a tall or square matrix are available).
 *
 * @param rows    r
 * @param cols    c
 * @param values  s, descending, length min(r, c)
 * @param u       row-major r x min(r, c)
 * @param v       row-major c x c; column j is the right singular vector of s_j (j < min(r, c)),
 *                the remaining columns span the rest of R^c
 */
public record Svd(int rows, int cols, double[] values, double[] u, double[] v) {

    /** SVD of a row-major r x c matrix (not modified). */
    public static Svd of(double[] a, int r, int c) {
        if (a.length != r * c) throw new IllegalArgumentException("matrix must have " + r * c + " entries, has " + a.length);
        for (double x : a) if (!Double.isFinite(x)) throw new ArithmeticException("matrix has a non-finite entry: " + x);
        int p = Math.min(r, c);
        // Row-major r x c is column-major c x r = A^T. SVD of A^T = V S U^T, so LAPACK's "U" is our V
        // and its "VT" is our U^T.
        double[] at = a.clone();
        double[] s = new double[p];
        double[] lapU = new double[c * c];      // column-major c x c: our V
        double[] lapVt = new double[p * r];     // column-major p x r: our U^T
        intW info = new intW(0);
        double[] query = new double[1];
        Blas.lapack().dgesvd("A", "S", c, r, at, c, s, lapU, c, lapVt, p, query, -1, info);
        double[] work = new double[Math.max(1, (int) query[0])];
        at = a.clone();
        info.val = 0;
        Blas.lapack().dgesvd("A", "S", c, r, at, c, s, lapU, c, lapVt, p, work, work.length, info);
        if (info.val != 0) throw new ArithmeticException("dgesvd did not converge (info=" + info.val + ")");
        double[] u = new double[r * p];
        for (int i = 0; i < r; i++) for (int j = 0; j < p; j++) u[i * p + j] = lapVt[j + i * p];
        double[] v = new double[c * c];
        for (int i = 0; i < c; i++) for (int j = 0; j < c; j++) v[i * c + j] = lapU[i + j * c];
        return new Svd(r, c, s, u, v);
    }

    /** Column j of V (length c). */
    public double[] rightVector(int j) {
        double[] out = new double[cols];
        for (int i = 0; i < cols; i++) out[i] = v[i * cols + j];
        return out;
    }

    /** Row-major r x q: the first q columns of U (the top-q left singular vectors). */
    public double[] leftVectors(int q) {
        int p = values.length;
        if (q > p) throw new IllegalArgumentException("only " + p + " left singular vectors, asked for " + q);
        double[] out = new double[rows * q];
        for (int i = 0; i < rows; i++) System.arraycopy(u, i * p, out, i * q, q);
        return out;
    }

    /** Row-major q x c: the first q right singular vectors as rows (V_q^T). */
    public double[] rightVectorsAsRows(int q) {
        double[] out = new double[q * cols];
        for (int j = 0; j < q; j++) for (int i = 0; i < cols; i++) out[j * cols + i] = v[i * cols + j];
        return out;
    }
}
