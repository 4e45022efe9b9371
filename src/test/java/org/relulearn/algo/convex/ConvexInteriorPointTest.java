package org.relulearn.algo.convex;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.relulearn.algo.loss.ConvexLoss;
import org.relulearn.engine.LocalPassRunner;

/**
 * The interior-point solver of the squared-loss program over sampled patterns: on the toy data
 * (n = 20, d' = 3) with 40 sampled gates it certifies a relative gap of 1e-7 in tens of Newton steps,
 * its objective equals the optimum found independently by a long ADMM run (certified to 1e-7), every
 * iterate lies inside its cones (so the network's predictions are the convex ones), and the
 * certificate brackets that optimum.
 */
class ConvexInteriorPointTest {
    @Test
    void theLineGridAlwaysHoldsTheDampedNewtonStep() {
        // near the centre the fixed grid 1 .. 2^-20 is used unchanged
        assertArrayEquals(ConvexInteriorPoint.LINE_STEPS, ConvexInteriorPoint.lineSteps(10), 0.0);
        // far from it (lambda ~ 1e7 at the start on a million rows) the grid reaches down to 1 / (1 + lambda)
        double[] far = ConvexInteriorPoint.lineSteps(1e7);
        assertEquals(ConvexInteriorPoint.LINE_STEPS.length, far.length);
        assertEquals(1.0, far[0], 0.0);
        assertEquals(1 / (1 + 1e7), far[far.length - 1], 1e-12 / (1 + 1e7));
        for (int l = 1; l < far.length; l++) assertTrue(far[l] < far[l - 1]);
    }

    @Test
    void sampledPatternsReachTheOptimumOfALongAdmmRunInTensOfNewtonSteps() {
        double[][] xy = ConvexToy.data(11);
        double[] gates = ConvexTrainer.sampleGates(40, 3, 5);
        ConvexOptions base = ConvexAdmmTest.exactOptions(gates).withGapTol(1e-7);
        ConvexResult admm = ConvexTrainer.fit(new LocalPassRunner(), ConvexToy.inMemory(xy, 3), base.withMaxIter(200_000));
        assertTrue(admm.converged(), "reference: " + admm.stopReason());
        double pStar = admm.networkObjective();

        ConvexResult ipm = ConvexTrainer.fit(new LocalPassRunner(), ConvexToy.inMemory(xy, 3), base.withSolver(ConvexOptions.Solver.IPM),
                System.out::println);
        System.out.printf("ipm: it=%d obj=%.10f LB=%.10f (ADMM p* %.10f after %d iterations) active=%d passes=%d %s%n", ipm.iterations(),
                ipm.objective(), ipm.lowerBound(), pStar, admm.iterations(), ipm.activeNeurons(), ipm.passes(), ipm.stopReason());
        assertTrue(ipm.converged(), ipm.stopReason());
        assertTrue(ipm.iterations() <= 80, "Newton steps " + ipm.iterations());
        assertEquals(pStar, ipm.objective(), 2e-7 * pStar, "the optimum of the independent ADMM run");
        assertTrue(ipm.lowerBound() <= pStar * (1 + 1e-7) && admm.lowerBound() <= ipm.objective() * (1 + 1e-7), "each certificate bounds the other's objective");
        assertTrue(ipm.maxConeViolation() <= 0, "inside the cones: " + ipm.maxConeViolation());
        assertArrayEquals(ConvexToy.convexPredictions(ipm, xy[0]), ConvexToy.networkPredictions(ipm.network(), xy[0]), 1e-9);
        assertTrue(ipm.activeNeurons() < 2 * ipm.patterns(), "the groups the program zeroes are pruned: " + ipm.activeNeurons());
    }

    @Test
    void theAutomaticSolverIsTheInteriorPointForSmallSquaredLossPrograms() {
        ConvexOptions o = ConvexOptions.defaults().withSolver(ConvexOptions.Solver.AUTO);
        assertEquals(ConvexOptions.Solver.IPM, o.resolvedSolver(11));
        assertEquals(ConvexOptions.Solver.ADMM, o.withLoss(ConvexLoss.HINGE).resolvedSolver(11));
        assertEquals(ConvexOptions.Solver.ADMM, o.withPatterns(64).resolvedSolver(101));
        assertEquals(ConvexOptions.Solver.ADMM, o.withBeta(0).resolvedSolver(11));
    }
}
