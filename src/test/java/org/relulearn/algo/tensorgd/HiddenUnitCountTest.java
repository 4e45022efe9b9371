package org.relulearn.algo.tensorgd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.relulearn.data.Block;
import org.relulearn.engine.InMemoryData;
import org.relulearn.engine.LocalPassRunner;

/**
 * K chosen from the spectrum of P2 (HiddenUnitCount): teachers drawn here with java.util.Random
 * (not the product's generators), K = 2..6, unequal and mixed-sign output weights, with and without
 * label noise; the rule must find K exactly, and refuse labels with no signal.
 */
class HiddenUnitCountTest {

    /**
     * y = sum_j a_j relu(w_j . x) + noise, x ~ N(0, I_d); directions of W: Gram-Schmidt of Gaussian
     * vectors plus a 0.3-size Gaussian tilt (so they are far from orthogonal but not degenerate), norms
     * in [0.7, 1.6], |a_j| in [0.6, 1.4].
     */
    static InMemoryData teacherData(int d, int k, long n, double noise, boolean mixedSigns, long seed, double[][] wOut) {
        Random rnd = new Random(seed);
        double[][] w = new double[k][d];
        double[] a = new double[k];
        for (int j = 0; j < k; j++) {
            for (int i = 0; i < d; i++) w[j][i] = rnd.nextGaussian();
            for (int p = 0; p < j; p++) {
                double dot = 0, pp = 0;
                for (int i = 0; i < d; i++) {
                    dot += w[j][i] * w[p][i];
                    pp += w[p][i] * w[p][i];
                }
                for (int i = 0; i < d; i++) w[j][i] -= dot / pp * w[p][i];
            }
        }
        for (int j = 0; j < k; j++) {
            double nrm = 0;
            for (int i = 0; i < d; i++) nrm += w[j][i] * w[j][i];
            nrm = Math.sqrt(nrm);
            for (int i = 0; i < d; i++) w[j][i] = w[j][i] / nrm + 0.3 * rnd.nextGaussian() / Math.sqrt(d);
        }
        for (int j = 0; j < k; j++) {
            double nrm = 0;
            for (int i = 0; i < d; i++) nrm += w[j][i] * w[j][i];
            double scale = (0.7 + 0.9 * rnd.nextDouble()) / Math.sqrt(nrm);
            for (int i = 0; i < d; i++) w[j][i] *= scale;
            a[j] = (0.6 + 0.8 * rnd.nextDouble()) * (mixedSigns && j % 2 == 1 ? -1 : 1);
        }
        if (wOut != null) {
            for (int j = 0; j < k; j++) for (int i = 0; i < d; i++) wOut[j][i] = Math.abs(a[j]) * w[j][i];
        }
        List<Block> blocks = new ArrayList<>();
        int cap = 4096;
        for (long first = 0; first < n; first += cap) {
            int rows = (int) Math.min(cap, n - first);
            double[] x = new double[rows * d], y = new double[rows];
            for (int r = 0; r < rows; r++) {
                for (int i = 0; i < d; i++) x[r * d + i] = rnd.nextGaussian();
                double s = 0;
                for (int j = 0; j < k; j++) {
                    double z = 0;
                    for (int i = 0; i < d; i++) z += w[j][i] * x[r * d + i];
                    s += a[j] * Math.max(z, 0);
                }
                y[r] = s + noise * rnd.nextGaussian();
            }
            blocks.add(Block.wrap(d, 1, rows, first, x, y));
        }
        return new InMemoryData(d, 1, blocks);
    }

    static HiddenUnitCount countOf(InMemoryData data) {
        TensorGdOptions o = TensorGdOptions.defaults().withIterations(0, 0).withInitOnly(true);
        List<String> warnings = new ArrayList<>();
        InputStats st = TensorInitializer.validate(new LocalPassRunner(), data, o, warnings);
        return TensorInitializer.initialise(new LocalPassRunner(), data, st, o, warnings).unitCount();
    }

    @Test
    void findsKFromTwoToSixWithAndWithoutNoise() {
        List<String> lines = new ArrayList<>();
        int d = 10;
        for (int k = 2; k <= 6; k++) {
            for (double noise : new double[] {0, 0.5}) {
                HiddenUnitCount c = countOf(teacherData(d, k, 60_000, noise, k % 2 == 0, 100 + k, null));
                lines.add(String.format("K=%d noise=%.1f -> %d (weakest |lambda| %.3g, next %.3g, threshold %.3g)", k, noise, c.k(),
                        Math.abs(c.eigenvalues()[k - 1]), Math.abs(c.eigenvalues()[k]), c.threshold()));
                assertEquals(k, c.k(), c.describe());
                // the noise edge bounds the noise eigenvalues: the rule has room on both sides
                if (k < d) assertTrue(Math.abs(c.eigenvalues()[k]) < 1.5 * c.noiseLevel(), c.describe());
            }
        }
        System.out.println("[hidden-unit count] " + lines);
    }

    @Test
    void kEqualToDAndKTwoBelowDAndLabelsWithoutSignal() {
        for (long seed = 1; seed <= 4; seed++) {
            HiddenUnitCount full = countOf(teacherData(4, 4, 40_000, 0, seed % 2 == 0, seed, null));
            assertEquals(4, full.k(), full.describe());
            HiddenUnitCount twoBelow = countOf(teacherData(6, 4, 40_000, 0.3, seed % 2 == 1, 10 + seed, null));
            assertEquals(4, twoBelow.k(), twoBelow.describe());
        }
        // pure noise labels: nothing clears the threshold -> a clear error
        InMemoryData noiseOnly = teacherData(6, 1, 40_000, 1.0, false, 8, null);
        for (var b : noiseOnly.blocks()) for (int r = 0; r < b.rows(); r++) b.y()[r] = new Random(r + 31L * b.firstRow()).nextGaussian();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> countOf(noiseOnly));
        assertTrue(e.getMessage().contains("-k"), e.getMessage());
    }

    @Test
    void automaticKFitReachesTheTeacher() {
        int d = 8, k = 4;
        double[][] w = new double[k][d];
        InMemoryData data = teacherData(d, k, 120_000, 0, true, 41, w);
        double[] truth = new double[k * d];
        for (int j = 0; j < k; j++) System.arraycopy(w[j], 0, truth, j * d, d);
        TensorGdResult r = TensorGdTrainer.fit(new LocalPassRunner(), data, TensorGdOptions.defaults().withIterations(800, 1e-9),
                truth, Double.NaN);
        assertEquals(k, r.k());
        assertTrue(r.finalError() < 1e-2, "matched error " + r.finalError() + " warnings " + r.warnings());
    }
}
