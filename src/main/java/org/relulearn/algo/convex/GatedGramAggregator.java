package org.relulearn.algo.convex;

import org.relulearn.data.Block;
import org.relulearn.engine.SummingAggregator;
import org.relulearn.engine.CompensatedSum;
import org.relulearn.engine.HeldOutRows;
import org.relulearn.engine.Shared;
import org.relulearn.linalg.Blas;

/**
 * The sufficient statistics of the gated-ReLU program ({@link GatedReluProgram}) in standardised
 * coordinates, summed separately over K folds of a content-hashed split of the rows
 * ({@link HeldOutRows#uniform}: row r is in fold floor(K u_r)), so that every fold's program and the program
 * of the rows outside it are sums of the fold sums: with m_r = (d_r1 x~_r, ..., d_rP x~_r), d_ri = 1[x~_r . h_i >= 0],
 * <pre>
 *   Q = sum_r m_r m_r^T,   c = sum_r y~_r m_r,   yy = sum_r y~_r^2,   n
 * </pre>
 * Q is summed as a packed upper triangle, one dsyrk per block and fold, compensated across blocks.
 */
public final class GatedGramAggregator extends SummingAggregator<GatedGramAggregator> {
    private static final long serialVersionUID = 1L;

    private final Shared<double[]> gates;
    private final Standardisation scale;
    private final int p;
    private final int dp;
    private final boolean bias;
    private final long splitSeed;
    private final int folds;
    private final Side[] side;
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
     * @param folds  K >= 1 folds (by content hash under {@code splitSeed}); 1 = all rows together
     */
    public GatedGramAggregator(Shared<double[]> gates, Standardisation scale, int p, int dp, boolean bias, long splitSeed, int folds) {
        this.gates = gates;
        this.scale = scale;
        this.p = p;
        this.dp = dp;
        this.bias = bias;
        this.splitSeed = splitSeed;
        if (folds < 1) throw new IllegalArgumentException("folds must be >= 1, got " + folds);
        this.folds = folds;
        int w = p * dp;
        int packed = (int) ((long) w * (w + 1) / 2);
        this.side = new Side[folds];
        for (int k = 0; k < folds; k++) side[k] = new Side(sums(packed), sums(w), sums(1), counters(1));
        long bytes = 8L * w * w * (folds + 1);
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
        for (Side sd : side) prepare(sd, rows, w);
        for (int r = 0; r < rows; r++) {
            Side s = folds == 1 ? side[0]
                    : side[Math.min(folds - 1, (int) (folds * HeldOutRows.uniform(x, r * d, d, splitSeed)))];
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
        for (Side sd : side) finish(sd, w);
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

    public int folds() { return folds; }

    /** The program over the rows of fold k. */
    public GatedReluProgram foldProgram(int k) { return program(side[k]); }

    /** The program over the rows outside fold k. */
    public GatedReluProgram programWithout(int k) { return sum(k); }

    /** The program over all rows. */
    public GatedReluProgram allRowsProgram() { return sum(-1); }

    /** Rows of fold k. */
    public long foldRows(int k) { return side[k].n[0]; }

    public long rows() {
        long n = 0;
        for (Side sd : side) n += sd.n[0];
        return n;
    }

    private GatedReluProgram sum(int skip) {
        int w = p * dp;
        double[] q = new double[w * w], c = new double[w];
        double yy = 0;
        for (int k = 0; k < folds; k++) {
            if (k == skip) continue;
            double[] qk = CompensatedSum.unpackSymmetric(side[k].q.value(), w), ck = side[k].c.value();
            for (int i = 0; i < q.length; i++) q[i] += qk[i];
            for (int i = 0; i < c.length; i++) c[i] += ck[i];
            yy += side[k].yy.value()[0];
        }
        return new GatedReluProgram(q, c, yy, p, dp);
    }

    private GatedReluProgram program(Side s) {
        int w = p * dp;
        return new GatedReluProgram(CompensatedSum.unpackSymmetric(s.q.value(), w), s.c.value(), s.yy.value()[0], p, dp);
    }
}
