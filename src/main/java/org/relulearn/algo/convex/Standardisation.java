package org.relulearn.algo.convex;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import org.relulearn.data.OneHiddenLayerNetwork;

/**
 * The affine change of variables a fit is solved in, undone in the model it returns:
 * <pre>
 *   x~_j = (x_j - mu_j) / sigma_j,      y~ = (y - mu_y) / sigma_y
 * </pre>
 * (sigma = 1 for a constant column, and mu_y = 0, sigma_y = 1 when the label is not standardised,
 * as for class labels). A hidden unit relu(theta . x~ + b) is the unit
 * relu((theta / sigma) . x + b - theta . (mu / sigma)) in the user's coordinates, and the label's
 * mean is carried by one constant unit (zero weights, bias 1, output weight mu_y), so the model is an
 * ordinary one-hidden-layer ReLU network.
 */
public record Standardisation(double[] mean, double[] scale, double labelMean, double labelScale) implements Serializable {

    public Standardisation {
        if (mean.length != scale.length) throw new IllegalArgumentException("mean and scale differ in length");
        mean = mean.clone();
        scale = scale.clone();
        for (int j = 0; j < scale.length; j++) if (!(scale[j] > 0) || !Double.isFinite(scale[j])) scale[j] = 1;
        if (!(labelScale > 0) || !Double.isFinite(labelScale)) labelScale = 1;
    }

    /** No change of variables. */
    public static Standardisation identity(int d) {
        double[] one = new double[d];
        java.util.Arrays.fill(one, 1);
        return new Standardisation(new double[d], one, 0, 1);
    }

    public int d() { return mean.length; }

    /** x~ of row {@code r} of {@code x} (d per row) into {@code out[o .. o+d)}. */
    public void apply(double[] x, int r, double[] out, int o) {
        int d = mean.length;
        for (int j = 0; j < d; j++) out[o + j] = (x[r * d + j] - mean[j]) / scale[j];
    }

    public double label(double y) { return (y - labelMean) / labelScale; }

    /**
     * A unit in standardised coordinates ({@code dp} numbers: d weights, then the bias when {@code bias})
     * as {d weights, bias} in the user's coordinates.
     */
    public double[] toUser(double[] unit, int off, boolean bias) {
        int d = mean.length;
        double[] out = new double[d + 1];
        double b = bias ? unit[off + d] : 0;
        for (int j = 0; j < d; j++) {
            out[j] = unit[off + j] / scale[j];
            b -= out[j] * mean[j];
        }
        out[d] = b;
        return out;
    }

    /**
     * The network with hidden units {@code units} (row-major k x dp, standardised coordinates) and output
     * weights {@code alpha} (standardised label), in the user's coordinates, plus the constant unit when mu_y != 0.
     */
    public OneHiddenLayerNetwork network(double[] units, double[] alpha, int k, boolean bias) {
        int d = mean.length, dp = ConvexFeatures.columns(d, bias);
        int kk = k + (labelMean != 0 ? 1 : 0);
        double[] w = new double[Math.max(kk, 1) * d], b = new double[Math.max(kk, 1)], a = new double[Math.max(kk, 1)];
        for (int j = 0; j < k; j++) {
            double[] u = toUser(units, j * dp, bias);
            System.arraycopy(u, 0, w, j * d, d);
            b[j] = u[d];
            a[j] = alpha[j] * labelScale;
        }
        if (labelMean != 0) {
            b[k] = 1;
            a[k] = labelMean;
        }
        return new OneHiddenLayerNetwork(d, Math.max(kk, 1), 1, w, b, a);
    }

    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("featureMean", mean.clone());
        m.put("featureScale", scale.clone());
        m.put("labelMean", labelMean);
        m.put("labelScale", labelScale);
        return m;
    }
}
