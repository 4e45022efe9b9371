package org.relulearn.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.relulearn.algo.tensorgd.TensorGdOptions;
import org.relulearn.algo.tensorgd.TensorGdResult;
import org.relulearn.algo.tensorgd.TensorGdTrainer;
import org.relulearn.algo.tensorgd.ZhongTeacher;
import org.relulearn.data.AdditiveNoise;
import org.relulearn.data.Distributions;
import org.relulearn.data.OneHiddenLayerNetwork;
import org.relulearn.data.SyntheticSource;
import org.relulearn.engine.Data;
import org.relulearn.engine.LocalPassRunner;
import org.relulearn.engine.PassRunner;
import org.relulearn.engine.SyntheticData;

/**
 * Distributed equals local for tensor-gd: Spark's deterministic merge over 3 partitions and the local
 * runner with 3 ranges give bit-identical fits (every Phase I pass and every GD pass merges the same
 * partial sums in the same order), both on streamed synthetic data and on cached blocks.
 */
class TensorGdSparkEqualsLocalTest {

    static final OneHiddenLayerNetwork TEACHER = ZhongTeacher.create(6, 3, 2, false, 4);

    static SyntheticSource source() {
        return new SyntheticSource(Distributions.parse("gaussian", 6), TEACHER, AdditiveNoise.isotropic(1, 0.1), 20_000, 4, 0, 2_000);
    }

    static TensorGdResult fit(PassRunner runner, Data data) {
        TensorGdOptions o = TensorGdOptions.defaults(3).withIterations(6, 0).withPowerIterations(3).withSeed(3);
        return TensorGdTrainer.fit(runner, data, o, TEACHER.weights(), 0.01);
    }

    static void assertSame(TensorGdResult local, TensorGdResult other) {
        assertArrayEquals(local.init().w0(), other.init().w0(), 0.0, "W^(0)");
        assertArrayEquals(local.w(), other.w(), 0.0, "W");
        assertEquals(local.gd().eta(), other.gd().eta(), 0.0, "eta");
        assertEquals(local.finalLoss(), other.finalLoss(), 0.0, "loss");
        assertEquals(local.gd().trace().size(), other.gd().trace().size());
    }

    @Test
    void sparkDeterministicFitEqualsTheLocalFitBitForBit() {
        SparkPassRunner spark = new SparkPassRunner(SparkTestSession.get(),
                SparkPassRunner.RunnerOptions.defaults().withPartitions(3).withDeterministic(true));
        TensorGdResult local = fit(new LocalPassRunner(3, LocalPassRunner.DEFAULT_DEPTH), new SyntheticData(source()));
        assertSame(local, fit(spark, new SyntheticData(source())));
        SparkBlockData cached = CachedBlocks.cache(spark, source());
        try {
            assertSame(local, fit(spark, cached));
        } finally {
            CachedBlocks.release(cached);
        }
    }
}
