package org.relulearn.algo.convex;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.relulearn.engine.LocalPassRunner;

/**
 * Pins the trainer's ADMM to a literal transcription of Bai, Gautam and Sojoudi's ADMM iteration
 * (arXiv 2201.01965) on the
 * full 2Pd' x 2Pd' system (no half-size split, no per-row state, no executor sums):
 * <pre>
 *   A = I + F^T F / rho + G^T G,  u = A^{-1} (F^T y / rho + v - lambda + G^T (s - nu))
 *   v_g = max(0, 1 - (beta/rho)/||u_g + lambda_g||) (u_g + lambda_g),  s = max(G u + nu, 0)
 *   lambda += gamma (u - v),  nu += gamma (G u - s)
 * </pre>
 * Written while diagnosing the toy's slow convergence: agreement here means the slowness is the
 * iteration's own, not a transcription error (docs/convex.md).
 */
class AdmmReferenceIterationTest {
    @Test
    void trainerIteratesEqualTheLiteralSpecIteration() {
        double[][] xy = ConvexToy.data(5);
        double beta = 0.1, rho = 0.7, gamma = 0.8;
        int iterations = 60;
        ConvexOptions o = ConvexOptions.defaults().withBeta(beta).withGates(ConvexTrainer.sampleGates(14, 3, 21)).withRho(rho)
                .withDualStep(gamma).withMaxIter(iterations).withTolerances(1e-15, 1e-15).withRoute(ConvexOptions.Route.DENSE);
        ConvexResult res = ConvexTrainer.fit(new LocalPassRunner(), ConvexToy.inMemory(xy, 3), o);
        assertEquals(iterations, res.iterations());

        int n = ConvexToy.N, dp = 3, p = res.patterns(), w = 2 * p * dp, c = 2 * p * n;
        double[][] x = new double[n][];
        for (int r = 0; r < n; r++) x[r] = new double[] {xy[0][2 * r], xy[0][2 * r + 1], 1};
        double[] y = xy[1];
        // F (n x w) and G (c x w), dense row-major.
        double[] f = new double[n * w], g = new double[c * w];
        for (int i = 0; i < p; i++) {
            for (int r = 0; r < n; r++) {
                double hx = 0;
                for (int j = 0; j < dp; j++) hx += res.gates()[i * dp + j] * x[r][j];
                double on = hx >= 0 ? 1 : 0, e = 2 * on - 1;
                for (int j = 0; j < dp; j++) {
                    f[r * w + i * dp + j] = on * x[r][j];
                    f[r * w + (p + i) * dp + j] = -on * x[r][j];
                    g[(i * n + r) * w + i * dp + j] = e * x[r][j];
                    g[((p + i) * n + r) * w + (p + i) * dp + j] = e * x[r][j];
                }
            }
        }
        double[] a = new double[w * w];
        for (int k = 0; k < w; k++) a[k * w + k] = 1;
        for (int k = 0; k < w; k++) {
            for (int l = 0; l < w; l++) {
                double s = 0;
                for (int r = 0; r < n; r++) s += f[r * w + k] * f[r * w + l];
                double t = 0;
                for (int q = 0; q < c; q++) t += g[q * w + k] * g[q * w + l];
                a[k * w + l] += s / rho + t;
            }
        }
        SpdFactor aFactor = new SpdFactor(a, w, "the full ADMM matrix");
        double[] fty = new double[w];
        for (int k = 0; k < w; k++) for (int r = 0; r < n; r++) fty[k] += f[r * w + k] * y[r] / rho;
        double[] v = new double[w], lam = new double[w], s = new double[c], nu = new double[c];
        double objective = Double.NaN;
        for (int it = 1; it <= iterations; it++) {
            double[] b = fty.clone();
            for (int k = 0; k < w; k++) {
                b[k] += v[k] - lam[k];
                for (int q = 0; q < c; q++) b[k] += g[q * w + k] * (s[q] - nu[q]);
            }
            double[] u = aFactor.solveInPlace(b, 1);
            double norms = 0;
            for (int grp = 0; grp < 2 * p; grp++) {
                double sq = 0;
                for (int j = 0; j < dp; j++) sq += Math.pow(u[grp * dp + j] + lam[grp * dp + j], 2);
                double norm = Math.sqrt(sq), scale = norm > beta / rho ? 1 - beta / rho / norm : 0;
                for (int j = 0; j < dp; j++) v[grp * dp + j] = scale * (u[grp * dp + j] + lam[grp * dp + j]);
                norms += scale * norm;
            }
            for (int q = 0; q < c; q++) {
                double gu = 0;
                for (int k = 0; k < w; k++) gu += g[q * w + k] * u[k];
                s[q] = Math.max(gu + nu[q], 0);
                nu[q] += gamma * (gu - s[q]);
            }
            for (int k = 0; k < w; k++) lam[k] += gamma * (u[k] - v[k]);
            double loss = 0;
            for (int r = 0; r < n; r++) {
                double fv = 0;
                for (int k = 0; k < w; k++) fv += f[r * w + k] * v[k];
                loss += 0.5 * (fv - y[r]) * (fv - y[r]);
            }
            objective = loss + beta * norms;
            assertEquals(objective, res.history().get(it - 1).objective(), 1e-9, "objective at iteration " + it);
        }
        assertArrayEquals(v, res.groups(), 1e-9);
        assertArrayEquals(lam, res.lambda(), 1e-9);
        assertEquals(objective, res.objective(), 1e-9);
    }
}
