package org.relulearn.algo.convex;

import org.relulearn.algo.loss.ConvexLoss;
import org.relulearn.algo.loss.LinfAttack;
import org.relulearn.data.Block;
import org.relulearn.data.OneHiddenLayerNetwork;
import org.relulearn.engine.Aggregator;

/**
 * Clean and robust accuracy of a ReLU network under l_inf attacks of radius eps on the features
 * (never on a bias, which is a network parameter here). FGSM: delta = eps sign(grad_x l(f(x), y));
 * PGD: {@code steps} signed-gradient steps of size 2.5 eps / steps from delta = 0, each projected onto
 * the box [-eps, eps]^d (Madry et al.'s schedule); the math is {@link LinfAttack}'s, shared with adversarial
 * training of the SGD baseline. Per row: a few matrix-vector products, no allocation.
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
    private transient LinfAttack attack;

    public AttackAggregator(OneHiddenLayerNetwork net, ConvexLoss loss, double eps, int steps) {
        this.net = net;
        this.loss = loss;
        this.eps = eps;
        this.steps = steps;
    }

    @Override
    public void add(Block block) {
        int d = block.d();
        if (attack == null) attack = new LinfAttack(d, net.hiddenUnits(), loss, eps).bind(LinfAttack.pack(net));
        double[] x = block.x(), y = block.y();
        for (int r = 0; r < block.rows(); r++) {
            double yr = y[r * block.m()];
            int off = r * d;
            attack.clear();
            double f0 = attack.value(x, off, yr, false);
            cleanLoss += loss.value(f0, yr);
            if (loss.correct(f0, yr)) clean++;
            attack.fgsm(x, off, yr);
            if (loss.correct(attack.value(x, off, yr, false), yr)) fgsm++;
            attack.pgd(x, off, yr, steps);
            double fp = attack.value(x, off, yr, false);
            pgdLoss += loss.value(fp, yr);
            if (loss.correct(fp, yr)) pgd++;
        }
        n += block.rows();
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
