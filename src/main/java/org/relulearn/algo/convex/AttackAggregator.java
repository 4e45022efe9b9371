package org.relulearn.algo.convex;

import org.relulearn.algo.loss.ConvexLoss;
import org.relulearn.algo.loss.LinfAttack;
import org.relulearn.data.Block;
import org.relulearn.data.OneHiddenLayerNetwork;
import org.relulearn.engine.CompensatedSum;
import org.relulearn.engine.SummingAggregator;

/**
 * Clean and robust accuracy of a ReLU network under l_inf attacks of radius eps on the features
 * (never on a bias, which is a network parameter here). FGSM: delta = eps sign(grad_x l(f(x), y));
 * PGD: {@code steps} signed-gradient steps of size 2.5 eps / steps from delta = 0, each projected onto
 * the box [-eps, eps]^d (Madry et al.'s schedule); the math is {@link LinfAttack}'s, shared with adversarial
 * training of the SGD baseline. Per row: a few matrix-vector products, no allocation.
 */
public final class AttackAggregator extends SummingAggregator<AttackAggregator> {
    private static final long serialVersionUID = 1L;

    private final OneHiddenLayerNetwork net;
    private final ConvexLoss loss;
    private final double eps;
    private final int steps;
    private final long[] correct = counters(3);       // clean, FGSM, PGD
    private final CompensatedSum losses = sums(2);    // clean loss, PGD loss
    private transient LinfAttack attack;

    public AttackAggregator(OneHiddenLayerNetwork net, ConvexLoss loss, double eps, int steps) {
        this.net = net;
        this.loss = loss;
        this.eps = eps;
        this.steps = steps;
    }

    @Override
    protected void addRows(Block block) {
        int d = block.d();
        if (attack == null) attack = new LinfAttack(d, net.hiddenUnits(), loss, eps).bind(LinfAttack.pack(net));
        double[] x = block.x(), y = block.y(), ls = losses.pending();
        for (int r = 0; r < block.rows(); r++) {
            double yr = y[r * block.m()];
            int off = r * d;
            attack.clear();
            double f0 = attack.value(x, off, yr, false);
            ls[0] += loss.value(f0, yr);
            if (loss.correct(f0, yr)) correct[0]++;
            attack.fgsm(x, off, yr);
            if (loss.correct(attack.value(x, off, yr, false), yr)) correct[1]++;
            attack.pgd(x, off, yr, steps);
            double fp = attack.value(x, off, yr, false);
            ls[1] += loss.value(fp, yr);
            if (loss.correct(fp, yr)) correct[2]++;
        }
    }

    public double cleanAccuracy() { return (double) correct[0] / count(); }
    public double fgsmAccuracy() { return (double) correct[1] / count(); }
    public double pgdAccuracy() { return (double) correct[2] / count(); }
    public double cleanLoss() { return losses.value()[0]; }
    public double pgdLoss() { return losses.value()[1]; }
}
