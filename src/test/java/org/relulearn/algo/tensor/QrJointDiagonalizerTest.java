package org.relulearn.algo.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.relulearn.data.CounterRng;
import org.relulearn.linalg.Dense;

/** QRJ1D recovers a planted non-orthogonal joint diagonaliser, exactly and under small noise. */
class QrJointDiagonalizerTest {

    /** A = U diag(linspace(1, cond, K)) V^T with random orthogonal U, V (row-major K x K). */
    static double[] mixing(int k, double cond, long seed) {
        CounterRng rng = new CounterRng(seed, 1, 0);
        double[] u = Dense.randomOrthonormalColumns(k, k, rng);
        double[] v = Dense.randomOrthonormalColumns(k, k, rng);
        double[] us = u.clone();
        for (int i = 0; i < k; i++) for (int j = 0; j < k; j++) us[i * k + j] *= 1 + (cond - 1) * j / (k - 1.0);
        return Dense.multiply(us, k, k, Dense.transpose(v, k, k), k);
    }

    /** M_l = A diag(c_l) A^T (+ symmetric Gaussian noise of sd eps). */
    static double[][] planted(double[] a, int k, int nl, double eps, Random r) {
        double[][] m = new double[nl][k * k];
        for (int l = 0; l < nl; l++) {
            double[] c = new double[k];
            for (int j = 0; j < k; j++) c[j] = r.nextGaussian();
            for (int i = 0; i < k; i++) for (int j = 0; j < k; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) s += a[i * k + p] * c[p] * a[j * k + p];
                m[l][i * k + j] = s;
            }
            for (int i = 0; i < k; i++) for (int j = i; j < k; j++) {
                double e = eps * r.nextGaussian();
                m[l][i * k + j] += e;
                if (j != i) m[l][j * k + i] += e;
            }
        }
        return m;
    }

    /**
     * How far B A is from a scaled permutation: max over rows of (largest |entry| other than the row's
     * biggest) / (the biggest), after checking every column is hit exactly once.
     */
    static double permutationDefect(double[] b, double[] a, int k) {
        double[] ba = Dense.multiply(b, k, k, a, k);
        boolean[] used = new boolean[k];
        double worst = 0;
        for (int i = 0; i < k; i++) {
            int arg = 0;
            for (int j = 1; j < k; j++) if (Math.abs(ba[i * k + j]) > Math.abs(ba[i * k + arg])) arg = j;
            if (used[arg]) return Double.POSITIVE_INFINITY;
            used[arg] = true;
            for (int j = 0; j < k; j++) if (j != arg) worst = Math.max(worst, Math.abs(ba[i * k + j]) / Math.abs(ba[i * k + arg]));
        }
        return worst;
    }

    static double condition(double[] a, int k) {
        Dense.SymmetricEigen e = Dense.symmetricEigen(Dense.multiply(Dense.transpose(a, k, k), k, k, a, k), k);
        return Math.sqrt(e.max() / e.min());
    }

    @Test
    void recoversPlantedDiagonaliserExactly() {
        for (long seed = 1; seed <= 3; seed++) {
            int k = 6;
            double[] a = mixing(k, 10, seed);
            assertEquals(10, condition(a, k), 1e-8);
            QrJointDiagonalizer.Result r = QrJointDiagonalizer.diagonalize(planted(a, k, 20, 0, new Random(seed)), k);
            double defect = permutationDefect(r.b(), a, k);
            assertTrue(defect < 1e-8, "seed " + seed + ": B A is not a scaled permutation, defect " + defect + " after " + r.sweeps() + " sweeps");
            assertTrue(r.converged(), "sweeps " + r.sweeps());
            assertTrue(r.offRatio() < 1e-20, "off ratio " + r.offRatio());
            // The mixing estimate reproduces each slice: M_l = A diag(B M_l B^T) A^T.
            double[] inv = r.mixing();
            double[] id = Dense.multiply(inv, k, k, r.b(), k);
            for (int i = 0; i < k; i++) for (int j = 0; j < k; j++) assertEquals(i == j ? 1 : 0, id[i * k + j], 1e-10);
        }
    }

    @Test
    void degradesGracefullyWithNoise() {
        int k = 6;
        double[] a = mixing(k, 10, 7);
        double prev = 0;
        for (double eps : new double[] {1e-6, 1e-4, 1e-2}) {
            QrJointDiagonalizer.Result r = QrJointDiagonalizer.diagonalize(planted(a, k, 20, eps, new Random(11)), k);
            double defect = permutationDefect(r.b(), a, k);
            // Error grows about linearly with the noise (times the conditioning), never a collapse.
            assertTrue(defect < 300 * eps, "eps " + eps + ": defect " + defect);
            assertTrue(defect >= prev * 0.5, "noise " + eps + " gave a much smaller defect " + defect + " than less noise " + prev);
            prev = defect;
        }
    }

    @Test
    void inverseAndErrors() {
        double[] m = {4, 1, 2, 3};
        double[] inv = QrJointDiagonalizer.inverse(m, 2);
        double[] id = Dense.multiply(m, 2, 2, inv, 2);
        assertEquals(1, id[0], 1e-15);
        assertEquals(0, id[1], 1e-15);
        assertThrows(ArithmeticException.class, () -> QrJointDiagonalizer.inverse(new double[] {1, 2, 2, 4}, 2));
        assertThrows(IllegalArgumentException.class, () -> QrJointDiagonalizer.diagonalize(new double[][] {{1, 2, 3}}, 2));
        assertThrows(IllegalArgumentException.class, () -> QrJointDiagonalizer.diagonalize(new double[][] {{1, Double.NaN, Double.NaN, 1}}, 2));
    }
}
