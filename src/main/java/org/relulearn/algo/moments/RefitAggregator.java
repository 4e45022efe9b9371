package org.relulearn.algo.moments;

import org.relulearn.data.Block;
import org.relulearn.engine.SummingAggregator;
import org.relulearn.engine.CompensatedSum;
import org.relulearn.engine.Shared;
import org.relulearn.linalg.Blas;

/**
 * Pass 3: the least-squares refit of A for a fixed W. With h = relu(W x),
 * <pre>
 *   Shh = sum h h^T (k x k),   Syh = sum y h^T (l x k),   A = Syh Shh^{-1}
 * </pre>
 * (y is linear in A, so this is the exact least-squares A given W). Per block: H = relu(W X) by one
 * dgemm, Shh by dsyrk, Syh by dgemm; sums compensated.
 */
public final class RefitAggregator extends SummingAggregator<RefitAggregator> {
    private static final long serialVersionUID = 1L;
    private final Shared<NetworkShape> shared;
    private final int l;
    private final int k;
    private final CompensatedSum sumHH;   // column-major k x k (full)
    private final CompensatedSum sumYH;   // column-major l x k
    private transient double[] h;
    private transient double[] blockHH;
    private transient double[] blockYH;

    public RefitAggregator(Shared<NetworkShape> shared) {
        this.shared = shared;
        this.l = shared.value().l();
        this.k = shared.value().k();
        this.sumHH = sums(k * k);
        this.sumYH = sums(l * k);
    }

    /** H = relu(W X) for a block: k x rows column-major into {@code h}. */
    static void hidden(NetworkShape s, Block block, double[] h) {
        int k = s.k(), d = s.d(), rows = block.rows();
        Blas.native3().dgemm("T", "N", k, rows, d, 1.0, s.w(), d, block.x(), d, 0.0, h, k);
        for (int i = 0, e = k * rows; i < e; i++) if (!(h[i] > 0)) h[i] = 0;
    }

    @Override
    protected void addRows(Block block) {
        int rows = block.rows();
        if (rows == 0) return;
        NetworkShape s = shared.value();
        if (block.d() != s.d() || block.m() != l) throw new IllegalArgumentException("refit pass expects d=" + s.d() + ", m=" + l + "; got " + block);
        if (h == null || h.length < k * rows) h = new double[k * rows];
        if (blockHH == null) {
            blockHH = new double[k * k];
            blockYH = new double[l * k];
        }
        hidden(s, block, h);
        Blas.native3().dsyrk("U", "N", k, rows, 1.0, h, k, 0.0, blockHH, k);
        for (int j = 0; j < k; j++) for (int i = j + 1; i < k; i++) blockHH[i + j * k] = blockHH[j + i * k];
        Blas.native3().dgemm("N", "T", l, k, rows, 1.0, block.y(), l, h, k, 0.0, blockYH, l);
        sumHH.add(blockHH);
        sumYH.add(blockYH);
    }

    /** The refitted A = Syh Shh^{-1}, row-major l x k; an error when some hidden unit is never active. */
    public double[] refitA() {
        double[] hh = sumHH.value(), yhCol = sumYH.value();
        // A Shh = Syh  <=>  Shh A^T = Syh^T; Syh^T row-major k x l is yhCol read as row-major k x l.
        double[] syhT = new double[k * l];
        for (int i = 0; i < l; i++) for (int j = 0; j < k; j++) syhT[j * l + i] = yhCol[i + j * l];
        double[] at;
        try {
            at = org.relulearn.linalg.Dense.solveSpd(hh, k, syhT, l);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("the refit of A failed: the hidden activations relu(W x) are collinear ("
                    + e.getMessage() + "), so W is degenerate; run without the refit to inspect the fit");
        }
        return org.relulearn.linalg.Dense.transpose(at, k, l);
    }
}
