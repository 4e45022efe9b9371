package org.relulearn.algo.moments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.relulearn.data.AdditiveNoise;
import org.relulearn.data.Distributions;
import org.relulearn.data.OneHiddenLayerNetwork;
import org.relulearn.data.SyntheticSource;
import org.relulearn.data.Teachers;
import org.relulearn.engine.LocalPassRunner;
import org.relulearn.engine.SyntheticData;

/**
 * Invariances (docs/moments.md, Tests): permuting and positively rescaling the generator's
 * hidden units (A -> A Pi D^{-1}, W -> D Pi^T W) gives the same fit after canonical form; flipping
 * the sign of one row of W gives a different function, which the fit detects.
 */
class MomentsInvarianceTest {
    static final int D = 6, K = 3, L = 4;

    static MomentsResult fit(double[] a, double[] w) {
        OneHiddenLayerNetwork t = new OneHiddenLayerNetwork(D, K, L, w, null, a);
        SyntheticSource src = new SyntheticSource(Distributions.parse("gaussian", D), t, AdditiveNoise.isotropic(L, 0.1), 300_000, 2, 0, 4096);
        return MomentsTrainer.fit(new LocalPassRunner(2), new SyntheticData(src), MomentsOptions.defaults().withK(K));
    }

    @Test
    void permutingAndRescalingHiddenUnitsChangesNothingAndAFlippedRowIsDetected() {
        OneHiddenLayerNetwork t = Teachers.randomNetwork(D, K, L, 4, false, 0, 0);
        double[] a = t.outputWeights(), w = t.weights();
        int[] perm = {2, 0, 1};
        double[] scale = {0.4, 3.0, 1.5};
        double[] a2 = new double[L * K], w2 = new double[K * D];
        for (int j = 0; j < K; j++) {
            for (int r = 0; r < L; r++) a2[r * K + j] = a[r * K + perm[j]] / scale[j];
            for (int c = 0; c < D; c++) w2[j * D + c] = w[perm[j] * D + c] * scale[j];
        }
        MomentsResult base = fit(a, w), moved = fit(a2, w2);
        Recovery same = Recovery.of(moved.a(), moved.w(), base.a(), base.w(), L, K, D);
        // The labels agree up to rounding, so the two fits agree far below the statistical error.
        assertEquals(0, same.eW(), 1e-6);
        assertEquals(0, same.eA(), 1e-6);
        Recovery truth = Recovery.of(base.a(), base.w(), a, w, L, K, D);
        assertTrue(truth.eW() < 0.1, "eW = " + truth.eW());

        double[] flipped = w.clone();
        for (int c = 0; c < D; c++) flipped[c] = -flipped[c];
        MomentsResult f = fit(a, flipped);
        assertTrue(Recovery.of(f.a(), f.w(), a, flipped, L, K, D).eW() < 0.1, "the flipped network is recovered as itself");
        assertTrue(Recovery.of(f.a(), f.w(), a, w, L, K, D).eW() > 0.5, "and not as the original");
    }
}
