package org.relulearn.algo.tensorgd;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.relulearn.data.AdditiveNoise;
import org.relulearn.data.Distributions;
import org.relulearn.data.OneHiddenLayerNetwork;
import org.relulearn.data.SyntheticSource;
import org.relulearn.engine.InMemoryData;
import org.relulearn.engine.LocalPassRunner;

/**
 * Acceptance items 4 and 5 of docs/tensor-gd.md, Tests (d = 10, K = 5, kappa = 2, v = 1,
 * m4proj, variance reduction, faithful split, eta = 1/lambda_max) and the random-start comparison.
 * GD stops on a relative step of 1e-7 (noiseless; the error is then a few 1e-6) or 1e-6 (noisy; far
 * below the noise floor) so the suite stays fast; the 800-iteration cap is item 4's.
 */
class TensorGdAcceptanceTest {

    static InMemoryData data(OneHiddenLayerNetwork teacher, long n, double noise, long seed) {
        return InMemory.of(new SyntheticSource(Distributions.parse("gaussian", teacher.inputDim()), teacher,
                noise > 0 ? AdditiveNoise.isotropic(1, noise) : null, n, seed, 0, 4096));
    }

    static TensorGdOptions options(long seed, double tol) {
        return TensorGdOptions.defaults(5).withSeed(seed).withIterations(800, tol);
    }

    @Test
    void noiselessInitPlusGdReachesTheTruthInFourOfFiveSeeds() {
        int ok = 0, goodInit = 0;
        List<String> lines = new ArrayList<>();
        for (long seed = 1; seed <= 5; seed++) {
            OneHiddenLayerNetwork teacher = ZhongTeacher.create(10, 5, 2, false, seed);
            TensorGdResult r = TensorGdTrainer.fit(new LocalPassRunner(), data(teacher, 100_000, 0, seed), options(seed, 1e-7),
                    teacher.weights(), 0);
            lines.add(String.format("seed %d: init %.3f final %.2e after %d iterations (eta %.3f)", seed, r.initError(), r.finalError(),
                    r.gd().iterations(), r.gd().eta()));
            if (r.finalError() < 1e-4 && r.gd().iterations() <= 800) ok++;
            if (r.initError() < 0.3) goodInit++;
        }
        System.out.println("[tensor-gd acceptance 4] " + lines);
        assertTrue(ok >= 4, "final error < 1e-4 in only " + ok + "/5 seeds: " + lines);
        assertTrue(goodInit >= 4, "init error < 0.3 in only " + goodInit + "/5 seeds: " + lines);
    }

    @Test
    void noisyFinalErrorIsAtTheNoiseFloorAndShrinksWithN() {
        double logRatio = 0;
        List<String> lines = new ArrayList<>();
        long[] seeds = {1};     // one seed keeps the suite fast; seed 2 gave 7.4e-3 -> 3.7e-3 (ratio 1.99)
        for (long seed : seeds) {
            OneHiddenLayerNetwork teacher = ZhongTeacher.create(10, 5, 2, false, seed);
            double[] err = new double[2];
            long[] ns = {100_000, 300_000};
            for (int i = 0; i < 2; i++) {
                TensorGdResult r = TensorGdTrainer.fit(new LocalPassRunner(), data(teacher, ns[i], 0.5, seed), options(seed, 1e-6),
                        teacher.weights(), 0.25);
                err[i] = r.finalError();
                lines.add(String.format("seed %d n %d: init %.3f final %.2e (%d iterations)", seed, ns[i], r.initError(), err[i],
                        r.gd().iterations()));
                assertTrue(err[i] > 1e-3 && err[i] < 1e-2, "final error outside [1e-3, 1e-2]: " + lines);
            }
            logRatio += Math.log(err[0] / err[1]) / seeds.length;
        }
        double ratio = Math.exp(logRatio);
        System.out.println("[tensor-gd acceptance 5] " + lines + " geometric-mean ratio " + ratio);
        // sqrt(3) = 1.73 expected; one seed is noisy, so a generous band
        assertTrue(ratio > 1.3 && ratio < 2.3, "error ratio 1e5 -> 3e5 is " + ratio + ", expected about sqrt(3): " + lines);
    }

    @Test
    void plainGdFromRandomStartIsWorseInTheSameBudget() {
        int tensorBetter = 0;
        List<String> lines = new ArrayList<>();
        int budget = 100;
        for (long seed = 1; seed <= 2; seed++) {
            OneHiddenLayerNetwork teacher = ZhongTeacher.create(10, 5, 2, false, seed);
            InMemoryData data = data(teacher, 100_000, 0, seed);
            TensorGdOptions o = options(seed, 0).withIterations(budget, 0);
            TensorGdResult tensor = TensorGdTrainer.fit(new LocalPassRunner(), data, o, teacher.weights(), 0);
            TensorGdResult random = TensorGdTrainer.fit(new LocalPassRunner(), data,
                    o.withInit(TensorGdOptions.Init.RANDOM).withV(teacher.outputWeights()), teacher.weights(), 0);
            lines.add(String.format("seed %d: tensor init %.3f -> %.2e, random init %.3f -> %.2e", seed, tensor.initError(),
                    tensor.finalError(), random.initError(), random.finalError()));
            if (tensor.finalError() < 0.5 * random.finalError()) tensorBetter++;
        }
        System.out.println("[tensor-gd random start, " + budget + " iterations] " + lines);
        assertTrue(tensorBetter == 2, "tensor start not clearly better after " + budget + " iterations: " + lines);
    }
}
