package org.relulearn.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.relulearn.algo.moments.MomentAggregator;
import org.relulearn.algo.moments.Moments;
import org.relulearn.data.ProductDistribution;
import org.relulearn.data.ScalarLaw;
import org.relulearn.data.SyntheticSource;
import org.relulearn.data.Teachers;
import org.relulearn.engine.LocalPassRunner;
import org.relulearn.engine.SyntheticData;

class SparkPassRunnerTest {

    private static SyntheticSource source(int rowsPerBlock) {
        int d = 6;
        return new SyntheticSource(ProductDistribution.iid(new ScalarLaw.Gaussian(0, 1), d),
                Teachers.randomNetwork(d, 3, 2, 7, true, 0, 0), null, 200_000, 42, 0, rowsPerBlock);
    }

    @Test
    void sparkPassEqualsLocalPassAndDeterministicModeIsBitIdenticalToLocal() {
        SyntheticSource src = source(1000);
        SparkPassRunner spark = new SparkPassRunner(SparkTestSession.get(),
                SparkPassRunner.RunnerOptions.defaults().withPartitions(7).withDeterministic(true));
        Moments viaSpark = spark.aggregate(new SyntheticData(src), () -> new MomentAggregator(6, 2), "test: moments").result();
        Moments local = new LocalPassRunner(7).aggregate(new SyntheticData(src), () -> new MomentAggregator(6, 2), "local").result();
        assertEquals(local.n(), viaSpark.n());
        assertArrayEquals(local.secondX(), viaSpark.secondX(), 0.0);
        assertArrayEquals(local.crossYX(), viaSpark.crossYX(), 0.0);

        SparkPassRunner tree = new SparkPassRunner(SparkTestSession.get(),
                SparkPassRunner.RunnerOptions.defaults().withPartitions(3));
        Moments viaTree = tree.aggregate(new SyntheticData(src.withRowsPerBlock(777)), () -> new MomentAggregator(6, 2), "test").result();
        assertArrayEquals(local.secondX(), viaTree.secondX(), 1e-12);
        assertArrayEquals(local.meanY(), viaTree.meanY(), 1e-12);
    }
}
