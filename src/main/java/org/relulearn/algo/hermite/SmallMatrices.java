package org.relulearn.algo.hermite;

import org.netlib.util.intW;
import org.relulearn.linalg.Blas;
import org.relulearn.linalg.Dense;

/** Driver-side helpers on small row-major square matrices: inverse (LAPACK dgesv) and real eigenvectors (dgeev). */
final class SmallMatrices {
    private SmallMatrices() {}

    /** The inverse of a row-major n x n matrix, or null when it is singular. */
    static double[] inverse(double[] a, int n) {
        double[] colMajor = Dense.transpose(a, n, n);
        double[] b = new double[n * n];
        for (int i = 0; i < n; i++) b[i * n + i] = 1;
        int[] piv = new int[n];
        intW info = new intW(0);
        Blas.lapack().dgesv(n, n, colMajor, n, piv, b, n, info);
        if (info.val != 0) return null;
        for (double v : b) if (!Double.isFinite(v)) return null;
        return Dense.transpose(b, n, n);   // column-major inverse -> row-major
    }

    /**
     * Eigenvectors of a general row-major n x n matrix as the COLUMNS of a row-major n x n matrix
     * (unit length); a complex pair contributes its real and imaginary parts (a real basis of its
     * invariant plane, so the set stays invertible and the candidate can be scored); imagRatio[0] gets max |Im lambda| / max |lambda|. Null when dgeev fails.
     */
    static double[] eigenvectorColumns(double[] a, int n, double[] imagRatio) {
        Dense.GeneralEigen ge = Dense.generalEigen(a, n);
        if (ge == null) return null;
        double[] vr = ge.vr();
        imagRatio[0] = ge.imaginaryRatio();
        double[] out = new double[n * n];
        for (int j = 0; j < n; j++) {
            // dgeev stores a complex pair's real part in column j and its imaginary part in column j+1.
            int col = j;
            double norm = 0;
            for (int i = 0; i < n; i++) norm += vr[col * n + i] * vr[col * n + i];
            norm = Math.sqrt(norm);
            if (norm == 0) return null;
            for (int i = 0; i < n; i++) out[i * n + j] = vr[col * n + i] / norm;
        }
        return out;
    }

    /** Condition number s_max / s_min of a square row-major matrix (infinite when singular). */
    static double condition(double[] a, int n) {
        double[] s = org.relulearn.linalg.Svd.of(a, n, n).values();
        double max = 0, min = Double.POSITIVE_INFINITY;
        for (double v : s) {
            max = Math.max(max, v);
            min = Math.min(min, v);
        }
        return min > 0 ? max / min : Double.POSITIVE_INFINITY;
    }
}
