package org.relulearn.algo.convex;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The default ADMM penalties (docs/convex.md "Penalties at scale"): one penalty 0.3 m for the cones and
 * u = v (the paper's single-penalty form) on small n, n-scaled from 10^4 rows.
 */
class ConvexDefaultPenaltiesTest {
    /** X^T X of n rows whose d' = 3 columns have mean squared entry m. */
    private static double[] gram(long n, double m) {
        return new double[] {n * m, 0, 0, 0, n * m, 0, 0, 0, n * m};
    }

    @Test
    void smallProblemsKeepTheSingleSpecPenalty() {
        for (long n : new long[] {20, 200, 2000}) {
            double rho = ConvexTrainer.defaultRho(gram(n, 2.0), 3, n);
            assertEquals(0.6, rho, 1e-12, "rho = 0.3 m at n = " + n);
            assertEquals(1.0, ConvexTrainer.defaultConsensusWeight(gram(n, 2.0), 3, n, rho), 1e-12, "tau = 1 at n = " + n);
        }
    }

    @Test
    void largeProblemsScaleBothPenaltiesWithN() {
        double rho4 = ConvexTrainer.defaultRho(gram(10_000, 1.0), 3, 10_000);
        assertEquals(0.3 * Math.sqrt(500), rho4, 1e-9);
        assertEquals(150, rho4 * ConvexTrainer.defaultConsensusWeight(gram(10_000, 1.0), 3, 10_000, rho4), 1e-9, "rho_1 = 0.015 n m");
        double rho6 = ConvexTrainer.defaultRho(gram(1_000_000, 1.0), 3, 1_000_000);
        assertEquals(10, rho6, 1e-12, "cone rho capped at 10 m");
        assertEquals(15_000, rho6 * ConvexTrainer.defaultConsensusWeight(gram(1_000_000, 1.0), 3, 1_000_000, rho6), 1e-6);
        // Between the measured regimes the values interpolate monotonically.
        double prev = 0;
        for (long n = 2000; n <= 10_000; n += 1000) {
            double r = ConvexTrainer.defaultRho(gram(n, 1.0), 3, n);
            assertTrue(r >= prev - 1e-12 && r >= 0.3 - 1e-12 && r <= rho4 + 1e-12, "rho at n = " + n + ": " + r);
            prev = r;
        }
    }
}
