package org.relulearn.engine;

import java.io.Serializable;

/**
 * A vector of running sums with Neumaier (improved Kahan) compensation. Aggregators add one block's
 * partial sums (computed by BLAS over a few thousand rows) per call, so the compensation costs one
 * pass over the sum per block -- negligible next to the block's BLAS work -- and keeps a total over
 * 1e9 samples accurate to a few ulps instead of drifting with sqrt(number of blocks).
 */
public final class CompensatedSum implements Serializable {
    private static final long serialVersionUID = 1L;
    private final double[] sum;
    private final double[] comp;

    public CompensatedSum(int length) {
        this.sum = new double[length];
        this.comp = new double[length];
    }

    public int length() { return sum.length; }

    /** sum += values[0 .. length). */
    public void add(double[] values) {
        double[] s = sum, c = comp;
        for (int i = 0; i < s.length; i++) {
            double v = values[i];
            double t = s[i] + v;
            if (Math.abs(s[i]) >= Math.abs(v)) {
                c[i] += (s[i] - t) + v;
            } else {
                c[i] += (v - t) + s[i];
            }
            s[i] = t;
        }
    }

    /** sum[i] += value. */
    public void add(int i, double v) {
        double t = sum[i] + v;
        if (Math.abs(sum[i]) >= Math.abs(v)) {
            comp[i] += (sum[i] - t) + v;
        } else {
            comp[i] += (v - t) + sum[i];
        }
        sum[i] = t;
    }

    /** Adds another compensated sum, carrying its compensation too. */
    public void merge(CompensatedSum other) {
        if (other.sum.length != sum.length) throw new IllegalArgumentException("length mismatch");
        add(other.sum);
        for (int i = 0; i < comp.length; i++) comp[i] += other.comp[i];
    }

    /** The compensated totals (a new array). */
    public double[] value() {
        double[] v = new double[sum.length];
        for (int i = 0; i < v.length; i++) v[i] = sum[i] + comp[i];
        return v;
    }
}
