package org.relulearn.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.relulearn.algo.moments.Recovery;
import org.relulearn.data.AdditiveNoise;
import org.relulearn.data.Block;
import org.relulearn.data.Distributions;
import org.relulearn.data.OneHiddenLayerNetwork;
import org.relulearn.data.SyntheticSource;
import org.relulearn.data.Teachers;
import org.relulearn.spark.SparkTestSession;

/** The method of moments as a Spark ML estimator: vector labels, k from the data, transform, persistence. */
class ReluMomentsEstimatorTest {

    static Dataset<Row> frame(SparkSession spark, SyntheticSource src) {
        List<Row> rows = new ArrayList<>();
        SyntheticSource.Workspace ws = src.newWorkspace();
        int d = src.d(), m = src.m();
        for (long b = 0; b < src.numBlocks(); b++) {
            Block blk = src.fill(b, src.newBlock(), ws);
            for (int r = 0; r < blk.rows(); r++) {
                rows.add(RowFactory.create(Vectors.dense(Arrays.copyOfRange(blk.x(), r * d, (r + 1) * d)),
                        Vectors.dense(Arrays.copyOfRange(blk.y(), r * m, (r + 1) * m))));
            }
        }
        StructType schema = new StructType().add("features", SQLDataTypes.VectorType()).add("labels", SQLDataTypes.VectorType());
        return spark.createDataFrame(rows, schema).repartition(3);
    }

    @Test
    void fitRecoversANetworkFromVectorLabels(@TempDir Path tmp) throws Exception {
        SparkSession spark = SparkTestSession.get();
        int d = 5, k = 2, l = 3;
        OneHiddenLayerNetwork t = Teachers.randomNetwork(d, k, l, 7, false, 0, 0);
        Dataset<Row> df = frame(spark, new SyntheticSource(Distributions.parse("gaussian", d), t, AdditiveNoise.isotropic(l, 0.05), 200_000, 2, 0, 4096));
        ReluMomentsEstimator est = new ReluMomentsEstimator().setLabelCol("labels").setSeed(3);
        ReluNetworkModel model = est.fit(df);
        assertEquals(k, model.hiddenUnits(), "k from the gap of B");
        double ew = Recovery.of(model.toNetwork().outputWeights(), model.toNetwork().weights(), t.outputWeights(), t.weights(), l, k, d).eW();
        assertTrue(ew < 0.1, "eW = " + ew);
        assertTrue(est.lastResult().heldOutError() < est.lastResult().heldOutErrorLinear());
        Row first = model.transform(df).select("prediction").head();
        assertEquals(l, ((Vector) first.get(0)).size());

        est.write().save(tmp.resolve("est").toString());
        ReluMomentsEstimator loaded = ReluMomentsEstimator.load(tmp.resolve("est").toString());
        assertEquals("labels", loaded.getLabelCol());
        assertEquals("whitened", loaded.getOrDefault(loaded.diagonalisation()));
        assertThrows(IllegalArgumentException.class, () -> est.setWeighting("diagonal"));

        // a held-out share, a tiny memory cap (forces reduced-x weighting) and the tolerance are honoured
        ReluMomentsEstimator held = new ReluMomentsEstimator().setLabelCol("labels").setSeed(3).setHeldOutFraction(0.25)
                .setMemoryCapMb(1).setSymmetryTolerance(0.05);
        held.setHiddenUnits(k);
        held.fit(df);
        assertTrue(!held.lastResult().heldOutInSample(), "held out");
        assertTrue(held.lastResult().n() > 140_000 && held.lastResult().n() < 160_000, "75% trains: " + held.lastResult().n());
        assertEquals(1L << 20, held.options().memoryCapBytes());
        assertEquals(0.05, held.options().symmetryTolerance());
        assertThrows(IllegalArgumentException.class, () -> held.setHeldOutFraction(1.0));
    }
}
