package org.relulearn.algo.hermite;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.relulearn.data.OneHiddenLayerNetwork;
import org.relulearn.engine.LocalPassRunner;

/** Exploration only (excluded by tag). */
@Tag("probe")
class HermiteProbe {
    @Test
    void probe() {
        double[][] biasSets = {{0, 1, -1, 0.5}, {-1.5, 0.3, 1.2, -0.4}};
        long n = Long.getLong("probe.n", 800_000);
        for (double[] bs : biasSets) {
            for (long seed = 1; seed <= 5; seed++) {
                OneHiddenLayerNetwork t = HermiteTeachers.network(8, bs, seed);
                long t0 = System.nanoTime();
                HermiteResult r = HermiteTrainer.fit(new LocalPassRunner(1), HermiteTeachers.data(t, null, n, seed, 0),
                        HermiteOptions.defaults().withUnits(4).withAffineFit(HermiteOptions.AffineFit.OFF));
                HermiteRecovery rec = HermiteRecovery.of(r.tensorNet(), HermiteTeachers.truth(t));
                System.out.printf("seed %d: minSignedCos %.4f right %d err %.3f score %.3g  %.2fs %s%n", seed, rec.minSignedCosine(),
                        rec.orientationsRight(), rec.parameterError(), r.jennrichScore(), (System.nanoTime() - t0) / 1e9, r.messages());
            }
        }
    }
}
