package org.relulearn.algo.eval;

import org.relulearn.data.Block;
import org.relulearn.data.OneHiddenLayerNetwork;
import org.relulearn.engine.SummingAggregator;
import org.relulearn.engine.CompensatedSum;
import org.relulearn.engine.Shared;
import org.relulearn.linalg.Blas;

/**
 * How well a network f(x) = A relu(W x + b) predicts the labels of a data set, in one pass:
 * <pre>
 *   SSE      = sum_i ||f(x_i) - y_i||^2                          MSE = SSE / (n m)
 *   SST      = sum_o [ sum_i y_io^2 - (sum_i y_io)^2 / n ]        R^2 = 1 - SSE / SST
 *   agree    = #{ i : (f(x_i) > 0) == (y_i > 0) }                 accuracy = agree / n   (m = 1)
 * </pre>
 * The accuracy rule reads the score as a classifier's: class 1 iff f(x) > 0, for labels -1/+1 and
 * for 0/1 alike (the convex family's hinge and cross-entropy fits both predict that way). R^2 is
 * pooled over the m outputs, as scikit-learn's {@code r2_score(multioutput='variance_weighted')}.
 */
public final class PredictionMetricsAggregator extends SummingAggregator<PredictionMetricsAggregator> {
    private static final long serialVersionUID = 1L;

    private final Shared<OneHiddenLayerNetwork> network;
    private final int m;
    private final long[] agree = counters(1);
    /** slots: [SSE, sum y_0 .. sum y_{m-1}, sum y_0^2 .. sum y_{m-1}^2] */
    private final CompensatedSum sums;
    private transient double[] h, pred, rowSums;

    public PredictionMetricsAggregator(Shared<OneHiddenLayerNetwork> network) {
        this.network = network;
        this.m = network.value().outputDim();
        this.sums = sums(1 + 2 * m);
    }

    @Override
    protected void addRows(Block block) {
        int rows = block.rows();
        if (rows == 0) return;
        OneHiddenLayerNetwork net = network.value();
        int d = net.inputDim(), k = net.hiddenUnits();
        if (block.d() != d || block.m() != m) {
            throw new IllegalArgumentException("the model takes d = " + d + " features and gives m = " + m + " output(s); the data has d = "
                    + block.d() + ", m = " + block.m() + ": score it on data of the shape it was trained on");
        }
        if (h == null || h.length < rows * k) h = new double[rows * k];
        if (pred == null || pred.length < rows * m) pred = new double[rows * m];
        if (rowSums == null) rowSums = new double[1 + 2 * m];
        double[] w = net.weights(), b = net.biases(), a = net.outputWeights();
        // Row-major W (k x d) is column-major W^T: H (k x rows) = W X^T; then P (m x rows) = A H.
        Blas.native3().dgemm("T", "N", k, rows, d, 1.0, w, d, block.x(), d, 0.0, h, k);
        for (int r = 0; r < rows; r++) {
            int o = r * k;
            for (int j = 0; j < k; j++) {
                double v = h[o + j] + b[j];
                h[o + j] = v > 0 ? v : 0;
            }
        }
        Blas.native3().dgemm("T", "N", m, rows, k, 1.0, a, k, h, k, 0.0, pred, m);
        double[] y = block.y();
        java.util.Arrays.fill(rowSums, 0);
        for (int r = 0; r < rows; r++) {
            for (int o = 0; o < m; o++) {
                double yv = y[r * m + o], e = pred[r * m + o] - yv;
                rowSums[0] += e * e;
                rowSums[1 + o] += yv;
                rowSums[1 + m + o] += yv * yv;
            }
            if (m == 1 && (pred[r] > 0) == (y[r] > 0)) agree[0]++;
        }
        sums.add(rowSums);
    }

    /** The metrics; accuracy is NaN unless m = 1. */
    public PredictionMetrics metrics() {
        double[] s = sums.value();
        double sst = 0;
        for (int o = 0; o < m; o++) sst += s[1 + m + o] - s[1 + o] * s[1 + o] / count();
        double mse = count() == 0 ? Double.NaN : s[0] / ((double) count() * m);
        double r2 = count() == 0 || !(sst > 0) ? Double.NaN : 1 - s[0] / sst;
        return new PredictionMetrics(count(), mse, r2, m == 1 && count() > 0 ? (double) agree[0] / count() : Double.NaN);
    }
}
