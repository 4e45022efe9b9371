package org.relulearn.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.relulearn.data.CounterRng;

/** Hungarian assignment against brute force over all permutations; SVD reconstruction and orthogonality. */
class HungarianSvdTest {

    private static double best(double[] c, int n, int[] perm, boolean[] used, int row, double acc) {
        if (row == n) return acc;
        double b = Double.POSITIVE_INFINITY;
        for (int j = 0; j < n; j++) {
            if (used[j]) continue;
            used[j] = true;
            b = Math.min(b, best(c, n, perm, used, row + 1, acc + c[row * n + j]));
            used[j] = false;
        }
        return b;
    }

    @Test
    void hungarianMatchesBruteForceOnRandomSquareCosts() {
        CounterRng rng = new CounterRng(7, 1, 0);
        for (int trial = 0; trial < 200; trial++) {
            int n = 1 + trial % 7;
            double[] c = new double[n * n];
            for (int i = 0; i < c.length; i++) c[i] = trial % 3 == 0 ? Math.floor(4 * rng.nextDouble()) : rng.nextGaussian();
            int[] p = Hungarian.minimise(c, n, n);
            boolean[] seen = new boolean[n];
            double total = 0;
            for (int i = 0; i < n; i++) {
                seen[p[i]] = true;
                total += c[i * n + p[i]];
            }
            for (boolean s : seen) assertEquals(true, s, "assignment is not a permutation");
            assertEquals(best(c, n, new int[n], new boolean[n], 0, 0), total, 1e-12);
        }
    }

    @Test
    void hungarianRectangularAndMaximise() {
        double[] score = {0.1, 0.9, 0.2, 0.0, 0.8, 0.3, 0.95, 0.1};   // 2 x 4
        assertArrayEquals(new int[] {1, 2}, Hungarian.maximise(score, 2, 4));
        assertThrows(IllegalArgumentException.class, () -> Hungarian.minimise(new double[6], 3, 2));
        assertThrows(IllegalArgumentException.class, () -> Hungarian.minimise(new double[] {Double.NaN}, 1, 1));
    }

    @Test
    void svdReconstructsTallAndWideMatrices() {
        CounterRng rng = new CounterRng(3, 2, 0);
        for (int[] shape : new int[][] {{7, 4}, {4, 7}, {5, 5}}) {
            int r = shape[0], c = shape[1], p = Math.min(r, c);
            double[] a = new double[r * c];
            for (int i = 0; i < a.length; i++) a[i] = rng.nextGaussian();
            Svd s = Svd.of(a, r, c);
            for (int i = 1; i < p; i++) assertEquals(true, s.values()[i - 1] >= s.values()[i]);
            for (int i = 0; i < r; i++) {
                for (int j = 0; j < c; j++) {
                    double v = 0;
                    for (int q = 0; q < p; q++) v += s.u()[i * p + q] * s.values()[q] * s.v()[j * c + q];
                    assertEquals(a[i * c + j], v, 1e-12);
                }
            }
            // V is orthogonal (all c columns), so the trailing ones are a null-space basis of a wide A.
            double[] vtv = Dense.multiply(Dense.transpose(s.v(), c, c), c, c, s.v(), c);
            for (int i = 0; i < c; i++) for (int j = 0; j < c; j++) assertEquals(i == j ? 1 : 0, vtv[i * c + j], 1e-12);
        }
    }
}
