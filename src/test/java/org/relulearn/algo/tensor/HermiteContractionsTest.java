package org.relulearn.algo.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The exact per-sample identities of docs/tensor-gd.md, Model and acceptance item 3 (projection identity:
 * the accumulator formulas equal the full contraction to 1e-12), by brute force on small d.
 */
class HermiteContractionsTest {

    private static double[] vec(Random r, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = r.nextGaussian();
        return v;
    }

    private static double maxDiff(double[] a, double[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
        return m;
    }

    /** Orthonormal d x k columns (row-major) by Gram-Schmidt. */
    private static double[] orthonormal(Random r, int d, int k) {
        double[] q = vec(r, d * k);
        for (int j = 0; j < k; j++) {
            for (int p = 0; p < j; p++) {
                double dot = 0;
                for (int i = 0; i < d; i++) dot += q[i * k + j] * q[i * k + p];
                for (int i = 0; i < d; i++) q[i * k + j] -= dot * q[i * k + p];
            }
            double n = 0;
            for (int i = 0; i < d; i++) n += q[i * k + j] * q[i * k + j];
            n = Math.sqrt(n);
            for (int i = 0; i < d; i++) q[i * k + j] /= n;
        }
        return q;
    }

    /** T(V, ..., V) for a full order-p tensor over R^d and V d x k. */
    private static double[] project(double[] t, int d, int order, double[] v, int k) {
        double[] cur = t;
        // contract the last d-mode each time and move the new k-mode to the front
        for (int o = 0; o < order; o++) {
            int rest = cur.length / d;
            double[] next = new double[rest * k];
            for (int a = 0; a < rest; a++) {
                for (int c = 0; c < k; c++) {
                    double s = 0;
                    for (int i = 0; i < d; i++) s += cur[a * d + i] * v[i * k + c];
                    next[a * k + c] = s;
                }
            }
            double[] rot = new double[next.length];
            int front = k, back = rest;
            for (int a = 0; a < back; a++) for (int c = 0; c < front; c++) rot[c * back + a] = next[a * k + c];
            cur = rot;
        }
        return cur;
    }

    @Test
    void projectionOfHermiteTensorsIsHermiteOfProjection() {
        Random r = new Random(3);
        int d = 6, k = 3;
        double[] v = orthonormal(r, d, k);
        for (int rep = 0; rep < 3; rep++) {
            double[] x = vec(r, d);
            double[] u = new double[k];
            for (int c = 0; c < k; c++) for (int i = 0; i < d; i++) u[c] += v[i * k + c] * x[i];
            // After contracting every mode the index order is reversed, which a symmetric tensor ignores.
            assertTrue(maxDiff(HermiteContractions.he3(u), project(HermiteContractions.he3(x), d, 3, v, k)) < 1e-12);
            assertTrue(maxDiff(HermiteContractions.he4(u), project(HermiteContractions.he4(x), d, 4, v, k)) < 1e-12);
        }
    }

    @Test
    void closedFormContractionsMatchBruteForce() {
        Random r = new Random(7);
        int k = 4;
        for (int rep = 0; rep < 5; rep++) {
            double[] u = vec(r, k), g = vec(r, k), z = vec(r, k);
            double[] gm = vec(r, k * k);
            for (int i = 0; i < k; i++) for (int j = 0; j < i; j++) gm[i * k + j] = gm[j * k + i];
            assertTrue(maxDiff(HermiteContractions.he3ContractOne(u, g),
                    SymmetricTensors.contractLast(HermiteContractions.he3(u), k, g)) < 1e-12);
            assertTrue(maxDiff(HermiteContractions.he4ContractTwo(u, gm),
                    SymmetricTensors.contractLastTwo(HermiteContractions.he4(u), k, gm)) < 1e-11);
            assertEquals(SymmetricTensors.evaluate(HermiteContractions.he3(u), k, 3, z),
                    HermiteContractions.heFullContraction(3, u, z), 1e-10);
            assertEquals(SymmetricTensors.evaluate(HermiteContractions.he4(u), k, 4, z),
                    HermiteContractions.heFullContraction(4, u, z), 1e-9);
        }
    }

    @Test
    void accumulatorFormulasEqualFullContractionOfTheSampleMoment() {
        Random r = new Random(11);
        int d = 5, k = 3, n = 40;
        double[] v = orthonormal(r, d, k);
        double[] alpha = vec(r, d);
        double[] beta = new double[k];
        for (int c = 0; c < k; c++) for (int i = 0; i < d; i++) beta[c] += v[i * k + c] * alpha[i];
        double[] sa = new double[SymmetricTensors.packedSize3(k)], s4 = new double[SymmetricTensors.packedSize4(k)];
        double[] s1 = new double[k], s2 = new double[k * k];
        double s0 = 0;
        double[] m4 = new double[d * d * d * d];
        for (int s = 0; s < n; s++) {
            double[] x = vec(r, d);
            double y = r.nextGaussian() + 1;
            double[] u = new double[k];
            for (int c = 0; c < k; c++) for (int i = 0; i < d; i++) u[c] += v[i * k + c] * x[i];
            double a = 0;
            for (int i = 0; i < d; i++) a += alpha[i] * x[i];
            SymmetricTensors.addCube(y * a, u, 0, k, sa);
            SymmetricTensors.addQuartic(y, u, 0, k, s4);
            for (int i = 0; i < k; i++) {
                s1[i] += y * a * u[i];
                for (int j = 0; j < k; j++) s2[i * k + j] += y * u[i] * u[j];
            }
            s0 += y;
            double[] h = HermiteContractions.he4(x);
            for (int e = 0; e < h.length; e++) m4[e] += y * h[e] / n;
        }
        double[] m4proj = project(m4, d, 4, v, k);
        double[] t4 = HermiteContractions.t4FromSums(s4, s2, s0, n, k);
        assertTrue(maxDiff(t4, m4proj) < 1e-12, "T4 from sums vs M4hat(V,V,V,V): " + maxDiff(t4, m4proj));
        // R3 = M4hat(V, V, V, alpha): contract the full projection of three modes with alpha on the fourth
        double[] r3Brute = new double[k * k * k];
        for (int i = 0; i < d * d * d * d; i++) {
            // indices a,b,c,e of m4; project a,b,c with V and e with alpha
            int e = i % d, c = (i / d) % d, b = (i / d / d) % d, a = i / d / d / d;
            double w = m4[i] * alpha[e];
            if (w == 0) continue;
            for (int p = 0; p < k; p++) for (int q = 0; q < k; q++) for (int t = 0; t < k; t++) {
                r3Brute[(p * k + q) * k + t] += w * v[a * k + p] * v[b * k + q] * v[c * k + t];
            }
        }
        double[] r3 = HermiteContractions.r3FromSums(sa, s1, s2, s0, n, beta, k);
        assertTrue(maxDiff(r3, r3Brute) < 1e-12, "R3 from sums vs M4hat(V,V,V,alpha): " + maxDiff(r3, r3Brute));
    }
}
