package org.relulearn.algo.convex;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.relulearn.algo.loss.ConvexLoss;
import org.relulearn.data.CounterRng;
import org.relulearn.data.OneHiddenLayerNetwork;
import org.relulearn.data.SyntheticSource;
import org.relulearn.data.XorClusters;
import org.relulearn.engine.Data;
import org.relulearn.engine.InMemoryData;
import org.relulearn.engine.LocalPassRunner;

/**
 * Margin-aware gates for robust convex training ({@link GateChoice}): the one-pass margins against brute force,
 * the l1-ball projection, gates from a network, and on XOR clusters margin-aware gates keep robust groups alive
 * where the sampled Gaussian gates all die.
 */
class RobustGatesTest {

    @Test
    void marginsEqualBruteForceAndRecentringKeepsEveryPattern() {
        double[][] pts = RobustConvexTest.points(60, ConvexLoss.SQUARED, 5);
        InMemoryData data = RobustConvexTest.data(pts[0], pts[1]);
        double[] gates = ConvexTrainer.sampleGates(7, 3, 9);
        gates = GateChoice.concat(gates, new double[] {0, 0, 1});   // all rows active: infinite distance
        double eps = 0.05;
        GateChoice.Margins m = GateChoice.measure(new LocalPassRunner(2), data, gates, true, eps);
        assertEquals(8, m.size());
        int positive = 0;
        for (int i = 0; i < 8; i++) {
            double lo = Double.NEGATIVE_INFINITY, hi = Double.POSITIVE_INFINITY, minAfter = Double.POSITIVE_INFINITY;
            double l1 = Math.abs(gates[3 * i]) + Math.abs(gates[3 * i + 1]);
            for (int r = 0; r < 60; r++) {
                double z = pts[0][2 * r] * gates[3 * i] + pts[0][2 * r + 1] * gates[3 * i + 1] + gates[3 * i + 2];
                double z2 = pts[0][2 * r] * m.gates()[3 * i] + pts[0][2 * r + 1] * m.gates()[3 * i + 1] + m.gates()[3 * i + 2];
                assertEquals(z >= 0, z2 >= 0, "gate " + i + " row " + r + ": recentring must keep the pattern");
                if (z >= 0) hi = Math.min(hi, z); else lo = Math.max(lo, z);
                minAfter = Math.min(minAfter, Math.abs(z2));
            }
            assertEquals(m.gates()[3 * i], gates[3 * i], 0);   // only the bias coordinate moves
            if (l1 == 0) {
                assertEquals(Double.POSITIVE_INFINITY, m.distance()[i]);
                assertTrue(m.margin()[i] > 0);
                positive++;
                continue;
            }
            double expected = Double.isFinite(lo) && Double.isFinite(hi) ? (hi - lo) / 2 : Math.min(-lo, hi);
            assertEquals(expected / l1, m.distance()[i], 1e-12);
            assertEquals(minAfter / l1, m.distance()[i], 1e-12);
            assertTrue(m.distance()[i] * l1 >= Math.min(-lo, hi) - 1e-12, "recentring never shrinks the gap");
            assertEquals(expected - eps * l1, m.margin()[i], 1e-12);
            if (m.margin()[i] > 0) positive++;
        }
        assertEquals(positive, m.positive());
        double[] ranked = m.ranked(true);
        assertEquals(positive * 3, ranked.length);
        assertArrayEquals(new double[] {0, 0, 1}, java.util.Arrays.copyOf(ranked, 3), "the infinite distance ranks first");
    }

    @Test
    void l1ProjectionIsTheClosestPointOfTheBall() {
        CounterRng rng = new CounterRng(3, 1, 0);
        for (int trial = 0; trial < 50; trial++) {
            double[] v = new double[6];
            for (int c = 0; c < 5; c++) v[c] = 2 * rng.nextGaussian();
            v[5] = 7;   // the coordinate after the first d = 5 (a bias) is not touched
            double[] p = v.clone();
            GateChoice.projectL1(p, 0, 5);
            double l1 = 0;
            for (int c = 0; c < 5; c++) l1 += Math.abs(p[c]);
            double l1v = 0;
            for (int c = 0; c < 5; c++) l1v += Math.abs(v[c]);
            assertEquals(7, p[5]);
            if (l1v <= 1) {
                assertArrayEquals(v, p);
                continue;
            }
            assertEquals(1, l1, 1e-12);
            // The projection is soft-thresholding at one theta: every kept coordinate moved by the same amount, the rest were smaller.
            double theta = Double.NaN;
            for (int c = 0; c < 5; c++) {
                if (p[c] != 0) {
                    double t = Math.abs(v[c]) - Math.abs(p[c]);
                    if (Double.isNaN(theta)) theta = t; else assertEquals(theta, t, 1e-12);
                    assertEquals(Math.signum(v[c]), Math.signum(p[c]));
                }
            }
            for (int c = 0; c < 5; c++) if (p[c] == 0) assertTrue(Math.abs(v[c]) <= theta + 1e-12);
        }
    }

    @Test
    void networkGatesAreTheFirstLayerRowsWithTheirBiases() {
        OneHiddenLayerNetwork net = new OneHiddenLayerNetwork(2, 2, 1, new double[] {1, 2, 3, 4}, new double[] {5, 6}, new double[] {1, -1});
        assertArrayEquals(new double[] {1, 2, 5, 3, 4, 6}, GateChoice.fromNetwork(net, true));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GateChoice.fromNetwork(net, false));
        assertTrue(e.getMessage().contains("bias"), e.getMessage());
        assertEquals(GateChoice.Source.BASELINE_SAMPLED, GateChoice.Source.parse("baseline+sampled"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> GateChoice.Source.parse("random")).getMessage().contains("sampled"));
    }

    @Test
    void marginAwareGatesKeepRobustGroupsAliveOnXorClustersWhereSampledGatesAllDie() {
        LocalPassRunner runner = new LocalPassRunner(2);
        XorClusters law = XorClusters.standard(6, 2, 0.25);
        Data train = runner.cache(new SyntheticSource(law, null, null, 200, 4, 0, 1024));
        double eps = 0.3;
        ConvexOptions o = ConvexOptions.defaults().withLoss(ConvexLoss.HINGE).withBeta(1e-2).withSeed(4).withAdversarialEps(eps).withMaxIter(600);
        double[] sampled = ConvexTrainer.sampleGates(16, 7, 4);

        GateChoice.Margins raw = GateChoice.measure(runner, train, sampled, true, eps);
        assertEquals(0, raw.positive(), "no sampled gate keeps every row eps away from its hyperplane");
        ConvexResult plain = ConvexTrainer.fit(runner, train, o.withGates(sampled));
        System.out.printf("robust gates test, sampled gates: %d patterns, %d live groups, certified %.6g, certified robust accuracy %.4f%n",
                plain.patterns(), plain.robust().liveGroups(), plain.robust().certifiedObjective(), plain.robust().certifiedAccuracy());
        // Measured: 2 live groups of 32 (a one-sided pattern: an affine piece), certified robust accuracy 0.49.
        assertTrue(plain.robust().certifiedAccuracy() <= 0.6, "sampled gates leave at most an affine robust network on XOR");

        StringBuilder log = new StringBuilder();
        GateChoice.Chosen chosen = GateChoice.marginAware(runner, train, sampled, true, eps, line -> log.append(line).append('\n'));
        System.out.print(log);
        assertTrue(chosen.positive() > 0, log.toString());
        assertTrue(chosen.largestDistance() > eps, log.toString());
        ConvexResult robust = ConvexTrainer.fit(runner, train, o.withGates(chosen.gates()));
        RobustSummary rs = robust.robust();
        System.out.printf("robust gates test: %d patterns, %d live groups, certified %.6g, certified robust accuracy %.4f, clean %.4f%n",
                robust.patterns(), rs.liveGroups(), rs.certifiedObjective(), rs.certifiedAccuracy(), rs.cleanAccuracy());
        assertTrue(rs.liveGroups() > 0, "margin-aware gates keep groups alive");
        assertEquals(0, rs.maxViolationAfterRepair(), 0, "every robust cone holds");
        assertTrue(rs.certifiedAccuracy() >= 0.9, "certified robust training accuracy " + rs.certifiedAccuracy());
        assertTrue(rs.certifiedObjective() < 0.5 * plain.robust().certifiedObjective());
        AttackAggregator a = runner.aggregate(train, () -> new AttackAggregator(robust.network(), ConvexLoss.HINGE, eps, 20), "attack");
        assertTrue(a.pgdAccuracy() >= rs.certifiedAccuracy() - 1e-12, "PGD cannot beat the certificate: " + a.pgdAccuracy());
        runner.uncache(train);
    }
}
