package org.relulearn.algo.convex;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.relulearn.algo.baseline.SgdReluTrainer;
import org.relulearn.algo.loss.ConvexLoss;
import org.relulearn.data.Block;
import org.relulearn.data.CounterRng;
import org.relulearn.engine.InMemoryData;
import org.relulearn.engine.LocalPassRunner;

/** Hinge and BCE by the majorised / split u-step, SCP, and the SGD baseline against the certificate. */
class ConvexLossesTest {

    /** n points in R^2, labelled by a ReLU-network rule, as -1/+1 (hinge) or 0/1 (bce). */
    static InMemoryData classification(int n, ConvexLoss loss, long seed) {
        CounterRng rng = new CounterRng(seed, 3, 0);
        double[] x = new double[2 * n], y = new double[n];
        for (int r = 0; r < n; r++) {
            x[2 * r] = rng.nextGaussian();
            x[2 * r + 1] = rng.nextGaussian();
            double f = Math.max(0, x[2 * r] + 0.3) - Math.max(0, x[2 * r + 1] - 0.2) - 0.1;
            boolean pos = f > 0;
            y[r] = pos ? 1 : (loss == ConvexLoss.BCE ? 0 : -1);
        }
        return new InMemoryData(2, 1, List.of(Block.wrap(2, 1, n / 2, 0, java.util.Arrays.copyOf(x, n), java.util.Arrays.copyOf(y, n / 2)),
                Block.wrap(2, 1, n - n / 2, n / 2, java.util.Arrays.copyOfRange(x, n, 2 * n), java.util.Arrays.copyOfRange(y, n / 2, n))));
    }

    @Test
    void bceAndHingeTrainAccurateNetworksWhoseObjectiveMatchesTheConvexOne() {
        for (ConvexLoss loss : new ConvexLoss[] {ConvexLoss.BCE, ConvexLoss.HINGE}) {
            InMemoryData data = classification(200, loss, 1);
            ConvexOptions o = ConvexOptions.defaults().withLoss(loss).withBeta(0.1).withPatterns(30).withMaxIter(300);
            ConvexResult r = ConvexTrainer.fit(new LocalPassRunner(), data, o);
            double zeroObjective = 200 * loss.value(0, 1);
            System.out.printf("%s: objective %.5f (zero net %.5f), network %.5f, accuracy %.3f, active %d, it %d%n", loss, r.objective(),
                    zeroObjective, r.networkObjective(), r.accuracy(), r.activeNeurons(), r.iterations());
            assertTrue(r.objective() < 0.5 * zeroObjective, loss + " objective " + r.objective());
            assertTrue(r.accuracy() > 0.9, loss + " accuracy " + r.accuracy());
            assertEquals(r.objective(), r.networkObjective(), 3e-3 * r.objective(), loss + ": mapped network objective");
            // The history must decrease overall (majorised steps are not monotone per iteration).
            List<ConvexResult.Iteration> h = r.history();
            assertTrue(h.get(h.size() - 1).objective() < h.get(9).objective(), loss + " objective falls");
        }
    }

    /** Hinge and BCE fits carry a Fenchel dual certificate too: 0 < LB <= the objective, and the gap closes as ADMM runs longer. */
    @Test
    void hingeAndBceFitsPrintADualCertificateThatClosesAsAdmmRuns() {
        for (ConvexLoss loss : new ConvexLoss[] {ConvexLoss.BCE, ConvexLoss.HINGE}) {
            InMemoryData data = classification(200, loss, 1);
            ConvexOptions o = ConvexOptions.defaults().withLoss(loss).withBeta(0.1).withPatterns(30);
            ConvexResult shortRun = ConvexTrainer.fit(new LocalPassRunner(), data, o.withMaxIter(30));
            ConvexResult longRun = ConvexTrainer.fit(new LocalPassRunner(), data, o.withMaxIter(3000));
            System.out.printf("%s certificate: 30 iterations LB %.6f obj %.6f gap %.3g; %d iterations LB %.6f obj %.6f gap %.3g%n", loss,
                    shortRun.lowerBound(), shortRun.networkObjective(), shortRun.relativeGap(), longRun.iterations(), longRun.lowerBound(),
                    longRun.networkObjective(), longRun.relativeGap());
            for (ConvexResult r : List.of(shortRun, longRun)) {
                assertTrue(r.lowerBound() > 0 && r.lowerBound() <= r.objective() * (1 + 1e-9), loss + ": 0 < LB <= objective, " + r.lowerBound());
            }
            assertTrue(longRun.relativeGap() < shortRun.relativeGap(), loss + ": the gap closes");
            // the long run's certificate bounds the short run's network objective too (weak duality over these patterns)
            assertTrue(longRun.lowerBound() <= shortRun.objective(), loss + ": LB below every feasible objective");
        }
    }

    @Test
    void scpUpperBoundsFallWithMoreFeaturesAndStayAboveTheCertificate() {
        double[][] xy = ConvexToy.data(11);
        InMemoryData data = ConvexToy.inMemory(xy, 2);
        double lb = ConvexAdmmTest.exact().lowerBound();
        ConvexOptions o = ConvexOptions.defaults().withBeta(ConvexAdmmTest.BETA).withMaxIter(1500).withTolerances(1e-10, 1e-10);
        double small = ScpTrainer.fit(new LocalPassRunner(), data, o.withPatterns(20), null).networkObjective();
        ConvexResult big = ScpTrainer.fit(new LocalPassRunner(), data, o.withPatterns(300), null);
        System.out.printf("scp: N=20 %.6f, N=300 %.6f (active %d), exact LB %.6f%n", small, big.networkObjective(), big.activeNeurons(), lb);
        assertTrue(small >= lb && big.networkObjective() >= lb, "SCP values are upper bounds");
        assertTrue(big.networkObjective() < small, "more features, lower objective");
        assertEquals(big.networkObjective(), ConvexToyLoss.networkObjective(big.network(), xy, ConvexAdmmTest.BETA), 1e-8,
                "the SCP network's own objective");
        assertThrows(IllegalArgumentException.class, () -> ScpTrainer.fit(new LocalPassRunner(), data, o.withLoss(ConvexLoss.HINGE), null));
    }

    @Test
    void sgdBaselineNeverBeatsTheCertifiedLowerBound() {
        double[][] xy = ConvexToy.data(11);
        InMemoryData data = ConvexToy.inMemory(xy, 2);
        double lb = ConvexAdmmTest.exact().lowerBound();
        for (long seed = 1; seed <= 2; seed++) {
            SgdReluTrainer.Result r = SgdReluTrainer.fit(new LocalPassRunner(), data,
                    new SgdReluTrainer.Options(50, ConvexLoss.SQUARED, ConvexAdmmTest.BETA, 1000, 10, 0.01, true, seed, 500));
            System.out.printf("sgd seed %d: objective %.6f (LB %.6f)%n", seed, r.objective(), lb);
            assertTrue(r.objective() >= lb, "SGD below the certified lower bound: " + r.objective());
            assertEquals(r.objective(), ConvexToyLoss.networkObjective(r.network(), xy, ConvexAdmmTest.BETA), 1e-8);
            assertTrue(r.objective() < 1.0, "SGD trains: " + r.objective());
        }
    }
}
