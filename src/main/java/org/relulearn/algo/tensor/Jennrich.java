package org.relulearn.algo.tensor;

import org.relulearn.data.CounterRng;
import org.relulearn.linalg.Dense;

/**
 * Non-orthogonal decomposition of a small symmetric tensor by Jennrich's simultaneous
 * diagonalisation with random restarts and scoring (the default decomposer of docs/tensor-gd.md).
 *
 * <p>Order 3: T = sum_j mu_j u_j^{(x)3}. Per trial draw g1, g2 ~ N(0, I_K); A = T(I,I,g1) = U D1 U^T
 * and B = T(I,I,g2) = U D2 U^T, so A pinv(B) = U D1 D2^{-1} U^{-1} and its eigenvectors (real parts,
 * normalised) are the u_j. Order 4 (two-mode contraction): the same with A = T(I,I,G1), B = T(I,I,G2)
 * for random symmetric G1, G2 (then D_i = diag(u_j^T G_i u_j)).
 *
 * <p>Each trial's components get least-squares weights mu = argmin ||T - sum_j mu_j u_j^{(x)p}||_F
 * (normal equations with Gram (u_i.u_j)^p and right side T(u_j,...,u_j)), and the trial with the
 * smallest relative residual ||T - sum_j mu_j u_j^{(x)p}||_F / ||T||_F is kept. Every draw comes from
 * (seed, trial), so the result is reproducible.
 */
public final class Jennrich {
    private Jennrich() {}

    /** The default number of random trials (docs/tensor-gd.md, Design: Jennrich(30)). */
    public static final int DEFAULT_TRIALS = 30;

    /**
     * A decomposition T ~ sum_j weights[j] * component_j^{(x)order}.
     *
     * @param k                  dimension and rank
     * @param order              3 or 4
     * @param components         row-major rank x K: row j is the unit vector u_j
     * @param weights            mu_j (for order 3 the sign of mu_j goes with the orientation of u_j)
     * @param relativeResidual   ||T - fit||_F / ||T||_F of the kept trial
     * @param trial              which trial was kept
     * @param maxImaginaryRatio  max |Im lambda| / max |lambda| of the kept trial's eigenvalues
     *                           (above 1e-6: the kept trial had complex eigenvalues, a warning sign)
     * @param maxAbsCosine       the largest |u_i . u_j| over i != j (near 1: two components collapsed)
     */
    public record Decomposition(int k, int order, double[] components, double[] weights, double relativeResidual, int trial,
                                double maxImaginaryRatio, double maxAbsCosine) {
        /** Component j as a new K-vector. */
        public double[] component(int j) {
            double[] u = new double[k];
            System.arraycopy(components, j * k, u, 0, k);
            return u;
        }

        public int rank() { return weights.length; }
    }

    /** Decomposes a full symmetric K x K x K tensor (K^3 entries) into K rank-one terms. */
    public static Decomposition decomposeOrder3(double[] t, int k, int trials, long seed) {
        return decompose(t, k, 3, trials, seed);
    }

    /** Decomposes a full symmetric order-4 tensor (K^4 entries) into K rank-one terms by two-mode contraction. */
    public static Decomposition decomposeOrder4(double[] t, int k, int trials, long seed) {
        return decompose(t, k, 4, trials, seed);
    }

    private static Decomposition decompose(double[] t, int k, int order, int trials, long seed) {
        if (k < 1) throw new IllegalArgumentException("tensor dimension K must be >= 1, got " + k);
        if (trials < 1) throw new IllegalArgumentException("Jennrich needs at least one trial, got " + trials);
        int size = 1;
        for (int o = 0; o < order; o++) size *= k;
        if (t.length != size) throw new IllegalArgumentException("an order-" + order + " tensor over R^" + k + " has " + size + " entries, got " + t.length);
        for (double v : t) if (!Double.isFinite(v)) throw new IllegalArgumentException("tensor has a non-finite entry " + v + ": check the input data");
        double norm = SymmetricTensors.frobenius(t);
        if (norm == 0) throw new IllegalArgumentException("the tensor is zero: nothing to decompose (are the labels constant?)");
        CounterRng rng = new CounterRng();
        Decomposition best = null;
        for (int trial = 0; trial < trials; trial++) {
            rng.reset(seed, 0x7E22_1C4L, trial);
            double[] a, b;
            if (order == 3) {
                a = SymmetricTensors.contractLast(t, k, gaussian(rng, k));
                b = SymmetricTensors.contractLast(t, k, gaussian(rng, k));
            } else {
                a = SymmetricTensors.contractLastTwo(t, k, symmetricGaussian(rng, k));
                b = SymmetricTensors.contractLastTwo(t, k, symmetricGaussian(rng, k));
            }
            double[] m = Dense.multiply(a, k, k, pseudoInverseSymmetric(b, k), k);
            double[] imag = new double[1];
            double[] comps = realEigenvectorsAsRows(m, k, imag);
            if (comps == null) continue;
            Decomposition cand = fit(t, k, order, comps, trial, imag[0], norm);
            if (best == null || cand.relativeResidual < best.relativeResidual) best = cand;
        }
        if (best == null) throw new ArithmeticException("Jennrich: the eigen-solver failed in all " + trials + " trials");
        return best;
    }

    /**
     * Least-squares weights of the given unit components and the relative residual (the scoring
     * step, public so other decomposers can be scored the same way).
     *
     * @param comps row-major r x K
     */
    public static Decomposition fit(double[] t, int k, int order, double[] comps, int trial, double imagRatio, double norm) {
        int r = comps.length / k;
        double[] gram = new double[r * r];
        double[] rhs = new double[r];
        double[][] powers = new double[r][];
        for (int i = 0; i < r; i++) {
            double[] ui = new double[k];
            System.arraycopy(comps, i * k, ui, 0, k);
            powers[i] = SymmetricTensors.power(ui, k, order);
            rhs[i] = HermiteContractions.dot(t, powers[i]);
        }
        double maxCos = 0;
        for (int i = 0; i < r; i++) {
            for (int j = 0; j < r; j++) {
                double c = 0;
                for (int l = 0; l < k; l++) c += comps[i * k + l] * comps[j * k + l];
                gram[i * r + j] = Math.pow(c, order);
                if (i != j) maxCos = Math.max(maxCos, Math.abs(c));
            }
        }
        double[] mu = Dense.multiply(pseudoInverseSymmetric(gram, r), r, r, rhs, 1);
        double[] resid = t.clone();
        for (int i = 0; i < r; i++) {
            double[] p = powers[i];
            for (int e = 0; e < resid.length; e++) resid[e] -= mu[i] * p[e];
        }
        return new Decomposition(k, order, comps, mu, SymmetricTensors.frobenius(resid) / norm, trial, imagRatio, maxCos);
    }

    /** Moore-Penrose pseudo-inverse of a symmetric matrix (eigenvalues below 1e-12 max |lambda| dropped). */
    public static double[] pseudoInverseSymmetric(double[] s, int n) {
        double[] sym = s.clone();
        for (int i = 0; i < n; i++) for (int j = 0; j < i; j++) {
            double v = 0.5 * (sym[i * n + j] + sym[j * n + i]);
            sym[i * n + j] = v;
            sym[j * n + i] = v;
        }
        Dense.SymmetricEigen e = Dense.symmetricEigen(sym, n);
        double scale = Math.max(Math.abs(e.min()), Math.abs(e.max()));
        double[] out = new double[n * n];
        for (int p = 0; p < n; p++) {
            double lam = e.values()[p];
            if (Math.abs(lam) <= 1e-12 * scale || lam == 0) continue;
            double inv = 1 / lam;
            for (int i = 0; i < n; i++) {
                double vi = e.vector(i, p) * inv;
                for (int j = 0; j < n; j++) out[i * n + j] += vi * e.vector(j, p);
            }
        }
        return out;
    }

    /**
     * Eigenvectors of a general row-major K x K matrix (LAPACK dgeev), real parts, unit length, as
     * rows; oriented so the largest-|entry| is positive. imagRatio[0] gets max |Im| / max |lambda|.
     * Null when dgeev fails.
     */
    static double[] realEigenvectorsAsRows(double[] m, int k, double[] imagRatio) {
        Dense.GeneralEigen ge = Dense.generalEigen(m, k);
        if (ge == null) return null;
        double[] wi = ge.wi(), vr = ge.vr();
        imagRatio[0] = ge.imaginaryRatio();
        double[] rows = new double[k * k];
        for (int j = 0; j < k; j++) {
            // A complex pair occupies columns j (real part) and j+1 (imaginary part): both take the real part.
            int col = (wi[j] < 0 && j > 0) ? j - 1 : j;
            double n = 0, big = 0;
            for (int i = 0; i < k; i++) {
                double v = vr[col * k + i];
                n += v * v;
                if (Math.abs(v) > Math.abs(big)) big = v;
            }
            n = Math.sqrt(n);
            if (n == 0) return null;
            double s = (big < 0 ? -1 : 1) / n;
            for (int i = 0; i < k; i++) rows[j * k + i] = s * vr[col * k + i];
        }
        return rows;
    }

    private static double[] gaussian(CounterRng rng, int k) {
        double[] g = new double[k];
        for (int i = 0; i < k; i++) g[i] = rng.nextGaussian();
        return g;
    }

    private static double[] symmetricGaussian(CounterRng rng, int k) {
        double[] g = new double[k * k];
        for (int i = 0; i < k; i++) {
            for (int j = i; j < k; j++) {
                double v = rng.nextGaussian();
                g[i * k + j] = v;
                g[j * k + i] = v;
            }
        }
        return g;
    }
}
