package org.relulearn.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.relulearn.algo.moments.MomentAggregator;
import org.relulearn.algo.moments.Moments;
import org.relulearn.data.Block;
import org.relulearn.data.Distributions;
import org.relulearn.data.SyntheticSource;
import org.relulearn.data.Teachers;
import org.relulearn.engine.Aggregator;
import org.relulearn.engine.InMemoryData;
import org.relulearn.engine.LocalPassRunner;
import org.relulearn.engine.Shared;
import org.relulearn.engine.SyntheticData;

/**
 * The Spark runner against the local runner. Deterministic mode must equal
 * {@link LocalPassRunner} with the same partitions and depth bit for bit -- for the compensated
 * moment aggregator and for a plain, uncompensated sum, whose result depends on the merge order --
 * and treeReduce mode must agree to 1e-12.
 */
class SparkPassRunnerTest {
    private static final int D = 5;
    private static final int M = 2;

    /** 40,000 rows in 100 blocks of 400: enough blocks for 33 partitions. */
    private static SyntheticSource source(int rowsPerBlock) {
        return new SyntheticSource(Distributions.parse("laplace", D), Teachers.randomNetwork(D, 3, M, 7, true, 0, 0.1),
                null, 40_000, 42, 0, rowsPerBlock);
    }

    /** Moments plus a naive sum of 10^-3 x over all entries: the naive sum exposes the merge order. */
    static final class MomentsAndPlainSum implements Aggregator<MomentsAndPlainSum> {
        private static final long serialVersionUID = 1L;
        final MomentAggregator moments = new MomentAggregator(D, M);
        double plain;

        public void add(Block b) {
            moments.add(b);
            for (int i = 0; i < b.rows() * b.d(); i++) plain += 1e-3 * b.x()[i];
        }

        public MomentsAndPlainSum merge(MomentsAndPlainSum o) {
            moments.merge(o.moments);
            plain += o.plain;
            return this;
        }

        public long count() { return moments.count(); }
    }

    private static SparkPassRunner spark(int partitions, int depth, boolean deterministic) {
        return new SparkPassRunner(SparkTestSession.get(), new SparkPassRunner.RunnerOptions(partitions, depth, deterministic, 0));
    }

    @Test
    void deterministicModeEqualsTheLocalRunnerBitForBit() {
        SyntheticData data = new SyntheticData(source(400));
        List<String> orderSensitive = new ArrayList<>();
        for (int p : new int[] {1, 2, 7, 33}) {
            for (int depth : new int[] {1, 2, 3}) {
                String what = "partitions=" + p + ", depth=" + depth;
                MomentsAndPlainSum viaSpark = spark(p, depth, true).aggregate(data, MomentsAndPlainSum::new, "test: " + what);
                MomentsAndPlainSum local = new LocalPassRunner(p, depth).aggregate(data, MomentsAndPlainSum::new, "local");
                Moments s = viaSpark.moments.result(), l = local.moments.result();
                assertEquals(40_000, s.n(), what);
                assertArrayEquals(l.meanX(), s.meanX(), what);
                assertArrayEquals(l.secondX(), s.secondX(), what);
                assertArrayEquals(l.crossYX(), s.crossYX(), what);
                assertArrayEquals(l.meanY(), s.meanY(), what);
                assertArrayEquals(l.secondY(), s.secondY(), what);
                assertEquals(Double.doubleToRawLongBits(local.plain), Double.doubleToRawLongBits(viaSpark.plain),
                        what + ": plain sum " + local.plain + " vs " + viaSpark.plain);
                // how much the plain sum depends on the tree (shows the check above has teeth)
                double linear = new LocalPassRunner(p, 1).aggregate(data, MomentsAndPlainSum::new, "local").plain;
                if (linear != local.plain) orderSensitive.add(what);
            }
        }
        assertTrue(!orderSensitive.isEmpty(), "the plain sum never depended on the merge tree; the test would not see a wrong order");
    }

    @Test
    void treeReduceModeEqualsTheLocalRunnerTo1e12() {
        Moments local = new LocalPassRunner(1).aggregate(new SyntheticData(source(400)),
                () -> new MomentAggregator(D, M), "local").result();
        int[][] configs = {{1, 1}, {2, 2}, {7, 2}, {33, 3}, {0, 2}};
        for (int[] c : configs) {
            for (int rowsPerBlock : new int[] {400, 777}) {
                String what = "partitions=" + c[0] + ", depth=" + c[1] + ", rows per block=" + rowsPerBlock;
                Moments s = spark(c[0], c[1], false).aggregate(new SyntheticData(source(rowsPerBlock)),
                        () -> new MomentAggregator(D, M), "test: " + what).result();
                assertEquals(local.n(), s.n(), what);
                assertArrayEquals(local.meanX(), s.meanX(), 1e-12, what);
                assertArrayEquals(local.secondX(), s.secondX(), 1e-12, what);
                assertArrayEquals(local.crossYX(), s.crossYX(), 1e-12, what);
                assertArrayEquals(local.meanY(), s.meanY(), 1e-12, what);
                assertArrayEquals(local.secondY(), s.secondY(), 1e-12, what);
            }
        }
    }

    @Test
    void passOverCachedSparkBlocksEqualsTheSyntheticPass() {
        SyntheticSource src = source(400);
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(SparkTestSession.get().sparkContext());
        // Blocks generated on the executors from their ids; only ids travel from the driver.
        List<Long> ids = LongStream.range(0, src.numBlocks()).boxed().toList();
        JavaRDD<Block> blocks = jsc.parallelize(ids, 6).mapPartitions(it -> {
            SyntheticSource.Workspace ws = src.newWorkspace();
            Block buf = src.newBlock();
            List<Block> out = new ArrayList<>();
            while (it.hasNext()) out.add(src.fill(it.next(), buf, ws).compactCopy());
            return out.iterator();
        }).cache();
        try {
            SparkBlockData data = new SparkBlockData(blocks, D, M, src.numRows(), "cached test blocks");
            Moments local = new LocalPassRunner(1).aggregate(new SyntheticData(src), () -> new MomentAggregator(D, M), "local").result();
            Moments tree = spark(0, 2, false).aggregate(data, () -> new MomentAggregator(D, M), "test: cached").result();
            Moments det1 = spark(0, 3, true).aggregate(data, () -> new MomentAggregator(D, M), "test: cached, deterministic").result();
            Moments det2 = spark(0, 3, true).aggregate(data, () -> new MomentAggregator(D, M), "test: cached, deterministic").result();
            assertEquals(src.numRows(), tree.n());
            assertArrayEquals(local.secondX(), tree.secondX(), 1e-12);
            assertArrayEquals(local.crossYX(), tree.crossYX(), 1e-12);
            assertArrayEquals(local.secondX(), det1.secondX(), 1e-12);
            assertArrayEquals(det1.secondX(), det2.secondX(), "deterministic mode repeats itself bit for bit");
            assertArrayEquals(det1.crossYX(), det2.crossYX());
        } finally {
            blocks.unpersist();
        }
    }

    @Test
    void partitionsSharingMapAndInMemoryData() {
        SparkPassRunner auto = spark(0, 2, false);
        int cores = auto.context().defaultParallelism();
        assertEquals(Math.min(4 * cores, 100), auto.partitionsFor(source(400)), "4 slots per core");
        assertEquals(3, auto.partitionsFor(source(400).withNumRows(1000)), "never more slots than blocks");
        assertEquals(7, spark(7, 2, false).partitionsFor(source(400)));

        double[] table = {1.5, 2.5, 3.5};
        Shared<double[]> shared = auto.share(table);
        List<Integer> inputs = IntStream.range(0, 9).boxed().toList();
        List<Double> out = auto.map(inputs, i -> shared.value()[i % 3] * i, "test: map");
        for (int i = 0; i < 9; i++) assertEquals(table[i % 3] * i, out.get(i), 0, "result " + i + " in input order");
        shared.release();
        assertEquals(List.of(), auto.map(List.<Integer>of(), i -> i, "empty"));

        SyntheticSource src = source(400).withNumRows(1000);
        List<Block> blocks = new ArrayList<>();
        for (long b = 0; b < src.numBlocks(); b++) blocks.add(src.fill(b, src.newBlock(), src.newWorkspace()));
        InMemoryData mem = new InMemoryData(D, M, blocks);
        Moments viaSpark = auto.aggregate(mem, () -> new MomentAggregator(D, M), "in memory").result();
        Moments local = new LocalPassRunner().aggregate(new SyntheticData(src), () -> new MomentAggregator(D, M), "local").result();
        assertArrayEquals(local.secondX(), viaSpark.secondX(), 1e-12);
    }
}
