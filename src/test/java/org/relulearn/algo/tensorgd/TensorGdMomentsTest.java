package org.relulearn.algo.tensorgd;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.relulearn.algo.tensor.HermiteContractions;
import org.relulearn.algo.tensor.HermiteRelu;
import org.relulearn.data.AdditiveNoise;
import org.relulearn.data.Block;
import org.relulearn.data.Distributions;
import org.relulearn.data.OneHiddenLayerNetwork;
import org.relulearn.data.SyntheticSource;
import org.relulearn.engine.InMemoryData;
import org.relulearn.engine.LocalPassRunner;
import org.relulearn.engine.Shared;

/**
 * Acceptance item 2 (the ReLU moment identities of docs/tensor-gd.md, Model by Monte Carlo, max |z| < 5 at
 * d = 5, K = 3, n = 2e6) and item 3 at the pass level (the projected-moments pass equals the full
 * contraction of the empirical M4hat to 1e-12).
 */
class TensorGdMomentsTest {

    @Test
    void reluMomentIdentitiesHoldByMonteCarlo() {
        int d = 5, k = 3;
        long n = 2_000_000;
        OneHiddenLayerNetwork base = ZhongTeacher.create(d, k, 2, false, 3);
        double[] v = {1, -1, 1};
        double[] w = base.weights();
        OneHiddenLayerNetwork teacher = new OneHiddenLayerNetwork(d, k, 1, w, null, v);
        SyntheticSource src = new SyntheticSource(Distributions.parse("gaussian", d), teacher, AdditiveNoise.isotropic(1, 0.1), n, 8, 0, 8192);
        // unique index tuples of orders 0..4
        List<int[]> tuples = new ArrayList<>();
        tuples.add(new int[0]);
        for (int a = 0; a < d; a++) tuples.add(new int[] {a});
        for (int a = 0; a < d; a++) for (int b = a; b < d; b++) tuples.add(new int[] {a, b});
        for (int a = 0; a < d; a++) for (int b = a; b < d; b++) for (int c = b; c < d; c++) tuples.add(new int[] {a, b, c});
        for (int a = 0; a < d; a++) for (int b = a; b < d; b++) for (int c = b; c < d; c++) for (int e = c; e < d; e++) {
            tuples.add(new int[] {a, b, c, e});
        }
        int t = tuples.size();
        double[] sum = new double[t], sumSq = new double[t];
        SyntheticSource.Workspace ws = src.newWorkspace();
        Block buf = src.newBlock();
        for (long b = 0; b < src.numBlocks(); b++) {
            src.fill(b, buf, ws);
            double[] x = buf.x(), y = buf.y();
            for (int r = 0; r < buf.rows(); r++) {
                int o = r * d;
                for (int i = 0; i < t; i++) {
                    double val = y[r] * hermiteEntry(tuples.get(i), x, o);
                    sum[i] += val;
                    sumSq[i] += val * val;
                }
            }
        }
        double[] maxZ = new double[5];
        double c2 = HermiteRelu.INV_SQRT_2PI;
        for (int i = 0; i < t; i++) {
            int[] idx = tuples.get(i);
            double pred = 0;
            for (int j = 0; j < k; j++) {
                double norm = 0;
                for (int c = 0; c < d; c++) norm += w[j * d + c] * w[j * d + c];
                norm = Math.sqrt(norm);
                double coef = HermiteRelu.neuronCoefficient(idx.length, norm, 0);   // |w| g_order(0)
                double prod = 1;
                for (int a : idx) prod *= w[j * d + a] / norm;
                pred += v[j] * coef * prod;
            }
            if (idx.length == 1) pred = 0.5 * (w[idx[0]] * v[0] + w[d + idx[0]] * v[1] + w[2 * d + idx[0]] * v[2]);
            double mean = sum[i] / n, sd = Math.sqrt(Math.max(sumSq[i] / n - mean * mean, 1e-300));
            double z = Math.abs(mean - pred) / (sd / Math.sqrt(n));
            maxZ[idx.length] = Math.max(maxZ[idx.length], z);
            if (idx.length == 4 && idx[0] == idx[3]) {
                // spot-check the closed form against the constant g_4(0) = -1/sqrt(2 pi): M4 = -(1/sqrt(2 pi)) sum v |w| wbar^4
                double alt = 0;
                for (int j = 0; j < k; j++) {
                    double norm = 0;
                    for (int c = 0; c < d; c++) norm += w[j * d + c] * w[j * d + c];
                    norm = Math.sqrt(norm);
                    alt += -c2 * v[j] * norm * Math.pow(w[j * d + idx[0]] / norm, 4);
                }
                assertTrue(Math.abs(alt - pred) < 1e-12);
            }
        }
        System.out.println("[tensor-gd moment identities] max |z| by order 0..4: " + java.util.Arrays.toString(maxZ));
        for (int o = 0; o <= 4; o++) assertTrue(maxZ[o] < 5, "order " + o + " max |z| = " + maxZ[o]);
    }

    /** He(x)_{idx} for a sorted index tuple of order 0..4 (the delta corrections of docs/tensor-gd.md, Model). */
    static double hermiteEntry(int[] idx, double[] x, int o) {
        switch (idx.length) {
            case 0: return 1;
            case 1: return x[o + idx[0]];
            case 2: {
                int a = idx[0], b = idx[1];
                return x[o + a] * x[o + b] - (a == b ? 1 : 0);
            }
            case 3: {
                int a = idx[0], b = idx[1], c = idx[2];
                double xa = x[o + a], xb = x[o + b], xc = x[o + c];
                double v = xa * xb * xc;
                if (a == b) v -= xc;
                if (a == c) v -= xb;
                if (b == c) v -= xa;
                return v;
            }
            default: {
                int a = idx[0], b = idx[1], c = idx[2], e = idx[3];
                double xa = x[o + a], xb = x[o + b], xc = x[o + c], xe = x[o + e];
                double v = xa * xb * xc * xe;
                if (a == b) v -= xc * xe;
                if (a == c) v -= xb * xe;
                if (a == e) v -= xb * xc;
                if (b == c) v -= xa * xe;
                if (b == e) v -= xa * xc;
                if (c == e) v -= xa * xb;
                if (a == b && c == e) v += 1;
                if (a == c && b == e) v += 1;
                if (a == e && b == c) v += 1;
                return v;
            }
        }
    }

    @Test
    void projectedMomentsPassEqualsFullContraction() {
        Random rnd = new Random(21);
        int d = 4, k = 2, n = 60;
        double[] x = new double[n * d], y = new double[n];
        for (int i = 0; i < x.length; i++) x[i] = rnd.nextGaussian();
        for (int i = 0; i < n; i++) y[i] = rnd.nextGaussian() + 0.5;
        InMemoryData data = new InMemoryData(d, 1, List.of(Block.wrap(d, 1, 25, 0, java.util.Arrays.copyOfRange(x, 0, 25 * d),
                java.util.Arrays.copyOfRange(y, 0, 25)), Block.wrap(d, 1, 35, 25, java.util.Arrays.copyOfRange(x, 25 * d, n * d),
                java.util.Arrays.copyOfRange(y, 25, n))));
        // V: orthonormal columns
        double[] v = {0.6, 0, 0.8, 0, 0, 1 / Math.sqrt(2), 0, 1 / Math.sqrt(2)};
        double[] alpha = {0.5, -0.5, 0.5, 0.5};
        SampleSplit reuse = new SampleSplit(TensorGdOptions.Split.REUSE, 0);
        // brute force: M4hat = mean y He4(x) (full d^4)
        double[] m4 = new double[d * d * d * d];
        for (int r = 0; r < n; r++) {
            double[] h = HermiteContractions.he4(java.util.Arrays.copyOfRange(x, r * d, r * d + d));
            for (int e = 0; e < h.length; e++) m4[e] += y[r] * h[e] / n;
        }
        for (TensorGdOptions.Variant variant : TensorGdOptions.Variant.values()) {
            Shared<Phase1Inputs> s = Shared.local(new Phase1Inputs(d, k, reuse, false, 0, new double[d], v,
                    variant == TensorGdOptions.Variant.ALPHA ? alpha : null, null, variant));
            ProjectedMomentsAggregator.ProjectedMoments pm = new LocalPassRunner().aggregate(data, () -> new ProjectedMomentsAggregator(s),
                    "test").result();
            double[] got;
            int lastDim;
            double[] lastMap;
            if (variant == TensorGdOptions.Variant.ALPHA) {
                double[] beta = new double[k];
                for (int c = 0; c < k; c++) for (int i = 0; i < d; i++) beta[c] += v[i * k + c] * alpha[i];
                got = HermiteContractions.r3FromSums(pm.highPacked(), pm.s1(), pm.s2(), pm.s0(), pm.n3(), beta, k);
                lastDim = 1;
                lastMap = alpha;
            } else {
                got = HermiteContractions.t4FromSums(pm.highPacked(), pm.s2(), pm.s0(), pm.n3(), k);
                lastDim = k;
                lastMap = v;
            }
            double[] want = new double[k * k * k * lastDim];
            for (int a = 0; a < d; a++) for (int b = 0; b < d; b++) for (int c = 0; c < d; c++) for (int e = 0; e < d; e++) {
                double m = m4[((a * d + b) * d + c) * d + e];
                for (int p = 0; p < k; p++) for (int q = 0; q < k; q++) for (int r = 0; r < k; r++) for (int u = 0; u < lastDim; u++) {
                    double last = lastDim == 1 ? lastMap[e] : lastMap[e * k + u];
                    want[((p * k + q) * k + r) * lastDim + u] += m * v[a * k + p] * v[b * k + q] * v[c * k + r] * last;
                }
            }
            double diff = 0;
            for (int i = 0; i < want.length; i++) diff = Math.max(diff, Math.abs(want[i] - got[i]));
            assertTrue(diff < 1e-12, variant + ": pass result differs from the full contraction by " + diff);
            assertTrue(pm.n3() == n && pm.n4a() == n && pm.n4b() == n);
        }
    }
}
