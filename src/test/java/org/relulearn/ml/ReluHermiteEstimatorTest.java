package org.relulearn.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.relulearn.algo.hermite.HermiteRecovery;
import org.relulearn.algo.hermite.HermiteTeacher;
import org.relulearn.algo.hermite.ReluNet;
import org.relulearn.data.Block;
import org.relulearn.data.Distributions;
import org.relulearn.data.OneHiddenLayerNetwork;
import org.relulearn.data.SyntheticSource;
import org.relulearn.spark.SparkTestSession;

/** The Hermite fit as a Spark ML estimator: scalar labels, m from the data, a biased ReluNetworkModel, persistence. */
class ReluHermiteEstimatorTest {

    static Dataset<Row> frame(SparkSession spark, SyntheticSource src) {
        List<Row> rows = new ArrayList<>();
        SyntheticSource.Workspace ws = src.newWorkspace();
        int d = src.d();
        for (long b = 0; b < src.numBlocks(); b++) {
            Block blk = src.fill(b, src.newBlock(), ws);
            for (int r = 0; r < blk.rows(); r++) {
                rows.add(RowFactory.create(Vectors.dense(Arrays.copyOfRange(blk.x(), r * d, (r + 1) * d)), blk.y()[r]));
            }
        }
        StructType schema = new StructType().add("features", SQLDataTypes.VectorType()).add("label", DataTypes.DoubleType);
        return spark.createDataFrame(rows, schema).repartition(3);
    }

    @Test
    void fitRecoversABiasedNetworkAndRoundTrips(@TempDir Path tmp) throws Exception {
        SparkSession spark = SparkTestSession.get();
        int d = 4;
        OneHiddenLayerNetwork t = HermiteTeacher.network(d, new double[] {0.3, -0.8}, 5);
        Dataset<Row> df = frame(spark, new SyntheticSource(Distributions.parse("gaussian", d), t, null, 120_000, 5, 0, 4096));
        ReluHermiteEstimator est = new ReluHermiteEstimator().setSeed(2);
        ReluNetworkModel model = est.fit(df);
        assertEquals(2, est.lastResult().units(), String.join("\n", est.lastResult().messages()));
        assertEquals(2 + est.lastResult().affineUnits().units(), model.hiddenUnits(), "tensor units then the affine units");
        OneHiddenLayerNetwork n = model.toNetwork();
        ReluNet fitted = new ReluNet(d, 2, Arrays.copyOf(n.weights(), 2 * d), Arrays.copyOf(n.biases(), 2), Arrays.copyOf(n.outputWeights(), 2));
        HermiteRecovery rec = HermiteRecovery.of(fitted, HermiteTeacher.asNet(t));
        assertTrue(rec.minSignedCosine() > 0.98 && rec.parameterError() < 0.5, rec.toString());
        Row first = df.head();
        double pred = model.transform(df.limit(1)).select("prediction").head().getDouble(0);
        double truth = first.getDouble(1);
        assertEquals(truth, pred, 0.1, "prediction of the first row");

        est.write().save(tmp.resolve("est").toString());
        ReluHermiteEstimator loaded = ReluHermiteEstimator.load(tmp.resolve("est").toString());
        assertEquals("auto", loaded.getOrDefault(loaded.affineFit()));
        assertEquals(est.options(), loaded.options());
        assertThrows(IllegalArgumentException.class, () -> est.setAffineFit("sometimes"));
        assertThrows(IllegalArgumentException.class, () -> est.setKmax(3));
    }
}
