package org.relulearn.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** The shared params: names, defaults, validation messages, set/get, copy and explainParams (no Spark session). */
class ReluParamsTest {

    private static final String[] NAMES = {"aggregationDepth", "blockSizeMB", "featuresCol", "labelCol", "maxIter",
            "predictionCol", "seed", "tol"};

    private static String[] names(org.apache.spark.ml.param.Params p) {
        return Arrays.stream(p.params()).map(Param::name).toArray(String[]::new);
    }

    @Test
    void estimatorAndModelExposeTheEightSharedParamsOwnedByThemselves() {
        FixedNetworkEstimator est = new FixedNetworkEstimator();
        ReluNetworkModel model = ReluNetworkModel.gate(new double[] {1, 2}, 0);
        assertArrayEquals(NAMES, names(est));
        assertArrayEquals(NAMES, names(model));
        for (Param<?> p : est.params()) assertEquals(est.uid(), p.parent());
        for (Param<?> p : model.params()) assertEquals(model.uid(), p.parent());
        assertTrue(est.uid().startsWith("fixedNetwork_"), est.uid());
        assertTrue(model.uid().startsWith("reluNetwork_"), model.uid());
    }

    @Test
    void defaultsAreDefinedButNotSet() {
        FixedNetworkEstimator est = new FixedNetworkEstimator();
        assertEquals(1L, est.getSeed());
        assertEquals(100, est.getMaxIter());
        assertEquals(1e-6, est.getTol());
        assertEquals(1.0, est.getBlockSizeMB());
        assertEquals(1024L * 1024, est.blockSizeBytes());
        assertEquals(2, est.getAggregationDepth());
        assertEquals("features", est.getFeaturesCol());
        assertEquals("label", est.getLabelCol());
        assertEquals("prediction", est.getPredictionCol());
        for (Param<?> p : est.params()) {
            assertTrue(est.hasDefault(p), p.name());
            assertFalse(est.isSet(p), p.name());
        }
    }

    @Test
    void settersSetAndReturnTheConcreteType() {
        FixedNetworkEstimator est = new FixedNetworkEstimator();
        FixedNetworkEstimator same = est.setSeed(-7L).setMaxIter(7).setTol(0.0).setBlockSizeMB(0.25)
                .setAggregationDepth(3).setFeaturesCol("x").setLabelCol("y").setPredictionCol("yhat");
        assertSame(est, same);
        assertEquals(-7L, est.getSeed());
        assertEquals(7, est.getMaxIter());
        assertEquals(0.0, est.getTol());
        assertEquals(0.25, est.getBlockSizeMB());
        assertEquals(3, est.getAggregationDepth());
        assertEquals("x", est.getFeaturesCol());
        assertEquals("y", est.getLabelCol());
        assertEquals("yhat", est.getPredictionCol());
        for (Param<?> p : est.params()) assertTrue(est.isSet(p), p.name());

        ReluNetworkModel model = ReluNetworkModel.gate(new double[] {1}, 0);
        assertSame(model, model.setFeaturesCol("f").setPredictionCol("p").setBlockSizeMB(2));
        assertEquals("f", model.getFeaturesCol());
        assertEquals("p", model.getPredictionCol());
        assertEquals(2.0, model.getBlockSizeMB());
    }

    private static void assertRejected(Executable call, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String f : fragments) assertTrue(e.getMessage().contains(f), "message '" + e.getMessage() + "' lacks '" + f + "'");
    }

    @Test
    void invalidValuesAreRejectedWithTheRuleInTheMessage() {
        FixedNetworkEstimator est = new FixedNetworkEstimator();
        assertRejected(() -> est.setMaxIter(0), "maxIter", "must be an integer >= 1", "got 0");
        assertRejected(() -> est.setMaxIter(-3), "maxIter", "got -3");
        assertRejected(() -> est.setTol(-1e-9), "tol", ">= 0");
        assertRejected(() -> est.setTol(Double.NaN), "tol", "got NaN");
        assertRejected(() -> est.setBlockSizeMB(0), "blockSizeMB", "> 0", "got 0.0");
        assertRejected(() -> est.setBlockSizeMB(Double.POSITIVE_INFINITY), "blockSizeMB", "finite");
        assertRejected(() -> est.setAggregationDepth(0), "aggregationDepth", ">= 1");
        assertRejected(() -> est.setFeaturesCol(" "), "featuresCol", "non-empty");
        assertRejected(() -> est.setPredictionCol(""), "predictionCol", "non-empty");
        // The rejected values left the defaults in place.
        assertEquals(100, est.getMaxIter());
        assertFalse(est.isSet(est.maxIter()));
        // The same validation guards the generic paths: set(name, value) and ParamMap entries.
        assertRejected(() -> est.set("maxIter", 0), "maxIter", "got 0");
        assertRejected(() -> new ParamMap().put(est.maxIter(), 0), "maxIter", "got 0");
        assertRejected(() -> est.set("seed", 5), "seed", "must be a long");
    }

    @Test
    void copyKeepsUidAndParamsAndAppliesExtra() {
        FixedNetworkEstimator est = new FixedNetworkEstimator().setMaxIter(7).setTol(0.5);
        FixedNetworkEstimator copy = est.copy(new ParamMap().put(est.maxIter(), 9));
        assertNotSame(est, copy);
        assertEquals(est.uid(), copy.uid());
        assertEquals(9, copy.getMaxIter());
        assertEquals(0.5, copy.getTol());
        assertTrue(copy.isSet(copy.tol()));
        assertFalse(copy.isSet(copy.seed()));
        assertEquals(7, est.getMaxIter(), "the original is unchanged");
        // The copy owns its own param objects (same uid, so they compare equal).
        assertNotSame(est.maxIter(), copy.maxIter());
        assertEquals(est.maxIter(), copy.maxIter());
    }

    @Test
    void modelCopyKeepsArraysParamsAndParent() {
        FixedNetworkEstimator est = new FixedNetworkEstimator().setMaxIter(11);
        // What a fit does at its end, without needing a data set here.
        ReluNetworkModel model = est.copyValues(ReluNetworkModel.gate(new double[] {1, -2}, 0.5), new ParamMap()).setParent(est);
        assertSame(est, model.parent());
        assertEquals(11, model.getMaxIter(), "copyValues carries the estimator's params onto the model");
        assertTrue(model.isSet(model.maxIter()));
        ReluNetworkModel copy = model.copy(new ParamMap().put(model.predictionCol(), "p2"));
        assertNotSame(model, copy);
        assertEquals(model.uid(), copy.uid());
        assertEquals("p2", copy.getPredictionCol());
        assertEquals("prediction", model.getPredictionCol());
        assertEquals(11, copy.getMaxIter());
        assertSame(est, copy.parent());
        assertEquals(model.modelArrays(), copy.modelArrays());
    }

    @Test
    void explainParamsListsEveryParamWithDocDefaultAndCurrentValue() {
        FixedNetworkEstimator est = new FixedNetworkEstimator().setMaxIter(7);
        String text = est.explainParams();
        for (String n : NAMES) assertTrue(text.contains(n + ": "), n);
        assertTrue(text.contains("maximum number of iterations (>= 1) (default: 100, current: 7)"), text);
        assertTrue(text.contains("convergence tolerance of the iterations (>= 0) (default: 1.0E-6)"), text);
        assertEquals(NAMES.length, text.split("\n").length);
    }
}
