package org.relulearn.algo.loss;

import java.util.Arrays;
import org.relulearn.data.OneHiddenLayerNetwork;

/**
 * The l_inf attack math on one row for the scalar two-layer ReLU network
 * f(x) = sum_u a_u (w_u . x + b_u)_+, shared by the evaluation ({@code algo.convex.AttackAggregator}) and
 * adversarial training of the SGD baseline ({@code algo.baseline.ReluGradientAggregator}).
 * Perturbations act on the d features only; the biases b_u are network parameters, never perturbed.
 * <pre>
 *   grad_x l(f(x + delta), y) = l'(f, y) sum_{u active} a_u w_u
 *   FGSM: delta = eps sign(grad_x l(f(x), y))
 *   PGD:  delta_0 = 0, delta_{s+1} = clip_[-eps, eps](delta_s + (2.5 eps / S) sign(grad_x l(f(x + delta_s), y))), S steps
 * </pre>
 * (Madry et al.'s step schedule). Holds its buffers (d + 2d + k doubles) and reuses them for every
 * row: no allocation per row. Not thread-safe; one instance per aggregator.
 */
public final class LinfAttack {
    private final int d;
    private final int k;
    private final ConvexLoss loss;
    private final double eps;
    private double[] p;
    private final double[] xa;
    private final double[] grad;
    private final double[] delta;
    private final double[] h;

    /**
     * @param d    features
     * @param k    hidden units
     * @param loss the loss whose gradient the attack ascends
     * @param eps  l_inf radius (>= 0)
     */
    public LinfAttack(int d, int k, ConvexLoss loss, double eps) {
        if (!(eps >= 0) || Double.isInfinite(eps)) {
            throw new IllegalArgumentException("attack radius eps must be finite and >= 0, got " + eps);
        }
        this.d = d;
        this.k = k;
        this.loss = loss;
        this.eps = eps;
        this.xa = new double[d];
        this.grad = new double[d];
        this.delta = new double[d];
        this.h = new double[k];
    }

    /** Network parameters packed as [W (k x d row-major) | b (k) | a (k)], the layout of the SGD baseline. */
    public static double[] pack(OneHiddenLayerNetwork net) {
        if (net.outputDim() != 1) throw new IllegalArgumentException("attacks need a scalar network, got " + net.outputDim() + " outputs");
        int d = net.inputDim(), k = net.hiddenUnits();
        double[] p = new double[k * d + 2 * k];
        System.arraycopy(net.weights(), 0, p, 0, k * d);
        System.arraycopy(net.biases(), 0, p, k * d, k);
        System.arraycopy(net.outputWeights(), 0, p, k * d + k, k);
        return p;
    }

    /** Points the attack at packed parameters (not copied: the caller keeps them fixed while attacking). */
    public LinfAttack bind(double[] packed) {
        if (packed.length != k * d + 2 * k) {
            throw new IllegalArgumentException("packed parameters need k d + 2 k = " + (k * d + 2 * k) + " numbers, got " + packed.length);
        }
        this.p = packed;
        return this;
    }

    public double eps() { return eps; }

    /** The current perturbation (a live buffer of length d). */
    public double[] delta() { return delta; }

    /** The gradient of the last {@code value(..., true)} call (a live buffer of length d). */
    public double[] gradient() { return grad; }

    /** Sets delta = 0. */
    public void clear() { Arrays.fill(delta, 0); }

    /**
     * f(x + delta) for the row at {@code x[off .. off + d)}; with {@code withGrad}, also
     * {@link #gradient()} = d l(f, y) / d x at x + delta. At zero hinge loss the gradient would vanish;
     * a tiny -y direction is kept so the attack still pushes towards the margin.
     */
    public double value(double[] x, int off, double y, boolean withGrad) {
        int bOff = k * d, aOff = k * d + k;
        for (int j = 0; j < d; j++) xa[j] = x[off + j] + delta[j];
        double f = 0;
        for (int u = 0; u < k; u++) {
            double s = p[bOff + u];
            int w = u * d;
            for (int j = 0; j < d; j++) s += p[w + j] * xa[j];
            h[u] = s;
            if (s > 0) f += p[aOff + u] * s;
        }
        if (withGrad) {
            Arrays.fill(grad, 0);
            double g = loss.derivative(f, y);
            if (loss == ConvexLoss.HINGE && g == 0) g = -y * 1e-12;
            for (int u = 0; u < k; u++) {
                if (h[u] <= 0) continue;
                double c = g * p[aOff + u];
                int w = u * d;
                for (int j = 0; j < d; j++) grad[j] += c * p[w + j];
            }
        }
        return f;
    }

    /** Sets delta to the FGSM perturbation of the row: eps sign(grad_x l(f(x), y)). */
    public void fgsm(double[] x, int off, double y) {
        clear();
        value(x, off, y, true);
        for (int j = 0; j < d; j++) delta[j] = eps * Math.signum(grad[j]);
    }

    /** Sets delta to the PGD perturbation of the row after {@code steps} projected signed-gradient steps. */
    public void pgd(double[] x, int off, double y, int steps) {
        clear();
        double step = 2.5 * eps / Math.max(1, steps);
        for (int s = 0; s < steps; s++) {
            value(x, off, y, true);
            for (int j = 0; j < d; j++) delta[j] = Math.max(-eps, Math.min(eps, delta[j] + step * Math.signum(grad[j])));
        }
    }

    /** Writes x + delta of the row at {@code x[off..]} into {@code out[outOff..]}. */
    public void writePerturbed(double[] x, int off, double[] out, int outOff) {
        for (int j = 0; j < d; j++) out[outOff + j] = x[off + j] + delta[j];
    }
}
