package org.relulearn.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.relulearn.spark.SparkTestSession;

/**
 * Spark's DefaultReadWriteTest pattern for relulearn stages: save, save again (must fail), overwrite,
 * load, then compare uid, every param (value and whether it was set) and the model arrays bit for bit.
 */
class ReluModelPersistenceTest {
    @TempDir Path tmp;

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A model whose numbers do not survive a decimal round trip unless stored exactly. */
    static ReluNetworkModel awkwardModel() {
        int d = 3;
        int k = 2;
        int m = 2;
        double[] w = {0.1, 1.0 / 3, -0.0, Math.PI * 1e-300, Math.nextUp(1.0), -123456789.123456789};
        double[] b = {Double.MIN_VALUE, -2.5};
        double[] a = {1e300, -1.0 / 7, 0.0, Math.E};
        return new ReluNetworkModel(d, k, m, w, b, a);
    }

    /** The DefaultReadWriteTest comparison: same class, uid, params (set and default), and isSet state. */
    static void assertSameParams(Params expected, Params actual) {
        assertEquals(expected.getClass(), actual.getClass());
        assertEquals(expected.uid(), actual.uid());
        assertEquals(expected.params().length, actual.params().length);
        for (Param<?> p : expected.params()) {
            Param<Object> q = actual.getParam(p.name());
            assertEquals(expected.isSet(p), actual.isSet(q), p.name() + " set state");
            assertEquals(expected.getDefault(p), actual.getDefault(q), p.name() + " default");
            assertEquals(expected.getOrDefault(p), actual.getOrDefault(q), p.name() + " value");
        }
    }

    @Test
    void modelRoundTripSaveTwiceFailsOverwriteReplacesLoadRestoresEverything() throws IOException {
        SparkSession spark = SparkTestSession.get();
        String path = tmp.resolve("model").toUri().toString();
        ReluNetworkModel first = awkwardModel().setPredictionCol("yhat");
        first.set(first.maxIter(), 17);
        first.set(first.tol(), 0.1 + 0.2);
        first.set(first.seed(), Long.MIN_VALUE);
        first.write().save(path);

        IOException again = assertThrows(IOException.class, () -> first.write().save(path));
        assertTrue(again.getMessage().contains("already exists"), again.getMessage());
        assertThrows(IOException.class, () -> first.save(path), "MLWritable.save must not overwrite either");

        // Overwrite with a different model: the load must see the second one only.
        ReluNetworkModel second = awkwardModel().setFeaturesCol("x").setBlockSizeMB(0.5);
        second.set(second.aggregationDepth(), 4);
        second.write().overwrite().save(path);

        ReluNetworkModel loaded = ReluNetworkModel.load(path);
        assertSameParams(second, loaded);
        assertEquals("x", loaded.getFeaturesCol());
        assertEquals("prediction", loaded.getPredictionCol(), "the first model's yhat was overwritten");
        assertFalse(loaded.isSet(loaded.maxIter()));
        assertEquals(second.modelArrays(), loaded.modelArrays());
        assertArrayEquals(second.weights(), loaded.weights());
        assertArrayEquals(second.biases(), loaded.biases());
        assertArrayEquals(second.outputWeights(), loaded.outputWeights());
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(loaded.weights()[2]), "-0.0 survives");
        assertEquals(second.inputDim(), loaded.inputDim());
        assertEquals(second.hiddenUnits(), loaded.hiddenUnits());
        assertEquals(second.outputDim(), loaded.outputDim());

        // The reader also honours an explicit session.
        assertEquals(second.uid(), ReluNetworkModel.read().session(spark).load(path).uid());

        // Values that need exact encoding round-trip exactly through the metadata too.
        String exactPath = tmp.resolve("exact").toString();
        first.write().save(exactPath);
        ReluNetworkModel exact = ReluNetworkModel.load(exactPath);
        assertSameParams(first, exact);
        assertEquals(0.1 + 0.2, exact.getTol());
        assertEquals(Long.MIN_VALUE, exact.getSeed());
        assertEquals("yhat", exact.getPredictionCol());
    }

    @Test
    void directoryLayoutIsSparkMetadataPlusOneParquetRow() throws Exception {
        SparkSession spark = SparkTestSession.get();
        ReluNetworkModel model = awkwardModel();
        model.set(model.maxIter(), 5);
        String path = tmp.resolve("layout").toString();
        model.save(path);

        List<Row> lines = spark.read().text(path + "/metadata").collectAsList();
        assertEquals(1, lines.size());
        JsonNode meta = JSON.readTree(lines.get(0).getString(0));
        assertEquals(ReluNetworkModel.class.getName(), meta.get("class").asText());
        assertEquals(model.uid(), meta.get("uid").asText());
        assertEquals(spark.version(), meta.get("sparkVersion").asText());
        assertTrue(meta.get("timestamp").asLong() > 1_600_000_000_000L);
        assertEquals(ModelMetadata.FORMAT, meta.get("relulearnFormat").asInt());
        assertEquals(5, meta.get("paramMap").get("maxIter").asInt());
        assertEquals(1, meta.get("paramMap").size(), "only explicitly set params go to paramMap");
        assertEquals(8, meta.get("defaultParamMap").size());
        assertEquals(100, meta.get("defaultParamMap").get("maxIter").asInt());

        Dataset<Row> data = spark.read().parquet(path + "/data");
        assertEquals(ReluModelWriter.DATA_SCHEMA.simpleString(), data.schema().simpleString());
        assertEquals(1L, data.count());
        List<Row> arrays = data.first().getList(0);
        assertEquals(List.of("W", "b", "A"), arrays.stream().map(r -> r.getString(0)).toList());
        assertEquals(List.of(2, 3), arrays.get(0).getList(1));
    }

    @Test
    void estimatorRoundTripAndItsFittedModel() throws IOException {
        SparkSession spark = SparkTestSession.get();
        FixedNetworkEstimator est = new FixedNetworkEstimator().setMaxIter(3).setTol(0.0).setSeed(99).setLabelCol("y");
        String path = tmp.resolve("estimator").toString();
        est.write().save(path);
        assertThrows(IOException.class, () -> est.write().save(path));
        est.write().overwrite().save(path);
        FixedNetworkEstimator loaded = FixedNetworkEstimator.load(path);
        assertSameParams(est, loaded);
        assertFalse(new java.io.File(tmp.toFile(), "estimator/data").exists(), "an estimator saves no data/");

        // Estimator + model round trip: the loaded estimator fits the same model, which itself round-trips.
        StructType schema = new StructType().add("features", SQLDataTypes.VectorType());
        Dataset<Row> df = spark.createDataFrame(List.of(RowFactory.create(Vectors.dense(1, 2, 3))), schema);
        ReluNetworkModel model = loaded.fit(df);
        assertEquals(3, model.getMaxIter());
        assertEquals("y", model.getLabelCol());
        String modelPath = tmp.resolve("fitted").toString();
        model.write().save(modelPath);
        ReluNetworkModel reloaded = ReluNetworkModel.load(modelPath);
        assertSameParams(model, reloaded);
        assertEquals(model.modelArrays(), reloaded.modelArrays());
    }

    @Test
    void sparkPipelineModelSavesAndLoadsTheModelAsAStage() throws IOException {
        SparkSession spark = SparkTestSession.get();
        StructType schema = new StructType().add("features", SQLDataTypes.VectorType());
        Dataset<Row> df = spark.createDataFrame(List.of(RowFactory.create(Vectors.dense(1, -1, 0.5))), schema);
        ReluNetworkModel model = awkwardModel().setPredictionCol("out");
        PipelineModel pipeline = new Pipeline().setStages(new PipelineStage[] {model}).fit(df);
        String path = tmp.resolve("pipeline").toString();
        pipeline.write().save(path);
        // PipelineModel reads each stage's metadata with Spark's own reader, then calls ReluNetworkModel.read().
        PipelineModel loaded = PipelineModel.load(path);
        ReluNetworkModel stage = assertInstanceOf(ReluNetworkModel.class, loaded.stages()[0]);
        assertSameParams(model, stage);
        assertEquals(model.modelArrays(), stage.modelArrays());
    }

    @Test
    void loadingTheWrongClassOrAMissingPathFailsWithAClearMessage() throws IOException {
        String estPath = tmp.resolve("est").toString();
        new FixedNetworkEstimator().save(estPath);
        IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class, () -> ReluNetworkModel.load(estPath));
        assertTrue(wrong.getMessage().contains("holds a saved " + FixedNetworkEstimator.class.getName()), wrong.getMessage());
        assertTrue(wrong.getMessage().contains("FixedNetworkEstimator.load(path)"), wrong.getMessage());

        String missing = tmp.resolve("nothing-here").toString();
        IllegalArgumentException absent = assertThrows(IllegalArgumentException.class, () -> ReluNetworkModel.load(missing));
        assertTrue(absent.getMessage().contains("cannot read model metadata"), absent.getMessage());
    }
}
