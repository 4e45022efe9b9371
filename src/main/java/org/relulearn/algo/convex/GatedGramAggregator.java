package org.relulearn.algo.convex;

import org.relulearn.data.Block;
import org.relulearn.engine.SummingAggregator;
import org.relulearn.engine.CompensatedSum;
import org.relulearn.engine.HeldOutRows;
import org.relulearn.engine.Shared;
import org.relulearn.linalg.Blas;

/**
 * The sufficient statistics of the gated-ReLU program ({@link GatedReluProgram}) in standardised
 * coordinates, for the training rows and, separately, the held-out rows of a content-hashed split
 * ({@link HeldOutRows}): with m_r = (d_r1 x~_r, ..., d_rP x~_r), d_ri = 1[x~_r . h_i >= 0],
 * <pre>
 *   Q = sum_r m_r m_r^T,   c = sum_r y~_r m_r,   yy = sum_r y~_r^2,   n
 * </pre>
 * Q is summed as a packed upper triangle, one dsyrk per block and side, compensated across blocks.
 */
public final class GatedGramAggregator extends SummingAggregator<GatedGramAggregator> {
    private static final long serialVersionUID = 1L;

    private final Shared<double[]> gates;
    private final Standardisation scale;
    private final int p;
    private final int dp;
    private final boolean bias;
    private final long splitSeed;
    private final double heldOutFraction;
    private final Side train;
    private final Side heldOut;
    private transient double[] xs;
    private transient double[] z;

    /** One side of the split: its slots in the base, and per-block buffers. */
    private static final class Side implements java.io.Serializable {
        private static final long serialVersionUID = 1L;
        final CompensatedSum q;
        final CompensatedSum c;
        final CompensatedSum yy;
        final long[] n;
        transient double[] wide;
        transient double[] ys;
        transient double[] buf;
        transient int rows;

        Side(CompensatedSum q, CompensatedSum c, CompensatedSum yy, long[] n) {
            this.q = q;
            this.c = c;
            this.yy = yy;
            this.n = n;
        }
    }

    /**
     * @param gates            h_1..h_P, row-major P x d', in standardised coordinates
     * @param heldOutFraction  share of rows (by content hash under {@code splitSeed}) summed on the held-out side; 0 = none
     */
    public GatedGramAggregator(Shared<double[]> gates, Standardisation scale, int p, int dp, boolean bias, long splitSeed,
                               double heldOutFraction) {
        this.gates = gates;
        this.scale = scale;
        this.p = p;
        this.dp = dp;
        this.bias = bias;
        this.splitSeed = splitSeed;
        this.heldOutFraction = heldOutFraction;
        int w = p * dp;
        int packed = (int) ((long) w * (w + 1) / 2);
        this.train = new Side(sums(packed), sums(w), sums(1), counters(1));
        this.heldOut = heldOutFraction > 0 ? new Side(sums(packed), sums(w), sums(1), counters(1)) : null;
        long bytes = 8L * w * w;
        if (bytes > (1L << 31)) {
            throw new IllegalArgumentException("the gated-ReLU Gram matrix (Pd')^2 = " + (long) w * w + " doubles is too large for the driver:"
                    + " sample fewer patterns (--patterns) or use the constrained program (--solver admm)");
        }
    }

    @Override
    protected void addRows(Block block) {
        int rows = block.rows();
        if (rows == 0) return;
        int d = block.d(), m = block.m(), w = p * dp;
        if (xs == null || xs.length < rows * dp) xs = new double[rows * dp];
        double[] x = block.x(), y = block.y();
        for (int r = 0; r < rows; r++) {
            scale.apply(x, r, xs, r * dp);
            if (bias) xs[r * dp + d] = 1.0;
        }
        if (z == null || z.length < rows * p) z = new double[rows * p];
        // z (column-major rows x P) = X~ H^T.
        Blas.native3().dgemm("T", "N", rows, p, dp, 1.0, xs, dp, gates.value(), dp, 0.0, z, rows);
        prepare(train, rows, w);
        if (heldOut != null) prepare(heldOut, rows, w);
        for (int r = 0; r < rows; r++) {
            Side s = heldOut != null && HeldOutRows.isHeldOut(block, r, splitSeed, heldOutFraction) ? heldOut : train;
            int o = s.rows * w;
            for (int i = 0; i < p; i++) {
                if (z[r + i * rows] >= 0) System.arraycopy(xs, r * dp, s.wide, o + i * dp, dp);
                else java.util.Arrays.fill(s.wide, o + i * dp, o + (i + 1) * dp, 0.0);
            }
            double yt = scale.label(y[r * m]);
            s.ys[s.rows] = yt;
            s.yy.pending()[0] += yt * yt;
            s.rows++;
        }
        finish(train, w);
        if (heldOut != null) finish(heldOut, w);
    }

    private static void prepare(Side s, int rows, int w) {
        if (s.wide == null || s.wide.length < rows * w) s.wide = new double[rows * w];
        if (s.ys == null || s.ys.length < rows) s.ys = new double[rows];
        s.rows = 0;
    }

    private static void finish(Side s, int w) {
        if (s.rows == 0) return;
        if (s.buf == null) s.buf = new double[w * w];
        Blas.native3().dsyrk("U", "N", w, s.rows, 1.0, s.wide, w, 0.0, s.buf, w);
        s.q.addPackedUpper(s.buf, w);
        Blas.native3().dgemv("N", w, s.rows, 1.0, s.wide, w, s.ys, 1, 0.0, s.buf, 1);
        s.c.add(s.buf, 0, w);
        s.n[0] += s.rows;
    }

    /** The program over the training rows. */
    public GatedReluProgram trainProgram() { return program(train); }

    /** The program over the held-out rows (null without a split). */
    public GatedReluProgram heldOutProgram() { return heldOut == null ? null : program(heldOut); }

    /** The program over all rows (training + held-out). */
    public GatedReluProgram allRowsProgram() {
        if (heldOut == null) return program(train);
        int w = p * dp;
        double[] q = CompensatedSum.unpackSymmetric(train.q.value(), w), qh = CompensatedSum.unpackSymmetric(heldOut.q.value(), w);
        double[] c = train.c.value(), ch = heldOut.c.value();
        for (int i = 0; i < q.length; i++) q[i] += qh[i];
        for (int i = 0; i < c.length; i++) c[i] += ch[i];
        return new GatedReluProgram(q, c, train.yy.value()[0] + heldOut.yy.value()[0], p, dp);
    }

    public long trainRows() { return train.n[0]; }

    public long heldOutRows() { return heldOut == null ? 0 : heldOut.n[0]; }

    private GatedReluProgram program(Side s) {
        int w = p * dp;
        return new GatedReluProgram(CompensatedSum.unpackSymmetric(s.q.value(), w), s.c.value(), s.yy.value()[0], p, dp);
    }
}
