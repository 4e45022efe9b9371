package org.relulearn.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.relulearn.algo.convex.ConvexOptions;
import org.relulearn.algo.convex.ConvexResult;
import org.relulearn.algo.convex.ConvexTrainer;
import org.relulearn.engine.LocalPassRunner;
import org.relulearn.engine.PassRunner;
import org.relulearn.engine.SyntheticData;

/**
 * Robust convex training on two executor JVMs ({@code local-cluster}) equals the local runner bit for bit
 * in deterministic mode: the per-row multipliers are a persisted RDD replaced by every pass (checkpointed
 * every 10), and every FISTA step is one stateful pass.
 * Alone: {@code mvn -B -q verify -Dtest=RobustConvexLocalClusterTest -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@Tag("multiprocess")
class RobustConvexLocalClusterTest {
    static ConvexResult fit(PassRunner runner) {
        return ConvexTrainer.fit(runner, new SyntheticData(ConvexSparkEqualsLocalTest.source()),
                ConvexOptions.defaults().withBeta(0.5).withPatterns(8).withMaxIter(25).withAdversarialEps(0.05));
    }

    @Test
    void robustFitOnTwoExecutorJvmsEqualsTheLocalFit() {
        SparkSession spark = LocalClusterSession.get();
        assertTrue(spark.sparkContext().master().startsWith("local-cluster"), spark.sparkContext().master());
        ConvexResult cluster = fit(new SparkPassRunner(spark, SparkPassRunner.RunnerOptions.defaults().withPartitions(3).withDeterministic(true)));
        ConvexResult local = fit(new LocalPassRunner(3, LocalPassRunner.DEFAULT_DEPTH));
        assertEquals(local.iterations(), cluster.iterations());
        assertArrayEquals(local.groups(), cluster.groups(), 0.0, "robust: groups");
        assertEquals(local.robust().surrogateObjective(), cluster.robust().surrogateObjective(), 0.0, "robust: surrogate");
        assertEquals(local.robust().certifiedObjective(), cluster.robust().certifiedObjective(), 0.0, "robust: certified");
        assertEquals(0.0, cluster.robust().maxViolationAfterRepair(), 0.0, "robust: cones after the repair");
        System.out.printf("robust local-cluster: %d FISTA steps, %d passes, surrogate %.10g, certified %.10g, equal to local%n",
                cluster.iterations(), cluster.passes(), cluster.robust().surrogateObjective(), cluster.robust().certifiedObjective());
    }
}
