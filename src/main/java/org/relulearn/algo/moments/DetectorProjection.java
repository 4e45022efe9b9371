package org.relulearn.algo.moments;

import java.io.Serializable;

/**
 * What pass 2 needs from pass 1, shipped once to the workers: the output basis P (m x k, orthonormal
 * columns: the top-k left singular vectors of B), the reduced linear part Bt = P^T B (k x d), and an
 * optional weighting projection Vr (q x d, orthonormal rows; null = the identity, q = d). All row-major.
 * Per sample, pass 2 forms
 * <pre>
 *   yt = P^T y,   z = Bt x,   Q = yt yt^T - (1/2) z z^T,   xr = Vr x   (or x)
 * </pre>
 *
 * @param m  outputs
 * @param k  hidden units
 * @param d  inputs
 * @param p  P, row-major m x k
 * @param bt Bt, row-major k x d
 * @param vr Vr, row-major q x d, or null for full-x weighting
 */
public record DetectorProjection(int m, int k, int d, double[] p, double[] bt, double[] vr) implements Serializable {
    public DetectorProjection {
        if (k < 1 || m < k || d < 1) throw new IllegalArgumentException("need 1 <= k <= m and d >= 1, got k=" + k + ", m=" + m + ", d=" + d);
        if (p.length != m * k) throw new IllegalArgumentException("P must be m x k = " + m + " x " + k);
        if (bt.length != k * d) throw new IllegalArgumentException("Bt must be k x d = " + k + " x " + d);
        if (vr != null && (vr.length % d != 0 || vr.length == 0)) {
            throw new IllegalArgumentException("the weighting projection must be q x d with d = " + d + ", has " + vr.length + " entries");
        }
    }

    /** The weighting dimension q (d for full-x weighting). */
    public int q() { return vr == null ? d : vr.length / d; }
}
