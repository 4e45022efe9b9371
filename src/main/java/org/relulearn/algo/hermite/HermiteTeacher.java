package org.relulearn.algo.hermite;

import org.relulearn.data.CounterRng;
import org.relulearn.data.OneHiddenLayerNetwork;

/**
 * The teachers of docs/hermite.md, Acceptance gates: y = sum_i a_i relu(w_i.x + b_i) with w_i Gaussian then
 * normalised, a_i = +-U[0.5, 1.5] (random sign) and the given biases; drawn from (seed) only.
 */
public final class HermiteTeacher {
    private HermiteTeacher() {}

    private static final long STREAM = 0x5EED_7E4CL;

    public static OneHiddenLayerNetwork network(int d, double[] biases, long seed) {
        int m = biases.length;
        if (m < 1) throw new IllegalArgumentException("give at least one bias (one per hidden unit)");
        CounterRng rng = new CounterRng(seed, STREAM, 0);
        double[] w = new double[m * d], a = new double[m];
        for (int i = 0; i < m; i++) {
            double s = 0;
            for (int j = 0; j < d; j++) {
                w[i * d + j] = rng.nextGaussian();
                s += w[i * d + j] * w[i * d + j];
            }
            s = Math.sqrt(s);
            for (int j = 0; j < d; j++) w[i * d + j] /= s;
            a[i] = (rng.nextDouble() < 0.5 ? -1 : 1) * (0.5 + rng.nextDouble());
        }
        return new OneHiddenLayerNetwork(d, m, 1, w, biases.clone(), a);
    }

    /** A scalar-output teacher as a {@link ReluNet}. */
    public static ReluNet asNet(OneHiddenLayerNetwork t) {
        if (t.outputDim() != 1) throw new IllegalArgumentException("the Hermite fit has one output; the teacher has " + t.outputDim());
        return new ReluNet(t.inputDim(), t.hiddenUnits(), t.weights(), t.biases(), t.outputWeights());
    }
}
