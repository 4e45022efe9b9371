package org.relulearn.algo.convex;

import org.relulearn.engine.Data;
import org.relulearn.engine.PassRunner;
import org.relulearn.engine.Shared;
import org.relulearn.linalg.Blas;

/**
 * The three ways to apply M^{-1}, M = I_P (x) B + 2c K, B = tau I + X^T X, K_ij = X^T D_i D_j X
 * (docs/convex.md, Design; c = 1/rho for the squared and BCE losses, 1 for the hinge split):
 * <ul>
 *   <li>dense: one Cholesky of the Pd' x Pd' matrix M, two triangular solves per iteration;</li>
 *   <li>Woodbury: M^{-1} = N^{-1} - N^{-1} F~^T S^{-1} F~ N^{-1}, N = I_P (x) B, F~ = [D_1 X ... D_P X],
 *       S = I_n / (2c) + (X B^{-1} X^T) o (D D^T) (o: elementwise product, D the n x P pattern matrix),
 *       one n x n Cholesky; needs the rows on the driver, so only for small n;</li>
 *   <li>CG: conjugate gradients on M, preconditioned by N, warm-started from the previous solution,
 *       each product with K one pass over the data ({@link KProductAggregator}).</li>
 * </ul>
 */
public final class LinearRoutes {
    private LinearRoutes() {}

    /** Applies M^{-1} to a right-hand side of P groups of d' numbers (row-major P x d'). */
    public interface DeltaSolver {
        double[] solve(double[] rhs);

        String name();

        /** Passes over the data the solver has made so far (CG only). */
        default long passes() { return 0; }

        /** The warm start of the next solve (CG: the last solution), for a checkpoint; null when there is none. */
        default double[] warmStart() { return null; }

        /** Restores {@link #warmStart()} from a checkpoint. */
        default void restoreWarmStart(double[] x) {}
    }

    /** B = tau I + X^T X (tau = 1 in the paper's single-penalty form). */
    public static double[] bMatrix(double[] xtx, int dp, double tau) {
        double[] b = xtx.clone();
        for (int i = 0; i < dp; i++) b[i * dp + i] += tau;
        return b;
    }

    public static DeltaSolver dense(double[] xtx, double[] k, int p, int dp, double c, double tau) {
        int w = p * dp;
        double[] b = bMatrix(xtx, dp, tau);
        double[] m = new double[w * w];
        for (int i = 0; i < w * w; i++) m[i] = 2 * c * k[i];
        for (int g = 0; g < p; g++) {
            for (int a = 0; a < dp; a++) {
                for (int bb = 0; bb < dp; bb++) m[(g * dp + a) * w + g * dp + bb] += b[a * dp + bb];
            }
        }
        SpdFactor f = new SpdFactor(m, w, "the ADMM matrix I_P (x) B + (2/rho) K");
        return new DeltaSolver() {
            public double[] solve(double[] rhs) { return f.solveInPlace(rhs.clone(), 1); }
            public String name() { return "dense"; }
        };
    }

    /** @param x the rows, row-major n x d'; gates row-major P x d' */
    public static DeltaSolver woodbury(double[] x, int n, double[] gates, int p, int dp, SpdFactor bFactor, double c) {
        double[] bits = new double[n * p];
        Blas.native3().dgemm("T", "N", n, p, dp, 1.0, x, dp, gates, dp, 0.0, bits, n);
        for (int i = 0; i < bits.length; i++) bits[i] = bits[i] >= 0 ? 1 : 0;
        double[] binvXt = bFactor.solveInPlace(x.clone(), n);
        double[] s = new double[n * n];
        Blas.native3().dgemm("T", "N", n, n, dp, 1.0, x, dp, binvXt, dp, 0.0, s, n);
        double[] ddt = new double[n * n];
        Blas.native3().dgemm("N", "T", n, n, p, 1.0, bits, n, bits, n, 0.0, ddt, n);
        for (int i = 0; i < n * n; i++) s[i] *= ddt[i];
        for (int i = 0; i < n; i++) s[i * n + i] += 1 / (2 * c);
        SpdFactor sf = new SpdFactor(s, n, "the Woodbury matrix S");
        return new DeltaSolver() {
            public double[] solve(double[] rhs) {
                double[] a = bFactor.solveInPlace(rhs.clone(), p);
                // t_r = sum_i d_ri x_r . a_i
                double[] xa = new double[n * p];
                Blas.native3().dgemm("T", "N", n, p, dp, 1.0, x, dp, a, dp, 0.0, xa, n);
                double[] t = new double[n];
                for (int i = 0; i < p; i++) for (int r = 0; r < n; r++) t[r] += bits[r + i * n] * xa[r + i * n];
                sf.solveInPlace(t, 1);
                for (int i = 0; i < p; i++) for (int r = 0; r < n; r++) xa[r + i * n] = bits[r + i * n] * t[r];
                double[] ftw = new double[p * dp];
                Blas.native3().dgemm("N", "N", dp, p, n, 1.0, x, dp, xa, n, 0.0, ftw, dp);
                bFactor.solveInPlace(ftw, p);
                for (int i = 0; i < a.length; i++) a[i] -= ftw[i];
                return a;
            }

            public String name() { return "woodbury"; }
        };
    }

    /** Preconditioned CG with one data pass per product with K. */
    public static DeltaSolver cg(PassRunner runner, Data blocks, double[] gates, int p, int dp, boolean bias, double[] xtx,
                                 SpdFactor bFactor, double c, double tau, double tol, String jobPrefix) {
        double[] b = bMatrix(xtx, dp, tau);
        return new DeltaSolver() {
            private double[] last = new double[p * dp];
            private long passes;

            double[] apply(double[] delta) {
                double[] q = new double[2 * p * dp];
                System.arraycopy(gates, 0, q, 0, p * dp);
                System.arraycopy(delta, 0, q, p * dp, p * dp);
                Shared<double[]> shared = runner.share(q);
                double[] kd;
                try {
                    kd = runner.aggregate(blocks, () -> new KProductAggregator(shared, p, dp, bias),
                            jobPrefix + ": CG product " + (++passes)).product();
                } finally {
                    shared.release();
                }
                double[] out = new double[p * dp];
                for (int g = 0; g < p; g++) {
                    for (int a = 0; a < dp; a++) {
                        double s = 0;
                        for (int bb = 0; bb < dp; bb++) s += b[a * dp + bb] * delta[g * dp + bb];
                        out[g * dp + a] = s + 2 * c * kd[g * dp + a];
                    }
                }
                return out;
            }

            public double[] solve(double[] rhs) {
                int w = p * dp;
                double[] xk = last.clone();
                double[] r = rhs.clone();
                double[] ax = apply(xk);
                for (int i = 0; i < w; i++) r[i] -= ax[i];
                double rhsNorm = norm(rhs);
                if (rhsNorm == 0) return last = new double[w];
                double[] zk = bFactor.solveInPlace(r.clone(), p);
                double[] dir = zk.clone();
                double rz = dot(r, zk);
                for (int it = 0; it < 10 * w + 50 && norm(r) > tol * rhsNorm; it++) {
                    double[] ad = apply(dir);
                    double alpha = rz / dot(dir, ad);
                    for (int i = 0; i < w; i++) {
                        xk[i] += alpha * dir[i];
                        r[i] -= alpha * ad[i];
                    }
                    zk = bFactor.solveInPlace(r.clone(), p);
                    double rzNext = dot(r, zk);
                    double beta = rzNext / rz;
                    rz = rzNext;
                    for (int i = 0; i < w; i++) dir[i] = zk[i] + beta * dir[i];
                }
                last = xk;
                return xk.clone();
            }

            public String name() { return "cg"; }

            public double[] warmStart() { return last.clone(); }

            public void restoreWarmStart(double[] x) {
                if (x == null || x.length != p * dp) throw new IllegalArgumentException("the checkpoint's CG warm start has the wrong size");
                last = x.clone();
            }

            public long passes() { return passes; }
        };
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }

    static double norm(double[] a) { return Math.sqrt(dot(a, a)); }
}
