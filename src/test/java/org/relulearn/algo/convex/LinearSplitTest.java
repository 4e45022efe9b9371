package org.relulearn.algo.convex;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;
import org.relulearn.data.CounterRng;
import org.relulearn.engine.LocalPassRunner;
import org.relulearn.engine.Shared;

/** The half-size split solves the full 2Pd' system A u = b, A = tau I + c F^T F + G^T G, built explicitly. */
class LinearSplitTest {
    static final double TAU = 2.5;
    @Test
    void halfSizeSplitSolvesTheFullSystem() {
        double[][] xy = ConvexToy.data(4);
        int n = ConvexToy.N, dp = 3, p = 5;
        double c = 0.7;
        double[] gates = ConvexTrainer.sampleGates(p, dp, 2);
        double[] x = new double[n * dp];
        for (int r = 0; r < n; r++) {
            x[r * dp] = xy[0][2 * r];
            x[r * dp + 1] = xy[0][2 * r + 1];
            x[r * dp + 2] = 1;
        }
        int w = 2 * p * dp;
        // F (n x 2Pd') and G (2Pn x 2Pd') explicitly.
        double[] fm = new double[n * w];
        double[] gm = new double[2 * p * n * w];
        for (int r = 0; r < n; r++) {
            for (int i = 0; i < p; i++) {
                double gx = 0;
                for (int j = 0; j < dp; j++) gx += gates[i * dp + j] * x[r * dp + j];
                double dd = gx >= 0 ? 1 : 0, e = 2 * dd - 1;
                for (int j = 0; j < dp; j++) {
                    fm[r * w + i * dp + j] = dd * x[r * dp + j];
                    fm[r * w + (p + i) * dp + j] = -dd * x[r * dp + j];
                    gm[(i * n + r) * w + i * dp + j] = e * x[r * dp + j];
                    gm[((p + i) * n + r) * w + (p + i) * dp + j] = e * x[r * dp + j];
                }
            }
        }
        double[] a = new double[w * w];
        for (int s = 0; s < w; s++) {
            for (int t = 0; t < w; t++) {
                double v = s == t ? TAU : 0;
                for (int r = 0; r < n; r++) v += c * fm[r * w + s] * fm[r * w + t];
                for (int r = 0; r < 2 * p * n; r++) v += gm[r * w + s] * gm[r * w + t];
                a[s * w + t] = v;
            }
        }
        double[] b = new double[w];
        CounterRng rng = new CounterRng(1, 2, 3);
        for (int i = 0; i < w; i++) b[i] = rng.nextGaussian();
        double[] expected = new SpdFactor(a, w, "A").solveInPlace(b.clone(), 1);

        Shared<double[]> g = Shared.local(gates);
        GramAggregator gram = new LocalPassRunner().aggregate(ConvexToy.inMemory(xy, 3), () -> new GramAggregator(g, p, dp, true, true), "t");
        SpdFactor bf = new SpdFactor(LinearRoutes.bMatrix(gram.xtx(), dp, TAU), dp, "B");
        double[] u = ConvexTrainer.uStep(b, bf, LinearRoutes.dense(gram.xtx(), gram.k(), p, dp, c, TAU), p, dp);
        assertArrayEquals(expected, u, 1e-10);
    }
}
