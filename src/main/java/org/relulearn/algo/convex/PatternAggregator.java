package org.relulearn.algo.convex;

import org.relulearn.algo.loss.ConvexLoss;
import org.relulearn.data.Block;
import org.relulearn.data.CounterRng;
import org.relulearn.engine.Aggregator;
import org.relulearn.engine.Shared;
import org.relulearn.linalg.Blas;

/**
 * The pattern pass (docs/convex.md, Model and Design), which also checks the input. For gate vectors
 * h_1..h_P (rows of a P x d' matrix) and rows x_r of the design matrix, with d_ri = 1[x_r . h_i >= 0]:
 * <pre>
 *   count_i = sum_r d_ri,   fingerprint_i = sum_r d_ri omega(x_r),   fingerprint'_i = sum_r d_ri omega'(x_r)
 * </pre>
 * in wrapping 64-bit arithmetic, where omega, omega' are two independent 64-bit hashes of the row's
 * feature bits. Two gates with the same pattern on the data have equal fingerprints; different
 * patterns collide with probability about 2^-128. Hashing features rather than row ids makes the sums
 * independent of how rows are numbered (identical rows always share their pattern bits anyway).
 * Integer sums are exact, so any merge order gives the same result.
 *
 * <p>The first non-finite feature and the first label the loss does not accept (lowest row id) are
 * recorded, so the fit can stop with a message naming row, column and value.
 */
public final class PatternAggregator implements Aggregator<PatternAggregator> {
    private static final long serialVersionUID = 1L;
    private static final long SALT_1 = 0x9E3779B97F4A7C15L;
    private static final long SALT_2 = 0xC2B2AE3D27D4EB4FL;

    private final Shared<double[]> gates;
    private final int p;
    private final boolean bias;
    private final ConvexLoss loss;
    private long n;
    private final long[] count;
    private final long[] fp1;
    private final long[] fp2;
    /** Lowest row with bad input, its column (-1 = label), its value; -1 when none. */
    private long badRow = -1;
    private int badColumn;
    private double badValue;
    private transient double[][] design;
    private transient double[] z;

    public PatternAggregator(Shared<double[]> gates, int p, boolean bias, ConvexLoss loss) {
        this.gates = gates;
        this.p = p;
        this.bias = bias;
        this.loss = loss;
        this.count = new long[p];
        this.fp1 = new long[p];
        this.fp2 = new long[p];
    }

    @Override
    public void add(Block block) {
        int rows = block.rows();
        if (rows == 0) return;
        int d = block.d(), dp = ConvexFeatures.columns(d, bias);
        if (design == null) design = new double[1][];
        double[] x = ConvexFeatures.design(block, bias, design);
        double[] y = block.y();
        int m = block.m();
        for (int r = 0; r < rows; r++) {
            long row = block.firstRow() + r;
            if (badRow >= 0 && row >= badRow) continue;
            for (int j = 0; j < d; j++) {
                if (!Double.isFinite(x[r * dp + j])) {
                    record(row, j, x[r * dp + j]);
                    break;
                }
            }
            if (m >= 1 && !loss.validLabel(y[r * m])) record(row, -1, y[r * m]);
        }
        if (z == null || z.length < rows * p) z = new double[rows * p];
        // Z (rows x P, column-major) = X H^T, H row-major P x d' is column-major d' x P.
        Blas.native3().dgemm("T", "N", rows, p, dp, 1.0, x, dp, gates.value(), dp, 0.0, z, rows);
        for (int r = 0; r < rows; r++) {
            long h1 = SALT_1, h2 = SALT_2;
            for (int j = 0; j < dp; j++) {
                long bits = Double.doubleToLongBits(x[r * dp + j]);
                h1 = CounterRng.mix64(h1 + bits);
                h2 = CounterRng.mix64(h2 ^ Long.rotateLeft(bits, 17) ^ (j * 0x632BE59BD9B4E019L));
            }
            for (int i = 0; i < p; i++) {
                if (z[r + i * rows] >= 0) {
                    count[i]++;
                    fp1[i] += h1;
                    fp2[i] += h2;
                }
            }
        }
        n += rows;
    }

    private void record(long row, int column, double value) {
        if (badRow < 0 || row < badRow) {
            badRow = row;
            badColumn = column;
            badValue = value;
        }
    }

    @Override
    public PatternAggregator merge(PatternAggregator o) {
        n += o.n;
        for (int i = 0; i < p; i++) {
            count[i] += o.count[i];
            fp1[i] += o.fp1[i];
            fp2[i] += o.fp2[i];
        }
        if (o.badRow >= 0) record(o.badRow, o.badColumn, o.badValue);
        return this;
    }

    @Override public long count() { return n; }

    public long[] patternCounts() { return count.clone(); }

    /**
     * The gates to keep: the first gate of every distinct pattern (by both fingerprints and the count),
     * all-zero patterns dropped. Returns their indices in increasing order.
     */
    public int[] distinctNonZero() {
        java.util.Set<String> seen = new java.util.HashSet<>();
        int[] keep = new int[p];
        int k = 0;
        for (int i = 0; i < p; i++) {
            if (count[i] == 0) continue;
            if (seen.add(count[i] + ":" + fp1[i] + ":" + fp2[i])) keep[k++] = i;
        }
        return java.util.Arrays.copyOf(keep, k);
    }

    /** Throws IllegalArgumentException naming the first bad row, column and value, if any. */
    public void checkInput() {
        if (badRow < 0) return;
        if (badColumn >= 0) {
            throw new IllegalArgumentException("row " + badRow + ", feature column " + badColumn + " is " + badValue
                    + ": features must be finite; drop or impute that row");
        }
        throw new IllegalArgumentException("row " + badRow + " has label " + badValue + ", but the " + loss.label()
                + " loss needs " + loss.labelRule() + "; recode the labels or choose another --loss");
    }
}
