package org.relulearn.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CompensatedSumTwoSumTest {

    /** The original Neumaier update, kept here as the reference the branch-free one must match bit for bit. */
    private static void neumaier(double[] s, double[] c, double[] v) {
        for (int i = 0; i < s.length; i++) {
            double t = s[i] + v[i];
            if (Math.abs(s[i]) >= Math.abs(v[i])) {
                c[i] += (s[i] - t) + v[i];
            } else {
                c[i] += (v[i] - t) + s[i];
            }
            s[i] = t;
        }
    }

    /** Values over many binades and both signs, so rounding errors of every size occur. */
    private static double[] wild(SplittableRandom rng, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = (rng.nextBoolean() ? 1 : -1) * rng.nextDouble() * Math.scalb(1.0, rng.nextInt(-60, 60));
            if (rng.nextInt(20) == 0) v[i] = 0.0;
        }
        return v;
    }

    @Test
    void branchFreeTwoSumGivesExactlyTheNeumaierSumsAndCompensations() {
        SplittableRandom rng = new SplittableRandom(7);
        int n = 257;
        CompensatedSum sum = new CompensatedSum(n);
        double[] s = new double[n], c = new double[n];
        for (int step = 0; step < 2000; step++) {
            double[] v = wild(rng, n);
            sum.add(v);
            neumaier(s, c, v);
        }
        double[] expected = new double[n];
        for (int i = 0; i < n; i++) expected[i] = s[i] + c[i];
        assertArrayEquals(expected, sum.value(), 0.0);
        // Compensation really happened: the plain sum differs from the compensated one somewhere.
        int differ = 0;
        for (int i = 0; i < n; i++) if (s[i] != expected[i]) differ++;
        assertEquals(true, differ > 0, "test data should produce rounding errors");
    }

    @Test
    void packedUpperTriangleMatchesAFullSumOfTheUpperEntries() {
        SplittableRandom rng = new SplittableRandom(11);
        int k = 9;
        CompensatedSum packed = new CompensatedSum(k * (k + 1) / 2);
        double[] s = new double[k * k], c = new double[k * k];
        for (int step = 0; step < 500; step++) {
            double[] v = wild(rng, k * k);
            for (int j = 0; j < k; j++) for (int i = j + 1; i < k; i++) v[i + j * k] = Double.NaN; // lower: never read
            packed.addPackedUpper(v, k);
            double[] upper = v.clone();
            for (int j = 0; j < k; j++) for (int i = j + 1; i < k; i++) upper[i + j * k] = 0;
            neumaier(s, c, upper);
        }
        double[] full = CompensatedSum.unpackSymmetric(packed.value(), k);
        for (int j = 0; j < k; j++) {
            for (int i = 0; i <= j; i++) {
                assertEquals(s[i + j * k] + c[i + j * k], full[i + j * k], 0.0);
                assertEquals(full[i + j * k], full[j + i * k], 0.0);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> packed.addPackedUpper(new double[16], 4));
    }
}
