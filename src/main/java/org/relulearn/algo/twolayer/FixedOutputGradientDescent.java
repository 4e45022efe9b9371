package org.relulearn.algo.twolayer;

import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import org.relulearn.data.CounterRng;
import org.relulearn.engine.Data;
import org.relulearn.engine.PassRunner;
import org.relulearn.engine.Shared;

/**
 * Full-batch gradient descent on the mean logistic loss of f(x) = sum_j a_j relu(w_j . x) with the
 * output layer fixed at a_j = +-1/sqrt(m) (half each) and a small Gaussian start W_0 ~ N(0, s^2):
 * W_{t+1} = W_t - eta dL/dW(W_t), one distributed pass per step ({@link LogisticGradientAggregator});
 * at the recorded steps one more pass measures the clean test accuracy.
 */
public final class FixedOutputGradientDescent {
    private FixedOutputGradientDescent() {}

    /** The state after t steps: loss and accuracies measured at W_t. */
    public record Point(int step, double loss, double trainAccuracy, double flippedFit, double testAccuracy) {}

    /** Initial parameters: W_0 entries N(0, initStd^2) from (seed, stream 0), a_j = +1/sqrt(m) for j < m/2, else -1/sqrt(m). */
    public static TwoLayerParams initial(int m, int p, double initStd, long seed) {
        double[] w = new double[m * p];
        CounterRng rng = new CounterRng(seed, 0x6E0C, 0);
        for (int i = 0; i < w.length; i++) w[i] = initStd * rng.nextGaussian();
        double[] a = new double[m];
        for (int j = 0; j < m; j++) a[j] = (j < m / 2 ? 1 : -1) / Math.sqrt(m);
        return new TwoLayerParams(m, p, w, a);
    }

    /**
     * Runs {@code steps} steps from {@code start}; records a point at every step in {@code record}
     * (0 = before the first step).
     */
    public static List<Point> run(PassRunner runner, Data train, Data test, TwoLayerParams start, double eta, int steps,
                                  SortedSet<Integer> record, String label) {
        if (!(eta > 0) || !Double.isFinite(eta)) throw new IllegalArgumentException("step size eta must be > 0, got " + eta);
        double[] w = start.w().clone();
        List<Point> out = new ArrayList<>();
        for (int t = 0; t <= steps; t++) {
            TwoLayerParams cur = new TwoLayerParams(start.m(), start.p(), w, start.a());
            Shared<TwoLayerParams> s = runner.share(cur);
            LogisticGradientAggregator g = runner.aggregate(train, () -> new LogisticGradientAggregator(s),
                    label + ": step " + t + "/" + steps);
            if (record.contains(t)) {
                double acc = runner.aggregate(test, () -> new CleanAccuracyAggregator(s), label + ": test accuracy at step " + t)
                        .accuracy();
                out.add(new Point(t, g.meanLoss(), g.trainAccuracy(), g.flippedFit(), acc));
            }
            s.release();
            if (!Double.isFinite(g.meanLoss())) {
                throw new IllegalArgumentException("gradient descent diverged at step " + t + " (loss " + g.meanLoss()
                        + "); lower the step size eta = " + eta);
            }
            if (t == steps) break;
            double[] grad = g.gradient();
            w = w.clone();
            for (int i = 0; i < w.length; i++) w[i] -= eta * grad[i];
        }
        return out;
    }
}
