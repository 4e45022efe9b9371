package org.relulearn.algo.hermite;

import org.relulearn.data.CounterRng;
import org.relulearn.data.Distributions;
import org.relulearn.data.LabelCorruption;
import org.relulearn.data.OneHiddenLayerNetwork;
import org.relulearn.data.SyntheticSource;
import org.relulearn.engine.SyntheticData;

/** Teachers of hermite spec section 7: unit w_i (Gaussian, normalised), a_i = +-U[0.5, 1.5], given biases. */
final class HermiteTeachers {
    private HermiteTeachers() {}

    static OneHiddenLayerNetwork network(int d, double[] biases, long seed) {
        int m = biases.length;
        CounterRng rng = new CounterRng(seed, 0x5EED_7E4CL, 0);
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
        return new OneHiddenLayerNetwork(d, m, 1, w, biases, a);
    }

    static ReluNet truth(OneHiddenLayerNetwork t) {
        return new ReluNet(t.inputDim(), t.hiddenUnits(), t.weights(), t.biases(), t.outputWeights());
    }

    static SyntheticData data(OneHiddenLayerNetwork t, LabelCorruption noise, long n, long seed, long stream) {
        return new SyntheticData(new SyntheticSource(Distributions.parse("gaussian", t.inputDim()), t, noise, n, seed, stream, 4096));
    }

    /** The same rows held in memory (for many-pass fits such as the polish). */
    static org.relulearn.engine.InMemoryData inMemory(SyntheticData data) {
        SyntheticSource src = data.source();
        java.util.List<org.relulearn.data.Block> blocks = new java.util.ArrayList<>();
        SyntheticSource.Workspace ws = src.newWorkspace();
        org.relulearn.data.Block buf = src.newBlock();
        for (long b = 0; b < src.numBlocks(); b++) blocks.add(src.fill(b, buf, ws).compactCopy());
        return new org.relulearn.engine.InMemoryData(src.d(), src.m(), blocks);
    }
}
