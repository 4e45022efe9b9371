package org.relulearn.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.mllib.linalg.Matrix;
import org.apache.spark.mllib.linalg.Vector;
import org.apache.spark.mllib.linalg.Vectors;
import org.apache.spark.mllib.linalg.distributed.RowMatrix;
import org.junit.jupiter.api.Test;
import org.relulearn.algo.moments.MomentAggregator;
import org.relulearn.algo.moments.Moments;
import org.relulearn.data.Block;
import org.relulearn.data.Distributions;
import org.relulearn.data.SyntheticSource;
import org.relulearn.engine.SyntheticData;

/**
 * Our second moment E[x x^T] equals MLlib's {@code RowMatrix.computeGramianMatrix()} / N, and our
 * mean MLlib's column mean, on the same rows (generated on the executors into an RDD of vectors).
 */
class GramianCrossCheckTest {

    @Test
    void secondMomentEqualsMllibGramianOverN() {
        int d = 6;
        SyntheticSource src = new SyntheticSource(Distributions.withCovariance(new double[] {
            2.0, 0.5, 0.3, 0, 0, 0.1,
            0.5, 1.0, -0.4, 0, 0, 0,
            0.3, -0.4, 1.5, 0.2, 0, 0,
            0, 0, 0.2, 1, 0.3, 0,
            0, 0, 0, 0.3, 1, -0.5,
            0.1, 0, 0, 0, -0.5, 3}, d), null, null, 60_001, 8, 2, 1000);
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(SparkTestSession.get().sparkContext());
        List<Long> ids = LongStream.range(0, src.numBlocks()).boxed().toList();
        JavaRDD<Vector> rows = jsc.parallelize(ids, 4).mapPartitions(it -> {
            SyntheticSource.Workspace ws = src.newWorkspace();
            Block buf = src.newBlock();
            List<Vector> out = new ArrayList<>();
            while (it.hasNext()) {
                src.fill(it.next(), buf, ws);
                for (int r = 0; r < buf.rows(); r++) {
                    double[] x = new double[d];
                    System.arraycopy(buf.x(), r * d, x, 0, d);
                    out.add(Vectors.dense(x));
                }
            }
            return out.iterator();
        });
        RowMatrix matrix = new RowMatrix(rows.rdd());
        Matrix gram = matrix.computeGramianMatrix();
        double[] mllibMean = matrix.computeColumnSummaryStatistics().mean().toArray();

        Moments mo = new SparkPassRunner(SparkTestSession.get(), SparkPassRunner.RunnerOptions.defaults())
                .aggregate(new SyntheticData(src), () -> new MomentAggregator(d, 0), "test: moments").result();
        assertEquals(60_001, mo.n());
        assertEquals(60_001, matrix.numRows());
        for (int i = 0; i < d; i++) {
            assertEquals(mllibMean[i], mo.meanX()[i], 1e-9, "mean " + i);
            for (int j = 0; j < d; j++) {
                assertEquals(gram.apply(i, j) / mo.n(), mo.secondX()[i * d + j], 1e-9, "E[x_" + i + " x_" + j + "]");
            }
        }
    }
}
