package org.relulearn.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.relulearn.algo.moments.MomentsOptions;
import org.relulearn.algo.moments.MomentsResult;
import org.relulearn.algo.moments.MomentsTrainer;
import org.relulearn.data.AdditiveNoise;
import org.relulearn.data.Distributions;
import org.relulearn.data.SyntheticSource;
import org.relulearn.data.Teachers;
import org.relulearn.engine.LocalPassRunner;
import org.relulearn.engine.PassRunner;
import org.relulearn.engine.SyntheticData;

/**
 * Distributed equals local for the method of moments: Spark's deterministic merge over 3 partitions
 * (local[2] session) and the local runner with 3 ranges and the same tree depth give bit-identical
 * fits, since every pass merges the same partial sums in the same order.
 */
class MomentsSparkEqualsLocalTest {

    static MomentsResult fit(PassRunner runner) {
        SyntheticSource src = new SyntheticSource(Distributions.parse("gaussian", 6), Teachers.randomNetwork(6, 3, 4, 2, false, 0, 0),
                AdditiveNoise.isotropic(4, 0.1), 200_000, 4, 0, 5_000);
        return MomentsTrainer.fit(runner, new SyntheticData(src), new SyntheticData(src.withStream(9).withNumRows(20_000)),
                MomentsOptions.defaults().withK(3));
    }

    @Test
    void sparkDeterministicFitEqualsTheLocalFitBitForBit() {
        MomentsResult spark = fit(new SparkPassRunner(SparkTestSession.get(),
                SparkPassRunner.RunnerOptions.defaults().withPartitions(3).withDeterministic(true)));
        MomentsResult local = fit(new LocalPassRunner(3, LocalPassRunner.DEFAULT_DEPTH));
        assertArrayEquals(local.w(), spark.w(), 0.0);
        assertArrayEquals(local.a(), spark.a(), 0.0);
        assertEquals(local.nullGap(), spark.nullGap(), 0.0);
        assertEquals(local.heldOutError(), spark.heldOutError(), 0.0);
    }
}
