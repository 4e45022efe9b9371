package org.relulearn.data;

import java.io.Serializable;
import java.util.Arrays;

/**
 * A block of rows: {@code rows} samples of {@code d} features and {@code m} labels each.
 *
 * <p>Features are stored row after row in one contiguous array, {@code x[r*d + j]}; read as a
 * column-major matrix that is the d x rows matrix X^T, which is what BLAS wants: the block's
 * Gram contribution X^T X is one {@code dsyrk("U", "N", d, rows, ...)} call, and W X^T one
 * {@code dgemm}. Labels are laid out the same way, {@code y[r*m + i]}.
 *
 * <p>{@code firstRow} is the global index of row 0, so generated data stays addressable. A block may
 * have more capacity than rows, so one buffer can be refilled without allocation.
 */
public final class Block implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int d;
    private final int m;
    private int rows;
    private long firstRow;
    private double[] x;
    private double[] y;

    public Block(int d, int m, int capacity) {
        if (d < 1) throw new IllegalArgumentException("feature dimension must be >= 1, got " + d);
        if (m < 0) throw new IllegalArgumentException("label dimension must be >= 0, got " + m);
        if (capacity < 0) throw new IllegalArgumentException("capacity must be >= 0, got " + capacity);
        this.d = d;
        this.m = m;
        this.x = new double[Math.multiplyExact(capacity, d)];
        this.y = new double[Math.multiplyExact(capacity, m)];
    }

    /** Wraps existing arrays (not copied). */
    public static Block wrap(int d, int m, int rows, long firstRow, double[] x, double[] y) {
        if (x.length < (long) rows * d || y.length < (long) rows * m) {
            throw new IllegalArgumentException("arrays too short for " + rows + " rows");
        }
        Block b = new Block(d, m, 0);
        b.x = x;
        b.y = y;
        b.rows = rows;
        b.firstRow = firstRow;
        return b;
    }

    /**
     * Rows per block for a byte budget: as many rows of d features and m labels as fit in
     * {@code bytes}, at least 1 (MLlib's maxBlockSizeInMB convention).
     */
    public static int rowsForBudget(int d, int m, long bytes) {
        long perRow = 8L * (d + m);
        return (int) Math.max(1L, Math.min(Integer.MAX_VALUE / Math.max(1, d + m), bytes / perRow));
    }

    public int d() { return d; }
    public int m() { return m; }
    public int rows() { return rows; }
    public long firstRow() { return firstRow; }
    public int capacity() { return x.length / d; }
    /** Features, row-major rows x d (column-major d x rows). Only the first rows*d entries are data. */
    public double[] x() { return x; }
    /** Labels, row-major rows x m. Only the first rows*m entries are data. */
    public double[] y() { return y; }

    /** Sets the number of valid rows and the global index of the first; grows the buffers if needed. */
    public Block reset(int rows, long firstRow) {
        if (rows < 0) throw new IllegalArgumentException("rows must be >= 0");
        if ((long) rows * d > x.length) x = new double[Math.multiplyExact(rows, d)];
        if ((long) rows * m > y.length) y = new double[Math.multiplyExact(rows, m)];
        this.rows = rows;
        this.firstRow = firstRow;
        return this;
    }

    /** A compact copy holding exactly {@code rows} rows (for caching). */
    public Block compactCopy() {
        return wrap(d, m, rows, firstRow, Arrays.copyOf(x, rows * d), Arrays.copyOf(y, rows * m));
    }

    @Override
    public String toString() {
        return "Block[rows=" + rows + ", d=" + d + ", m=" + m + ", firstRow=" + firstRow + "]";
    }
}
