package org.relulearn.algo.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Jennrich recovers non-orthogonal components of exact and slightly perturbed symmetric tensors. */
class JennrichTest {

    private static double[][] units(Random r, int k) {
        double[][] u = new double[k][k];
        for (int j = 0; j < k; j++) {
            double n = 0;
            for (int i = 0; i < k; i++) {
                u[j][i] = r.nextGaussian() + (i == j ? 1.5 : 0);   // non-orthogonal, well separated
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

    /** For every true component, the best |cosine| with a recovered one. */
    private static double worstMatch(double[][] u, Jennrich.Decomposition dec) {
        int k = u.length;
        double worst = 1;
        for (double[] uj : u) {
            double best = 0;
            for (int c = 0; c < dec.rank(); c++) {
                double[] v = dec.component(c);
                double dot = 0;
                for (int i = 0; i < k; i++) dot += uj[i] * v[i];
                best = Math.max(best, Math.abs(dot));
            }
            worst = Math.min(worst, best);
        }
        return worst;
    }

    @Test
    void exactOrder3AndOrder4() {
        Random r = new Random(5);
        int k = 5;
        double[][] u = units(r, k);
        double[] mu = {1.0, -0.7, 0.5, 1.3, -1.1};
        Jennrich.Decomposition d3 = Jennrich.decomposeOrder3(tensor(u, mu, 3), k, 10, 1);
        assertTrue(d3.relativeResidual() < 1e-9, "residual " + d3.relativeResidual());
        assertTrue(worstMatch(u, d3) > 1 - 1e-9);
        Jennrich.Decomposition d4 = Jennrich.decomposeOrder4(tensor(u, mu, 4), k, 10, 1);
        assertTrue(d4.relativeResidual() < 1e-9, "residual " + d4.relativeResidual());
        assertTrue(worstMatch(u, d4) > 1 - 1e-9);
        // order 4 is orientation-free: the weights are the mu_j up to permutation
        double sum = 0;
        for (double w : d4.weights()) sum += w;
        assertEquals(1.0 - 0.7 + 0.5 + 1.3 - 1.1, sum, 1e-9);
    }

    @Test
    void noisyTensorStillGivesCloseComponentsAndRestartsHelp() {
        Random r = new Random(9);
        int k = 6;
        double[][] u = units(r, k);
        double[] mu = {1, 1, 1, 1, 1, 1};
        double[] t = tensor(u, mu, 4);
        double scale = SymmetricTensors.frobenius(t) / Math.sqrt(t.length);
        for (int e = 0; e < t.length; e++) t[e] += 0.01 * scale * r.nextGaussian();
        Jennrich.Decomposition one = Jennrich.decomposeOrder4(t, k, 1, 4);
        Jennrich.Decomposition many = Jennrich.decomposeOrder4(t, k, 30, 4);
        assertTrue(many.relativeResidual() <= one.relativeResidual());
        assertTrue(worstMatch(u, many) > 0.98, "worst |cos| " + worstMatch(u, many));
        assertTrue(many.relativeResidual() < 0.05, "residual " + many.relativeResidual());
    }

    @Test
    void subspaceTakesLargestAbsoluteEigenvalues() {
        // diag(3, -5, 0.1, 1) in a rotated basis: top-2 by |lambda| is {-5, 3}
        int d = 4;
        double[] diag = {3, -5, 0.1, 1};
        Random r = new Random(1);
        double[] q = new double[d * d];
        for (int i = 0; i < d * d; i++) q[i] = r.nextGaussian();
        for (int j = 0; j < d; j++) {
            for (int p = 0; p < j; p++) {
                double dot = 0;
                for (int i = 0; i < d; i++) dot += q[i * d + j] * q[i * d + p];
                for (int i = 0; i < d; i++) q[i * d + j] -= dot * q[i * d + p];
            }
            double n = 0;
            for (int i = 0; i < d; i++) n += q[i * d + j] * q[i * d + j];
            for (int i = 0; i < d; i++) q[i * d + j] /= Math.sqrt(n);
        }
        double[] a = new double[d * d];
        for (int i = 0; i < d; i++) for (int j = 0; j < d; j++) for (int p = 0; p < d; p++) a[i * d + j] += q[i * d + p] * diag[p] * q[j * d + p];
        SymmetricSubspace.Subspace s = SymmetricSubspace.topAbs(a, d, 2);
        assertEquals(-5, s.values()[0], 1e-12);
        assertEquals(3, s.values()[1], 1e-12);
        assertEquals(3.0, s.gapRatio(), 1e-12);
        assertEquals(1, s.nextValue(), 1e-12);
        double dot = 0;
        for (int i = 0; i < d; i++) dot += s.vectors()[i * 2] * q[i * d + 1];
        assertEquals(1, Math.abs(dot), 1e-12);
    }
}
