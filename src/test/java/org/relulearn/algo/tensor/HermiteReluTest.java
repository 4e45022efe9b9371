package org.relulearn.algo.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Acceptance item 1 of docs/tensor-gd.md, Tests: the oracle table of g_k(b) (reference values, 6 decimals) to 1e-6. */
class HermiteReluTest {

    private static final double[] B = {0.0, -1.5, -0.3, 0.7, 1.0, 2.0};
    private static final double[][] ORACLE = {
        {0.398942, 0.500000, 0.398942, 0, -0.398942, 0, 1.196827},
        {0.029307, 0.066807, 0.129518, 0.194276, 0.161897, -0.145707, -0.704252},
        {0.266761, 0.382089, 0.381388, 0.114416, -0.347063, -0.332952, 0.941303},
        {0.842879, 0.758036, 0.312254, -0.218578, -0.159250, 0.548630, 0.093707},
        {1.083315, 0.841345, 0.241971, -0.241971, 0, 0.483941, -0.483941},
        {2.008491, 0.977250, 0.053991, -0.107982, 0.161973, -0.107982, -0.269955},
    };

    @Test
    void oracleTableToSixDecimals() {
        for (int r = 0; r < B.length; r++) {
            for (int k = 0; k <= 6; k++) {
                // The table is rounded to 6 decimals: half a unit of the last place plus round-off.
                assertEquals(ORACLE[r][k], HermiteRelu.g(k, B[r]), 5.0e-7 + 1e-12, "g_" + k + "(" + B[r] + ")");
            }
        }
    }

    @Test
    void hermitePolynomialsMatchClosedForms() {
        for (double t : new double[] {-2.3, -0.5, 0, 0.7, 3.1}) {
            assertEquals(t * t - 1, HermiteRelu.he(2, t), 1e-12);
            assertEquals(t * t * t - 3 * t, HermiteRelu.he(3, t), 1e-12);
            assertEquals(Math.pow(t, 4) - 6 * t * t + 3, HermiteRelu.he(4, t), 1e-11);
            assertEquals(Math.pow(t, 5) - 10 * Math.pow(t, 3) + 15 * t, HermiteRelu.he(5, t), 1e-10);
            assertEquals(Math.pow(t, 6) - 15 * Math.pow(t, 4) + 45 * t * t - 15, HermiteRelu.he(6, t), 1e-9);
            double[] all = new double[7];
            HermiteRelu.heAll(6, t, all);
            for (int k = 0; k <= 6; k++) assertEquals(HermiteRelu.he(k, t), all[k], 1e-12);
        }
    }

    @Test
    void cdfAgreesWithReferenceValuesInBothRegimes() {
        assertEquals(0.5, HermiteRelu.cdf(0), 1e-16);
        assertEquals(0.8413447460685429, HermiteRelu.cdf(1), 1e-15);
        assertEquals(0.9986501019683699, HermiteRelu.cdf(3), 1e-15);
        assertEquals(0.0013498980316301, HermiteRelu.cdf(-3), 1e-16);
        assertEquals(3.167124183311992e-05, HermiteRelu.cdf(-4), 1e-18);
        assertEquals(2.866515718791939e-07, HermiteRelu.cdf(-5), 1e-19);
        // continuity across the switch between series and continued fraction
        assertEquals(HermiteRelu.cdf(2.9999999), HermiteRelu.cdf(3.0000001), 1e-9);
    }

    @Test
    void reflectionAndNeuronScaling() {
        for (double b : B) {
            for (int k = 2; k <= 6; k++) {
                assertEquals((k % 2 == 0 ? 1 : -1) * HermiteRelu.g(k, b), HermiteRelu.g(k, -b), 1e-14);
            }
        }
        // relu(s z + b) = s relu(z + b/s)
        assertEquals(2.5 * HermiteRelu.g(4, 0.3 / 2.5), HermiteRelu.neuronCoefficient(4, 2.5, 0.3), 1e-15);
    }
}
