package org.relulearn.algo.convex;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.relulearn.data.Block;
import org.relulearn.data.OneHiddenLayerNetwork;
import org.relulearn.engine.InMemoryData;
import org.relulearn.engine.LocalPassRunner;

/**
 * The gated-ReLU solver: certified optimum of its program, a ReLU network that reproduces the gated model on
 * the rows, and, with the weight decay chosen by cross-validation, a teacher's predictions recovered on fresh rows.
 * The data law is written here (not one of Distributions): exponential and shifted uniform features with large
 * offsets, a three-unit teacher with biases, Gaussian label noise 0.1.
 */
class GatedReluTrainerTest {
    private static final int D = 3;
    private static final double NOISE = 0.1;

    /** Features: x1 = 1000 + Exp(1), x2 = -50 + U(0, 4), x3 = 3 N(0,1); label = teacher(x) + 5 + noise. */
    private static double[][] rows(int n, long seed) {
        Random r = new Random(seed);
        double[][] out = new double[n][D + 1];
        for (int i = 0; i < n; i++) {
            out[i][0] = 1000 - Math.log(1 - r.nextDouble());
            out[i][1] = -50 + 4 * r.nextDouble();
            out[i][2] = 3 * r.nextGaussian();
            out[i][D] = teacher(out[i]) + NOISE * r.nextGaussian();
        }
        return out;
    }

    private static double teacher(double[] x) {
        double z1 = x[0] - 1000, z2 = x[1] + 48, z3 = x[2] / 3;
        return 5 + 2 * Math.max(0, z1 - 1 + z3) - 1.5 * Math.max(0, z2 + 0.5 * z3) + Math.max(0, -z1 + z2 + 1);
    }

    private static InMemoryData data(double[][] rows, int blocks) {
        int n = rows.length, per = (n + blocks - 1) / blocks;
        List<Block> list = new ArrayList<>();
        for (int s = 0; s < n; s += per) {
            int m = Math.min(per, n - s);
            double[] x = new double[m * D], y = new double[m];
            for (int i = 0; i < m; i++) {
                System.arraycopy(rows[s + i], 0, x, i * D, D);
                y[i] = rows[s + i][D];
            }
            list.add(Block.wrap(D, 1, m, s, x, y));
        }
        return new InMemoryData(D, 1, list);
    }

    private static double mse(OneHiddenLayerNetwork net, double[][] rows) {
        double s = 0;
        for (double[] r : rows) {
            double e = predict(net, r) - r[D];
            s += e * e;
        }
        return s / rows.length;
    }

    private static double predict(OneHiddenLayerNetwork net, double[] x) {
        double[] w = net.weights(), b = net.biases(), a = net.outputWeights();
        double out = 0;
        for (int j = 0; j < net.hiddenUnits(); j++) {
            double z = b[j];
            for (int k = 0; k < D; k++) z += w[j * D + k] * x[k];
            out += a[j] * Math.max(0, z);
        }
        return out;
    }

    @Test
    void theWeightDecayChosenByCrossValidationRecoversTheTeachersPredictionsOnFreshRows() {
        double[][] train = rows(4000, 1), test = rows(4000, 2);
        ConvexOptions o = ConvexOptions.defaults().withPatterns(64).withGapTol(1e-6).withMaxIter(20000);
        GatedReluTrainer.Fit fit = GatedReluTrainer.fit(new LocalPassRunner(), data(train, 7), o, GatedReluTrainer.Settings.defaults(), System.out::println);
        double testMse = mse(fit.result().network(), test);
        System.out.printf("[gated] chosen beta %.4g, path %d points, test MSE %.5f (noise variance %.5f), %d units%n",
                fit.chosenBeta(), fit.path().size(), testMse, NOISE * NOISE, fit.reluUnits());
        // 64 random gates cannot place the teacher's kinks exactly: within 3x the noise variance on fresh rows,
        // against a label variance of ~5 (R^2 > 0.99).
        assertTrue(testMse < 3 * NOISE * NOISE, "test MSE " + testMse);
        assertTrue(fit.result().converged());
        assertTrue(fit.result().lowerBound() <= fit.result().objective());
    }

    @Test
    void theCertificateBracketsTheOptimumAndTheReluNetworkReproducesTheGatedModelOnTheRows() {
        double[][] train = rows(1500, 3);
        ConvexOptions o = ConvexOptions.defaults().withPatterns(20).withBeta(0.5).withGapTol(1e-9).withMaxIter(200000);
        GatedReluTrainer.Settings fixed = new GatedReluTrainer.Settings(false, 5, 16, 1e-4, true, 7);
        GatedReluTrainer.Fit one = GatedReluTrainer.fit(new LocalPassRunner(), data(train, 1), o, fixed, null);
        GatedReluTrainer.Fit seven = GatedReluTrainer.fit(new LocalPassRunner(), data(train, 7), o, fixed, null);
        ConvexResult r = one.result();
        assertTrue(r.converged(), r.stopReason());
        assertTrue(r.relativeGap() <= 1e-9 && r.relativeGap() >= 0);
        assertEquals(r.objective(), seven.result().objective(), 1e-7 * r.objective(), "1 vs 7 blocks");

        // The objective recomputed here from the rows: standardise, gate, predict with u, add beta sum ||u_i||.
        Standardisation sc = one.scale();
        int dp = D + 1, p = r.patterns();
        double[] u = r.groups(), hUser = r.gates();
        double loss = 0;
        for (double[] row : train) {
            double pred = 0;
            for (int i = 0; i < p; i++) {
                double gate = hUser[i * dp + D], z = 0;
                for (int k = 0; k < D; k++) gate += hUser[i * dp + k] * row[k];
                if (gate < 0) continue;
                for (int k = 0; k < D; k++) z += u[i * dp + k] * (row[k] - sc.mean()[k]) / sc.scale()[k];
                z += u[i * dp + D];
                pred += z;
            }
            double e = pred - sc.label(row[D]);
            loss += 0.5 * e * e;
            // The ReLU network (user coordinates, label de-standardised) predicts the gated model's value.
            double gated = pred * sc.labelScale() + sc.labelMean();
            assertEquals(gated, predict(r.network(), row), 1e-6 * (1 + Math.abs(gated)));
        }
        double pen = 0;
        for (int i = 0; i < p; i++) {
            double s = 0;
            for (int k = 0; k < dp; k++) s += u[i * dp + k] * u[i * dp + k];
            pen += Math.sqrt(s);
        }
        assertEquals(loss + 0.5 * pen, r.objective(), 1e-8 * r.objective());
    }

    @Test
    void theMinimumNormDecompositionReproducesTheGatedModelWithLessNormThanTheShiftOnOneAndSevenBlocks() {
        double[][] train = rows(600, 5);
        ConvexOptions o = ConvexOptions.defaults().withPatterns(16).withBeta(0.5).withGapTol(1e-9).withMaxIter(200000);
        GatedReluTrainer.Settings minNorm = new GatedReluTrainer.Settings(false, 5, 16, 1e-4, true, 7);
        GatedReluTrainer.Fit one = GatedReluTrainer.fit(new LocalPassRunner(), data(train, 1), o, minNorm, null);
        GatedReluTrainer.Fit seven = GatedReluTrainer.fit(new LocalPassRunner(), data(train, 7), o, minNorm, null);
        GatedReluTrainer.Fit shift = GatedReluTrainer.fit(new LocalPassRunner(), data(train, 7), o,
                minNorm.withDecomposition(GatedReluTrainer.Decomposition.SHIFT), null);
        System.out.printf("[gated] sum ||v|| + ||w||: min-norm %.6g in %d passes, shift %.6g, sum ||u|| %.6g;"
                        + " network objective %.6g (shift %.6g, gated %.6g)%n", one.decompositionPenalty(), one.decompositionPasses(),
                one.shiftPenalty(), one.groupNormSum(), one.result().networkObjective(), shift.result().networkObjective(),
                one.result().objective());

        assertEquals(GatedReluTrainer.Decomposition.MIN_NORM, one.decomposition());
        assertTrue(one.decompositionPasses() >= 1 && one.decompositionPasses() <= GatedReluTrainer.MAX_DECOMPOSITION_PASSES);
        assertEquals(4 + one.decompositionPasses(), one.result().passes());
        assertEquals(4, shift.result().passes());
        // ||v|| + ||w|| >= ||v - w|| = ||u||; never above the shift, and here well below it.
        assertTrue(one.decompositionPenalty() >= one.groupNormSum() * (1 - 1e-12));
        assertTrue(one.decompositionPenalty() < 0.5 * one.shiftPenalty(), one.decompositionPenalty() + " vs " + one.shiftPenalty());
        assertEquals(one.shiftPenalty(), shift.decompositionPenalty(), 1e-9 * one.shiftPenalty());
        assertTrue(one.result().networkObjective() < shift.result().networkObjective());
        assertEquals(one.decompositionPenalty(), seven.decompositionPenalty(), 1e-6 * one.decompositionPenalty(), "1 vs 7 blocks");

        // On every row, both networks predict the gated model's value.
        ConvexResult r = one.result();
        Standardisation sc = one.scale();
        int dp = D + 1, p = r.patterns();
        double[] u = r.groups(), hUser = r.gates();
        for (double[] row : train) {
            double pred = 0;
            for (int i = 0; i < p; i++) {
                double gate = hUser[i * dp + D], z = 0;
                for (int k = 0; k < D; k++) gate += hUser[i * dp + k] * row[k];
                if (gate < 0) continue;
                for (int k = 0; k < D; k++) z += u[i * dp + k] * (row[k] - sc.mean()[k]) / sc.scale()[k];
                pred += z + u[i * dp + D];
            }
            double gated = pred * sc.labelScale() + sc.labelMean();
            assertEquals(gated, predict(r.network(), row), 1e-8 * (1 + Math.abs(gated)), "min-norm, 1 block");
            assertEquals(gated, predict(seven.result().network(), row), 1e-8 * (1 + Math.abs(gated)), "min-norm, 7 blocks");
            assertEquals(gated, predict(shift.result().network(), row), 1e-6 * (1 + Math.abs(gated)), "shift");
        }
    }
}
