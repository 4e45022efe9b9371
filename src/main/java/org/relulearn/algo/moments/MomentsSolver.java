package org.relulearn.algo.moments;

import java.util.ArrayList;
import java.util.List;
import org.netlib.util.intW;
import org.relulearn.data.CounterRng;
import org.relulearn.linalg.Blas;
import org.relulearn.linalg.Dense;
import org.relulearn.linalg.Svd;

/**
 * The driver-side steps of the symmetric-input method of moments (docs/moments.md, Algorithm), for
 * y = A relu(W x) + xi with A l x k, W k x d, x symmetric, xi zero-mean and independent of x. All
 * matrices are small and row-major; nothing here touches the data.
 * <pre>
 *   1. B = 2 E[y x^T] Sigma_x^{-1}  (= A W, identity I1)
 *   2. B = U S V^T;  P = U_k;  Bt = P^T B;  gap S_k / S_{k+1}
 *   3. L[ce, ab] = w_ce w_ab G[ab, ce]   (svec weights w: 1 on the diagonal, sqrt 2 off it)
 *   4. Lp = (I - s s^T) L,  s = svec(Sigma_xr) / ||svec(Sigma_xr)||   (removes tr(U Sigma_xi) Sigma_x)
 *   5. Z_1..Z_k = smat of the right singular vectors of Lp with the k smallest singular values
 *   6. whitened simultaneous diagonalisation of the Z_j -> columns of At = P^T A up to scale
 *   7. Wr = At^{-1} Bt;  signs from At^{-1} P^T E[y] (identity I2);  canonical unit-norm rows of W
 * </pre>
 */
public final class MomentsSolver {
    private MomentsSolver() {}

    private static final double SQRT2 = Math.sqrt(2);

    /** Step 1: B = 2 E[y x^T] E[x x^T]^{-1}, row-major l x d (A W in the population). */
    public static double[] linearPart(Moments mo) {
        double[] half = LinearPart.estimate(mo);
        for (int i = 0; i < half.length; i++) half[i] *= 2;
        return half;
    }

    /**
     * The symmetry statistic ||E[x]|| / sqrt(tr E[x x^T] / d): about 1/sqrt(n) for a symmetric law,
     * of order the shift over the scale for a shifted one.
     */
    public static double symmetryStatistic(Moments mo) {
        int d = mo.d();
        double tr = 0;
        for (int i = 0; i < d; i++) tr += mo.secondX()[i * d + i];
        return Dense.norm(mo.meanX()) / Math.sqrt(Math.max(tr / d, 1e-300));
    }

    /**
     * Step 2: the output basis.
     *
     * @param singularValues all min(l, d) singular values of B, descending
     * @param p              P, l x k (top-k left singular vectors of B)
     * @param bt             Bt = P^T B, k x d
     * @param vk             the top-k right singular vectors of B as rows, k x d (the reduced-x weighting)
     * @param gap            S_k / S_{k+1} (infinite when k = min(l, d))
     */
    public record OutputBasis(int k, double[] singularValues, double[] p, double[] bt, double[] vk, double gap) {}

    /** Step 2 for a given k. */
    public static OutputBasis outputBasis(double[] b, int l, int d, int k) {
        if (k < 1 || k > Math.min(l, d)) {
            throw new IllegalArgumentException("hidden width k = " + k + " must be between 1 and min(d, l) = " + Math.min(l, d));
        }
        Svd svd = Svd.of(b, l, d);
        double[] s = svd.values();
        double gap = k < s.length ? s[k - 1] / Math.max(s[k], 1e-300) : Double.POSITIVE_INFINITY;
        double[] p = svd.leftVectors(k);
        double[] bt = Dense.multiply(Dense.transpose(p, l, k), k, l, b, d);
        return new OutputBasis(k, s.clone(), p, bt, svd.rightVectorsAsRows(k), gap);
    }

    /**
     * The k of the largest ratio S_i / S_{i+1}, i < min(l, d), among singular values above
     * 1e-12 S_1 (a rank-deficient B has its gap at its rank).
     */
    public static int chooseK(double[] s) {
        int best = 1;
        double bestRatio = 0;
        for (int i = 1; i < s.length; i++) {
            double ratio = s[i - 1] / Math.max(s[i], 1e-12 * s[0]);
            if (ratio > bestRatio) {
                bestRatio = ratio;
                best = i;
            }
        }
        return s.length == 1 ? 1 : best;
    }

    /** Weight of pair (c, e) in svec: 1 on the diagonal, sqrt 2 off it. */
    static double svecWeight(int c, int e) { return c == e ? 1 : SQRT2; }

    /** svec of a symmetric row-major n x n matrix, in the packed pair order of {@link DetectorMoment#pair}. */
    public static double[] svec(double[] a, int n) {
        double[] v = new double[n * (n + 1) / 2];
        for (int e = 0; e < n; e++) for (int c = 0; c <= e; c++) v[DetectorMoment.pair(c, e)] = svecWeight(c, e) * a[c * n + e];
        return v;
    }

    /** smat, the inverse of {@link #svec}. */
    public static double[] smat(double[] v, int n) {
        double[] a = new double[n * n];
        for (int e = 0; e < n; e++) {
            for (int c = 0; c <= e; c++) {
                double x = v[DetectorMoment.pair(c, e)] / svecWeight(c, e);
                a[c * n + e] = x;
                a[e * n + c] = x;
            }
        }
        return a;
    }

    /** Step 3: L, row-major q(q+1)/2 x k(k+1)/2, so that L svec(U) = svec(T(U)). */
    public static double[] linearMap(DetectorMoment g) {
        int k = g.k(), q = g.q(), kp = k * (k + 1) / 2, qp = q * (q + 1) / 2;
        double[] l = new double[qp * kp];
        for (int e = 0; e < q; e++) {
            for (int c = 0; c <= e; c++) {
                int row = DetectorMoment.pair(c, e);
                double wr = svecWeight(c, e);
                for (int b = 0; b < k; b++) {
                    for (int a = 0; a <= b; a++) {
                        int col = DetectorMoment.pair(a, b);
                        l[row * kp + col] = wr * svecWeight(a, b) * g.g()[col + kp * row];
                    }
                }
            }
        }
        return l;
    }

    /** The weighting's second moment: Sigma_x (q = d) or Vr Sigma_x Vr^T (q x q). */
    public static double[] weightingCovariance(double[] sigmaX, int d, double[] vr) {
        if (vr == null) return sigmaX.clone();
        int q = vr.length / d;
        return Dense.multiply(Dense.multiply(vr, q, d, sigmaX, d), q, d, Dense.transpose(vr, q, d), q);
    }

    /**
     * Steps 4 and 5.
     *
     * @param z        the k basis matrices Z_j (row-major k x k, orthonormal as svec vectors)
     * @param values   singular values of Lp, descending (k(k+1)/2 of them)
     * @param nullGap  sigma_(k+1 smallest) / sigma_(k smallest); infinite when k = 1 or the k-th is 0
     */
    public record NullSpace(List<double[]> z, double[] values, double nullGap) {}

    /** Steps 4 and 5 from L (row-major q(q+1)/2 x k(k+1)/2) and the weighting covariance (q x q). */
    public static NullSpace nullSpace(double[] l, int k, double[] sigmaR, int q) {
        int kp = k * (k + 1) / 2, qp = q * (q + 1) / 2;
        if (qp < kp) throw new IllegalArgumentException("the weighting dimension q = " + q + " must be >= k = " + k);
        double[] s = svec(sigmaR, q);
        double sn = Dense.norm(s);
        if (!(sn > 0)) throw new IllegalArgumentException("the input second moment is zero: every input row is 0");
        for (int i = 0; i < qp; i++) s[i] /= sn;
        double[] lp = l.clone();
        for (int col = 0; col < kp; col++) {
            double dot = 0;
            for (int row = 0; row < qp; row++) dot += s[row] * lp[row * kp + col];
            for (int row = 0; row < qp; row++) lp[row * kp + col] -= dot * s[row];
        }
        Svd svd = Svd.of(lp, qp, kp);
        double[] sv = svd.values();
        List<double[]> z = new ArrayList<>(k);
        for (int j = kp - k; j < kp; j++) z.add(smat(svd.rightVector(j), k));
        double gap = Double.POSITIVE_INFINITY;
        if (kp > k && sv[kp - k] > 0) gap = sv[kp - k - 1] / sv[kp - k];
        return new NullSpace(z, sv, gap);
    }

    /**
     * The result of the simultaneous diagonalisation (docs/moments.md, Algorithm, step 3).
     *
     * @param at        At_hat, row-major k x k, unit-norm columns (columns of P^T A up to scale and order)
     * @param pdMargin  lambda_min / lambda_max of the positive-definite combination U0 (> 0 required)
     * @param eigenGap  the smallest gap between the eigenvalues of the whitened random combination,
     *                  relative to its largest |eigenvalue| (small = units hard to separate)
     */
    /**
     * @param maxImaginary paper-style: the largest |Im lambda| / max |lambda| over all random pairs; NaN for whitened
     */
    public record Diagonalisation(double[] at, double pdMargin, double eigenGap, double maxImaginary) {}

    /**
     * Whitened diagonalisation (the default): c maximising lambda_min(sum c_j Z_j) over unit c by
     * projected super-gradient ascent
     * (gradient v^T Z_j v with v the bottom eigenvector; 300 steps of size 0.5/sqrt(t), the first
     * start along (tr Z_j), two random starts); U0 = L L^T (Cholesky); Zw_j = L^{-1} Z_j L^{-T}
     * share eigenvectors O; among 10 random unit combinations take the one with the largest minimum
     * eigenvalue gap; At ∝ L^{-T} O.
     *
     * @throws IllegalArgumentException when no positive-definite combination is found (degenerate
     *                                  distinguishing matrix, or wrong k)
     */
    public static Diagonalisation whitenedDiagonalisation(List<double[]> z, int k, long seed) {
        CounterRng rng = new CounterRng(seed, 0x5D1A6L, 0);
        double[] bestC = null;
        double bestMin = Double.NEGATIVE_INFINITY;
        for (int start = 0; start < 3; start++) {
            double[] c = new double[k];
            if (start == 0) {
                for (int j = 0; j < k; j++) c[j] = trace(z.get(j), k);
            } else {
                for (int j = 0; j < k; j++) c[j] = rng.nextGaussian();
            }
            if (!normalise(c)) c[0] = 1;
            for (int t = 1; t <= 300; t++) {
                Dense.SymmetricEigen eig = Dense.symmetricEigen(combine(z, c, k), k);
                if (eig.min() > bestMin) {
                    bestMin = eig.min();
                    bestC = c.clone();
                }
                double step = 0.5 / Math.sqrt(t);
                for (int j = 0; j < k; j++) c[j] += step * quadratic(z.get(j), eig, k);
                normalise(c);
            }
        }
        double[] u0 = combine(z, bestC, k);
        Dense.SymmetricEigen e0 = Dense.symmetricEigen(u0, k);
        double margin = e0.min() / Math.max(Math.abs(e0.max()), 1e-300);
        if (!(e0.min() > 0) || !(margin > 1e-12)) {
            throw new IllegalArgumentException(String.format("no positive-definite element in the detector null space"
                    + " (best lambda_min/lambda_max = %.3g): the distinguishing matrix is degenerate for this input law or k"
                    + " is wrong; check the singular values of B and the null gap, or use more samples", margin));
        }
        double[] lInv = lowerInverse(Dense.choleskyPsd(u0, k), k);
        double[] lInvT = Dense.transpose(lInv, k, k);
        List<double[]> zw = new ArrayList<>(k);
        for (double[] zj : z) zw.add(Dense.multiply(Dense.multiply(lInv, k, k, zj, k), k, k, lInvT, k));
        Dense.SymmetricEigen best = null;
        double bestGap = -1;
        for (int draw = 0; draw < 10; draw++) {
            double[] g = new double[k];
            for (int j = 0; j < k; j++) g[j] = rng.nextGaussian();
            normalise(g);
            Dense.SymmetricEigen eig = Dense.symmetricEigen(symmetrised(combine(zw, g, k), k), k);
            double scale = Math.max(Math.abs(eig.min()), Math.abs(eig.max()));
            double gap = k == 1 ? 1 : Double.POSITIVE_INFINITY;
            for (int i = 1; i < k; i++) gap = Math.min(gap, (eig.values()[i] - eig.values()[i - 1]) / Math.max(scale, 1e-300));
            if (gap > bestGap) {
                bestGap = gap;
                best = eig;
            }
        }
        double[] o = new double[k * k];
        for (int i = 0; i < k; i++) for (int j = 0; j < k; j++) o[i * k + j] = best.vector(i, j);
        double[] at = Dense.multiply(lInvT, k, k, o, k);
        for (int j = 0; j < k; j++) {
            double nrm = 0;
            for (int i = 0; i < k; i++) nrm += at[i * k + j] * at[i * k + j];
            nrm = Math.sqrt(nrm);
            for (int i = 0; i < k; i++) at[i * k + j] /= nrm;
        }
        return new Diagonalisation(at, margin, bestGap, Double.NaN);
    }

    /**
     * The paper-style variant (reconstructed: the paper's exact procedure was not available to us;
     * docs/moments.md, Reconstructed), kept for comparison: for each of
     * {@code draws} random Gaussian pairs (alpha, beta), U1 = sum alpha_j Z_j, U2 = sum beta_j Z_j and
     * the eigenvectors of U2^{-1} U1 = At D2^{-1} D1 At^{-1} (LAPACK dgeev) are the columns of At.
     * Draws with a complex eigenvalue (|Im| > 1e-8 max |lambda|) or a singular U2 are skipped; among
     * the rest the one whose eigenvector matrix has the smallest condition number is kept. Fragile
     * at moderate N (a nearly singular U2 amplifies noise), which is why the whitened variant is the default.
     *
     * @return pdMargin is NaN (no positive-definite combination is formed); eigenGap is
     *         1 / the condition number of the chosen eigenvector matrix
     * @throws IllegalArgumentException when every draw has complex eigenvalues
     */
    public static Diagonalisation pairDiagonalisation(List<double[]> z, int k, long seed, int draws) {
        CounterRng rng = new CounterRng(seed, 0xA1D1A6L, 0);
        double[] best = null;
        double bestCond = Double.POSITIVE_INFINITY;
        double[] imaginary = new double[1];
        double maxImaginary = 0;
        for (int draw = 0; draw < draws; draw++) {
            double[] alpha = new double[k], beta = new double[k];
            for (int j = 0; j < k; j++) {
                alpha[j] = rng.nextGaussian();
                beta[j] = rng.nextGaussian();
            }
            double[] m;
            try {
                m = Dense.multiply(inverse(combine(z, beta, k), k), k, k, combine(z, alpha, k), k);
            } catch (IllegalArgumentException singular) {
                continue;
            }
            double[] vectors = realEigenvectors(m, k, imaginary);
            maxImaginary = Math.max(maxImaginary, imaginary[0]);
            if (vectors == null) continue;
            double[] sv = Svd.of(vectors, k, k).values();
            double cond = sv[0] / Math.max(sv[k - 1], 1e-300);
            if (cond < bestCond) {
                bestCond = cond;
                best = vectors;
            }
        }
        if (best == null) {
            throw new IllegalArgumentException("the paper-style diagonalisation found complex eigenvalues in all " + draws
                    + " random pairs: the detector null space is not simultaneously diagonalisable (degenerate input law,"
                    + " wrong k or too few rows); try the whitened variant");
        }
        for (int j = 0; j < k; j++) {
            double nrm = 0;
            for (int i = 0; i < k; i++) nrm += best[i * k + j] * best[i * k + j];
            nrm = Math.sqrt(nrm);
            for (int i = 0; i < k; i++) best[i * k + j] /= nrm;
        }
        return new Diagonalisation(best, Double.NaN, 1 / bestCond, maxImaginary);
    }

    /**
     * Right eigenvectors (columns, row-major k x k) of a general matrix when all eigenvalues are real,
     * else null; {@code imaginary[0]} receives max |Im lambda| / max |lambda| (0 when real; 1 if LAPACK failed).
     */
    private static double[] realEigenvectors(double[] m, int k, double[] imaginary) {
        imaginary[0] = 1;
        Dense.GeneralEigen ge = Dense.generalEigen(m, k);
        if (ge == null) return null;
        imaginary[0] = ge.imaginaryRatio();
        if (imaginary[0] > 1e-8) return null;
        return Dense.transpose(ge.vr(), k, k);      // column-major vectors -> row-major, eigenvector j in column j
    }

    /**
     * Step 7: the network from At_hat.
     *
     * @param a         A_hat, row-major l x k
     * @param w         W_hat, row-major k x d, unit-norm rows (canonical form)
     * @param flipped   how many units had their sign flipped by the E[y] test
     * @param signMargin min_i |(At_hat^{-1} P^T E[y])_i| / max_i |...| (small = a sign barely determined)
     */
    public record Network(int l, int k, int d, double[] a, double[] w, int flipped, double signMargin) {}

    /** Step 7 and the canonical form. */
    public static Network network(double[] atHat, OutputBasis basis, double[] meanY, int l, int d) {
        int k = basis.k();
        double[] inv = inverse(atHat, k);
        double[] wr = Dense.multiply(inv, k, k, basis.bt(), d);
        double[] pty = Dense.multiply(Dense.transpose(basis.p(), l, k), k, l, meanY, 1);
        double[] sgn = Dense.multiply(inv, k, k, pty, 1);
        double[] at = atHat.clone();
        int flipped = 0;
        double lo = Double.POSITIVE_INFINITY, hi = 0;
        for (int i = 0; i < k; i++) {
            lo = Math.min(lo, Math.abs(sgn[i]));
            hi = Math.max(hi, Math.abs(sgn[i]));
            if (sgn[i] < 0) {
                flipped++;
                for (int r = 0; r < k; r++) at[r * k + i] = -at[r * k + i];
                for (int j = 0; j < d; j++) wr[i * d + j] = -wr[i * d + j];
            }
        }
        double[] a = Dense.multiply(basis.p(), l, k, at, k);
        canonicalise(a, wr, l, k, d);
        return new Network(l, k, d, a, wr, flipped, hi > 0 ? lo / hi : 0);
    }

    /**
     * Canonical form in place: each row of W scaled to unit norm and the matching column of A by the
     * inverse, so A relu(W x) is unchanged (relu is positively homogeneous).
     */
    public static void canonicalise(double[] a, double[] w, int l, int k, int d) {
        for (int i = 0; i < k; i++) {
            double nrm = 0;
            for (int j = 0; j < d; j++) nrm += w[i * d + j] * w[i * d + j];
            nrm = Math.sqrt(nrm);
            if (nrm == 0) continue;
            for (int j = 0; j < d; j++) w[i * d + j] /= nrm;
            for (int r = 0; r < l; r++) a[r * k + i] *= nrm;
        }
    }

    /** Inverse of a general k x k row-major matrix by LAPACK dgesv; error when singular. */
    static double[] inverse(double[] a, int k) {
        // Row-major A is column-major A^T; solving A^T X = I gives X = A^{-T}, whose row-major reading is A^{-1}.
        double[] f = a.clone();
        double[] x = new double[k * k];
        for (int i = 0; i < k; i++) x[i * k + i] = 1;
        int[] piv = new int[k];
        intW info = new intW(0);
        Blas.lapack().dgesv(k, k, f, k, piv, x, k, info);
        if (info.val != 0) {
            throw new IllegalArgumentException("the recovered output matrix At is singular (dgesv info=" + info.val
                    + "): the diagonalisation failed; check the null gap and the singular values of B");
        }
        return x;
    }

    private static double[] lowerInverse(double[] lower, int k) {
        double[] inv = new double[k * k];
        for (int col = 0; col < k; col++) {
            for (int i = col; i < k; i++) {
                double s = i == col ? 1 : 0;
                for (int p = col; p < i; p++) s -= lower[i * k + p] * inv[p * k + col];
                inv[i * k + col] = s / lower[i * k + i];
            }
        }
        return inv;
    }

    private static double[] combine(List<double[]> z, double[] c, int k) {
        double[] u = new double[k * k];
        for (int j = 0; j < c.length; j++) {
            double[] zj = z.get(j);
            for (int i = 0; i < u.length; i++) u[i] += c[j] * zj[i];
        }
        return u;
    }

    private static double[] symmetrised(double[] a, int k) {
        for (int i = 0; i < k; i++) for (int j = 0; j < i; j++) {
            double v = 0.5 * (a[i * k + j] + a[j * k + i]);
            a[i * k + j] = v;
            a[j * k + i] = v;
        }
        return a;
    }

    /** v^T Z v for v the bottom eigenvector of eig. */
    private static double quadratic(double[] zj, Dense.SymmetricEigen eig, int k) {
        double s = 0;
        for (int i = 0; i < k; i++) for (int j = 0; j < k; j++) s += eig.vector(i, 0) * zj[i * k + j] * eig.vector(j, 0);
        return s;
    }

    private static double trace(double[] a, int k) {
        double t = 0;
        for (int i = 0; i < k; i++) t += a[i * k + i];
        return t;
    }

    private static boolean normalise(double[] c) {
        double n = Dense.norm(c);
        if (!(n > 0)) return false;
        for (int i = 0; i < c.length; i++) c[i] /= n;
        return true;
    }
}
