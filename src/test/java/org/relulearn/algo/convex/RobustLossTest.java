package org.relulearn.algo.convex;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.relulearn.algo.loss.ConvexLoss;
import org.relulearn.data.Block;
import org.relulearn.data.CounterRng;
import org.relulearn.data.OneHiddenLayerNetwork;
import org.relulearn.engine.InMemoryData;
import org.relulearn.engine.LocalPassRunner;

/**
 * docs/convex.md, Design: when no pattern can flip in the box (|w_j . x + b_j| > eps ||w_j||_1), the
 * worst case of each loss over the box equals the closed form with g = sum_{j active} a_j w_j,
 * checked against brute force over all 2^d box vertices of the true ReLU network.
 */
class RobustLossTest {
    @Test
    void closedFormsEqualBruteForceOverBoxVertices() {
        CounterRng rng = new CounterRng(3, 1, 0);
        int d = 4, k = 5, checked = 0;
        for (int trial = 0; trial < 400; trial++) {
            double[] w = new double[k * d], b = new double[k], a = new double[k], x = new double[d];
            for (int i = 0; i < w.length; i++) w[i] = rng.nextGaussian();
            for (int j = 0; j < k; j++) {
                b[j] = rng.nextGaussian();
                a[j] = rng.nextGaussian();
            }
            for (int i = 0; i < d; i++) x[i] = rng.nextGaussian();
            double eps = 0.05 * rng.nextDouble();
            boolean stable = true;
            double yhat = 0;
            double[] g = new double[d];
            for (int j = 0; j < k; j++) {
                double h = b[j], l1 = 0;
                for (int i = 0; i < d; i++) {
                    h += w[j * d + i] * x[i];
                    l1 += Math.abs(w[j * d + i]);
                }
                if (Math.abs(h) <= eps * l1) stable = false;
                if (h > 0) {
                    yhat += a[j] * h;
                    for (int i = 0; i < d; i++) g[i] += a[j] * w[j * d + i];
                }
            }
            if (!stable) continue;
            double g1 = 0;
            for (double v : g) g1 += Math.abs(v);
            OneHiddenLayerNetwork net = new OneHiddenLayerNetwork(d, k, 1, w, b, a);
            for (ConvexLoss loss : ConvexLoss.values()) {
                double y = switch (loss) {
                    case SQUARED -> rng.nextGaussian();
                    case HINGE -> rng.nextDouble() < 0.5 ? -1 : 1;
                    case BCE -> rng.nextDouble() < 0.5 ? 0 : 1;
                };
                double brute = Double.NEGATIVE_INFINITY;
                for (int mask = 0; mask < (1 << d); mask++) {
                    double f = 0;
                    for (int j = 0; j < k; j++) {
                        double h = b[j];
                        for (int i = 0; i < d; i++) h += w[j * d + i] * (x[i] + ((mask >> i & 1) == 1 ? eps : -eps));
                        f += a[j] * Math.max(0, h);
                    }
                    brute = Math.max(brute, loss.value(f, y));
                }
                assertEquals(brute, loss.worstCase(yhat, y, eps * g1), 1e-10 * Math.max(1, brute), loss + " trial " + trial);
                // the attack delta = -eps s sign(g) attains it
                double s = loss.attackSign(yhat, y), fa = 0;
                for (int j = 0; j < k; j++) {
                    double h = b[j];
                    for (int i = 0; i < d; i++) h += w[j * d + i] * (x[i] - eps * s * Math.signum(g[i]));
                    fa += a[j] * Math.max(0, h);
                }
                assertEquals(brute, loss.value(fa, y), 1e-10 * Math.max(1, brute), loss + " attack, trial " + trial);
            }
            checked++;
        }
        assertTrue(checked > 50, "stable trials: " + checked);
    }

    @Test
    void pgdIsAtLeastAsStrongAsFgsmAndEpsZeroIsClean() {
        CounterRng rng = new CounterRng(5, 1, 0);
        int d = 3, k = 6, n = 300;
        double[] w = new double[k * d], b = new double[k], a = new double[k];
        for (int i = 0; i < w.length; i++) w[i] = rng.nextGaussian();
        for (int j = 0; j < k; j++) a[j] = rng.nextGaussian();
        OneHiddenLayerNetwork net = new OneHiddenLayerNetwork(d, k, 1, w, b, a);
        double[] x = new double[n * d], y = new double[n];
        for (int i = 0; i < x.length; i++) x[i] = rng.nextGaussian();
        double[] scratch = new double[k * n];
        Block blk = Block.wrap(d, 1, n, 0, x, y);
        net.label(blk, scratch);
        for (int r = 0; r < n; r++) y[r] = y[r] > 0.1 ? 1 : -1;
        InMemoryData data = new InMemoryData(d, 1, List.of(blk));
        AttackAggregator none = new LocalPassRunner().aggregate(data, () -> new AttackAggregator(net, ConvexLoss.HINGE, 0, 10), "t");
        AttackAggregator att = new LocalPassRunner().aggregate(data, () -> new AttackAggregator(net, ConvexLoss.HINGE, 0.2, 20), "t");
        assertEquals(none.cleanAccuracy(), none.pgdAccuracy(), 1e-12);
        assertTrue(att.pgdAccuracy() <= att.fgsmAccuracy() + 0.02, "pgd " + att.pgdAccuracy() + " fgsm " + att.fgsmAccuracy());
        assertTrue(att.fgsmAccuracy() < att.cleanAccuracy(), "an attack of radius 0.2 must hurt");
    }
}
