package org.relulearn.algo.moments;

import java.io.Serializable;

/**
 * A fitted network shipped to the workers for pass 3 and the evaluation pass: W (k x d), A (l x k)
 * and the linear part B (l x d, for the linear baseline (1/2) B x), all row-major; A and B may be
 * null when a pass does not need them.
 */
public record NetworkShape(int l, int k, int d, double[] w, double[] a, double[] b) implements Serializable {
    public NetworkShape {
        if (w.length != k * d) throw new IllegalArgumentException("W must be k x d = " + k + " x " + d);
        if (a != null && a.length != l * k) throw new IllegalArgumentException("A must be l x k = " + l + " x " + k);
        if (b != null && b.length != l * d) throw new IllegalArgumentException("B must be l x d = " + l + " x " + d);
    }
}
