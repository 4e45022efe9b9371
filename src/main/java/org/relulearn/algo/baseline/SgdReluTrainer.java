package org.relulearn.algo.baseline;

import java.util.ArrayList;
import java.util.List;
import org.relulearn.algo.loss.ConvexLoss;
import org.relulearn.data.CounterRng;
import org.relulearn.data.OneHiddenLayerNetwork;
import org.relulearn.engine.Data;
import org.relulearn.engine.PassRunner;
import org.relulearn.engine.Shared;

/**
 * The non-convex baseline: the same two-layer ReLU network and objective as the convex programs,
 * <pre>
 *   sum_r l(f(x_r), y_r) + (beta/2)(||W||^2 + ||b||^2 + ||a||^2),  f(x) = sum_j a_j (w_j . x + b_j)_+
 * </pre>
 * trained by distributed mini-batch Adam (or plain SGD): each step draws a mini-batch with
 * replacement ({@link PassRunner#aggregateSample}), aggregates the loss gradient over it, scales it by
 * n / batch (an unbiased estimate of the full sum's gradient) and adds the weight-decay gradient.
 * Initialisation: w_j ~ N(0, I/d), b = 0, a_j ~ N(0, 1/m). A full pass every {@code evalEvery}
 * steps (and at the end) records the exact objective. Reusable by any experiment that needs "the
 * same network trained by SGD".
 * <p>Adversarial training ({@link AdversarialTraining}): every mini-batch row is replaced by its FGSM
 * or PGD perturbation (l_inf radius eps, features only) under the current network, on the executors,
 * before the gradient, so the steps minimise sum_r max_{||delta|| <= eps} l(f(x_r + delta), y_r) as the
 * attack approximates the inner max. The recorded objective stays the clean one.
 */
public final class SgdReluTrainer {
    private SgdReluTrainer() {}

    /**
     * @param width  hidden units m
     * @param steps  optimiser steps
     * @param batch  rows per mini-batch
     * @param lr     step size (Adam's alpha, or SGD's step on the mean-loss scale)
     * @param adam   Adam (beta1 = 0.9, beta2 = 0.999) or plain SGD
     * @param adversarial how mini-batches are perturbed (NONE = ordinary training)
     * @param eps    l_inf radius of the perturbations (> 0 with FGSM or PGD)
     * @param pgdSteps PGD steps per perturbation (PGD only)
     */
    public record Options(int width, ConvexLoss loss, double beta, int steps, int batch, double lr, boolean adam, long seed,
                         int evalEvery, AdversarialTraining adversarial, double eps, int pgdSteps) {
        /** Ordinary (non-adversarial) training. */
        public Options(int width, ConvexLoss loss, double beta, int steps, int batch, double lr, boolean adam, long seed, int evalEvery) {
            this(width, loss, beta, steps, batch, lr, adam, seed, evalEvery, AdversarialTraining.NONE, 0, 0);
        }

        public Options {
            if (adversarial == null) adversarial = AdversarialTraining.NONE;
            if (adversarial != AdversarialTraining.NONE && !(eps > 0 && Double.isFinite(eps))) {
                throw new IllegalArgumentException(adversarial.label() + " adversarial training needs a radius eps > 0, got " + eps
                        + ": give the l_inf radius of the perturbations");
            }
            if (adversarial == AdversarialTraining.PGD && pgdSteps < 1) {
                throw new IllegalArgumentException("pgd adversarial training needs >= 1 PGD step, got " + pgdSteps);
            }
            if (width < 1) throw new IllegalArgumentException("baseline width must be >= 1, got " + width);
            if (steps < 1) throw new IllegalArgumentException("baseline steps must be >= 1, got " + steps);
            if (batch < 1) throw new IllegalArgumentException("baseline batch must be >= 1, got " + batch);
            if (!(lr > 0)) throw new IllegalArgumentException("baseline learning rate must be > 0, got " + lr);
            if (!(beta >= 0)) throw new IllegalArgumentException("weight decay must be >= 0, got " + beta);
            if (evalEvery < 1) evalEvery = steps;
        }

        /** The same options with FGSM or PGD adversarial training at radius eps (PGD with {@code pgdSteps} steps). */
        public Options withAdversarial(AdversarialTraining kind, double radius, int steps) {
            return new Options(width, loss, beta, this.steps, batch, lr, adam, seed, evalEvery, kind, radius, steps);
        }
    }

    /** One evaluation: step, exact objective, seconds since the start. */
    public record Point(int step, double objective, double seconds) {}

    public record Result(OneHiddenLayerNetwork network, double objective, double loss, double accuracy, List<Point> history,
                         double seconds, double bestObjective) {}

    public static Result fit(PassRunner runner, Data data, Options o) {
        long t0 = System.nanoTime();
        int d = data.d(), m = o.width();
        long n = data.numRows();
        int size = m * d + 2 * m;
        double[] p = new double[size];
        CounterRng rng = new CounterRng(o.seed(), 0xBA5EL, 0);
        for (int i = 0; i < m * d; i++) p[i] = rng.nextGaussian() / Math.sqrt(d);
        for (int j = 0; j < m; j++) p[m * d + m + j] = rng.nextGaussian() / Math.sqrt(m);
        double[] mom = new double[size], vel = new double[size];
        List<Point> history = new ArrayList<>();
        double scale = (double) n / o.batch();
        double best = Double.POSITIVE_INFINITY;
        ConvexLoss loss = o.loss();
        // locals, so the aggregator factory (shipped to executors) captures no Options
        AdversarialTraining adversarial = o.adversarial();
        double eps = o.eps();
        int pgdSteps = o.pgdSteps();
        for (int t = 1; t <= o.steps(); t++) {
            Shared<double[]> shared = runner.share(p.clone());
            ReluGradientAggregator g;
            try {
                g = runner.aggregateSample(data, o.batch(), o.seed(), t, () -> new ReluGradientAggregator(shared, d, m, loss, adversarial, eps,
                        pgdSteps), "baseline sgd" + (adversarial == AdversarialTraining.NONE ? "" : " (" + adversarial.label()
                        + " adversarial)") + ": step " + t + "/" + o.steps());
            } finally {
                shared.release();
            }
            double[] grad = g.gradient();
            for (int i = 0; i < size; i++) grad[i] = scale * grad[i] + o.beta() * p[i];
            if (o.adam()) {
                double b1 = 0.9, b2 = 0.999;
                double c1 = 1 - Math.pow(b1, t), c2 = 1 - Math.pow(b2, t);
                for (int i = 0; i < size; i++) {
                    mom[i] = b1 * mom[i] + (1 - b1) * grad[i];
                    vel[i] = b2 * vel[i] + (1 - b2) * grad[i] * grad[i];
                    p[i] -= o.lr() * (mom[i] / c1) / (Math.sqrt(vel[i] / c2) + 1e-12);
                }
            } else {
                for (int i = 0; i < size; i++) p[i] -= o.lr() / n * grad[i];
            }
            if (t % o.evalEvery() == 0 || t == o.steps()) {
                double obj = evaluate(runner, data, p, d, m, o).objective;
                best = Math.min(best, obj);
                history.add(new Point(t, obj, (System.nanoTime() - t0) / 1e9));
            }
        }
        Eval e = evaluate(runner, data, p, d, m, o);
        double[] w = java.util.Arrays.copyOfRange(p, 0, m * d), b = java.util.Arrays.copyOfRange(p, m * d, m * d + m),
                a = java.util.Arrays.copyOfRange(p, m * d + m, size);
        return new Result(new OneHiddenLayerNetwork(d, m, 1, w, b, a), e.objective, e.loss,
                o.loss().classification() ? (double) e.correct / n : Double.NaN, List.copyOf(history), (System.nanoTime() - t0) / 1e9,
                Math.min(best, e.objective));
    }

    private record Eval(double objective, double loss, long correct) {}

    private static Eval evaluate(PassRunner runner, Data data, double[] p, int d, int m, Options o) {
        Shared<double[]> shared = runner.share(p.clone());
        ConvexLoss loss = o.loss();
        try {
            ReluGradientAggregator g = runner.aggregate(data, () -> new ReluGradientAggregator(shared, d, m, loss), "baseline sgd: objective");
            double decay = 0;
            for (double v : p) decay += v * v;
            return new Eval(g.loss() + o.beta() / 2 * decay, g.loss(), g.correct());
        } finally {
            shared.release();
        }
    }
}
