package org.relulearn.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.relulearn.algo.convex.ConvexResult;
import org.relulearn.engine.LocalPassRunner;

/**
 * The convex ADMM on two executor JVMs ({@code local-cluster}) equals the local runner bit for bit in
 * deterministic mode: the per-row ADMM state is a persisted RDD replaced every iteration and
 * checkpointed every 10, the blocks are generated and the state kept inside the executor JVMs.
 * Alone: {@code mvn -B -q verify -Dtest=ConvexLocalClusterTest -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@Tag("multiprocess")
class ConvexLocalClusterTest {
    @Test
    void convexFitOnTwoExecutorJvmsEqualsTheLocalFit() {
        SparkSession spark = LocalClusterSession.get();
        assertTrue(spark.sparkContext().master().startsWith("local-cluster"), spark.sparkContext().master());
        ConvexResult cluster = ConvexSparkEqualsLocalTest.fit(new SparkPassRunner(spark,
                SparkPassRunner.RunnerOptions.defaults().withPartitions(3).withDeterministic(true)));
        ConvexResult local = ConvexSparkEqualsLocalTest.fit(new LocalPassRunner(3, LocalPassRunner.DEFAULT_DEPTH));
        assertEquals(local.iterations(), cluster.iterations());
        assertArrayEquals(local.groups(), cluster.groups(), 0.0, "convex: v");
        assertArrayEquals(local.lambda(), cluster.lambda(), 0.0, "convex: lambda");
        assertEquals(local.lowerBound(), cluster.lowerBound(), 0.0, "convex: certificate");
        System.out.printf("convex local-cluster: %d iterations, objective %.10g, equal to local%n", cluster.iterations(), cluster.objective());
    }
}
