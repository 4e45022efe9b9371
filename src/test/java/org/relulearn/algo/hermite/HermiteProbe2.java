package org.relulearn.algo.hermite;

import org.junit.jupiter.api.Test;
import org.relulearn.data.OneHiddenLayerNetwork;
import org.relulearn.engine.LocalPassRunner;

/** Exploration only. */
class HermiteProbe2 {
    @Test
    void probe() {
        double[][] biasSets = {{0, 1, -1, 0.5}, {-1.5, 0.3, 1.2, -0.4}};
        long n = Long.getLong("probe.n", 50_000);
        int its = Integer.getInteger("probe.its", 1500);
        double eta = Double.parseDouble(System.getProperty("probe.eta", "0.2"));
        for (double[] bs : biasSets) {
            for (long seed = 1; seed <= 5; seed++) {
                OneHiddenLayerNetwork t = HermiteTeachers.network(8, bs, seed);
                long t0 = System.nanoTime();
                HermiteResult r = HermiteTrainer.fit(new LocalPassRunner(1), HermiteTeachers.inMemory(HermiteTeachers.data(t, null, n, seed, 0)),
                        HermiteOptions.defaults().withUnits(4).withAffineFit(HermiteOptions.AffineFit.OFF).withPolish(its, eta));
                HermiteRecovery rec0 = HermiteRecovery.of(r.tensorOnlyNet(), HermiteTeachers.truth(t));
                HermiteRecovery rec = HermiteRecovery.of(r.tensorNet(), HermiteTeachers.truth(t));
                System.out.printf("seed %d: tensor err %.3f -> polished err %.3g right %d  %.2fs %s%n", seed, rec0.parameterError(),
                        rec.parameterError(), rec.orientationsRight(), (System.nanoTime() - t0) / 1e9, r.messages());
            }
        }
    }
}
