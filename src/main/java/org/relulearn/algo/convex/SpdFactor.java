package org.relulearn.algo.convex;

import org.netlib.util.intW;
import org.relulearn.linalg.Blas;

/**
 * A Cholesky factor of a symmetric positive-definite n x n matrix (LAPACK dpotrf), factored once
 * and reused for many solves (dpotrs): the ADMM linear system's matrix does not change between
 * iterations, so each iteration costs two triangular solves.
 */
public final class SpdFactor {
    private final int n;
    private final double[] factor;

    /** Factors {@code a} (n x n, symmetric; copied). */
    public SpdFactor(double[] a, int n, String what) {
        this.n = n;
        this.factor = a.clone();
        intW info = new intW(0);
        Blas.lapack().dpotrf("U", n, factor, n, info);
        if (info.val > 0) {
            throw new ArithmeticException(what + " is not positive definite (leading minor " + info.val + " of " + n + ")");
        }
        if (info.val < 0) throw new IllegalArgumentException("dpotrf: bad argument " + (-info.val));
    }

    public int size() { return n; }

    /** Solves A X = B in place for B column-major n x nrhs (so a row-major nrhs x n array of right-hand sides). */
    public double[] solveInPlace(double[] b, int nrhs) {
        intW info = new intW(0);
        Blas.lapack().dpotrs("U", n, nrhs, factor, n, b, n, info);
        if (info.val != 0) throw new IllegalStateException("dpotrs failed: " + info.val);
        return b;
    }
}
