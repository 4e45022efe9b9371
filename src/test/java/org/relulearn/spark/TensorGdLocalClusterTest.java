package org.relulearn.spark;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.relulearn.algo.tensorgd.TensorGdResult;
import org.relulearn.engine.LocalPassRunner;
import org.relulearn.engine.SyntheticData;

/**
 * tensor-gd on {@code local-cluster[2,1,1024]} (two executor JVMs) equals the local runner bit for
 * bit in deterministic mode: Phase I, the step-size power iterations and every GD pass.
 * Alone: {@code mvn -B -q verify -Dtest=TensorGdLocalClusterTest -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@Tag("multiprocess")
class TensorGdLocalClusterTest {

    @Test
    void fitOnTwoExecutorJvmsEqualsTheLocalFit() {
        SparkPassRunner cluster = new SparkPassRunner(LocalClusterSession.get(),
                SparkPassRunner.RunnerOptions.defaults().withPartitions(3).withDeterministic(true));
        TensorGdResult local = TensorGdSparkEqualsLocalTest.fit(new LocalPassRunner(3, LocalPassRunner.DEFAULT_DEPTH),
                new SyntheticData(TensorGdSparkEqualsLocalTest.source()));
        TensorGdResult remote = TensorGdSparkEqualsLocalTest.fit(cluster, new SyntheticData(TensorGdSparkEqualsLocalTest.source()));
        TensorGdSparkEqualsLocalTest.assertSame(local, remote);
    }
}
