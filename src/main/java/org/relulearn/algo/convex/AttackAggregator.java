package org.relulearn.algo.convex;

import org.relulearn.data.Block;
import org.relulearn.data.OneHiddenLayerNetwork;
import org.relulearn.engine.Aggregator;

/**
 * Clean and robust accuracy of a ReLU network under l_inf attacks of radius eps on the features
 * (never on a bias, which is a network parameter here). FGSM: delta = eps sign(grad_x l(f(x), y));
 * PGD: {@code steps} signed-gradient steps of size 2.5 eps / steps from delta = 0, each projected onto
 * the box [-eps, eps]^d (Madry et al.'s schedule). Per row: a few matrix-vector products, no allocation.
 */
public final class AttackAggregator implements Aggregator<AttackAggregator> {
    private static final long serialVersionUID = 1L;

    private final OneHiddenLayerNetwork net;
    private final ConvexLoss loss;
    private final double eps;
    private final int steps;
    private long n;
    private long clean;
    private long fgsm;
    private long pgd;
    private double cleanLoss;
    private double pgdLoss;
    private transient double[] w;
    private transient double[] b;
    private transient double[] a;
    private transient double[] xa;
    private transient double[] grad;
    private transient double[] delta;

    public AttackAggregator(OneHiddenLayerNetwork net, ConvexLoss loss, double eps, int steps) {
        this.net = net;
        this.loss = loss;
        this.eps = eps;
        this.steps = steps;
    }

    @Override
    public void add(Block block) {
        int d = block.d();
        if (w == null) {
            w = net.weights();
            b = net.biases();
            a = net.outputWeights();
            xa = new double[d];
            grad = new double[d];
            delta = new double[d];
        }
        double[] x = block.x(), y = block.y();
        for (int r = 0; r < block.rows(); r++) {
            double yr = y[r * block.m()];
            java.util.Arrays.fill(delta, 0);
            double f0 = forward(x, r * d, d, delta, false, yr);
            cleanLoss += loss.value(f0, yr);
            if (loss.correct(f0, yr)) clean++;
            // FGSM
            forward(x, r * d, d, delta, true, yr);
            for (int j = 0; j < d; j++) delta[j] = eps * Math.signum(grad[j]);
            if (loss.correct(forward(x, r * d, d, delta, false, yr), yr)) fgsm++;
            // PGD
            java.util.Arrays.fill(delta, 0);
            double step = 2.5 * eps / Math.max(1, steps);
            for (int s = 0; s < steps; s++) {
                forward(x, r * d, d, delta, true, yr);
                for (int j = 0; j < d; j++) delta[j] = Math.max(-eps, Math.min(eps, delta[j] + step * Math.signum(grad[j])));
            }
            double fp = forward(x, r * d, d, delta, false, yr);
            pgdLoss += loss.value(fp, yr);
            if (loss.correct(fp, yr)) pgd++;
        }
        n += block.rows();
    }

    /** f(x + delta); with {@code withGrad}, grad = d l(f, y) / d x at x + delta. */
    private double forward(double[] x, int off, int d, double[] dl, boolean withGrad, double y) {
        int k = net.hiddenUnits();
        for (int j = 0; j < d; j++) xa[j] = x[off + j] + dl[j];
        double f = 0;
        if (withGrad) java.util.Arrays.fill(grad, 0);
        for (int u = 0; u < k; u++) {
            double h = b[u];
            for (int j = 0; j < d; j++) h += w[u * d + j] * xa[j];
            if (h > 0) f += a[u] * h;
        }
        if (withGrad) {
            double g = loss.derivative(f, y);
            if (loss == ConvexLoss.HINGE && g == 0) g = -y * 1e-12; // keep a direction at zero hinge loss
            for (int u = 0; u < k; u++) {
                double h = b[u];
                for (int j = 0; j < d; j++) h += w[u * d + j] * xa[j];
                if (h > 0) for (int j = 0; j < d; j++) grad[j] += g * a[u] * w[u * d + j];
            }
        }
        return f;
    }

    @Override
    public AttackAggregator merge(AttackAggregator o) {
        n += o.n;
        clean += o.clean;
        fgsm += o.fgsm;
        pgd += o.pgd;
        cleanLoss += o.cleanLoss;
        pgdLoss += o.pgdLoss;
        return this;
    }

    @Override public long count() { return n; }

    public double cleanAccuracy() { return (double) clean / n; }
    public double fgsmAccuracy() { return (double) fgsm / n; }
    public double pgdAccuracy() { return (double) pgd / n; }
    public double cleanLoss() { return cleanLoss; }
    public double pgdLoss() { return pgdLoss; }
}
