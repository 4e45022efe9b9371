package org.relulearn.data;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Online label poisoning (docs/gate.md, Model): each label gets y += alpha xi with
 * alpha ~ Bernoulli(beta) drawn per sample and |xi| <= theta* chosen by an {@link Adversary}.
 */
public final class OnlinePoisoning implements LabelCorruption {
    private static final long serialVersionUID = 1L;
    private final double beta;
    private final double theta;
    private final Adversary adversary;

    public OnlinePoisoning(double beta, double theta, Adversary adversary) {
        this.beta = Checks.probability("attack probability beta", beta);
        this.theta = Checks.nonNegative("attack magnitude theta*", theta);
        if (adversary == null) throw new IllegalArgumentException("an adversary is required");
        this.adversary = adversary;
    }

    public double beta() { return beta; }
    public double theta() { return theta; }
    public Adversary adversary() { return adversary; }

    public void corruptRow(Block block, int r, long index, CounterRng rng, AdversaryContext ctx) {
        // alpha is drawn first so the attack pattern does not depend on what the adversary draws.
        if (!(rng.nextDouble() < beta)) return;
        int d = block.d(), m = block.m();
        double xi = adversary.poison(block.x(), r * d, d, index, theta, rng, ctx);
        if (!(xi <= theta)) xi = Double.isNaN(xi) ? 0 : theta;
        if (xi < -theta) xi = -theta;
        double[] y = block.y();
        for (int i = 0; i < m; i++) y[r * m + i] += xi;
    }

    public Map<String, Object> describe() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("type", "online-poisoning");
        out.put("beta", beta);
        out.put("theta", theta);
        out.put("adversary", adversary.describe());
        return out;
    }
}
