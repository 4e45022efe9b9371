package org.relulearn.algo.tensorgd;

import java.io.Serializable;

/**
 * The small driver values the Phase I passes broadcast before each pass (docs/tensor-gd.md, Design).
 * Variance reduction (docs/tensor-gd.md, Model, step 0c):
 * <pre>
 *   y1 = y - ybar - M1hat . x                         (for P2, Q2; Q1 uses y - ybar)
 *   y2 = y1 - 0.5 (u^T Mp u - tr Mp),  u = V^T x,  Mp = V^T M2hat V
 * </pre>
 * y2 subtracts the rank-K truncation V Mp V^T of M2hat instead of M2hat itself [DEV]: any degree-2
 * polynomial leaves E[y He_4] unchanged, the degree-2 part of y lies in span V, and the cost per row
 * drops from O(d^2) to O(K^2). Without variance reduction y1 = y2 = y.
 *
 * @param v      V, row-major d x K (null in pass 2)
 * @param alpha  the unit vector of the alpha variant (null for m4proj)
 * @param mp     Mp, row-major K x K (null without variance reduction or in pass 2)
 */
public record Phase1Inputs(int d, int k, SampleSplit split, boolean varianceReduction, double ybar, double[] m1, double[] v,
                           double[] alpha, double[] mp, TensorGdOptions.Variant variant) implements Serializable {

    /** tr Mp. */
    public double traceMp() {
        if (mp == null) return 0;
        double t = 0;
        for (int i = 0; i < k; i++) t += mp[i * k + i];
        return t;
    }
}
