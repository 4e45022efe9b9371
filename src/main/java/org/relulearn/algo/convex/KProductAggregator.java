package org.relulearn.algo.convex;

import org.relulearn.data.Block;
import org.relulearn.engine.SummingAggregator;
import org.relulearn.engine.CompensatedSum;
import org.relulearn.engine.Shared;
import org.relulearn.linalg.Blas;

/**
 * One matrix-free product with K (the CG route of docs/convex.md, Design): for delta = (delta_1..delta_P),
 * <pre>
 *   (K delta)_i = sum_r d_ri x_r t_r,   t_r = sum_j d_rj x_r . delta_j
 * </pre>
 * i.e. F~^T F~ delta with F~ = [D_1 X ... D_P X]: two gemms per block, P x d' numbers per partition.
 */
public final class KProductAggregator extends SummingAggregator<KProductAggregator> {
    private static final long serialVersionUID = 1L;

    private final Shared<double[]> gatesAndDelta;
    private final int p;
    private final int dp;
    private final boolean bias;
    private final CompensatedSum out;
    private transient double[][] design;
    private transient double[] z;
    private transient double[] c;

    /** @param gatesAndDelta column-major d' x 2P: the gates, then delta (P groups of d') */
    public KProductAggregator(Shared<double[]> gatesAndDelta, int p, int dp, boolean bias) {
        this.gatesAndDelta = gatesAndDelta;
        this.p = p;
        this.dp = dp;
        this.bias = bias;
        this.out = sums(p * dp);
    }

    @Override
    protected void addRows(Block block) {
        int rows = block.rows();
        if (rows == 0) return;
        if (design == null) design = new double[1][];
        double[] x = ConvexFeatures.design(block, bias, design);
        if (z == null || z.length < rows * 2 * p) z = new double[rows * 2 * p];
        if (c == null) c = new double[p * dp];
        Blas.native3().dgemm("T", "N", rows, 2 * p, dp, 1.0, x, dp, gatesAndDelta.value(), dp, 0.0, z, rows);
        for (int r = 0; r < rows; r++) {
            double t = 0;
            for (int i = 0; i < p; i++) if (z[r + i * rows] >= 0) t += z[r + (p + i) * rows];
            for (int i = 0; i < p; i++) z[r + (p + i) * rows] = z[r + i * rows] >= 0 ? t : 0;
        }
        Blas.native3().dgemm("N", "N", dp, p, rows, 1.0, x, 0, dp, z, p * rows, rows, 0.0, c, 0, dp);
        out.add(c, 0, p * dp);
    }

    public double[] product() { return out.value(); }
}
