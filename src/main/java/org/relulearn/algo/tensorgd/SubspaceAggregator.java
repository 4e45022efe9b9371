package org.relulearn.algo.tensorgd;

import org.relulearn.data.Block;
import org.relulearn.engine.SummingAggregator;
import org.relulearn.engine.CompensatedSum;
import org.relulearn.engine.Shared;
import org.relulearn.linalg.Blas;

/**
 * Pass 2 of Phase I (docs/tensor-gd.md, Design step 1) over S2: the sums of
 * <pre>
 *   P2hat = (1/|S2|) sum y1 x x^T - mean(y1) I
 * </pre>
 * i.e. |S2|, sum y1 and the packed upper triangle of sum y1 x x^T (one dgemm X^T diag(y1) X per
 * block of selected rows), y1 as in {@link Phase1Inputs}.
 *
 * <p>With {@code noiseDraws} = B > 0 (K chosen from the spectrum) also, for b = 1..B, the same sums
 * with a random sign s_br = +-1 per row (a hash of the row id), from which
 * <pre>
 *   E_b = (1/|S2|) sum_r (s_br - sbar_b) (y1 x x^T - y1 I)
 * </pre>
 * B matrices with the law of P2hat's sampling error (the signs cancel the signal; centring them
 * removes what their imbalance leaves): the noise level {@link HiddenUnitCount} tests against.
 */
public final class SubspaceAggregator extends SummingAggregator<SubspaceAggregator> {
    private static final long serialVersionUID = 2L;
    private final Shared<Phase1Inputs> shared;
    private final int d;
    private final int draws;
    private final CompensatedSum sy;           // sum y1, then per draw b: sum s_b y1, sum s_b
    private final CompensatedSum syxx;
    private final CompensatedSum[] signedYxx;  // per draw, packed sum s_b y1 x x^T: noise estimates
    private final long[] used = counters(1);   // rows of the split
    private transient double[] selX, scaled, signed, full, signs;

    public SubspaceAggregator(Shared<Phase1Inputs> shared) { this(shared, 0); }

    public SubspaceAggregator(Shared<Phase1Inputs> shared, int noiseDraws) {
        this.shared = shared;
        this.d = shared.value().d();
        this.draws = noiseDraws;
        sy = sums(1 + 2 * draws);
        syxx = sums(d * (d + 1) / 2);
        signedYxx = new CompensatedSum[draws];
        for (int b = 0; b < draws; b++) signedYxx[b] = sums(d * (d + 1) / 2);
    }

    @Override
    protected void addRows(Block block) {
        int rows = block.rows();
        if (rows == 0) return;
        Phase1Inputs in = shared.value();
        if (selX == null || selX.length < rows * d) {
            selX = new double[rows * d];
            scaled = new double[rows * d];
            signed = draws > 0 ? new double[rows * d] : null;
            signs = draws > 0 ? new double[rows * draws] : null;
        }
        if (full == null) full = new double[d * d];
        double[] x = block.x(), y = block.y(), m1 = in.m1();
        SampleSplit split = in.split();
        boolean vr = in.varianceReduction();
        int c = 0;
        double s = 0;
        for (int r = 0; r < rows; r++) {
            long id = block.firstRow() + r;
            if (!split.in(id, SampleSplit.S2)) continue;
            int o = r * d, to = c * d;
            double yr = y[r];
            if (vr) {
                double lin = 0;
                for (int j = 0; j < d; j++) lin += m1[j] * x[o + j];
                yr = yr - in.ybar() - lin;
            }
            s += yr;
            for (int j = 0; j < d; j++) {
                selX[to + j] = x[o + j];
                scaled[to + j] = yr * x[o + j];
            }
            for (int b = 0; b < draws; b++) {
                double sg = split.sign(id, b);
                signs[c * draws + b] = sg;
                sy.add(1 + 2 * b, sg * yr);
                sy.add(2 + 2 * b, sg);
            }
            c++;
        }
        if (c == 0) return;
        Blas.native3().dgemm("N", "T", d, d, c, 1.0, selX, d, scaled, d, 0.0, full, d);
        syxx.addPackedUpper(full, d);
        for (int b = 0; b < draws; b++) {
            for (int r = 0; r < c; r++) {
                double sg = signs[r * draws + b];
                for (int j = 0; j < d; j++) signed[r * d + j] = sg * scaled[r * d + j];
            }
            Blas.native3().dgemm("N", "T", d, d, c, 1.0, selX, d, signed, d, 0.0, full, d);
            signedYxx[b].addPackedUpper(full, d);
        }
        sy.add(0, s);
        used[0] += c;
    }

    /** Rows of the split added. */
    @Override public long count() { return used[0]; }

    /** P2hat, row-major d x d (requires count() > 0). */
    public double[] p2() {
        double[] m = CompensatedSum.unpackSymmetric(syxx.value(), d);
        for (int i = 0; i < d * d; i++) m[i] /= used[0];
        double mean = sy.value()[0] / used[0];
        for (int j = 0; j < d; j++) m[j * d + j] -= mean;
        return m;
    }

    /** E_1..E_B (each row-major d x d, see the class comment); requires count() > 0. */
    public double[][] noiseMatrices() {
        double[][] out = new double[draws][];
        double[] v = sy.value(), p2 = p2();
        for (int b = 0; b < draws; b++) {
            double[] e = CompensatedSum.unpackSymmetric(signedYxx[b].value(), d);
            double signedMean = v[1 + 2 * b] / used[0], sbar = v[2 + 2 * b] / used[0];
            // (1/n) sum (s - sbar) z = (1/n) sum s z - sbar P2hat, with z = y1 x x^T - y1 I
            for (int i = 0; i < d * d; i++) e[i] = e[i] / used[0] - sbar * p2[i];
            for (int j = 0; j < d; j++) e[j * d + j] -= signedMean;
            out[b] = e;
        }
        return out;
    }
}
