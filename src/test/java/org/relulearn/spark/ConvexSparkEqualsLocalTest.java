package org.relulearn.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.relulearn.algo.convex.ConvexInteriorPoint;
import org.relulearn.algo.convex.ConvexOptions;
import org.relulearn.algo.convex.ConvexResult;
import org.relulearn.algo.convex.ConvexTrainer;
import org.relulearn.data.AdditiveNoise;
import org.relulearn.data.Block;
import org.relulearn.data.Distributions;
import org.relulearn.data.SyntheticSource;
import org.relulearn.data.Teachers;
import org.relulearn.engine.LocalPassRunner;
import org.relulearn.engine.PassRunner;
import org.relulearn.engine.SyntheticData;
import org.relulearn.ml.ReluConvexEstimator;
import org.relulearn.ml.ReluNetworkModel;

/**
 * Distributed equals local for the convex ADMM: the per-row state lives in a persisted RDD replaced
 * every iteration (checkpointed every 10), and Spark's deterministic merge over 3 partitions gives
 * the same iterates, bit for bit, as the local runner with 3 ranges. Also: the estimator.
 */
class ConvexSparkEqualsLocalTest {

    static SyntheticSource source() {
        return new SyntheticSource(Distributions.parse("gaussian", 3), Teachers.randomNetwork(3, 2, 1, 5, false, 0, 0.3),
                AdditiveNoise.isotropic(1, 0.1), 3_000, 4, 0, 400);
    }

    static ConvexResult fit(PassRunner runner) {
        return ConvexTrainer.fit(runner, new SyntheticData(source()),
                ConvexOptions.defaults().withBeta(0.5).withPatterns(16).withMaxIter(23).withTolerances(1e-12, 1e-12));
    }

    @Test
    void sparkDeterministicFitEqualsTheLocalFitBitForBit() {
        ConvexResult spark = fit(new SparkPassRunner(SparkTestSession.get(),
                SparkPassRunner.RunnerOptions.defaults().withPartitions(3).withDeterministic(true)));
        ConvexResult local = fit(new LocalPassRunner(3, LocalPassRunner.DEFAULT_DEPTH));
        assertEquals(23, spark.iterations());
        assertEquals(local.patterns(), spark.patterns());
        assertArrayEquals(local.groups(), spark.groups(), 0.0);
        assertArrayEquals(local.lambda(), spark.lambda(), 0.0);
        assertEquals(local.objective(), spark.objective(), 0.0);
        assertEquals(local.lowerBound(), spark.lowerBound(), 0.0);
        // Spark's own tree reduce: equal up to summation order.
        ConvexResult tree = fit(new SparkPassRunner(SparkTestSession.get(), SparkPassRunner.RunnerOptions.defaults().withPartitions(3)));
        assertEquals(local.objective(), tree.objective(), 1e-9 * Math.abs(local.objective()));
    }

    @Test
    void theInteriorPointOnSparkEqualsTheLocalRunBitForBit() {
        ConvexOptions o = ConvexOptions.defaults().withBeta(0.5).withPatterns(16).withGapTol(1e-6).withMaxIter(200)
                .withSolver(ConvexOptions.Solver.IPM);
        ConvexResult spark = ConvexTrainer.fit(new SparkPassRunner(SparkTestSession.get(),
                SparkPassRunner.RunnerOptions.defaults().withPartitions(3).withDeterministic(true)), new SyntheticData(source()), o);
        ConvexResult local = ConvexTrainer.fit(new LocalPassRunner(3, LocalPassRunner.DEFAULT_DEPTH), new SyntheticData(source()), o);
        assertTrue(local.converged(), local.stopReason());
        assertEquals(local.iterations(), spark.iterations());
        assertArrayEquals(local.groups(), spark.groups(), 0.0);
        assertEquals(local.objective(), spark.objective(), 0.0);
        assertEquals(local.lowerBound(), spark.lowerBound(), 0.0);
    }

    @Test
    void theInteriorPointByDistributedPassesEqualsTheLocalRunBitForBit() {
        ConvexOptions o = ConvexOptions.defaults().withBeta(0.5).withPatterns(16).withGapTol(1e-4).withMaxIter(200)
                .withSolver(ConvexOptions.Solver.IPM);
        ConvexResult spark = ConvexInteriorPoint.solve(new SparkPassRunner(SparkTestSession.get(),
                        SparkPassRunner.RunnerOptions.defaults().withPartitions(3).withDeterministic(true)), new SyntheticData(source()), o,
                null, ConvexInteriorPoint.Placement.PASSES);
        ConvexResult local = ConvexInteriorPoint.solve(new LocalPassRunner(3, LocalPassRunner.DEFAULT_DEPTH), new SyntheticData(source()), o,
                null, ConvexInteriorPoint.Placement.PASSES);
        assertTrue(local.converged(), local.stopReason());
        assertTrue(spark.passes() > 2L * spark.iterations(), "two jobs per Newton step: " + spark.passes());
        assertEquals(local.iterations(), spark.iterations());
        assertArrayEquals(local.groups(), spark.groups(), 0.0);
        assertEquals(local.lowerBound(), spark.lowerBound(), 0.0);
    }

    @Test
    void theInteriorPointInOneTaskOverCachedBlocksEqualsTheLocalRunOverTheSamePartitionsBitForBit() {
        // 7 partitions of cached blocks: the task regroups them by partition, so its sums are the deterministic passes' sums
        SparkPassRunner runner = new SparkPassRunner(SparkTestSession.get(),
                SparkPassRunner.RunnerOptions.defaults().withPartitions(7).withDeterministic(true));
        SparkBlockData cached = CachedBlocks.cache(runner, source());
        try {
            assertEquals(7, cached.blocks().getNumPartitions());
            ConvexOptions o = ConvexOptions.defaults().withBeta(0.5).withPatterns(16).withGapTol(1e-6).withMaxIter(200)
                    .withSolver(ConvexOptions.Solver.IPM);
            List<String> log = new ArrayList<>();
            ConvexResult oneTask = ConvexInteriorPoint.solve(runner, cached, o, log::add, ConvexInteriorPoint.Placement.ONE_TASK);
            ConvexResult passes = ConvexInteriorPoint.solve(runner, cached, o, null, ConvexInteriorPoint.Placement.PASSES);
            assertTrue(oneTask.converged(), oneTask.stopReason());
            assertEquals(passes.iterations(), oneTask.iterations());
            assertArrayEquals(passes.groups(), oneTask.groups(), 0.0);
            assertEquals(passes.objective(), oneTask.objective(), 0.0);
            assertEquals(passes.lowerBound(), oneTask.lowerBound(), 0.0);
            assertTrue(log.stream().anyMatch(l -> l.startsWith("convex ipm: step 1,")), "the task's step lines reach the caller's log");
            assertTrue(oneTask.history().get(oneTask.history().size() - 1).seconds() <= oneTask.seconds());
            // a refusal inside the task reaches the caller unchanged
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ConvexInteriorPoint.solve(runner, cached, o.withBeta(0), null, ConvexInteriorPoint.Placement.ONE_TASK));
            assertTrue(e.getMessage().contains("weight decay beta > 0"), e.getMessage());
        } finally {
            runner.uncache(cached);
        }
    }

    @Test
    void smallProgramsRunInOneTaskAndLargeOnesByPasses() {
        assertTrue(ConvexInteriorPoint.fitsOneTask(200, 60, 3));
        assertTrue(ConvexInteriorPoint.fitsOneTask(3_000, 16, 4));
        assertFalse(ConvexInteriorPoint.fitsOneTask(100_000, 16, 11));
        assertFalse(ConvexInteriorPoint.fitsOneTask(1_000, 64, 101));
    }

    /** The source's rows as a (features, label) DataFrame in {@code partitions} partitions. */
    static Dataset<Row> frame(int partitions) {
        SyntheticSource src = source();
        List<Row> rows = new ArrayList<>();
        SyntheticSource.Workspace ws = src.newWorkspace();
        for (long b = 0; b < src.numBlocks(); b++) {
            Block blk = src.fill(b, src.newBlock(), ws);
            for (int r = 0; r < blk.rows(); r++) {
                rows.add(RowFactory.create(Vectors.dense(Arrays.copyOfRange(blk.x(), r * 3, r * 3 + 3)), blk.y()[r]));
            }
        }
        StructType schema = new StructType().add("features", SQLDataTypes.VectorType()).add("label", DataTypes.DoubleType);
        return SparkTestSession.get().createDataFrame(rows, schema).repartition(partitions);
    }

    @Test
    void estimatorFitsAReluNetworkModel() {
        Dataset<Row> df = frame(2);
        ReluConvexEstimator est = new ReluConvexEstimator().setWeightDecay(0.5).setPatterns(16).setMaxIter(8);
        ReluNetworkModel model = est.fit(df);
        ConvexResult r = est.lastResult();
        assertEquals(r.activeNeurons(), model.hiddenUnits());
        double sse = 0;
        for (Row row : model.transform(df).select("label", "prediction").collectAsList()) {
            double e = row.getDouble(0) - row.getDouble(1);
            sse += 0.5 * e * e;
        }
        double decay = org.relulearn.algo.convex.NetworkMapping.weightDecay(model.toNetwork(), 0.5);
        assertEquals(r.networkObjective(), sse + decay, 1e-6 * r.networkObjective(), "the model's objective is the fit's");
        assertTrue(r.gap() >= -1e-9, "certificate: LB <= network objective");
    }

    @Test
    void theGatedEstimatorCrossValidatesItsWeightDecayAndEqualsTheLocalFit() {
        SyntheticSource src = source();
        Dataset<Row> df = frame(3);
        ReluConvexEstimator est = new ReluConvexEstimator().setSolver("gated").setPatterns(16).setMaxIter(5000);
        ReluNetworkModel model = est.fit(df);
        ConvexResult r = est.lastResult();
        assertTrue(r.converged(), r.stopReason());
        assertTrue(r.relativeGap() >= 0 && r.relativeGap() <= 1e-6, "certified: " + r.relativeGap());
        // The same program in one thread, no Spark: the weight decay chosen and the optimum agree.
        org.relulearn.algo.convex.GatedReluTrainer.Fit local = org.relulearn.algo.convex.GatedReluTrainer.fit(new LocalPassRunner(),
                new SyntheticData(src), org.relulearn.algo.convex.ConvexOptions.defaults().withPatterns(16).withMaxIter(5000).withGapTol(1e-6),
                new org.relulearn.algo.convex.GatedReluTrainer.Settings(true, 5, 16, 1e-4, true, 1), null);
        assertEquals(local.result().objective(), r.objective(), 2e-6 * r.objective(), "Spark and local optima");
        double mse = 0;
        for (Row row : model.transform(df).select("label", "prediction").collectAsList()) mse += Math.pow(row.getDouble(0) - row.getDouble(1), 2);
        mse /= df.count();
        assertTrue(mse < 0.02, "training MSE " + mse + " (label noise variance 0.01)");
    }
}
