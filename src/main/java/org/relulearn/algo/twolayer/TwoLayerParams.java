package org.relulearn.algo.twolayer;

import java.io.Serializable;

/**
 * Parameters of the scalar two-layer ReLU network f(x) = sum_j a_j relu(w_j . x): W is m x p
 * (row-major, row j = w_j), a has length m.
 */
public record TwoLayerParams(int m, int p, double[] w, double[] a) implements Serializable {
    public TwoLayerParams {
        if (w.length != m * p || a.length != m) {
            throw new IllegalArgumentException("W must be m x p = " + m + " x " + p + " and a of length m");
        }
    }

    /** Path norm sum_j |a_j| ||w_j||. */
    public double pathNorm() {
        double s = 0;
        for (int j = 0; j < m; j++) {
            double n2 = 0;
            for (int i = 0; i < p; i++) n2 += w[j * p + i] * w[j * p + i];
            s += Math.abs(a[j]) * Math.sqrt(n2);
        }
        return s;
    }
}
