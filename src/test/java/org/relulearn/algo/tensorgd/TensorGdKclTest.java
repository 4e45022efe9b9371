package org.relulearn.algo.tensorgd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.relulearn.data.OneHiddenLayerNetwork;
import org.relulearn.engine.LocalPassRunner;

/**
 * The KCL decomposer inside Phase I at the acceptance setting (d = 10, K = 5, kappa = 2, v = 1,
 * noiseless, n = 1e5, m4proj + variance reduction, faithful split), and the faithful switch.
 */
class TensorGdKclTest {

    @Test
    void kclInitialisationErrorBelowPointThreeInFourOfFiveSeeds() {
        int good = 0;
        List<String> lines = new ArrayList<>();
        for (long seed = 1; seed <= 5; seed++) {
            OneHiddenLayerNetwork teacher = ZhongTeacher.create(10, 5, 2, false, seed);
            TensorGdOptions o = TensorGdOptions.defaults(5).withSeed(seed).withInitOnly(true)
                    .withDecomposer(TensorGdOptions.Decomposer.KCL);
            TensorGdResult r = TensorGdTrainer.fit(new LocalPassRunner(), TensorGdAcceptanceTest.data(teacher, 100_000, 0, seed), o,
                    teacher.weights(), 0);
            lines.add(String.format("seed %d: init %.3f (residual %.3f)", seed, r.initError(), r.init().residual()));
            assertEquals(0.0, r.init().imaginaryRatio(), "KCL has no complex eigenvalues");
            if (r.initError() < 0.3) good++;
        }
        System.out.println("[tensor-gd kcl init] " + lines);
        assertTrue(good >= 4, "KCL init error < 0.3 in only " + good + "/5 seeds: " + lines);
    }

    @Test
    void faithfulSelectsKclAndDefaultsKeepJennrich() {
        TensorGdOptions d = TensorGdOptions.defaults(5);
        assertEquals(TensorGdOptions.Decomposer.JENNRICH, d.decomposer());
        TensorGdOptions f = d.faithful();
        assertEquals(TensorGdOptions.Decomposer.KCL, f.decomposer());
        assertEquals(TensorGdOptions.Variant.ALPHA, f.variant());
        // the decomposer survives the other with-methods
        assertEquals(TensorGdOptions.Decomposer.KCL, f.withSeed(3).withEta(0.5).withIterations(10, 1e-6).decomposer());
        assertEquals(TensorGdOptions.Decomposer.JENNRICH, f.withDecomposer(TensorGdOptions.Decomposer.JENNRICH).decomposer());
    }
}
