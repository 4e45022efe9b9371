package org.relulearn.algo.twolayer;

import org.relulearn.data.CounterRng;
import org.relulearn.engine.Data;
import org.relulearn.engine.PassRunner;
import org.relulearn.engine.Shared;

/**
 * Sharpness of a two-layer ReLU network over data too large for one machine: Tr H of the
 * Gauss-Newton matrix in one pass, and lambda_max(H) by power iteration with one Gauss-Newton-vector
 * product pass per iteration ({@link GaussNewtonAggregator}); the start vector comes from the seed.
 */
public final class DistributedSharpness {
    private DistributedSharpness() {}

    public record Sharpness(double trace, double topEigenvalue, int iterations) {}

    public static Sharpness measure(PassRunner runner, Data data, TwoLayerParams t, int maxIterations, double tol, long seed,
                                    String label) {
        int m = t.m(), p = t.p(), q = m * p + m;
        Shared<GaussNewtonAggregator.Input> s0 = runner.share(new GaussNewtonAggregator.Input(t, null, null));
        double trace = runner.aggregate(data, () -> new GaussNewtonAggregator(s0), label + ": Gauss-Newton trace").trace();
        s0.release();
        double[] v = new double[q];
        CounterRng rng = new CounterRng(seed, 0x9E1, 0);
        for (int i = 0; i < q; i++) v[i] = rng.nextGaussian();
        normalise(v);
        double lambda = 0;
        int it = 0;
        while (it < maxIterations) {
            it++;
            double[] vw = java.util.Arrays.copyOf(v, m * p), va = java.util.Arrays.copyOfRange(v, m * p, q);
            Shared<GaussNewtonAggregator.Input> s = runner.share(new GaussNewtonAggregator.Input(t, vw, va));
            double[] hv = runner.aggregate(data, () -> new GaussNewtonAggregator(s),
                    label + ": power iteration " + it + "/" + maxIterations).product();
            s.release();
            double next = 0;
            for (int i = 0; i < q; i++) next += v[i] * hv[i];
            normalise(hv);
            v = hv;
            boolean done = Math.abs(next - lambda) <= tol * Math.abs(next);
            lambda = next;
            if (done) break;
        }
        return new Sharpness(trace, lambda, it);
    }

    private static void normalise(double[] v) {
        double s = 0;
        for (double e : v) s += e * e;
        s = Math.sqrt(s);
        if (s == 0) return;
        for (int i = 0; i < v.length; i++) v[i] /= s;
    }
}
