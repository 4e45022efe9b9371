package org.relulearn.algo.convex;

import org.relulearn.data.Block;

/**
 * The design matrix of the convex programs: a block's features, with a constant-1 column appended
 * when the network has a first-layer bias (docs/convex.md, Model: the bias is regularised with the
 * weights and there is no output bias).
 */
public final class ConvexFeatures {
    private ConvexFeatures() {}

    /** Columns of the design matrix: d, plus one for the bias column. */
    public static int columns(int d, boolean bias) { return bias ? d + 1 : d; }

    /**
     * The block's rows as a row-major rows x d' array (column-major d' x rows for BLAS): the block's
     * own array when there is no bias column, else {@code buffer} (grown when too small) with 1s appended.
     */
    public static double[] design(Block block, boolean bias, double[][] buffer) {
        if (!bias) return block.x();
        int rows = block.rows(), d = block.d(), dp = d + 1;
        double[] buf = buffer[0];
        if (buf == null || buf.length < rows * dp) buffer[0] = buf = new double[rows * dp];
        double[] x = block.x();
        for (int r = 0; r < rows; r++) {
            System.arraycopy(x, r * d, buf, r * dp, d);
            buf[r * dp + d] = 1.0;
        }
        return buf;
    }
}
