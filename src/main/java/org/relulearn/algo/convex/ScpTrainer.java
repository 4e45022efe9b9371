package org.relulearn.algo.convex;

import java.util.ArrayList;
import java.util.List;
import org.relulearn.algo.loss.ConvexLoss;
import org.relulearn.data.OneHiddenLayerNetwork;
import org.relulearn.engine.Data;
import org.relulearn.engine.PassRunner;
import org.relulearn.engine.Shared;

/**
 * SCP training (docs/convex.md, Design, reconstructed form): N unit directions theta_j (Gaussian,
 * normalised) give fixed ReLU features, and the output layer solves the unconstrained
 * <pre>
 *   min_alpha  l( (X Theta)_+ alpha, y ) + beta ||alpha||_1
 * </pre>
 * by FISTA (step 1/L, L = lambda_max(Phi^T Phi) times the loss curvature bound 1, soft-threshold
 * at beta/L). Squared loss: one pass for Phi^T Phi and Phi^T y, then every iteration on the driver.
 * BCE: one gradient pass per iteration. The hinge is not smooth; SCP refuses it (use ADMM).
 * Network: for alpha_j != 0 the neuron (sqrt|alpha_j| theta_j, sign(alpha_j) sqrt|alpha_j|), whose
 * weight decay equals beta |alpha_j|, so the objective is the network's. Spark MLlib's own l1
 * solvers are not used: they standardise features and minimise means, which changes the program.
 */
public final class ScpTrainer {
    private ScpTrainer() {}

    public static ConvexResult fit(PassRunner runner, Data data, ConvexOptions o, java.util.function.Consumer<String> log) {
        long t0 = System.nanoTime();
        if (o.loss() == ConvexLoss.HINGE) {
            throw new IllegalArgumentException("SCP needs a smooth loss (squared or bce); the hinge loss is solved by --solver admm");
        }
        if (data.numRows() < 1) throw new IllegalArgumentException("the data set has no rows (n = 0): give at least one row");
        if (data.m() != 1) throw new IllegalArgumentException("SCP fits a scalar output; the data has " + data.m() + " label columns");
        int d = data.d(), dp = ConvexFeatures.columns(d, o.bias()), nf = o.patterns();
        if ((long) nf * nf * 8 * 3 > o.memoryCapBytes()) {
            throw new IllegalArgumentException("SCP with " + nf + " features needs an N x N Gram over the memory cap; use fewer --patterns");
        }
        double[] theta = o.gates() != null ? o.gates() : ConvexTrainer.sampleGates(nf, dp, o.seed());
        if (theta.length != nf * dp && o.gates() != null) nf = theta.length / dp;
        final int features = nf;
        for (int j = 0; j < features; j++) {
            double s = 0;
            for (int c = 0; c < dp; c++) s += theta[j * dp + c] * theta[j * dp + c];
            s = Math.sqrt(s);
            for (int c = 0; c < dp; c++) theta[j * dp + c] /= s;
        }
        Shared<double[]> th = runner.share(theta);
        ScpAggregator g;
        try {
            g = runner.aggregate(data, () -> new ScpAggregator(th, features, o.bias(), o.loss(), true), "convex scp: feature Gram");
        } finally {
            th.release();
        }
        double[] gram = g.gram(), fty = g.vector();
        double lip = lambdaMax(gram, features);
        if (!(lip > 0)) throw new IllegalArgumentException("all random ReLU features are zero on the data: draw more features");
        long n = g.count();
        double beta = o.beta(), step = 1 / lip;
        double[] alpha = new double[features], prev = new double[features], yk = new double[features];
        double t = 1, obj = Double.NaN;
        List<ConvexResult.Iteration> history = new ArrayList<>();
        long passes = 1;
        boolean converged = false;
        int k;
        double lossValue = Double.NaN;
        long correct = 0;
        for (k = 1; k <= o.maxIter(); k++) {
            double[] grad;
            if (o.loss() == ConvexLoss.SQUARED) {
                grad = new double[features];
                for (int i = 0; i < features; i++) {
                    double s = -fty[i];
                    for (int j = 0; j < features; j++) s += gram[i * features + j] * yk[j];
                    grad[i] = s;
                }
            } else {
                grad = gradientPass(runner, data, theta, yk, features, dp, o, "convex scp: FISTA iteration " + k).vector();
                passes++;
            }
            System.arraycopy(alpha, 0, prev, 0, features);
            double change = 0, size = 0;
            for (int i = 0; i < features; i++) {
                double z = yk[i] - step * grad[i];
                alpha[i] = Math.signum(z) * Math.max(0, Math.abs(z) - step * beta);
                change += (alpha[i] - prev[i]) * (alpha[i] - prev[i]);
                size += alpha[i] * alpha[i];
            }
            double tNext = (1 + Math.sqrt(1 + 4 * t * t)) / 2;
            for (int i = 0; i < features; i++) yk[i] = alpha[i] + (t - 1) / tNext * (alpha[i] - prev[i]);
            t = tNext;
            if (Math.sqrt(change) <= o.absTol() + o.relTol() * Math.sqrt(size)) {
                converged = true;
                break;
            }
        }
        int iterations = Math.min(k, o.maxIter());
        // Final objective: exact for squared from the Gram; one pass otherwise.
        double l1 = 0;
        for (double a : alpha) l1 += Math.abs(a);
        if (o.loss() == ConvexLoss.SQUARED) {
            double quad = 0, lin = 0;
            for (int i = 0; i < features; i++) {
                lin += fty[i] * alpha[i];
                for (int j = 0; j < features; j++) quad += alpha[i] * gram[i * features + j] * alpha[j];
            }
            lossValue = 0.5 * (quad - 2 * lin + g.yy());
        } else {
            ScpAggregator last = gradientPass(runner, data, theta, alpha, features, dp, o, "convex scp: objective");
            passes++;
            lossValue = last.loss();
            correct = last.correct();
        }
        obj = lossValue + beta * l1;
        history.add(new ConvexResult.Iteration(iterations, obj, obj, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                active(alpha), Double.NaN, (System.nanoTime() - t0) / 1e9));
        if (log != null) log.accept(String.format("convex scp: %d random ReLU features, %d iterations, objective %.8g, %d active",
                features, iterations, obj, active(alpha)));
        OneHiddenLayerNetwork net = network(theta, alpha, d, dp, o.bias());
        double secs = (System.nanoTime() - t0) / 1e9;
        return new ConvexResult(net, alpha, theta, features, features, dp, o.bias(), "scp-fista", Double.NaN, iterations, converged,
                converged ? "iterate change within tolerance" : "iteration cap " + o.maxIter(), obj, obj, Double.NaN, Double.NaN,
                Double.NaN, active(alpha), Double.NaN, 0, o.loss().classification() ? (double) correct / n : Double.NaN,
                new double[0], history, secs, 0, passes, List.of());
    }

    static ScpAggregator gradientPass(PassRunner runner, Data data, double[] theta, double[] alpha, int nf, int dp, ConvexOptions o,
                                      String name) {
        double[] q = new double[nf * dp + nf];
        System.arraycopy(theta, 0, q, 0, nf * dp);
        System.arraycopy(alpha, 0, q, nf * dp, nf);
        Shared<double[]> s = runner.share(q);
        try {
            return runner.aggregate(data, () -> new ScpAggregator(s, nf, o.bias(), o.loss(), false), name);
        } finally {
            s.release();
        }
    }

    static int active(double[] alpha) {
        int k = 0;
        for (double a : alpha) if (a != 0) k++;
        return k;
    }

    static OneHiddenLayerNetwork network(double[] theta, double[] alpha, int d, int dp, boolean bias) {
        int k = Math.max(1, active(alpha));
        double[] w = new double[k * d], b = new double[k], a = new double[k];
        int j = 0;
        for (int i = 0; i < alpha.length; i++) {
            if (alpha[i] == 0) continue;
            double root = Math.sqrt(Math.abs(alpha[i]));
            for (int c = 0; c < d; c++) w[j * d + c] = theta[i * dp + c] * root;
            if (bias) b[j] = theta[i * dp + d] * root;
            a[j] = Math.signum(alpha[i]) * root;
            j++;
        }
        return new OneHiddenLayerNetwork(d, k, 1, w, b, a);
    }

    /** Largest eigenvalue of a symmetric PSD matrix by power iteration (200 steps, deterministic start). */
    static double lambdaMax(double[] a, int n) {
        double[] v = new double[n];
        java.util.Arrays.fill(v, 1 / Math.sqrt(n));
        double lambda = 0;
        for (int it = 0; it < 200; it++) {
            double[] w = new double[n];
            for (int i = 0; i < n; i++) {
                double s = 0;
                for (int j = 0; j < n; j++) s += a[i * n + j] * v[j];
                w[i] = s;
            }
            double norm = 0;
            for (double x : w) norm += x * x;
            norm = Math.sqrt(norm);
            if (norm == 0) return 0;
            lambda = norm;
            for (int i = 0; i < n; i++) v[i] = w[i] / norm;
        }
        return lambda * 1.01;
    }
}
