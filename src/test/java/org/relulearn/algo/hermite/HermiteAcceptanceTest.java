package org.relulearn.algo.hermite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.relulearn.data.AdditiveNoise;
import org.relulearn.data.OneHiddenLayerNetwork;
import org.relulearn.engine.LocalPassRunner;
import org.relulearn.engine.SyntheticData;

/**
 * The gates of docs/hermite.md, Acceptance gates (d = 8, m = 4, unit w_i, a_i = +-U[0.5, 1.5], noiseless,
 * L = 6, kmax = 5, variance reduction on), in local mode with data generated on the fly:
 * (b) n = 8e5 tensor only: every direction |cos| > 0.99 and every orientation right in >= 4 of 5
 * seeds, for the biases (0, 1, -1, 0.5) (on the zeros of g_3 and g_4) and (-1.5, 0.3, 1.2, -0.4);
 * (c) with the polish at n = 5e4: parameter error < 0.1 in >= 4 of 5 seeds (the stricter 0.01
 * is also checked, in >= 4 of 5); (d) the large-bias case b = (0.2, -0.8, 1.1, 3.5), noise 0.1,
 * n = 4e5, m = auto: relative test error below 1e-3 with the affine fit.
 */
class HermiteAcceptanceTest {
    static final HermiteOptions TENSOR_ONLY = HermiteOptions.defaults().withUnits(4).withAffineFit(HermiteOptions.AffineFit.OFF);

    static List<String> tensorOnlyRuns(double[] biases) {
        List<String> ok = new ArrayList<>();
        List<String> all = new ArrayList<>();
        for (long seed = 1; seed <= 5; seed++) {
            OneHiddenLayerNetwork t = HermiteTeachers.network(8, biases, seed);
            HermiteResult r = HermiteTrainer.fit(new LocalPassRunner(1), HermiteTeachers.data(t, null, 800_000, seed, 0), TENSOR_ONLY);
            HermiteRecovery rec = HermiteRecovery.of(r.tensorNet(), HermiteTeachers.truth(t));
            String line = String.format("seed %d: min |cos| %.4f, min signed cos %.4f, orientations right %d/4, parameter error %.3f",
                    seed, rec.minAbsCosine(), rec.minSignedCosine(), rec.orientationsRight(), rec.parameterError());
            all.add(line);
            if (rec.minAbsCosine() > 0.99 && rec.orientationsRight() == 4) ok.add(line);
        }
        all.forEach(l -> System.out.println("hermite gate (b) " + java.util.Arrays.toString(biases) + " " + l));
        assertTrue(ok.size() >= 4, "fewer than 4 of 5 seeds recovered every direction and orientation: " + all);
        return all;
    }

    @Test
    void biasesOnTheZerosOfSingleOrdersAreAllRecoveredAtN8e5() {
        tensorOnlyRuns(new double[] {0, 1, -1, 0.5});
    }

    @Test
    void mixedBiasesAreAllRecoveredAtN8e5() {
        tensorOnlyRuns(new double[] {-1.5, 0.3, 1.2, -0.4});
    }

    @Test
    void polishReachesSmallParameterErrorAtN5e4() {
        int below01 = 0, below001 = 0;
        List<String> all = new ArrayList<>();
        for (long seed = 1; seed <= 5; seed++) {
            OneHiddenLayerNetwork t = HermiteTeachers.network(8, new double[] {0, 1, -1, 0.5}, seed);
            HermiteResult r = HermiteTrainer.fit(new LocalPassRunner(1), HermiteTeachers.inMemory(HermiteTeachers.data(t, null, 50_000, seed, 0)),
                    TENSOR_ONLY.withPolish(200, 0.2));
            double tensorErr = HermiteRecovery.of(r.tensorOnlyNet(), HermiteTeachers.truth(t)).parameterError();
            double err = HermiteRecovery.of(r.tensorNet(), HermiteTeachers.truth(t)).parameterError();
            all.add(String.format("seed %d: %.3f -> %.3g", seed, tensorErr, err));
            if (err < 0.1) below01++;
            if (err < 0.01) below001++;
        }
        all.forEach(l -> System.out.println("hermite gate (c) " + l));
        assertTrue(below01 >= 4, "parameter error after the polish below 0.1 in fewer than 4 of 5 seeds: " + all);
        assertTrue(below001 >= 4, "parameter error after the polish below 0.01 in fewer than 4 of 5 seeds: " + all);
    }

    @Test
    void largeBiasUnitIsAbsorbedByTheAffineFit() {
        OneHiddenLayerNetwork t = HermiteTeachers.network(8, new double[] {0.2, -0.8, 1.1, 3.5}, 11);
        SyntheticData train = HermiteTeachers.data(t, AdditiveNoise.isotropic(1, 0.1), 400_000, 11, 0);
        SyntheticData test = HermiteTeachers.data(t, null, 100_000, 11, 77);
        HermiteResult withAffine = HermiteTrainer.fit(new LocalPassRunner(1), train, test, HermiteOptions.defaults());
        assertEquals(3, withAffine.units(), "auto m should see the 3 units with moderate bias: " + withAffine.messages());
        assertTrue(withAffine.affineUnits().units() > 0, "the affine fit should run when m is automatic");
        assertTrue(withAffine.heldOutError() < 1e-3, "relative test error with the affine fit " + withAffine.heldOutError());
        HermiteResult without = HermiteTrainer.fit(new LocalPassRunner(1), train, test,
                HermiteOptions.defaults().withAffineFit(HermiteOptions.AffineFit.OFF));
        System.out.printf("hermite gate (d): m = %d, held-out relative error %.3g with the affine fit, %.3g without%n", withAffine.units(),
                withAffine.heldOutError(), without.heldOutError());
        assertTrue(without.heldOutError() > 100 * withAffine.heldOutError(), "without the affine part the error should be far larger: "
                + without.heldOutError() + " vs " + withAffine.heldOutError());
    }

    @Test
    void faithfulConfigurationRunsWithEveryAdditionOff() {
        OneHiddenLayerNetwork t = HermiteTeachers.network(8, new double[] {0, 1, -1, 0.5}, 1);
        HermiteOptions faithful = HermiteOptions.faithful(4);
        assertTrue(faithful.isFaithful() && !HermiteOptions.defaults().isFaithful());
        HermiteResult r = HermiteTrainer.fit(new LocalPassRunner(1), HermiteTeachers.data(t, null, 800_000, 1, 0), faithful);
        HermiteRecovery rec = HermiteRecovery.of(r.tensorNet(), HermiteTeachers.truth(t));
        System.out.printf("hermite faithful, n=8e5, seed 1: min |cos| %.4f, orientations right %d/4, parameter error %.3f%n",
                rec.minAbsCosine(), rec.orientationsRight(), rec.parameterError());
        assertEquals(0, r.affineUnits().units());
        assertEquals(0, r.polishLosses().length);
        assertTrue(rec.minAbsCosine() > 0.9, "faithful directions: " + rec);
    }
}
