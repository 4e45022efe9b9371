package org.relulearn.algo.twolayer;

import org.relulearn.data.CounterRng;
import org.relulearn.linalg.Dense;

/**
 * Training of both layers of f(x) = sum_j a_j relu(w_j . x) on a small in-memory data set by GD or
 * SGD on L = (1/2n) sum_i (f(x_i) - y_i)^2, and the sharpness of the minimum found (the sgd-sharpness experiment;
 * Wu and Su, arXiv 2305.17490). At an interpolating minimum the Hessian is the Gauss-Newton matrix
 * H = (1/n) sum_i g_i g_i^T with g_i = grad_theta f(x_i), so
 * <pre>
 *   Tr H = (1/n) sum_i ||g_i||^2 = (1/n) sum_i sum_j [ relu(w_j.x_i)^2 + a_j^2 1{w_j.x_i > 0} ||x_i||^2 ],
 *   lambda_max(H) = lambda_max((1/n) J J^T)   (J = [g_1 ... g_n]^T, an n x n eigenproblem),
 * </pre>
 * both exact. Linear stability at a minimum needs lambda_max(H) <= 2/eta for GD and (for SGD with
 * batch 1) Tr H <= 2/eta (Wu and Su, ICML 2023).
 */
public final class SquareLossTraining {
    private SquareLossTraining() {}

    /** Outcome of one training run. */
    public record Outcome(TwoLayerParams params, long steps, double loss, boolean converged, boolean diverged) {}

    /**
     * The usual fan-in initialisation of deep-learning libraries: W entries ~ U(-1/sqrt d, 1/sqrt d),
     * a_j ~ U(-1/sqrt m, 1/sqrt m), both multiplied by {@code scale}, from (seed, a dedicated stream).
     */
    public static TwoLayerParams initial(int m, int d, double scale, long seed) {
        CounterRng rng = new CounterRng(seed, 0x5A4B, 0);
        double[] w = new double[m * d], a = new double[m];
        for (int i = 0; i < w.length; i++) w[i] = scale * (2 * rng.nextDouble() - 1) / Math.sqrt(d);
        for (int j = 0; j < m; j++) a[j] = scale * (2 * rng.nextDouble() - 1) / Math.sqrt(m);
        return new TwoLayerParams(m, d, w, a);
    }

    /** L = (1/2n) sum (f - y)^2 over row-major x (n x d). */
    public static double loss(TwoLayerParams t, double[] x, double[] y, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            double r = predict(t, x, i * t.p()) - y[i];
            s += r * r;
        }
        return s / (2.0 * n);
    }

    public static double predict(TwoLayerParams t, double[] x, int off) {
        int m = t.m(), d = t.p();
        double[] w = t.w(), a = t.a();
        double f = 0;
        for (int j = 0; j < m; j++) {
            double h = 0;
            for (int k = 0; k < d; k++) h += w[j * d + k] * x[off + k];
            if (h > 0) f += a[j] * h;
        }
        return f;
    }

    /**
     * Trains from {@code start} with mini-batches of {@code batch} rows drawn uniformly with
     * replacement ({@code batch == n} and {@code fullBatch}: plain GD), until L < tol, divergence
     * (L > 1e6 or not finite) or {@code maxSteps}. The loss is checked every max(1, n / batch) steps.
     */
    public static Outcome train(TwoLayerParams start, double[] x, double[] y, int n, double eta, int batch, boolean fullBatch,
                                long maxSteps, double tol, long seed) {
        int m = start.m(), d = start.p();
        double[] w = start.w().clone(), a = start.a().clone();
        TwoLayerParams cur = new TwoLayerParams(m, d, w, a);
        double[] gw = new double[m * d], ga = new double[m], h = new double[m];
        CounterRng rng = new CounterRng(seed, 0x56D, 0);
        int every = Math.max(1, n / batch);
        double l = loss(cur, x, y, n);
        for (long step = 0; step < maxSteps; step++) {
            // full batch: the gradient pass gives the loss at the current point; SGD: a loss pass once per epoch
            if (!fullBatch && step % every == 0) l = allFinite(w, a) ? loss(cur, x, y, n) : Double.NaN;
            if (!fullBatch || step == 0) {
                if (!Double.isFinite(l) || l > 1e6) return new Outcome(cur, step, l, false, true);
                if (l < tol) return new Outcome(cur, step, l, true, false);
            }
            java.util.Arrays.fill(gw, 0);
            java.util.Arrays.fill(ga, 0);
            int rows = fullBatch ? n : batch;
            double sq = 0;
            for (int r = 0; r < rows; r++) {
                int i = fullBatch ? r : (int) Math.floorMod(rng.nextLong(), (long) n);
                int off = i * d;
                double f = 0;
                for (int j = 0; j < m; j++) {
                    double s = 0;
                    for (int k = 0; k < d; k++) s += w[j * d + k] * x[off + k];
                    h[j] = s;
                    if (s > 0) f += a[j] * s;
                }
                sq += (f - y[i]) * (f - y[i]);
                double res = (f - y[i]) / rows;
                for (int j = 0; j < m; j++) {
                    if (h[j] <= 0) continue;
                    ga[j] += res * h[j];
                    double c = res * a[j];
                    for (int k = 0; k < d; k++) gw[j * d + k] += c * x[off + k];
                }
            }
            if (fullBatch) {
                l = allFinite(w, a) ? sq / (2.0 * n) : Double.NaN;
                if (!Double.isFinite(l) || l > 1e6) return new Outcome(cur, step, l, false, true);
                if (l < tol) return new Outcome(cur, step, l, true, false);
            }
            for (int i = 0; i < gw.length; i++) w[i] -= eta * gw[i];
            for (int j = 0; j < m; j++) a[j] -= eta * ga[j];
        }
        l = loss(cur, x, y, n);
        return new Outcome(cur, maxSteps, l, l < tol, !Double.isFinite(l));
    }

    private static boolean allFinite(double[] w, double[] a) {
        for (double v : w) if (!Double.isFinite(v)) return false;
        for (double v : a) if (!Double.isFinite(v)) return false;
        return true;
    }

    /** Exact Tr H of the Gauss-Newton matrix over the n rows. */
    public static double gaussNewtonTrace(TwoLayerParams t, double[] x, int n) {
        int m = t.m(), d = t.p();
        double[] w = t.w(), a = t.a();
        double s = 0;
        for (int i = 0; i < n; i++) {
            int off = i * d;
            double xx = 0;
            for (int k = 0; k < d; k++) xx += x[off + k] * x[off + k];
            for (int j = 0; j < m; j++) {
                double hj = 0;
                for (int k = 0; k < d; k++) hj += w[j * d + k] * x[off + k];
                if (hj > 0) s += hj * hj + a[j] * a[j] * xx;
            }
        }
        return s / n;
    }

    /** Per-sample gradients g_i of f (row i of J: [d f / d W (m x d row-major) | d f / d a (m)]). */
    public static double[] jacobian(TwoLayerParams t, double[] x, int n) {
        int m = t.m(), d = t.p(), q = m * d + m;
        double[] w = t.w(), a = t.a();
        double[] jac = new double[n * q];
        for (int i = 0; i < n; i++) {
            int off = i * d;
            for (int j = 0; j < m; j++) {
                double hj = 0;
                for (int k = 0; k < d; k++) hj += w[j * d + k] * x[off + k];
                if (hj <= 0) continue;
                for (int k = 0; k < d; k++) jac[i * q + j * d + k] = a[j] * x[off + k];
                jac[i * q + m * d + j] = hj;
            }
        }
        return jac;
    }

    /** Exact lambda_max of the Gauss-Newton matrix, from the n x n matrix (1/n) J J^T. */
    public static double gaussNewtonTopEigenvalue(TwoLayerParams t, double[] x, int n) {
        int q = t.m() * t.p() + t.m();
        double[] jac = jacobian(t, x, n);
        double[] k = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int l = 0; l <= i; l++) {
                double s = 0;
                for (int c = 0; c < q; c++) s += jac[i * q + c] * jac[l * q + c];
                k[i * n + l] = s / n;
                k[l * n + i] = s / n;
            }
        }
        return Dense.symmetricEigen(k, n).max();
    }
}
