package org.relulearn.algo.convex;

import org.relulearn.algo.loss.ConvexLoss;
import org.relulearn.data.Block;
import org.relulearn.engine.SummingAggregator;
import org.relulearn.engine.CompensatedSum;
import org.relulearn.engine.Shared;
import org.relulearn.linalg.Blas;

/**
 * The pieces of the Fenchel dual bound of a convex fit with any loss, in one pass at the groups v:
 * with the convex prediction yhat_r = sum_i d_ri x_r . (v_i - w_i) and the dual point z_r = -l'(yhat_r, y_r),
 * <pre>
 *   F^T z = X^T D_i z                      (P x d': with the cone multipliers, c(z) and the feasible scale s = min(1, beta / c))
 *   squared: sum z y, sum z^2              -l*(-s z) summed = s z^T y - s^2 ||z||^2 / 2
 *   hinge:   sum z y   (z_r y_r in {0,1})  -l*(-s z) summed = s z^T y
 *   bce:     E_l = sum_r -[p log p + (1-p) log(1-p)],  p = y - s_l (y - sigma(2 yhat))   at the scales s_l of {@link #SCALES}
 * </pre>
 * (Weak duality: for every s in [0, min(1, beta / c)], p* >= sum_r -l_r*(-s z_r); the BCE conjugate is an entropy,
 * not linear in s, so it is summed at a grid of scales and the largest feasible one is used.)
 */
public final class ConjugateBoundAggregator extends SummingAggregator<ConjugateBoundAggregator> {
    private static final long serialVersionUID = 1L;

    /** Scales 2^(-l/32), l = 0..319: 2.2% apart, down to 2^-10. */
    public static final double[] SCALES = java.util.stream.IntStream.range(0, 320).mapToDouble(l -> Math.pow(2, -l / 32.0)).toArray();

    private final Shared<double[]> point;
    private final int p;
    private final int dp;
    private final boolean bias;
    private final ConvexLoss loss;
    private final CompensatedSum zyzz = sums(2);   // sum z y, sum z^2
    private final CompensatedSum ftz;
    private final CompensatedSum entropy;
    private transient double[][] design;
    private transient double[] z, wz, buf;

    /** @param point gates (P x d') then v (2P x d'), row-major */
    public ConjugateBoundAggregator(Shared<double[]> point, int p, int dp, boolean bias, ConvexLoss loss) {
        this.point = point;
        this.p = p;
        this.dp = dp;
        this.bias = bias;
        this.loss = loss;
        this.ftz = sums(p * dp);
        this.entropy = sums(loss == ConvexLoss.BCE ? SCALES.length : 0);
    }

    @Override
    protected void addRows(Block block) {
        int rows = block.rows();
        if (rows == 0) return;
        double[] zs = zyzz.pending(), ent = entropy.pending();
        if (design == null) design = new double[1][];
        double[] x = ConvexFeatures.design(block, bias, design);
        double[] y = block.y();
        int m = block.m(), cols = 3 * p;
        if (z == null || z.length < rows * cols) {
            z = new double[rows * cols];
            wz = new double[rows * p];
            buf = new double[p * dp];
        }
        Blas.native3().dgemm("T", "N", rows, cols, dp, 1.0, x, dp, point.value(), dp, 0.0, z, rows);
        for (int r = 0; r < rows; r++) {
            double yr = y[r * m], yhat = 0;
            for (int i = 0; i < p; i++) if (z[r + i * rows] >= 0) yhat += z[r + (p + i) * rows] - z[r + (2 * p + i) * rows];
            double zr = -loss.derivative(yhat, yr);
            for (int i = 0; i < p; i++) wz[r + i * rows] = z[r + i * rows] >= 0 ? zr : 0;
            zs[0] += zr * yr;
            zs[1] += zr * zr;
            if (loss == ConvexLoss.BCE) {
                double sigma = ConvexLoss.sigmoid(2 * yhat);
                for (int l = 0; l < SCALES.length; l++) {
                    double q = yr - SCALES[l] * (yr - sigma);
                    ent[l] -= xlogx(q) + xlogx(1 - q);
                }
            }
        }
        Blas.native3().dgemm("N", "N", dp, p, rows, 1.0, x, dp, wz, rows, 0.0, buf, dp);
        ftz.add(buf);
    }

    private static double xlogx(double q) { return q > 0 ? q * Math.log(q) : 0; }

    /** X^T D_i z, P x d' row-major. */
    public double[] ftz() { return ftz.value(); }

    /** The dual bound at the largest admissible scale {@code sMax} = min(1, beta / c(z)). */
    public double lowerBound(double sMax) {
        return switch (loss) {
            case SQUARED -> sMax * zyzz.value()[0] - 0.5 * sMax * sMax * zyzz.value()[1];
            case HINGE -> sMax * zyzz.value()[0];
            case BCE -> {
                double best = 0; // s = 0 gives 0
                double[] ent = entropy.value();
                for (int l = 0; l < SCALES.length; l++) if (SCALES[l] <= sMax) best = Math.max(best, ent[l]);
                yield best;
            }
        };
    }
}
