package org.relulearn.linalg;

import java.util.random.RandomGenerator;
import org.netlib.util.intW;

/**
 * Small dense driver-side algebra on row-major arrays. Symmetric inputs are symmetric, so row- and
 * column-major agree for them; LAPACK is used where it matters (eigen-decompositions), plain loops
 * where sizes are tiny.
 */
public final class Dense {
    private Dense() {}

    /** Eigen-decomposition of a symmetric n x n matrix (not modified). */
    public record SymmetricEigen(int n, double[] values, double[] vectors) {
        /** Eigenvalues in ascending order. */
        public double min() { return values[0]; }
        public double max() { return values[n - 1]; }
        /** Entry i of eigenvector j (the eigenvector of values[j]). */
        public double vector(int i, int j) { return vectors[j * n + i]; }
    }

    /**
     * Eigen-decomposition of a general square matrix by LAPACK dgeev: eigenvalues wr + i wi and the
     * right eigenvectors {@code vr} column-major n x n (column j is vector j; a complex pair j, j+1
     * stores its real part in column j and its imaginary part in column j+1).
     */
    public record GeneralEigen(int n, double[] wr, double[] wi, double[] vr) {
        /** max |Im lambda| / max |lambda| (0 for a zero matrix). */
        public double imaginaryRatio() {
            double scale = 0, im = 0;
            for (int i = 0; i < n; i++) {
                scale = Math.max(scale, Math.hypot(wr[i], wi[i]));
                im = Math.max(im, Math.abs(wi[i]));
            }
            return scale > 0 ? im / scale : 0;
        }
    }

    /** dgeev of the row-major n x n matrix {@code a}; null when LAPACK reports a failure. */
    public static GeneralEigen generalEigen(double[] a, int n) {
        if (a.length != n * n) throw new IllegalArgumentException("matrix must be " + n + " x " + n);
        double[] colMajor = transpose(a, n, n);
        double[] wr = new double[n], wi = new double[n], vr = new double[n * n], vl = new double[1];
        intW info = new intW(0);
        double[] query = new double[1];
        Blas.lapack().dgeev("N", "V", n, colMajor.clone(), n, wr, wi, vl, 1, vr, n, query, -1, info);
        double[] work = new double[Math.max(1, (int) query[0])];
        info.val = 0;
        Blas.lapack().dgeev("N", "V", n, colMajor, n, wr, wi, vl, 1, vr, n, work, work.length, info);
        return info.val != 0 ? null : new GeneralEigen(n, wr, wi, vr);
    }

    /** LAPACK dsyev: all eigenvalues ascending, eigenvectors as columns (column-major n x n). */
    public static SymmetricEigen symmetricEigen(double[] a, int n) {
        if (a.length != n * n) throw new IllegalArgumentException("matrix must be " + n + " x " + n);
        for (double v : a) {
            if (!Double.isFinite(v)) throw new ArithmeticException("matrix has a non-finite entry: " + v);
        }
        double[] work = a.clone();
        double[] w = new double[n];
        intW info = new intW(0);
        double[] query = new double[1];
        Blas.lapack().dsyev("V", "U", n, work, n, w, query, -1, info);
        int lwork = Math.max(1, (int) query[0]);
        double[] buf = new double[lwork];
        info.val = 0;
        Blas.lapack().dsyev("V", "U", n, work, n, w, buf, lwork, info);
        if (info.val != 0) throw new ArithmeticException("dsyev failed to converge (info=" + info.val + ")");
        return new SymmetricEigen(n, w, work);
    }

    /**
     * Lower Cholesky factor L (row-major) of a symmetric positive semi-definite matrix, L L^T = a.
     * Zero (or round-off negative) pivots give a zero column instead of failing, so a rank-deficient
     * covariance is accepted; a clearly negative pivot is an error.
     */
    public static double[] choleskyPsd(double[] a, int n) {
        double[] l = new double[n * n];
        double scale = 0;
        for (int i = 0; i < n; i++) scale = Math.max(scale, Math.abs(a[i * n + i]));
        double tol = 1e-12 * Math.max(scale, 1e-300);
        for (int j = 0; j < n; j++) {
            double s = a[j * n + j];
            for (int p = 0; p < j; p++) s -= l[j * n + p] * l[j * n + p];
            if (s < -1e-9 * Math.max(scale, 1)) {
                throw new IllegalArgumentException("matrix is not positive semi-definite (pivot " + j + " = " + s + ")");
            }
            double piv = s > tol ? Math.sqrt(s) : 0;
            l[j * n + j] = piv;
            for (int i = j + 1; i < n; i++) {
                double t = a[i * n + j];
                for (int p = 0; p < j; p++) t -= l[i * n + p] * l[j * n + p];
                l[i * n + j] = piv > 0 ? t / piv : 0;
            }
        }
        return l;
    }

    /** C = A B for row-major A (r x k) and B (k x c). */
    public static double[] multiply(double[] a, int r, int k, double[] b, int c) {
        double[] out = new double[r * c];
        for (int i = 0; i < r; i++) {
            for (int p = 0; p < k; p++) {
                double v = a[i * k + p];
                if (v == 0) continue;
                for (int j = 0; j < c; j++) out[i * c + j] += v * b[p * c + j];
            }
        }
        return out;
    }

    /** The transpose of a row-major r x c matrix. */
    public static double[] transpose(double[] a, int r, int c) {
        double[] t = new double[r * c];
        for (int i = 0; i < r; i++) for (int j = 0; j < c; j++) t[j * r + i] = a[i * c + j];
        return t;
    }

    /**
     * An r x c matrix (row-major, r >= c) with orthonormal columns, from modified Gram-Schmidt
     * (applied twice for orthogonality to round-off) on a Gaussian matrix drawn from {@code rng} (the data package's CounterRng, in practice).
     */
    public static double[] randomOrthonormalColumns(int r, int c, RandomGenerator rng) {
        if (c > r) throw new IllegalArgumentException("need rows >= columns, got " + r + " x " + c);
        double[] q = new double[r * c];
        for (int i = 0; i < q.length; i++) q[i] = rng.nextGaussian();
        for (int pass = 0; pass < 2; pass++) {
            for (int j = 0; j < c; j++) {
                for (int p = 0; p < j; p++) {
                    double dot = 0;
                    for (int i = 0; i < r; i++) dot += q[i * c + j] * q[i * c + p];
                    for (int i = 0; i < r; i++) q[i * c + j] -= dot * q[i * c + p];
                }
                double norm = 0;
                for (int i = 0; i < r; i++) norm += q[i * c + j] * q[i * c + j];
                norm = Math.sqrt(norm);
                for (int i = 0; i < r; i++) q[i * c + j] /= norm;
            }
        }
        return q;
    }

    public static double norm(double[] v) {
        double s = 0;
        for (double x : v) s += x * x;
        return Math.sqrt(s);
    }

    /** ||a - b|| (Euclidean / Frobenius). */
    public static double distance(double[] a, double[] b) {
        if (a.length != b.length) throw new IllegalArgumentException("length mismatch " + a.length + " vs " + b.length);
        double s = 0;
        for (int i = 0; i < a.length; i++) s += (a[i] - b[i]) * (a[i] - b[i]);
        return Math.sqrt(s);
    }

    /** Symmetrises a square matrix stored only in its upper triangle (row-major indices i <= j). */
    public static void fillLowerFromUpper(double[] a, int n) {
        for (int i = 0; i < n; i++) for (int j = 0; j < i; j++) a[i * n + j] = a[j * n + i];
    }

    /**
     * Solves A X = B for symmetric positive-definite A (n x n) and B (n x r), both row-major, by
     * LAPACK dposv. Throws {@link ArithmeticException} when A is not positive definite.
     */
    public static double[] solveSpd(double[] a, int n, double[] b, int r) {
        double[] f = a.clone();
        // B row-major n x r is column-major r x n; dposv wants column-major n x r.
        double[] x = transpose(b, n, r);
        intW info = new intW(0);
        Blas.lapack().dposv("U", n, r, f, n, x, n, info);
        if (info.val > 0) {
            throw new ArithmeticException("matrix is not positive definite (leading minor " + info.val + ")");
        }
        if (info.val < 0) throw new IllegalArgumentException("dposv: bad argument " + (-info.val));
        return transpose(x, r, n);
    }
}
