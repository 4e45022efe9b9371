package org.relulearn.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.relulearn.algo.tensorgd.MatchedError;
import org.relulearn.algo.tensorgd.ZhongTeacher;
import org.relulearn.data.Distributions;
import org.relulearn.data.OneHiddenLayerNetwork;
import org.relulearn.data.SyntheticSource;
import org.relulearn.spark.SparkTestSession;

/** tensor-gd as a Spark ML estimator: fit on a DataFrame, transform, save and load, clear param errors. */
class ReluTensorGdEstimatorTest {

    @Test
    void fitRecoversTheTeacherAndTransformPredicts(@TempDir Path tmp) throws Exception {
        SparkSession spark = SparkTestSession.get();
        OneHiddenLayerNetwork teacher = ZhongTeacher.create(6, 3, 2, false, 2);
        Dataset<Row> df = ReluGateEstimatorTest.frame(spark, new SyntheticSource(Distributions.parse("gaussian", 6), teacher, null,
                30_000, 3, 0, 4096));
        ReluTensorGdEstimator est = new ReluTensorGdEstimator().setHiddenUnits(3).setOutputWeights("ones").setMaxIter(25).setSeed(4);
        ReluNetworkModel model = est.fit(df);
        double err = MatchedError.of(model.toNetwork().weights(), teacher.weights(), 3, 6);
        double initErr = MatchedError.of(est.lastResult().init().w0(), teacher.weights(), 3, 6);
        assertTrue(err < 0.7 * initErr && initErr < 0.5, "init error " + initErr + ", final " + err);
        assertArrayEquals(new double[] {1, 1, 1}, model.toNetwork().outputWeights(), 0.0);

        Row first = model.transform(df).select("label", "prediction").head();
        assertEquals(first.getDouble(0), first.getDouble(1), 0.3 * Math.max(1, Math.abs(first.getDouble(0))));

        est.write().save(tmp.resolve("est").toString());
        ReluTensorGdEstimator loaded = ReluTensorGdEstimator.load(tmp.resolve("est").toString());
        assertEquals("ones", loaded.getOrDefault(loaded.outputWeights()));
        assertEquals(25, (Integer) loaded.getOrDefault(loaded.maxIter()));
    }

    @Test
    void badParamsAreClearErrors() {
        ReluTensorGdEstimator est = new ReluTensorGdEstimator();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> est.setHiddenUnits(-1));
        assertTrue(e.getMessage().contains("hiddenUnits"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> est.setOutputWeights("1,x"));
        assertTrue(e.getMessage().contains("outputWeights"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> est.setVariant("cubic"));
        est.setHiddenUnits(3).setOutputWeights("1,1");
        e = assertThrows(IllegalArgumentException.class, est::options);
        assertTrue(e.getMessage().contains("hiddenUnits is 3"), e.getMessage());
    }
}
