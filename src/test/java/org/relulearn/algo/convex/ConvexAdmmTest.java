package org.relulearn.algo.convex;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.relulearn.engine.InMemoryData;
import org.relulearn.engine.LocalPassRunner;

/** The acceptance checks on the rebuilt reference toy (docs/convex.md, Model and Design). */
class ConvexAdmmTest {
    static final double BETA = 0.1;

    static ConvexOptions exactOptions(double[] gates) {
        return ConvexOptions.defaults().withBeta(BETA).withGates(gates).withRho(0.3).withMaxIter(1500).withTolerances(1e-10, 1e-10);
    }

    private static ConvexResult exact;

    /** The exact program on the toy (fitted once for the tests of this class). */
    static synchronized ConvexResult exact() {
        if (exact == null) {
            double[][] xy = ConvexToy.data(11);
            exact = ConvexTrainer.fit(new LocalPassRunner(), ConvexToy.inMemory(xy, 3), exactOptions(ConvexToy.allPatternGates(xy[0])));
        }
        return exact;
    }

    @Test
    void exactProgramOnTheToyIsCertifiedOptimalAndMapsToTheSameNetwork() {
        double[][] xy = ConvexToy.data(11);
        double[] gates = ConvexToy.allPatternGates(xy[0]);
        assertEquals(382, gates.length / 3, "Cover's count 2 sum_{k<=2} C(19, k)");
        ConvexResult res = exact();
        System.out.printf("toy: P=%d route=%s it=%d obj=%.9f net=%.9f LB=%.9f gap=%.3g active=%d maxNu=%.3g viol=%.3g %s%n",
                res.patterns(), res.route(), res.iterations(), res.objective(), res.networkObjective(), res.lowerBound(), res.gap(),
                res.activeNeurons(), res.maxNu(), res.maxConeViolation(), res.stopReason());
        assertEquals(381, res.patterns(), "the all-zero pattern is dropped");
        // The certificate brackets p*: LB <= p* <= network objective. (This toy's ADMM is far slower than
        // the reference toy's 36 iterations: after 1500 iterations the gap is ~5e-3. An independent transcription of
        // the paper's iteration is equally slow (AdmmReferenceIterationTest, docs/convex.md): not a code error.)
        assertTrue(res.lowerBound() <= res.networkObjective(), "weak duality");
        assertTrue(res.relativeGap() <= 0.05, "certificate relative gap " + res.relativeGap());
        assertEquals(res.objective(), res.networkObjective(), 1e-4);
        assertTrue(res.maxConeViolation() < 1e-4, "cone violation " + res.maxConeViolation());
        assertArrayEquals(ConvexToy.convexPredictions(res, xy[0]), ConvexToy.networkPredictions(res.network(), xy[0]), 1e-3);
        assertEquals(res.networkObjective(), ConvexToyLoss.networkObjective(res.network(), xy, BETA), 1e-9,
                "the mapped network's own objective (loss + weight decay) equals the reported one");
        // ADMM invariants: nu <= 0; KKT on active groups, ||rho lambda_g|| <= beta on the others.
        assertTrue(res.maxNu() <= 0, "max nu " + res.maxNu());
        int dp = res.dp();
        for (int g = 0; g < 2 * res.patterns(); g++) {
            double vn = NetworkMapping.groupNorm(res.groups(), g, dp), err = 0, ln = 0;
            for (int j = 0; j < dp; j++) {
                double rl = res.rho() * res.lambda()[g * dp + j];
                ln += rl * rl;
                if (vn > 0) err += Math.pow(BETA * res.groups()[g * dp + j] / vn - rl, 2);
            }
            if (vn > 0) assertTrue(Math.sqrt(err) <= 1e-9, "KKT on active group " + g + ": " + Math.sqrt(err));
            else assertTrue(Math.sqrt(ln) <= BETA * (1 + 1e-9), "inactive group " + g + ": ||rho lambda|| = " + Math.sqrt(ln));
        }
    }

    @Test
    void sampledProgramsGiveUpperBoundsThatFallAsPatternsGrow() {
        double[][] xy = ConvexToy.data(11);
        InMemoryData data = ConvexToy.inMemory(xy, 2);
        double exact = exact().lowerBound();
        double[] pool = ConvexTrainer.sampleGates(80, 3, 5);
        double previous = Double.POSITIVE_INFINITY;
        for (int ps : new int[] {5, 20, 80}) {
            double[] gates = java.util.Arrays.copyOf(pool, ps * 3);
            ConvexResult r = ConvexTrainer.fit(new LocalPassRunner(), data, exactOptions(gates));
            System.out.printf("toy sampled P_s=%d: P=%d objective %.7f (exact %.7f)%n", ps, r.patterns(), r.networkObjective(), exact);
            assertTrue(r.networkObjective() >= exact, "upper bound: above the exact program's certified lower bound");
            assertTrue(r.networkObjective() <= previous + 1e-6, "falls with P_s (nested samples)");
            previous = r.networkObjective();
        }
        assertTrue(previous < ConvexTrainer.fit(new LocalPassRunner(), data, exactOptions(java.util.Arrays.copyOf(pool, 15)))
                .networkObjective(), "80 patterns beat 5");
    }

    @Test
    void denseWoodburyAndCgRoutesAgree() {
        double[][] xy = ConvexToy.data(3);
        InMemoryData data = ConvexToy.inMemory(xy, 2);
        double[] gates = ConvexTrainer.sampleGates(12, 3, 9);
        ConvexOptions o = ConvexOptions.defaults().withBeta(BETA).withGates(gates).withMaxIter(25).withTolerances(1e-14, 1e-14);
        ConvexResult dense = ConvexTrainer.fit(new LocalPassRunner(), data, o.withRoute(ConvexOptions.Route.DENSE));
        ConvexResult wood = ConvexTrainer.fit(new LocalPassRunner(), data, o.withRoute(ConvexOptions.Route.WOODBURY));
        ConvexResult cg = ConvexTrainer.fit(new LocalPassRunner(), data, o.withRoute(ConvexOptions.Route.CG));
        assertEquals("dense", dense.route());
        assertEquals("woodbury", wood.route());
        assertEquals("cg", cg.route());
        assertEquals(25, dense.iterations());
        assertArrayEquals(dense.groups(), wood.groups(), 1e-8);
        assertArrayEquals(dense.groups(), cg.groups(), 1e-8);
        assertEquals("dense", ConvexTrainer.chooseRoute(o, 12, 3, 20).name().toLowerCase());
        assertEquals("woodbury", ConvexTrainer.chooseRoute(o.withMemoryCap(8L * 20 * 20 * 3), 120, 3, 20).name().toLowerCase());
        assertEquals("cg", ConvexTrainer.chooseRoute(o.withMemoryCap(1000), 120, 3, 20).name().toLowerCase());
    }
}
