package org.relulearn.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
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
import org.relulearn.data.Block;
import org.relulearn.data.Distributions;
import org.relulearn.data.ReluGate;
import org.relulearn.data.SyntheticSource;
import org.relulearn.data.Teachers;
import org.relulearn.linalg.Dense;
import org.relulearn.spark.SparkTestSession;

/** The gate as a Spark ML estimator: fit on a DataFrame, transform, save and load. */
class ReluGateEstimatorTest {

    static Dataset<Row> frame(SparkSession spark, SyntheticSource src) {
        List<Row> rows = new ArrayList<>();
        SyntheticSource.Workspace ws = src.newWorkspace();
        int d = src.d();
        for (long b = 0; b < src.numBlocks(); b++) {
            Block blk = src.fill(b, src.newBlock(), ws);
            for (int r = 0; r < blk.rows(); r++) {
                double[] x = java.util.Arrays.copyOfRange(blk.x(), r * d, (r + 1) * d);
                rows.add(RowFactory.create(Vectors.dense(x), blk.y()[r]));
            }
        }
        StructType schema = new StructType()
                .add("features", SQLDataTypes.VectorType())
                .add("label", DataTypes.DoubleType);
        return spark.createDataFrame(rows, schema).repartition(3);
    }

    @Test
    void fitRecoversTheTeacherGateAndTransformPredicts(@TempDir Path tmp) throws Exception {
        SparkSession spark = SparkTestSession.get();
        int d = 8;
        ReluGate gate = Teachers.randomGate(d, 12, true);
        Dataset<Row> df = frame(spark, new SyntheticSource(Distributions.parse("laplace", d), gate, null, 20_000, 3, 0, 4096));
        ReluGateEstimator est = new ReluGateEstimator().setBatchSize(2000).setMaxIter(60).setInit("ones").setSeed(5);
        ReluNetworkModel model = est.fit(df);
        double err = Dense.distance(model.toNetwork().weights(), gate.weights());
        assertTrue(err < 1e-6, "recovered gate error " + err + " (eta " + est.lastResult().eta() + ")");
        assertEquals(60, est.lastResult().iterations());

        Row first = model.transform(df).select("features", "label", "prediction").head();
        assertEquals(first.getDouble(1), first.getDouble(2), 1e-6, "prediction relu(w.x) equals the clean label");

        est.write().save(tmp.resolve("est").toString());
        ReluGateEstimator loaded = ReluGateEstimator.load(tmp.resolve("est").toString());
        assertEquals(2000, loaded.getOrDefault(loaded.batchSize()));
        assertEquals("ones", loaded.getOrDefault(loaded.init()));
        model.write().save(tmp.resolve("model").toString());
        ReluNetworkModel back = ReluNetworkModel.load(tmp.resolve("model").toString());
        assertArrayEquals(model.toNetwork().weights(), back.toNetwork().weights(), 0.0);
    }

    @Test
    void badParamsAndMissingColumnsAreClearErrors() {
        ReluGateEstimator est = new ReluGateEstimator();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> est.setBatchSize(0));
        assertTrue(e.getMessage().contains("batchSize"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> est.setUpdate("adam"));
        Dataset<Row> noLabel = SparkTestSession.get().createDataFrame(List.of(RowFactory.create(Vectors.dense(1, 2))),
                new StructType().add("features", SQLDataTypes.VectorType()));
        IllegalArgumentException m = assertThrows(IllegalArgumentException.class, () -> est.fit(noLabel));
        assertTrue(m.getMessage().contains("label"), m.getMessage());
    }
}
