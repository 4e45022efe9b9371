package org.relulearn.algo.tensorgd;

import java.io.Serializable;

/**
 * The iterate a GD pass broadcasts: W (row-major K x d, row j = w_j), the output weights v, and for
 * a Gauss-Newton product pass the direction Delta (K x d), else null.
 */
public record GdState(int k, int d, double[] w, double[] v, double[] direction) implements Serializable {}
