package org.relulearn.algo.convex;

import org.relulearn.algo.loss.ConvexLoss;
import org.relulearn.data.Block;
import org.relulearn.engine.SummingAggregator;
import org.relulearn.engine.CompensatedSum;
import org.relulearn.engine.Shared;
import org.relulearn.linalg.Blas;

/**
 * Sums over random ReLU features phi_j(x) = (x . theta_j)_+ (the SCP program, docs/convex.md, Design).
 * Mode GRAM: Phi^T Phi (N x N, packed), Phi^T y, y^T y. Mode GRADIENT for output weights alpha:
 * Phi^T l'(Phi alpha, y), sum_r l(phi_r . alpha, y_r) and correct classifications.
 */
public final class ScpAggregator extends SummingAggregator<ScpAggregator> {
    private static final long serialVersionUID = 1L;

    private final Shared<double[]> thetaAndAlpha;
    private final int nf;
    private final boolean bias;
    private final ConvexLoss loss;
    private final boolean gram;
    private final CompensatedSum ftf;
    private final CompensatedSum fty;
    private final CompensatedSum scalars = sums(2);   // sum y^2, loss sum
    private final long[] correct = counters(1);
    private transient double[][] design;
    private transient double[] phi;
    private transient double[] buf;

    /** @param thetaAndAlpha column-major d' x N features, followed (GRADIENT mode) by alpha (N) */
    public ScpAggregator(Shared<double[]> thetaAndAlpha, int nf, boolean bias, ConvexLoss loss, boolean gram) {
        this.thetaAndAlpha = thetaAndAlpha;
        this.nf = nf;
        this.bias = bias;
        this.loss = loss;
        this.gram = gram;
        this.ftf = gram ? sums(nf * (nf + 1) / 2) : null;
        this.fty = sums(nf);
    }

    @Override
    protected void addRows(Block block) {
        int rows = block.rows();
        if (rows == 0) return;
        double[] sc = scalars.pending();
        if (design == null) design = new double[1][];
        double[] x = ConvexFeatures.design(block, bias, design);
        int dp = ConvexFeatures.columns(block.d(), bias);
        double[] q = thetaAndAlpha.value();
        if (phi == null || phi.length < rows * nf) phi = new double[rows * nf];
        if (buf == null) buf = new double[gram ? nf * nf : nf];
        // Phi^T (N x rows, column-major) = Theta^T X^T: row r's features are contiguous.
        Blas.native3().dgemm("T", "N", nf, rows, dp, 1.0, q, dp, x, dp, 0.0, phi, nf);
        for (int i = 0; i < rows * nf; i++) if (phi[i] < 0) phi[i] = 0;
        double[] y = block.y();
        int m = block.m();
        if (gram) {
            Blas.native3().dsyrk("U", "N", nf, rows, 1.0, phi, nf, 0.0, buf, nf);
            ftf.addPackedUpper(buf, nf);
            java.util.Arrays.fill(buf, 0, nf, 0);
            for (int r = 0; r < rows; r++) {
                double yr = y[r * m];
                sc[0] += yr * yr;
                for (int j = 0; j < nf; j++) buf[j] += phi[r * nf + j] * yr;
            }
        } else {
            int off = dp * nf;
            java.util.Arrays.fill(buf, 0, nf, 0);
            for (int r = 0; r < rows; r++) {
                double f = 0;
                for (int j = 0; j < nf; j++) f += phi[r * nf + j] * q[off + j];
                double yr = y[r * m];
                double g = loss.derivative(f, yr);
                sc[1] += loss.value(f, yr);
                if (loss.correct(f, yr)) correct[0]++;
                for (int j = 0; j < nf; j++) buf[j] += phi[r * nf + j] * g;
            }
        }
        fty.add(buf, 0, nf);
    }

    public double[] gram() { return CompensatedSum.unpackSymmetric(ftf.value(), nf); }

    /** Phi^T y (GRAM) or the gradient Phi^T l' (GRADIENT). */
    public double[] vector() { return fty.value(); }

    public double yy() { return scalars.value()[0]; }

    public double loss() { return scalars.value()[1]; }

    public long correct() { return correct[0]; }
}
