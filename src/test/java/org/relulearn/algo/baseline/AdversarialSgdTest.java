package org.relulearn.algo.baseline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.relulearn.algo.convex.AttackAggregator;
import org.relulearn.algo.loss.ConvexLoss;
import org.relulearn.algo.loss.LinfAttack;
import org.relulearn.data.Block;
import org.relulearn.data.CounterRng;
import org.relulearn.data.OneHiddenLayerNetwork;
import org.relulearn.data.SyntheticSource;
import org.relulearn.data.XorClusters;
import org.relulearn.engine.InMemoryData;
import org.relulearn.engine.LocalPassRunner;
import org.relulearn.engine.Shared;
import org.relulearn.engine.SyntheticData;

/**
 * Adversarial training of the SGD baseline: the FGSM perturbation is eps sign(d loss / d x) with the
 * gradient taken independently (central differences of the network's own forward pass), the
 * adversarial gradient equals the plain gradient at the perturbed rows, and FGSM/PGD training buys
 * PGD robust accuracy over plain training on separable XOR clusters.
 */
class AdversarialSgdTest {
    private static final int D = 4;
    private static final int K = 5;

    private static OneHiddenLayerNetwork randomNet(long seed) {
        CounterRng rng = new CounterRng(seed, 3, 0);
        double[] w = new double[K * D], b = new double[K], a = new double[K];
        for (int i = 0; i < w.length; i++) w[i] = rng.nextGaussian();
        for (int j = 0; j < K; j++) {
            b[j] = 0.3 * rng.nextGaussian();
            a[j] = rng.nextGaussian();
        }
        return new OneHiddenLayerNetwork(D, K, 1, w, b, a);
    }

    /** f(x) by the network's own labelling code (BLAS), independent of LinfAttack. */
    private static double f(OneHiddenLayerNetwork net, double[] x) {
        Block blk = Block.wrap(D, 1, 1, 0, x.clone(), new double[1]);
        net.label(blk, new double[K]);
        return blk.y()[0];
    }

    /** Central-difference d loss / d x_j. */
    private static double[] lossGradient(OneHiddenLayerNetwork net, ConvexLoss loss, double[] x, double y) {
        double[] g = new double[D];
        double h = 1e-6;
        for (int j = 0; j < D; j++) {
            double[] xp = x.clone(), xm = x.clone();
            xp[j] += h;
            xm[j] -= h;
            g[j] = (loss.value(f(net, xp), y) - loss.value(f(net, xm), y)) / (2 * h);
        }
        return g;
    }

    @Test
    void fgsmIsEpsTimesTheSignOfTheLossGradientAndTheAdversarialGradientIsThePlainOneAtThePerturbedRows() {
        OneHiddenLayerNetwork net = randomNet(11);
        double eps = 0.15;
        int n = 40;
        CounterRng rng = new CounterRng(12, 4, 0);
        double[] x = new double[n * D], y = new double[n], xf = new double[n * D];
        for (int i = 0; i < x.length; i++) x[i] = rng.nextGaussian();
        for (int r = 0; r < n; r++) y[r] = rng.nextSign() > 0 ? 1 : 0;
        LinfAttack attack = new LinfAttack(D, K, ConvexLoss.BCE, eps).bind(LinfAttack.pack(net));
        int checked = 0;
        for (int r = 0; r < n; r++) {
            double[] row = java.util.Arrays.copyOfRange(x, r * D, r * D + D);
            double[] g = lossGradient(net, ConvexLoss.BCE, row, y[r]);
            attack.fgsm(x, r * D, y[r]);
            for (int j = 0; j < D; j++) {
                if (Math.abs(g[j]) > 1e-6) {
                    assertEquals(eps * Math.signum(g[j]), attack.delta()[j], 0, "row " + r + " feature " + j);
                    checked++;
                }
                xf[r * D + j] = row[j] + eps * Math.signum(g[j]);
            }
            // the perturbation raises the loss (first order: by about eps ||g||_1)
            assertTrue(ConvexLoss.BCE.value(f(net, java.util.Arrays.copyOfRange(xf, r * D, r * D + D)), y[r])
                    >= ConvexLoss.BCE.value(f(net, row), y[r]) - 1e-12, "row " + r);
        }
        assertTrue(checked > n * D / 2, "compared coordinates: " + checked);

        // Through the aggregator: FGSM training's gradient = the plain gradient at the rows perturbed independently.
        LocalPassRunner runner = new LocalPassRunner();
        Shared<double[]> params = runner.share(LinfAttack.pack(net));
        InMemoryData clean = new InMemoryData(D, 1, List.of(Block.wrap(D, 1, n, 0, x, y)));
        InMemoryData moved = new InMemoryData(D, 1, List.of(Block.wrap(D, 1, n, 0, xf, y)));
        ReluGradientAggregator adv = runner.aggregate(clean,
                () -> new ReluGradientAggregator(params, D, K, ConvexLoss.BCE, AdversarialTraining.FGSM, eps, 0), "t");
        ReluGradientAggregator plain = runner.aggregate(moved, () -> new ReluGradientAggregator(params, D, K, ConvexLoss.BCE), "t");
        assertArrayEquals(plain.gradient(), adv.gradient(), 1e-10);
        assertEquals(plain.loss(), adv.loss(), 1e-10);
        ReluGradientAggregator none = runner.aggregate(clean, () -> new ReluGradientAggregator(params, D, K, ConvexLoss.BCE), "t");
        assertTrue(adv.loss() > none.loss(), "FGSM rows must cost more: " + adv.loss() + " vs clean " + none.loss());
    }

    @Test
    void pgdStaysInTheBoxAndIsAtLeastAsHarmfulAsFgsmOnAverage() {
        OneHiddenLayerNetwork net = randomNet(21);
        double eps = 0.2;
        LinfAttack attack = new LinfAttack(D, K, ConvexLoss.HINGE, eps).bind(LinfAttack.pack(net));
        CounterRng rng = new CounterRng(22, 4, 0);
        double fgsmLoss = 0, pgdLoss = 0;
        double[] x = new double[D];
        for (int r = 0; r < 200; r++) {
            for (int j = 0; j < D; j++) x[j] = rng.nextGaussian();
            double y = rng.nextSign();
            attack.fgsm(x, 0, y);
            fgsmLoss += ConvexLoss.HINGE.value(attack.value(x, 0, y, false), y);
            attack.pgd(x, 0, y, 10);
            for (double v : attack.delta()) assertTrue(Math.abs(v) <= eps + 1e-15, "delta " + v);
            pgdLoss += ConvexLoss.HINGE.value(attack.value(x, 0, y, false), y);
        }
        assertTrue(pgdLoss >= fgsmLoss * 0.99, "pgd " + pgdLoss + " fgsm " + fgsmLoss);
    }

    @Test
    void badAdversarialOptionsAreRefusedWithTheFix() {
        SgdReluTrainer.Options o = new SgdReluTrainer.Options(4, ConvexLoss.HINGE, 0, 10, 10, 0.01, true, 1, 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> o.withAdversarial(AdversarialTraining.FGSM, 0, 0));
        assertTrue(e.getMessage().contains("eps > 0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> o.withAdversarial(AdversarialTraining.PGD, 0.1, 0));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> AdversarialTraining.parse("pdg")).getMessage()
                .contains("none, fgsm or pgd"));
        assertEquals(AdversarialTraining.NONE, o.adversarial());
    }

    /** Measured (seed 1): printed by the test; see docs/experiments-adversarial.md. */
    @Test
    void adversarialTrainingRaisesPgdRobustAccuracyOnSeparableXorClusters() {
        XorClusters law = XorClusters.standard(10, 2, 0.25);
        double eps = 0.6;
        LocalPassRunner runner = new LocalPassRunner();
        org.relulearn.engine.Data train = runner.cache(new SyntheticSource(law, null, null, 400, 1, 0, 400));
        SyntheticData test = new SyntheticData(new SyntheticSource(law, null, null, 1000, 1, 1, 1000));
        SgdReluTrainer.Options plain = new SgdReluTrainer.Options(16, ConvexLoss.HINGE, 1e-3, 400, 64, 0.01, true, 1, 0);
        double[] pgd = new double[3], clean = new double[3];
        AdversarialTraining[] kinds = AdversarialTraining.values();
        for (int i = 0; i < kinds.length; i++) {
            SgdReluTrainer.Options o = kinds[i] == AdversarialTraining.NONE ? plain : plain.withAdversarial(kinds[i], eps, 7);
            OneHiddenLayerNetwork net = SgdReluTrainer.fit(runner, train, o).network();
            AttackAggregator a = runner.aggregate(test, () -> new AttackAggregator(net, ConvexLoss.HINGE, eps, 20), "t");
            clean[i] = a.cleanAccuracy();
            pgd[i] = a.pgdAccuracy();
            System.out.printf("adversarial sgd test, eps %.2f: %s clean %.4f FGSM %.4f PGD-20 %.4f%n", eps, kinds[i].label(), clean[i],
                    a.fgsmAccuracy(), pgd[i]);
        }
        assertTrue(clean[0] > 0.95, "plain SGD must learn the XOR clusters: " + clean[0]);
        assertTrue(pgd[1] > pgd[0] + 0.05, "FGSM training must raise PGD accuracy: " + pgd[1] + " vs plain " + pgd[0]);
        assertTrue(pgd[2] > pgd[0] + 0.05, "PGD training must raise PGD accuracy: " + pgd[2] + " vs plain " + pgd[0]);
    }
}
