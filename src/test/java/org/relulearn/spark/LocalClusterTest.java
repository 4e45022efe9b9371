package org.relulearn.spark;

import org.relulearn.algo.gate.GateOptions;
import org.relulearn.algo.gate.GateResult;
import org.relulearn.algo.moments.MomentsResult;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.relulearn.algo.moments.MomentAggregator;
import org.relulearn.algo.moments.Moments;
import org.relulearn.data.Distributions;
import org.relulearn.data.SyntheticSource;
import org.relulearn.data.Teachers;
import org.relulearn.engine.LocalPassRunner;
import org.relulearn.engine.SyntheticData;

/**
 * The moment pass on {@code local-cluster[2,1,1024]} -- a master and two workers in this JVM, two
 * executor JVMs forked by them -- equals the local runner: bit for bit in deterministic mode, to
 * 1e-12 under treeReduce. Blocks are generated inside the executor JVMs, so this also shows that
 * generation depends only on (seed, stream, index), not on the process.
 *
 * <p>Tagged {@code multiprocess}: surefire runs it in its own execution (its own JVM, since a JVM
 * holds one SparkContext), on the shared {@link LocalClusterSession}. Alone: {@code mvn test -Dtest=LocalClusterTest -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@Tag("multiprocess")
class LocalClusterTest {

    @Test
    void momentPassOnTwoExecutorJvmsEqualsTheLocalRunner() {
        SparkSession spark = LocalClusterSession.get();
        {
            JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            assertTrue(jsc.master().startsWith("local-cluster"), "master " + jsc.master());

            // the tasks run in other processes than this one
            long driverPid = ProcessHandle.current().pid();
            List<Long> taskPids = jsc.parallelize(IntStream.range(0, 8).boxed().toList(), 8)
                    .map(i -> ProcessHandle.current().pid()).distinct().collect();
            assertFalse(taskPids.contains(driverPid), "a task ran in the driver JVM: " + taskPids);

            int d = 6, m = 2;
            SyntheticData data = new SyntheticData(new SyntheticSource(Distributions.parse("laplace", d),
                    Teachers.randomNetwork(d, 3, m, 2, true, 0, 0.1), null, 100_000, 31, 0, 1000));
            Moments local = new LocalPassRunner(8, 2).aggregate(data, () -> new MomentAggregator(d, m), "local").result();
            Moments det = new SparkPassRunner(spark, new SparkPassRunner.RunnerOptions(8, 2, true, 0))
                    .aggregate(data, () -> new MomentAggregator(d, m), "test: local-cluster, deterministic").result();
            Moments tree = new SparkPassRunner(spark, new SparkPassRunner.RunnerOptions(8, 2, false, 0))
                    .aggregate(data, () -> new MomentAggregator(d, m), "test: local-cluster, treeReduce").result();
            assertEquals(100_000, det.n());
            assertArrayEquals(local.meanX(), det.meanX());
            assertArrayEquals(local.secondX(), det.secondX());
            assertArrayEquals(local.crossYX(), det.crossYX());
            assertArrayEquals(local.secondY(), det.secondY());
            assertEquals(local.n(), tree.n());
            assertArrayEquals(local.secondX(), tree.secondX(), 1e-12);
            assertArrayEquals(local.crossYX(), tree.crossYX(), 1e-12);
            assertArrayEquals(local.secondY(), tree.secondY(), 1e-12);
            System.out.println("local-cluster test: task pids " + taskPids + ", driver pid " + driverPid);

            // Every algorithm's fit on two executor JVMs equals the local fit.
            SparkPassRunner cluster = new SparkPassRunner(spark, SparkPassRunner.RunnerOptions.defaults().withPartitions(3)
                    .withDeterministic(true));
            MomentsResult mc = MomentsSparkEqualsLocalTest.fit(cluster);
            MomentsResult ml = MomentsSparkEqualsLocalTest.fit(new LocalPassRunner(3, LocalPassRunner.DEFAULT_DEPTH));
            assertArrayEquals(ml.w(), mc.w(), 0.0, "moments: W");
            assertArrayEquals(ml.a(), mc.a(), 0.0, "moments: A");
            GateResult gc = GateModesTest.run(cluster, GateOptions.Mode.DISTRIBUTED, 1, 97);
            GateResult gs = GateModesTest.run(cluster, GateOptions.Mode.STREAMING, 7, 4096);
            GateResult gl = GateModesTest.run(new LocalPassRunner(3, LocalPassRunner.DEFAULT_DEPTH), GateOptions.Mode.DISTRIBUTED, 1, 97);
            assertArrayEquals(gl.w(), gc.w(), 0.0, "gate, distributed mode");
            assertArrayEquals(gl.w(), gs.w(), 1e-12, "gate, streaming mode in an executor JVM");
        }
    }
}
