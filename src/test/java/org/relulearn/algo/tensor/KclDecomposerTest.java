package org.relulearn.algo.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** KCL recovers planted non-orthogonal symmetric rank-K tensors of order 3 and 4. */
class KclDecomposerTest {

    /** Unit, clearly non-orthogonal components (pairwise cosines up to ~0.6). */
    private static double[][] units(Random r, int k) {
        double[][] u = new double[k][k];
        for (int j = 0; j < k; j++) {
            double n = 0;
            for (int i = 0; i < k; i++) {
                u[j][i] = r.nextGaussian() + (i == j ? 1.0 : 0) + 0.4;
                n += u[j][i] * u[j][i];
            }
            n = Math.sqrt(n);
            for (int i = 0; i < k; i++) u[j][i] /= n;
        }
        return u;
    }

    private static double[] tensor(double[][] u, double[] mu, int order) {
        int k = u.length;
        double[] t = new double[(int) Math.pow(k, order)];
        for (int j = 0; j < k; j++) {
            double[] p = SymmetricTensors.power(u[j], k, order);
            for (int e = 0; e < t.length; e++) t[e] += mu[j] * p[e];
        }
        return t;
    }

    /** max over true components of (1 - best |cos| with a recovered one). */
    private static double worstAngleDefect(double[][] u, Jennrich.Decomposition dec) {
        int k = u.length;
        double worst = 0;
        for (double[] uj : u) {
            double best = 0;
            for (int c = 0; c < dec.rank(); c++) {
                double[] v = dec.component(c);
                double dot = 0;
                for (int i = 0; i < k; i++) dot += uj[i] * v[i];
                best = Math.max(best, Math.abs(dot));
            }
            worst = Math.max(worst, 1 - best);
        }
        return worst;
    }

    private static double maxCos(double[][] u) {
        double m = 0;
        for (int i = 0; i < u.length; i++) for (int j = 0; j < i; j++) {
            double d = 0;
            for (int c = 0; c < u.length; c++) d += u[i][c] * u[j][c];
            m = Math.max(m, Math.abs(d));
        }
        return m;
    }

    @Test
    void exactOrder3() {
        for (long seed = 1; seed <= 3; seed++) {
            Random r = new Random(seed);
            int k = 5;
            double[][] u = units(r, k);
            assertTrue(maxCos(u) > 0.3, "the planted components should be non-orthogonal");
            double[] mu = {1.0, -0.7, 0.5, 1.3, -1.1};
            double[] t = tensor(u, mu, 3);
            Jennrich.Decomposition d = KclDecomposer.decomposeOrder3(t, k, KclDecomposer.DEFAULT_PROJECTIONS, seed);
            assertEquals(k, d.rank());
            double defect = worstAngleDefect(u, d);
            // |cos| within 1e-12 of 1 means the direction is recovered to ~1.4e-6 in angle; ask for 1e-6 in the vector.
            assertTrue(Math.sqrt(2 * defect) < 1e-6, "seed " + seed + ": direction error " + Math.sqrt(2 * defect));
            assertTrue(d.relativeResidual() < 1e-6, "seed " + seed + ": residual " + d.relativeResidual());
            // Weights: the recovered components with their LS weights reproduce mu (orientation carries the sign).
            for (int j = 0; j < k; j++) {
                double[] v = d.component(j);
                int match = -1;
                double best = 0;
                for (int c = 0; c < k; c++) {
                    double dot = 0;
                    for (int i = 0; i < k; i++) dot += u[c][i] * v[i];
                    if (Math.abs(dot) > best) { best = Math.abs(dot); match = c; }
                }
                double dot = 0;
                for (int i = 0; i < k; i++) dot += u[match][i] * v[i];
                assertEquals(mu[match], d.weights()[j] * Math.signum(dot), 1e-6);
            }
        }
    }

    @Test
    void exactOrder4AndNoisyOrder4() {
        Random r = new Random(21);
        int k = 5;
        double[][] u = units(r, k);
        double[] mu = {-0.4, -0.5, -0.6, -0.45, -0.55};      // the m4proj statistic: all of one sign
        double[] t = tensor(u, mu, 4);
        Jennrich.Decomposition exact = KclDecomposer.decomposeOrder4(t, k, 100, 3);
        assertTrue(Math.sqrt(2 * worstAngleDefect(u, exact)) < 1e-6, "exact order 4: " + worstAngleDefect(u, exact));
        double[] noisy = t.clone();
        double scale = SymmetricTensors.frobenius(t) * 0.01 / Math.sqrt(t.length);
        double[] packed = new double[SymmetricTensors.packedSize4(k)];
        for (int i = 0; i < packed.length; i++) packed[i] = scale * r.nextGaussian();
        double[] e = SymmetricTensors.unpack4(packed, k);
        for (int i = 0; i < t.length; i++) noisy[i] += e[i];
        Jennrich.Decomposition d = KclDecomposer.decomposeOrder4(noisy, k, 100, 3);
        double err = Math.sqrt(2 * worstAngleDefect(u, d));
        assertTrue(err < 0.1, "1% noise: direction error " + err);
        assertTrue(d.relativeResidual() < 0.05, "1% noise: residual " + d.relativeResidual());
    }

    @Test
    void rejectsBadInput() {
        assertThrows(IllegalArgumentException.class, () -> KclDecomposer.decomposeOrder3(new double[7], 2, 100, 1));
        assertThrows(IllegalArgumentException.class, () -> KclDecomposer.decomposeOrder3(new double[8], 2, 100, 1));
        assertThrows(IllegalArgumentException.class, () -> KclDecomposer.decomposeOrder3(new double[8], 2, 1, 1));
    }
}
