package org.relulearn.algo.tensor;

/**
 * Non-orthogonal joint diagonalisation of symmetric K x K matrices C_1..C_L in the manner of QRJ1D
 * (Afsari 2006, "Simple LU and QR based non-orthogonal matrix joint diagonalization"; the solver of
 * the KCL tensor factorisation, docs/tensor-gd.md, KCL decomposer). It looks for a non-singular B
 * minimising the off-diagonal mass
 * <pre>
 *   J(B) = sum_l || off(B C_l B^T) ||_F^2 ,
 * </pre>
 * so that C_l ~ A diag(c_l) A^T with A = B^{-1}. B is built as a product of elementary factors, each
 * one chosen in closed form to minimise J given the current transformed matrices C_l <- E C_l E^T,
 * B <- E B. One sweep is
 * <ol>
 *   <li>the triangular half: for every pair i != j (first i &lt; j, the unit upper-triangular R factor of
 *       QRJ1D, then i &gt; j, a unit lower-triangular factor), E = I + a e_i e_j^T (row i += a row j). Only
 *       the off-diagonal entries of row/column i change, to C_im + a C_jm (m != i), so
 *       <pre>  J_i(a) = 2 sum_l sum_{m != i} (C_l,im + a C_l,jm)^2,   a* = - sum C_im C_jm / sum C_jm^2 ;</pre></li>
 *   <li>the orthogonal (Q) half: for every pair p &lt; q, a Givens rotation by theta in the (p, q) plane.
 *       It rotates h_l = (C_pp - C_qq, 2 C_pq) by 2 theta and leaves C_pm^2 + C_qm^2 unchanged, so the
 *       best angle maximises sum_l (C'_pp - C'_qq)^2, i.e. (cos 2 theta, sin 2 theta) is the top eigenvector
 *       of G = sum_l h_l h_l^T: theta = atan2(2 G_12, G_11 - G_22) / 4, |theta| &lt;= pi/4 (Cardoso and
 *       Souloumiac's Jacobi angle);</li>
 *   <li>a row normalisation B <- D B making every row of B a unit vector (elementary triangular and
 *       orthogonal factors keep det B = 1, but B's rows could still drift in scale).</li>
 * </ol>
 * Deviation from QRJ1D [DEV]: Afsari's QRJ1D uses only the upper-triangular and orthogonal factors.
 * With the multiplicative sweep order used here (B <- Q R B each sweep) that converged far too slowly
 * on planted problems (K = 6, condition 10, L = 20: B A still 1e-3 to 0.9 away from a scaled
 * permutation after 300 sweeps), while adding the lower-triangular half (the L factor of Afsari's
 * sibling algorithm LUJ1D) reaches 1e-14 in 15-40 sweeps; both minimise the same criterion J.
 * Sweeps stop when no factor moves more than {@code tol} (|a|, |sin theta|) or J stops falling
 * relatively by more than tol^2, or after {@code maxSweeps}. Deterministic: no random draws.
 */
public final class QrJointDiagonalizer {
    private QrJointDiagonalizer() {}

    /** Default sweep cap and step tolerance. */
    public static final int DEFAULT_MAX_SWEEPS = 500;
    public static final double DEFAULT_TOL = 1e-13;

    /**
     * The joint diagonaliser found.
     *
     * @param k         matrix dimension
     * @param b         row-major K x K, unit rows: B C_l B^T ~ diagonal
     * @param offRatio  J(B) / sum_l ||B C_l B^T||_F^2 at the end (0 = exactly diagonalised)
     * @param sweeps    sweeps run
     * @param converged the step tolerance was met before the cap
     */
    public record Result(int k, double[] b, double offRatio, int sweeps, boolean converged) {
        /** A = B^{-1} (row-major): C_l ~ A diag(B C_l B^T) A^T. */
        public double[] mixing() { return inverse(b, k); }
    }

    public static Result diagonalize(double[][] matrices, int k) {
        return diagonalize(matrices, k, DEFAULT_MAX_SWEEPS, DEFAULT_TOL);
    }

    /**
     * Jointly diagonalises the given symmetric matrices (row-major K x K each; symmetrised on entry,
     * the inputs are not modified).
     */
    public static Result diagonalize(double[][] matrices, int k, int maxSweeps, double tol) {
        if (k < 1) throw new IllegalArgumentException("matrix dimension K must be >= 1, got " + k);
        if (matrices.length < 1) throw new IllegalArgumentException("joint diagonalisation needs at least one matrix");
        if (maxSweeps < 1) throw new IllegalArgumentException("sweep cap must be >= 1, got " + maxSweeps);
        int nl = matrices.length;
        double[][] c = new double[nl][];
        for (int l = 0; l < nl; l++) {
            double[] m = matrices[l];
            if (m.length != k * k) throw new IllegalArgumentException("matrix " + l + " has " + m.length + " entries, expected K^2 = " + k * k);
            c[l] = new double[k * k];
            for (int i = 0; i < k; i++) {
                for (int j = 0; j < k; j++) {
                    double v = 0.5 * (m[i * k + j] + m[j * k + i]);
                    if (!Double.isFinite(v)) throw new IllegalArgumentException("matrix " + l + " has a non-finite entry at (" + i + ", " + j + ")");
                    c[l][i * k + j] = v;
                }
            }
        }
        double[] b = new double[k * k];
        for (int i = 0; i < k; i++) b[i * k + i] = 1;
        if (k == 1) return new Result(k, b, 0, 0, true);

        double prevOff = offDiagonal(c, k);
        int sweep = 0;
        boolean converged = false;
        while (sweep < maxSweeps) {
            sweep++;
            double maxMove = 0;
            // Triangular half: unit upper- then lower-triangular elementary factors (see the class comment for why both).
            for (int i = 0; i < k; i++) {
                for (int j = i + 1; j < k; j++) {
                    maxMove = Math.max(maxMove, Math.abs(triangularStep(c, b, k, i, j)));
                }
            }
            for (int i = 0; i < k; i++) {
                for (int j = 0; j < i; j++) {
                    maxMove = Math.max(maxMove, Math.abs(triangularStep(c, b, k, i, j)));
                }
            }
            // Q half: Givens rotations.
            for (int p = 0; p < k; p++) {
                for (int q = p + 1; q < k; q++) {
                    maxMove = Math.max(maxMove, Math.abs(givensStep(c, b, k, p, q)));
                }
            }
            normaliseRows(c, b, k);
            double off = offDiagonal(c, k);
            boolean stalled = prevOff - off <= tol * tol * Math.max(prevOff, Double.MIN_NORMAL);
            prevOff = off;
            if (maxMove < tol || off == 0 || (stalled && maxMove < Math.sqrt(tol))) {
                converged = true;
                break;
            }
        }
        double total = 0;
        for (double[] m : c) for (double v : m) total += v * v;
        return new Result(k, b, total == 0 ? 0 : prevOff / total, sweep, converged);
    }

    /** E = I + a e_i e_j^T with the J-minimising a; applied to every C_l and to B. Returns a. */
    private static double triangularStep(double[][] c, double[] b, int k, int i, int j) {
        double num = 0, den = 0;
        for (double[] m : c) {
            for (int col = 0; col < k; col++) {
                if (col == i) continue;
                double cj = m[j * k + col];
                num += m[i * k + col] * cj;
                den += cj * cj;
            }
        }
        if (!(den > 0)) return 0;
        double a = -num / den;
        if (a == 0 || !Double.isFinite(a)) return 0;
        for (double[] m : c) {
            for (int col = 0; col < k; col++) m[i * k + col] += a * m[j * k + col];   // row i += a row j
            for (int row = 0; row < k; row++) m[row * k + i] += a * m[row * k + j];   // column i += a column j
        }
        for (int col = 0; col < k; col++) b[i * k + col] += a * b[j * k + col];
        return a;
    }

    /** The Jacobi rotation in the (p, q) plane maximising sum_l (C_pp - C_qq)^2; returns sin theta. */
    private static double givensStep(double[][] c, double[] b, int k, int p, int q) {
        double g11 = 0, g12 = 0, g22 = 0;
        for (double[] m : c) {
            double h1 = m[p * k + p] - m[q * k + q], h2 = 2 * m[p * k + q];
            g11 += h1 * h1;
            g12 += h1 * h2;
            g22 += h2 * h2;
        }
        double theta = 0.25 * Math.atan2(2 * g12, g11 - g22);
        double cs = Math.cos(theta), sn = Math.sin(theta);
        if (sn == 0) return 0;
        for (double[] m : c) {
            rotateRows(m, k, p, q, cs, sn);
            rotateColumns(m, k, p, q, cs, sn);
        }
        rotateRows(b, k, p, q, cs, sn);
        return sn;
    }

    /** rows (p, q) <- [c s; -s c] (rows p, q). */
    private static void rotateRows(double[] m, int k, int p, int q, double cs, double sn) {
        for (int col = 0; col < k; col++) {
            double x = m[p * k + col], y = m[q * k + col];
            m[p * k + col] = cs * x + sn * y;
            m[q * k + col] = -sn * x + cs * y;
        }
    }

    private static void rotateColumns(double[] m, int k, int p, int q, double cs, double sn) {
        for (int row = 0; row < k; row++) {
            double x = m[row * k + p], y = m[row * k + q];
            m[row * k + p] = cs * x + sn * y;
            m[row * k + q] = -sn * x + cs * y;
        }
    }

    /** B <- D B with unit rows, C_l <- D C_l D. */
    private static void normaliseRows(double[][] c, double[] b, int k) {
        double[] s = new double[k];
        for (int i = 0; i < k; i++) {
            double n = 0;
            for (int col = 0; col < k; col++) n += b[i * k + col] * b[i * k + col];
            s[i] = n > 0 ? 1 / Math.sqrt(n) : 1;
            for (int col = 0; col < k; col++) b[i * k + col] *= s[i];
        }
        for (double[] m : c) for (int i = 0; i < k; i++) for (int j = 0; j < k; j++) m[i * k + j] *= s[i] * s[j];
    }

    /** J = sum_l sum_{i != j} C_l,ij^2. */
    static double offDiagonal(double[][] c, int k) {
        double s = 0;
        for (double[] m : c) {
            for (int i = 0; i < k; i++) for (int j = 0; j < k; j++) if (i != j) s += m[i * k + j] * m[i * k + j];
        }
        return s;
    }

    /**
     * Inverse of a row-major n x n matrix by Gauss-Jordan elimination with partial pivoting.
     *
     * @throws ArithmeticException when the matrix is (numerically) singular
     */
    public static double[] inverse(double[] a, int n) {
        double[] w = a.clone();
        double[] inv = new double[n * n];
        for (int i = 0; i < n; i++) inv[i * n + i] = 1;
        double scale = 0;
        for (double v : a) scale = Math.max(scale, Math.abs(v));
        for (int col = 0; col < n; col++) {
            int piv = col;
            for (int r = col + 1; r < n; r++) if (Math.abs(w[r * n + col]) > Math.abs(w[piv * n + col])) piv = r;
            double pv = w[piv * n + col];
            if (!(Math.abs(pv) > 1e-14 * scale)) throw new ArithmeticException("matrix is singular to working precision (pivot " + pv + ")");
            if (piv != col) {
                swapRows(w, n, piv, col);
                swapRows(inv, n, piv, col);
            }
            double ip = 1 / pv;
            for (int j = 0; j < n; j++) {
                w[col * n + j] *= ip;
                inv[col * n + j] *= ip;
            }
            for (int r = 0; r < n; r++) {
                if (r == col) continue;
                double f = w[r * n + col];
                if (f == 0) continue;
                for (int j = 0; j < n; j++) {
                    w[r * n + j] -= f * w[col * n + j];
                    inv[r * n + j] -= f * inv[col * n + j];
                }
            }
        }
        return inv;
    }

    private static void swapRows(double[] m, int n, int a, int b) {
        for (int j = 0; j < n; j++) {
            double t = m[a * n + j];
            m[a * n + j] = m[b * n + j];
            m[b * n + j] = t;
        }
    }
}
