package org.relulearn.algo.tensorgd;

import java.util.ArrayList;
import java.util.List;
import org.relulearn.data.CounterRng;
import org.relulearn.engine.Data;
import org.relulearn.engine.PassRunner;
import org.relulearn.engine.Shared;

/**
 * Phase II (Zhang, Yu, Wang, Gu, arXiv 1806.07808): full-batch gradient descent on the empirical squared loss
 * with the output weights v fixed,
 * <pre>
 *   L(W) = (1/2n) sum_i (sum_j v_j relu(w_j . x_i) - y_i)^2,   W_{t+1} = W_t - eta grad L(W_t)
 * </pre>
 * one pass ({@link GdAggregator}) per iteration on the same rows. eta defaults to 1/lambda_max of the
 * Gauss-Newton matrix J^T J / n at W^(0), estimated by power iterations (one pass each). [DEV
 * safeguard] When the loss rises the step is rejected (W_t = W_{t-1}, whose gradient is kept) and eta
 * halved. Stops when ||W_{t+1} - W_t||_F / ||W_t||_F < tol or after T iterations.
 */
public final class GradientDescent {
    private GradientDescent() {}

    private static final long POWER_STREAM = 0x60E7_0001L;

    /**
     * @param lambdaMax  the power-iteration estimate (NaN when eta was given)
     * @param finalLoss  L at the returned W (one evaluation pass)
     * @param converged  the relative-step rule stopped the run (else the cap did)
     * @param halvings   how many times eta was halved
     */
    public record Result(double[] w, double eta, double lambdaMax, int iterations, boolean converged, int halvings, double finalLoss,
                         double finalMatchedError, List<GdPoint> trace) {}

    /**
     * @param truth W* (row-major K x d) for the per-iteration matched error, or null
     */
    public static Result run(PassRunner runner, Data data, double[] w0, double[] v, TensorGdOptions o, double[] truth,
                             List<String> warnings) {
        return run(runner, data, w0, v, o, truth, warnings, null, null, null, 0);
    }

    /**
     * As {@link #run(PassRunner, Data, double[], double[], TensorGdOptions, double[], List)}, saving
     * the state to {@code sink} every k iterations (null = never; {@code init} and
     * {@code phase1Seconds} go into the saved state so that a resume can skip Phase I) and, with
     * {@code resume}, continuing from a saved state (no step-size passes): the iterates are the same
     * as without the interruption.
     */
    public static Result run(PassRunner runner, Data data, double[] w0, double[] v, TensorGdOptions o, double[] truth,
                             List<String> warnings, DescentState.Sink sink, DescentState resume, InitResult init,
                             double phase1Seconds) {
        int k = o.k(), d = data.d();
        double lambdaMax = Double.NaN;
        double eta = o.eta();
        if (resume != null) {
            if (resume.w().length != k * d) {
                throw new IllegalArgumentException("the checkpoint's W has " + resume.w().length + " entries, the run needs K d = " + k * d
                        + ": resume with the options and data of the run that wrote it");
            }
            lambdaMax = resume.lambdaMax();
            eta = resume.eta();
        } else if (Double.isNaN(eta)) {
            lambdaMax = lambdaMax(runner, data, w0, v, o, k, d);
            if (!(lambdaMax > 0)) {
                throw new IllegalArgumentException("the Gauss-Newton matrix at W^(0) is zero (no unit is active on any row):"
                        + " the start is degenerate; give --eta or another initialisation");
            }
            eta = 1 / lambdaMax;
        }
        List<GdPoint> trace = new ArrayList<>();
        double[] w = w0.clone(), prevW = null, prevGrad = null;
        double prevLoss = Double.POSITIVE_INFINITY;
        int halvings = 0, t = 0;
        if (resume != null) {
            trace.addAll(resume.trace());
            w = resume.w().clone();
            prevW = resume.prevW();
            prevGrad = resume.prevGrad();
            prevLoss = resume.prevLoss();
            halvings = resume.halvings();
            t = resume.nextIteration() - 1;
        }
        boolean converged = false;
        for (; t < o.iterations(); t++) {
            Pass p = pass(runner, data, w, v, null, k, d, String.format("tensor-gd: iteration %d/%d", t + 1, o.iterations()));
            double loss = p.squared / (2.0 * p.n);
            double[] grad = p.sum;
            for (int i = 0; i < grad.length; i++) grad[i] /= p.n;
            if (o.halveOnIncrease() && loss > prevLoss * (1 + 1e-12)) {
                // Reject: return to W_{t-1} (its gradient is known) with half the step.
                w = prevW;
                grad = prevGrad;
                loss = prevLoss;
                eta /= 2;
                halvings++;
            }
            double[] next = new double[w.length];
            double step = 0, norm = 0;
            for (int i = 0; i < w.length; i++) {
                next[i] = w[i] - eta * grad[i];
                step += (next[i] - w[i]) * (next[i] - w[i]);
                norm += w[i] * w[i];
            }
            double rel = Math.sqrt(step / Math.max(norm, 1e-300));
            trace.add(new GdPoint(t, loss, eta, rel, truth == null ? Double.NaN : MatchedError.of(w, truth, k, d)));
            prevW = w;
            prevGrad = grad;
            prevLoss = loss;
            w = next;
            if (rel < o.tol()) {
                converged = true;
                t++;
                break;
            }
            if (sink != null && (t + 1) % sink.every() == 0 && t + 1 < o.iterations()) {
                sink.save(new DescentState(t + 2, w, prevW, prevGrad, prevLoss, eta, lambdaMax, halvings, trace, init, warnings,
                        phase1Seconds));
            }
        }
        if (halvings > 0) warnings.add("warning: the loss increased " + halvings + " time(s); eta was halved each time (now " + eta + ")");
        Pass fin = pass(runner, data, w, v, null, k, d, "tensor-gd: final loss");
        double finalLoss = fin.squared / (2.0 * fin.n);
        return new Result(w, eta, lambdaMax, t, converged, halvings, finalLoss, truth == null ? Double.NaN : MatchedError.of(w, truth, k, d),
                List.copyOf(trace));
    }

    /** lambda_max of J^T J / n at W by power iterations from a seeded random direction. */
    static double lambdaMax(PassRunner runner, Data data, double[] w, double[] v, TensorGdOptions o, int k, int d) {
        CounterRng rng = new CounterRng(o.seed(), POWER_STREAM, 0);
        double[] dir = new double[k * d];
        for (int i = 0; i < dir.length; i++) dir[i] = rng.nextGaussian();
        normalise(dir);
        double lambda = 0;
        for (int it = 0; it < o.powerIterations(); it++) {
            Pass p = pass(runner, data, w, v, dir, k, d,
                    String.format("tensor-gd: step size, power iteration %d/%d", it + 1, o.powerIterations()));
            double[] next = p.sum;
            for (int i = 0; i < next.length; i++) next[i] /= p.n;
            lambda = normalise(next);
            if (lambda == 0) return 0;
            dir = next;
        }
        return lambda;
    }

    private record Pass(double[] sum, double squared, long n) {}

    private static Pass pass(PassRunner runner, Data data, double[] w, double[] v, double[] dir, int k, int d, String name) {
        Shared<GdState> s = runner.share(new GdState(k, d, w.clone(), v.clone(), dir == null ? null : dir.clone()));
        GdAggregator g = runner.aggregate(data, () -> new GdAggregator(s), name);
        s.release();
        if (g.count() == 0) throw new IllegalArgumentException("the data set is empty");
        return new Pass(g.gradientSum(), g.squaredSum(), g.count());
    }

    private static double normalise(double[] a) {
        double s = 0;
        for (double x : a) s += x * x;
        s = Math.sqrt(s);
        if (s > 0) for (int i = 0; i < a.length; i++) a[i] /= s;
        return s;
    }
}
