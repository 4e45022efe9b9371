package org.relulearn.algo.baseline;

import org.relulearn.algo.loss.ConvexLoss;
import org.relulearn.algo.loss.LinfAttack;
import org.relulearn.data.Block;
import org.relulearn.engine.SummingAggregator;
import org.relulearn.engine.CompensatedSum;
import org.relulearn.engine.Shared;
import org.relulearn.linalg.Blas;

/**
 * Loss and gradient sums of the two-layer ReLU network f(x) = sum_j a_j (w_j . x + b_j)_+ over the
 * rows it sees: sum_r l(f(x_r), y_r) and its gradient in (W, b, a) by back-propagation, two gemms per
 * block (H = X W^T, dW = dH^T X). Parameters are packed as [W (m x d row-major) | b (m) | a (m)].
 * With adversarial training, each row is first replaced by its FGSM or PGD perturbation x_r + delta_r
 * under the current parameters ({@link LinfAttack}, features only), so the sums are the adversarial
 * loss and its gradient in the parameters at the perturbed rows (Danskin: the perturbation is held
 * fixed). The perturbed rows go into one buffer per aggregator, reused across blocks.
 */
public final class ReluGradientAggregator extends SummingAggregator<ReluGradientAggregator> {
    private static final long serialVersionUID = 1L;

    private final Shared<double[]> params;
    private final int d;
    private final int m;
    private final ConvexLoss loss;
    private final CompensatedSum lossSum = sums(1);
    private final long[] correct = counters(1);
    private final CompensatedSum grad;
    private transient double[] h;
    private transient double[] dh;
    private transient double[] gw;
    private final AdversarialTraining adversarial;
    private final double eps;
    private final int pgdSteps;
    private transient LinfAttack attack;
    private transient double[] perturbed;

    public ReluGradientAggregator(Shared<double[]> params, int d, int m, ConvexLoss loss) {
        this(params, d, m, loss, AdversarialTraining.NONE, 0, 0);
    }

    /**
     * @param adversarial how rows are perturbed before the gradient
     * @param eps         l_inf radius of the perturbation
     * @param pgdSteps    PGD steps (PGD only)
     */
    public ReluGradientAggregator(Shared<double[]> params, int d, int m, ConvexLoss loss, AdversarialTraining adversarial, double eps,
                                  int pgdSteps) {
        this.params = params;
        this.d = d;
        this.m = m;
        this.loss = loss;
        this.grad = sums(m * d + 2 * m);
        this.adversarial = adversarial;
        this.eps = eps;
        this.pgdSteps = pgdSteps;
    }

    @Override
    protected void addRows(Block block) {
        int rows = block.rows();
        if (rows == 0) return;
        double[] p = params.value(), x = block.x(), y = block.y();
        int lm = block.m();
        if (h == null || h.length < rows * m) {
            h = new double[rows * m];
            dh = new double[rows * m];
        }
        if (gw == null) gw = new double[m * d];
        if (adversarial != AdversarialTraining.NONE && eps > 0) x = perturb(block, p);
        // H (m x rows, column-major) = W X^T: W row-major m x d is column-major d x m.
        Blas.native3().dgemm("T", "N", m, rows, d, 1.0, p, d, x, d, 0.0, h, m);
        int bOff = m * d, aOff = m * d + m;
        double[] grad = this.grad.pending(), ls = lossSum.pending();
        for (int r = 0; r < rows; r++) {
            double f = 0;
            for (int j = 0; j < m; j++) {
                double v = h[r * m + j] + p[bOff + j];
                h[r * m + j] = v;
                if (v > 0) f += p[aOff + j] * v;
            }
            double yr = y[r * lm];
            ls[0] += loss.value(f, yr);
            if (loss.correct(f, yr)) correct[0]++;
            double g = loss.derivative(f, yr);
            for (int j = 0; j < m; j++) {
                double v = h[r * m + j];
                if (v > 0) {
                    grad[aOff + j] += g * v;
                    double t = g * p[aOff + j];
                    dh[r * m + j] = t;
                    grad[bOff + j] += t;
                } else {
                    dh[r * m + j] = 0;
                }
            }
        }
        // dW (column-major d x m) = X^T dH^T: row-major m x d.
        Blas.native3().dgemm("N", "T", d, m, rows, 1.0, x, d, dh, m, 0.0, gw, d);
        for (int i = 0; i < m * d; i++) grad[i] += gw[i];
    }

    /** The block's rows replaced by their attack perturbations under parameters p (a reused buffer). */
    private double[] perturb(Block block, double[] p) {
        int rows = block.rows(), lm = block.m();
        if (attack == null) attack = new LinfAttack(d, m, loss, eps);
        attack.bind(p);
        if (perturbed == null || perturbed.length < rows * d) perturbed = new double[rows * d];
        double[] x = block.x(), y = block.y();
        for (int r = 0; r < rows; r++) {
            int off = r * d;
            if (adversarial == AdversarialTraining.FGSM) {
                attack.fgsm(x, off, y[r * lm]);
            } else {
                attack.pgd(x, off, y[r * lm], pgdSteps);
            }
            attack.writePerturbed(x, off, perturbed, off);
        }
        return perturbed;
    }

    public double loss() { return lossSum.value()[0]; }

    public long correct() { return correct[0]; }

    public double[] gradient() { return grad.value(); }
}
