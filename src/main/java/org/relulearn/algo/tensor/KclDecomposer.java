package org.relulearn.algo.tensor;

import java.util.Arrays;
import java.util.Comparator;
import org.relulearn.data.CounterRng;

/**
 * Non-orthogonal symmetric tensor decomposition by joint diagonalisation of random projections
 * (Kuleshov, Chaganty, Liang 2015, "Tensor factorization via matrix factorization", the "KCL"
 * decomposer of Zhong et al., arXiv 1706.03175; docs/tensor-gd.md, KCL decomposer; faithful
 * configuration).
 *
 * <p>For T = sum_j mu_j a_j^{(x)p} (p = 3, or 4 for the m4proj statistic), every projection is
 * <pre>
 *   M(w) = T(I, I, w)      = A diag(mu_j (a_j.w))   A^T   (order 3)
 *   M(w) = T(I, I, w, w)   = A diag(mu_j (a_j.w)^2) A^T   (order 4)
 * </pre>
 * with A = [a_1 .. a_K], so all projections share one non-orthogonal diagonaliser B = A^{-1}:
 * <ol>
 *   <li>draw L unit vectors w_l (normalised Gaussians), slices M_l = M(w_l);</li>
 *   <li>jointly diagonalise them with {@link QrJointDiagonalizer} (QRJ1D): B M_l B^T ~ diagonal;
 *       candidate components are the columns c_j of A = B^{-1}, normalised; the weight estimate of
 *       slice l is mu_jl = (B M_l B^T)_jj |c_j|^2 / (a_j.w_l)^{p-2}, and candidates are ranked by
 *       mean_l |mu_jl|;</li>
 *   <li>plug-in refinement: the normalised candidates become the projection vectors (slices
 *       M(a_j)), which are dominated by their own component and so far better conditioned than random
 *       ones; QRJ1D again; components = normalised columns of the new A; ranked by
 *       sum_l |diag(Z M_l Z^T)| with Z = A^{-1}; the top {@code rank} are returned.</li>
 * </ol>
 * The returned {@link Jennrich.Decomposition} carries least-squares weights and the relative residual
 * from {@link Jennrich#fit} (the same scoring as Jennrich, so both decomposers report comparable
 * diagnostics); components are oriented with their largest-|entry| positive. Every draw comes from
 * the seed, so the result is reproducible.
 */
public final class KclDecomposer {
    private KclDecomposer() {}

    /** L = 100 random projections, as Zhong et al.'s code calls {@code no_tenfact(T, 100, k)}. */
    public static final int DEFAULT_PROJECTIONS = 100;

    private static final long PROJECTION_STREAM = 0x0C1_0003L;

    /** Decomposes a full symmetric K x K x K tensor (K^3 entries) into K rank-one terms. */
    public static Jennrich.Decomposition decomposeOrder3(double[] t, int k, int projections, long seed) {
        return decompose(t, k, 3, k, projections, seed);
    }

    /** Decomposes a full symmetric order-4 tensor (K^4 entries) into K rank-one terms (slices T(I, I, w, w)). */
    public static Jennrich.Decomposition decomposeOrder4(double[] t, int k, int projections, long seed) {
        return decompose(t, k, 4, k, projections, seed);
    }

    /**
     * The general entry: a full symmetric order-{@code order} tensor over R^K, {@code rank <= K}
     * components kept.
     */
    public static Jennrich.Decomposition decompose(double[] t, int k, int order, int rank, int projections, long seed) {
        if (k < 1) throw new IllegalArgumentException("tensor dimension K must be >= 1, got " + k);
        if (order != 3 && order != 4) throw new IllegalArgumentException("KCL handles order 3 or 4, got " + order);
        if (rank < 1 || rank > k) throw new IllegalArgumentException("rank must be in [1, K = " + k + "], got " + rank);
        if (projections < 2) throw new IllegalArgumentException("KCL needs at least 2 random projections, got " + projections);
        int size = 1;
        for (int o = 0; o < order; o++) size *= k;
        if (t.length != size) throw new IllegalArgumentException("an order-" + order + " tensor over R^" + k + " has " + size + " entries, got " + t.length);
        for (double v : t) if (!Double.isFinite(v)) throw new IllegalArgumentException("tensor has a non-finite entry " + v + ": check the input data");
        double norm = SymmetricTensors.frobenius(t);
        if (norm == 0) throw new IllegalArgumentException("the tensor is zero: nothing to decompose (are the labels constant?)");

        // Stage 1: random projections + QRJ1D.
        CounterRng rng = new CounterRng(seed, PROJECTION_STREAM, 0);
        double[][] w = new double[projections][];
        for (int l = 0; l < projections; l++) w[l] = unitGaussian(rng, k);
        double[] cand = stage(t, k, order, w, k, false);   // all K candidates, ranked

        // Stage 2 (plug-in): the candidates as projection vectors.
        double[][] plug = new double[k][];
        for (int j = 0; j < k; j++) plug[j] = Arrays.copyOfRange(cand, j * k, (j + 1) * k);
        double[] comps = stage(t, k, order, plug, rank, true);
        return Jennrich.fit(t, k, order, comps, 0, 0, norm);
    }

    /**
     * One KCL stage: slices along the given vectors, QRJ1D, normalised columns of A = B^{-1} ranked by
     * the mean absolute weight estimate (random stage) or by sum_l |diag(Z M_l Z^T)|_j with
     * Z = (normalised A)^{-1} = diag(|c_j|) B (plug-in stage); the top {@code keep} as unit rows
     * (row-major keep x K).
     */
    static double[] stage(double[] t, int k, int order, double[][] dirs, int keep, boolean diagonalSum) {
        int nl = dirs.length;
        double[][] slices = new double[nl][];
        for (int l = 0; l < nl; l++) slices[l] = slice(t, k, order, dirs[l]);
        QrJointDiagonalizer.Result jd = QrJointDiagonalizer.diagonalize(slices, k);
        double[] b = jd.b();
        double[] a;
        try {
            a = jd.mixing();
        } catch (ArithmeticException e) {
            throw new ArithmeticException("KCL: the joint diagonaliser is singular (" + e.getMessage() + "): the tensor may have"
                    + " rank < K or be dominated by noise");
        }
        double[] colNorm2 = new double[k];
        double[] unit = new double[k * k];               // row j = normalised column j of A
        for (int j = 0; j < k; j++) {
            double n2 = 0, big = 0;
            for (int i = 0; i < k; i++) {
                double v = a[i * k + j];
                n2 += v * v;
                if (Math.abs(v) > Math.abs(big)) big = v;
            }
            colNorm2[j] = n2;
            double s = (big < 0 ? -1 : 1) / Math.sqrt(n2);
            for (int i = 0; i < k; i++) unit[j * k + i] = s * a[i * k + j];
        }
        // Score: mean over slices of |diag(B M_l B^T)_jj| |c_j|^2 / |a_j.w_l|^{p-2} (the weight estimate).
        double[] score = new double[k];
        for (int l = 0; l < nl; l++) {
            double[] bm = multiplyTransposed(b, slices[l], k);   // B M_l B^T
            for (int j = 0; j < k; j++) {
                double proj = 0;
                for (int i = 0; i < k; i++) proj += unit[j * k + i] * dirs[l][i];
                double denom = Math.pow(Math.abs(proj), order - 2);
                double est = Math.abs(bm[j * k + j]) * colNorm2[j];
                if (diagonalSum) {
                    score[j] += est;
                    continue;
                }
                // A direction orthogonal to a_j carries no information about mu_j: skip it rather than divide by ~0.
                if (denom > 1e-8) score[j] += est / denom / nl;
            }
        }
        Integer[] idx = new Integer[k];
        for (int j = 0; j < k; j++) idx[j] = j;
        Arrays.sort(idx, Comparator.comparingDouble((Integer j) -> -score[j]).thenComparingInt(j -> j));
        double[] out = new double[keep * k];
        for (int r = 0; r < keep; r++) System.arraycopy(unit, idx[r] * k, out, r * k, k);
        return out;
    }

    /** T(I, I, w) (order 3) or T(I, I, w, w) (order 4), row-major K x K. */
    static double[] slice(double[] t, int k, int order, double[] w) {
        if (order == 3) return SymmetricTensors.contractLast(t, k, w);
        double[] ww = new double[k * k];
        for (int i = 0; i < k; i++) for (int j = 0; j < k; j++) ww[i * k + j] = w[i] * w[j];
        return SymmetricTensors.contractLastTwo(t, k, ww);
    }

    /** B M B^T for row-major K x K matrices. */
    private static double[] multiplyTransposed(double[] b, double[] m, int k) {
        double[] bm = new double[k * k];
        for (int i = 0; i < k; i++) for (int j = 0; j < k; j++) {
            double s = 0;
            for (int c = 0; c < k; c++) s += b[i * k + c] * m[c * k + j];
            bm[i * k + j] = s;
        }
        double[] out = new double[k * k];
        for (int i = 0; i < k; i++) for (int j = 0; j < k; j++) {
            double s = 0;
            for (int c = 0; c < k; c++) s += bm[i * k + c] * b[j * k + c];
            out[i * k + j] = s;
        }
        return out;
    }

    private static double[] unitGaussian(CounterRng rng, int k) {
        double[] g = new double[k];
        double n = 0;
        for (int i = 0; i < k; i++) {
            g[i] = rng.nextGaussian();
            n += g[i] * g[i];
        }
        n = Math.sqrt(n);
        for (int i = 0; i < k; i++) g[i] /= n;
        return g;
    }
}
