package org.relulearn.engine;

import java.io.Serializable;
import java.util.Arrays;

/**
 * A vector of running sums with Neumaier (improved Kahan) compensation: each addition's exact
 * rounding error is collected in a second array, and a total is sum + compensation. Aggregators add
 * one block's partial sums (computed by BLAS over the block's rows) per call, so the compensation
 * costs one pass over the sum per block -- small next to the block's BLAS work for d up to a few
 * hundred, about a fifth of it at d = 1000 with 1 MiB blocks -- and keeps a total over 1e9 samples
 * accurate to a few ulps instead of drifting with sqrt(number of blocks).
 */
public final class CompensatedSum implements Serializable {
    private static final long serialVersionUID = 1L;
    private final double[] sum;
    private final double[] comp;
    /** Plain additions of the current block, folded in by {@link #flush()}; never shipped. */
    private transient double[] pending;
    private transient boolean dirty;

    public CompensatedSum(int length) {
        this.sum = new double[length];
        this.comp = new double[length];
    }

    public int length() { return sum.length; }

    /** sum += values[0 .. length). */
    public void add(double[] values) {
        add(values, 0, sum.length);
    }

    /**
     * sum[i] += values[i] for i in [from, to). The rounding error of each addition is computed by
     * Knuth's branch-free TwoSum, which gives exactly the error Neumaier's branch on |s| >= |v|
     * gives (both are the exact error of the rounded sum), so results are unchanged; without the
     * data-dependent branch the JIT can vectorise the loop, which matters when a d x d sum is added
     * once per block of only a hundred rows (d = 1000).
     */
    public void add(double[] values, int from, int to) {
        double[] s = sum, c = comp;
        for (int i = from; i < to; i++) {
            double a = s[i], v = values[i];
            double t = a + v;
            double vPart = t - a;
            c[i] += (a - (t - vPart)) + (v - vPart);
            s[i] = t;
        }
    }

    /**
     * Adds the upper triangle (row <= column) of a column-major k x k matrix, the part a symmetric
     * BLAS update ({@code dsyrk "U"}) writes, to this sum held in packed form: column j's entries
     * 0..j at [j(j+1)/2, j(j+1)/2 + j], as BLAS packed storage ({@code dspr}) has it. Half the
     * memory traffic, serialised size and merge work of a full k x k sum.
     */
    public void addPackedUpper(double[] values, int k) {
        if ((long) k * (k + 1) / 2 != sum.length) {
            throw new IllegalArgumentException("expected a packed " + k + " x " + k + " triangle (" + (long) k * (k + 1) / 2
                    + " entries), have " + sum.length);
        }
        double[] s = sum, c = comp;
        for (int j = 0; j < k; j++) {
            int from = j * k, at = j * (j + 1) / 2;
            for (int i = 0; i <= j; i++) {
                double a = s[at + i], v = values[from + i];
                double t = a + v;
                double vPart = t - a;
                c[at + i] += (a - (t - vPart)) + (v - vPart);
                s[at + i] = t;
            }
        }
    }

    /** Unpacks a packed upper triangle (see {@link #addPackedUpper}) into a full symmetric k x k matrix. */
    public static double[] unpackSymmetric(double[] packed, int k) {
        double[] full = new double[k * k];
        for (int j = 0, at = 0; j < k; j++) {
            for (int i = 0; i <= j; i++, at++) {
                full[i + j * k] = packed[at];
                full[j + i * k] = packed[at];
            }
        }
        return full;
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

    /**
     * A buffer of length {@link #length()} for the current block's plain (uncompensated) additions,
     * zero when the block starts; {@link #flush()} adds it into this sum with compensation. Lets a
     * loop accumulate {@code pending[i] += v} per row and pay for compensation once per block.
     */
    public double[] pending() {
        if (pending == null) pending = new double[sum.length];
        dirty = true;
        return pending;
    }

    /** Adds the {@link #pending()} additions into this sum (compensated) and zeroes them. */
    public void flush() {
        if (!dirty) return;
        add(pending);
        Arrays.fill(pending, 0);
        dirty = false;
    }

    /** The compensated totals (a new array). */
    public double[] value() {
        double[] v = new double[sum.length];
        for (int i = 0; i < v.length; i++) v[i] = sum[i] + comp[i];
        return v;
    }
}
