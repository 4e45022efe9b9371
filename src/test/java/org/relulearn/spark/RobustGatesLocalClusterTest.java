package org.relulearn.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.relulearn.algo.convex.ConvexTrainer;
import org.relulearn.algo.convex.GateChoice;
import org.relulearn.data.SyntheticSource;
import org.relulearn.data.XorClusters;
import org.relulearn.engine.LocalPassRunner;
import org.relulearn.engine.PassRunner;
import org.relulearn.engine.SyntheticData;

/**
 * Margin-aware gates ({@link GateChoice#marginAware}: 100 ascent passes and the margin pass) on two executor
 * JVMs ({@code local-cluster}) equal the local runner's bit for bit in deterministic mode.
 * Alone: {@code mvn -B -q verify -Dtest=RobustGatesLocalClusterTest -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@Tag("multiprocess")
class RobustGatesLocalClusterTest {
    static GateChoice.Chosen choose(PassRunner runner) {
        SyntheticData data = new SyntheticData(new SyntheticSource(XorClusters.standard(6, 2, 0.25), null, null, 3000, 2, 0, 500));
        return GateChoice.marginAware(runner, data, ConvexTrainer.sampleGates(12, 7, 2), true, 0.3, null);
    }

    @Test
    void marginAwareGatesOnTwoExecutorJvmsEqualTheLocalOnes() {
        SparkSession spark = LocalClusterSession.get();
        assertTrue(spark.sparkContext().master().startsWith("local-cluster"), spark.sparkContext().master());
        GateChoice.Chosen cluster = choose(new SparkPassRunner(spark, SparkPassRunner.RunnerOptions.defaults().withPartitions(3).withDeterministic(true)));
        GateChoice.Chosen local = choose(new LocalPassRunner(3, LocalPassRunner.DEFAULT_DEPTH));
        assertArrayEquals(local.gates(), cluster.gates(), 0.0, "margin-aware gates");
        assertEquals(local.positive(), cluster.positive());
        assertEquals(local.largestDistance(), cluster.largestDistance(), 0.0);
        assertTrue(cluster.positive() > 0, "some gate has a margin at eps 0.3");
        System.out.printf("margin-aware gates local-cluster: %d of %d with a margin, largest distance %.10g, equal to local%n",
                cluster.positive(), cluster.candidates(), cluster.largestDistance());
    }
}
