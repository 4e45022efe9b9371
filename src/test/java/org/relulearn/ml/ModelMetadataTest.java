package org.relulearn.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Metadata JSON: encoding, restoring saved defaults, and the version and validity checks (no Spark session). */
class ModelMetadataTest {

    @Test
    void jsonRoundTripRestoresSetParamsAndSavedDefaults() {
        FixedNetworkEstimator est = new FixedNetworkEstimator().setTol(1.0 / 3).setFeaturesCol("x");
        String json = ModelMetadata.toJson(est, "4.1.0");
        assertFalse(json.contains("\n"), "metadata is one line");
        ModelMetadata meta = ModelMetadata.parse("test", json);
        assertEquals(FixedNetworkEstimator.class.getName(), meta.className());
        assertEquals(est.uid(), meta.uid());
        assertEquals("4.1.0", meta.sparkVersion());
        assertEquals(1, meta.format());

        FixedNetworkEstimator restored = new FixedNetworkEstimator(meta.uid());
        meta.applyParams(restored, "test");
        assertEquals(1.0 / 3, restored.getTol());
        assertEquals("x", restored.getFeaturesCol());
        assertTrue(restored.isSet(restored.tol()));
        assertFalse(restored.isSet(restored.maxIter()));
    }

    @Test
    void savedDefaultsWinOverTheCurrentDefaults() {
        // A model saved when maxIter's default was 50 keeps 50, as a default (not as a set value).
        String json = "{\"class\":\"" + FixedNetworkEstimator.class.getName() + "\",\"uid\":\"u1\",\"timestamp\":1,"
                + "\"sparkVersion\":\"4.1.0\",\"paramMap\":{},\"defaultParamMap\":{\"maxIter\":50},\"relulearnFormat\":1}";
        FixedNetworkEstimator est = new FixedNetworkEstimator("u1");
        ModelMetadata.parse("old", json).applyParams(est, "old");
        assertEquals(50, est.getMaxIter());
        assertFalse(est.isSet(est.maxIter()));
    }

    private static String withFormatAndParams(String format, String params) {
        return "{\"class\":\"" + FixedNetworkEstimator.class.getName() + "\",\"uid\":\"u1\",\"paramMap\":" + params
                + (format == null ? "" : ",\"relulearnFormat\":" + format) + "}";
    }

    @Test
    void unreadableMetadataIsRejectedWithCauseAndFix() {
        IllegalArgumentException newer = assertThrows(IllegalArgumentException.class,
                () -> ModelMetadata.parse("dir", withFormatAndParams("99", "{}")));
        assertTrue(newer.getMessage().contains("format 99") && newer.getMessage().contains("reads formats 1..1"), newer.getMessage());

        IllegalArgumentException foreign = assertThrows(IllegalArgumentException.class,
                () -> ModelMetadata.parse("dir", withFormatAndParams(null, "{}")));
        assertTrue(foreign.getMessage().contains("not saved by relulearn"), foreign.getMessage());

        assertThrows(IllegalArgumentException.class, () -> ModelMetadata.parse("dir", "not json {"));
        IllegalArgumentException noUid = assertThrows(IllegalArgumentException.class,
                () -> ModelMetadata.parse("dir", "{\"class\":\"x\",\"paramMap\":{},\"relulearnFormat\":1}"));
        assertTrue(noUid.getMessage().contains("'uid'"), noUid.getMessage());

        FixedNetworkEstimator est = new FixedNetworkEstimator("u1");
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> ModelMetadata.parse("dir", withFormatAndParams("1", "{\"momentum\":0.9}")).applyParams(est, "dir"));
        assertTrue(unknown.getMessage().contains("'momentum'"), unknown.getMessage());

        IllegalArgumentException invalid = assertThrows(IllegalArgumentException.class,
                () -> ModelMetadata.parse("dir", withFormatAndParams("1", "{\"maxIter\":0}")).applyParams(est, "dir"));
        assertTrue(invalid.getMessage().contains("model at dir") && invalid.getMessage().contains("maxIter"), invalid.getMessage());
    }

    @Test
    void modelArraysCheckShapesAndCopy() {
        ModelArrays arrays = new ModelArrays().put("W", new double[] {1, 2, 3, 4, 5, 6}, 2, 3).putScalar("c", 7);
        assertEquals(java.util.List.of("W", "c"), arrays.names());
        assertEquals(7.0, arrays.scalar("c"));
        assertEquals(0, arrays.shape("c").length);
        double[] w = arrays.values("W", 2, 3);
        w[0] = 100;
        assertEquals(1.0, arrays.values("W")[0], "handed-out arrays are copies");
        IllegalArgumentException shape = assertThrows(IllegalArgumentException.class, () -> arrays.values("W", 3, 2));
        assertTrue(shape.getMessage().contains("[2, 3], expected [3, 2]"), shape.getMessage());
        IllegalArgumentException count = assertThrows(IllegalArgumentException.class,
                () -> new ModelArrays().put("A", new double[5], 2, 3));
        assertTrue(count.getMessage().contains("6 values") && count.getMessage().contains("5 values were given"), count.getMessage());
        IllegalArgumentException absent = assertThrows(IllegalArgumentException.class, () -> arrays.values("b"));
        assertTrue(absent.getMessage().contains("no array 'b'"), absent.getMessage());
    }
}
