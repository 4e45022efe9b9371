package org.relulearn.algo.eval;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Prediction quality on one data set (see {@link PredictionMetricsAggregator} for the formulas).
 *
 * @param rows     n
 * @param mse      SSE / (n m)
 * @param r2       1 - SSE / SST (NaN when the labels are constant)
 * @param accuracy share of rows whose score sign gives the label's class (NaN when m > 1)
 */
public record PredictionMetrics(long rows, double mse, double r2, double accuracy) {

    /** As results.json holds it: rows, mse, rmse, r2, and accuracy when {@code classification}. */
    public Map<String, Object> toMap(boolean classification) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rows", rows);
        m.put("mse", mse);
        m.put("rmse", Math.sqrt(mse));
        m.put("r2", r2);
        if (classification) m.put("accuracy", accuracy);
        return m;
    }

    /** One log line: "n = 1,000: MSE 0.0123, R^2 0.954" (and the accuracy for a classifier). */
    public String describe(boolean classification) {
        String s = String.format("n = %,d: MSE %.4g, R^2 %.4f", rows, mse, r2);
        return classification ? s + String.format(", accuracy %.4f", accuracy) : s;
    }
}
