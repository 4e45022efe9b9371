package org.relulearn.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.relulearn.algo.hermite.HermiteOptions;
import org.relulearn.algo.hermite.HermiteResult;
import org.relulearn.algo.hermite.HermiteTeacher;
import org.relulearn.algo.hermite.HermiteTrainer;
import org.relulearn.data.AdditiveNoise;
import org.relulearn.data.Distributions;
import org.relulearn.data.SyntheticSource;
import org.relulearn.engine.LocalPassRunner;
import org.relulearn.engine.PassRunner;
import org.relulearn.engine.SyntheticData;

/**
 * The Hermite fit on {@code local-cluster[2,1,1024]} (two executor JVMs) equals the local runner's
 * fit bit for bit: deterministic merge over 3 partitions on both sides, every pass type exercised
 * (statistics, order 2, contractions, coefficients, affine fit, polish, held-out evaluation).
 * Alone: {@code mvn -B -q verify -Dtest=HermiteLocalClusterTest -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@Tag("multiprocess")
class HermiteLocalClusterTest {

    static HermiteResult fit(PassRunner runner) {
        SyntheticSource src = new SyntheticSource(Distributions.parse("gaussian", 6), HermiteTeacher.network(6, new double[] {0.3, -0.8, 1.0}, 4),
                AdditiveNoise.isotropic(1, 0.05), 200_000, 4, 0, 5_000);
        return HermiteTrainer.fit(runner, new SyntheticData(src), new SyntheticData(src.withStream(9).withNumRows(20_000)),
                HermiteOptions.defaults().withUnits(3).withAffineFit(HermiteOptions.AffineFit.ON).withPolish(5, 0.2));
    }

    @Test
    void hermiteFitOnTwoExecutorJvmsEqualsTheLocalFit() {
        SparkSession spark = LocalClusterSession.get();
        assertTrue(spark.sparkContext().master().startsWith("local-cluster"), spark.sparkContext().master());
        HermiteResult cluster = fit(new SparkPassRunner(spark, SparkPassRunner.RunnerOptions.defaults().withPartitions(3).withDeterministic(true)));
        HermiteResult local = fit(new LocalPassRunner(3, LocalPassRunner.DEFAULT_DEPTH));
        assertEquals(local.units(), cluster.units());
        assertArrayEquals(local.network().w(), cluster.network().w(), 0.0, "W");
        assertArrayEquals(local.network().b(), cluster.network().b(), 0.0, "b");
        assertArrayEquals(local.network().a(), cluster.network().a(), 0.0, "a");
        assertArrayEquals(local.polishLosses(), cluster.polishLosses(), 0.0, "polish losses");
        assertEquals(local.heldOutError(), cluster.heldOutError(), 0.0);
        assertTrue(local.heldOutError() < 0.05, "held-out relative error " + local.heldOutError());
    }
}
