package org.relulearn.algo.hermite;

import org.relulearn.data.Distributions;
import org.relulearn.data.LabelCorruption;
import org.relulearn.data.OneHiddenLayerNetwork;
import org.relulearn.data.SyntheticSource;
import org.relulearn.engine.SyntheticData;

/** Teachers of docs/hermite.md, Acceptance gates: unit w_i (Gaussian, normalised), a_i = +-U[0.5, 1.5], given biases. */
final class HermiteTeachers {
    private HermiteTeachers() {}

    static OneHiddenLayerNetwork network(int d, double[] biases, long seed) {
        return HermiteTeacher.network(d, biases, seed);
    }

    static ReluNet truth(OneHiddenLayerNetwork t) {
        return HermiteTeacher.asNet(t);
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
