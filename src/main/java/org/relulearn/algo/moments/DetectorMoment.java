package org.relulearn.algo.moments;

import java.io.Serializable;

/**
 * The averaged pure-neuron-detector moment G[ab, ce] = E[Q_ab xr_c xr_e] of
 * {@link DetectorMomentAggregator}: k(k+1)/2 x q(q+1)/2, stored column-major with packed upper pair
 * indices (pair (a, b), a <= b, at b(b+1)/2 + a).
 */
public record DetectorMoment(int k, int q, long n, double[] g) implements Serializable {

    /** Index of the pair (a, b), a <= b, in the packed upper layout. */
    public static int pair(int a, int b) {
        return a <= b ? b * (b + 1) / 2 + a : a * (a + 1) / 2 + b;
    }

    /** G[(a,b), (c,e)], symmetric in a, b and in c, e. */
    public double get(int a, int b, int c, int e) {
        return g[pair(a, b) + k * (k + 1) / 2 * pair(c, e)];
    }
}
