package org.relulearn.algo.tensorgd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.relulearn.data.Block;
import org.relulearn.data.Distributions;
import org.relulearn.data.OneHiddenLayerNetwork;
import org.relulearn.data.SyntheticSource;
import org.relulearn.engine.InMemoryData;
import org.relulearn.engine.LocalPassRunner;

/** The errors and warnings of docs/tensor-gd.md, Diagnostics, and the faithful split's disjoint parts. */
class TensorGdFailureTest {

    private static InMemoryData gaussianData(OneHiddenLayerNetwork t, String law, long n, long seed) {
        return InMemory.of(new SyntheticSource(Distributions.parse(law, t.inputDim()), t, null, n, seed, 0, 4096));
    }

    private static TensorGdOptions opts(int k) {
        return TensorGdOptions.defaults(k).withIterations(5, 0);
    }

    @Test
    void badKAndTooFewRows() {
        OneHiddenLayerNetwork t = ZhongTeacher.create(6, 3, 2, false, 1);
        InMemoryData data = gaussianData(t, "gaussian", 5000, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TensorGdTrainer.fit(new LocalPassRunner(), data, opts(7), null, Double.NaN));
        assertTrue(e.getMessage().contains("exceed the input dimension"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TensorGdOptions.defaults(-1));
        assertThrows(IllegalArgumentException.class, () -> TensorGdOptions.defaults().withV(new double[] {1, 1}));   // known v fixes K
        InMemoryData tiny = gaussianData(t, "gaussian", 150, 1);
        e = assertThrows(IllegalArgumentException.class, () -> TensorGdTrainer.fit(new LocalPassRunner(), tiny, opts(3), null, Double.NaN));
        assertTrue(e.getMessage().contains("too few"), e.getMessage());
    }

    @Test
    void nonFiniteAndConstantLabels() {
        int d = 4;
        double[] x = new double[400 * d], y = new double[400];
        java.util.Random r = new java.util.Random(1);
        for (int i = 0; i < x.length; i++) x[i] = r.nextGaussian();
        java.util.Arrays.fill(y, 2.5);
        InMemoryData constant = new InMemoryData(d, 1, List.of(Block.wrap(d, 1, 400, 0, x, y)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TensorGdTrainer.fit(new LocalPassRunner(), constant, opts(2), null, Double.NaN));
        assertTrue(e.getMessage().contains("constant"), e.getMessage());
        double[] y2 = y.clone();
        y2[123] = Double.NaN;
        InMemoryData nan = new InMemoryData(d, 1, List.of(Block.wrap(d, 1, 400, 0, x, y2)));
        e = assertThrows(IllegalArgumentException.class, () -> TensorGdTrainer.fit(new LocalPassRunner(), nan, opts(2), null, Double.NaN));
        assertTrue(e.getMessage().contains("row 123"), e.getMessage());
    }

    @Test
    void nonGaussianInputsWarnByDefaultAndFailWhenStrict() {
        OneHiddenLayerNetwork t = ZhongTeacher.create(6, 3, 2, false, 1);
        InMemoryData shifted = gaussianData(t, "shifted-gaussian:shift=0.3", 20_000, 2);
        TensorGdResult r = TensorGdTrainer.fit(new LocalPassRunner(), shifted, opts(3).withInitOnly(true), null, Double.NaN);
        assertTrue(r.warnings().stream().anyMatch(w -> w.contains("do not look standard normal")), r.warnings().toString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TensorGdTrainer.fit(new LocalPassRunner(), shifted, opts(3).withStrictGaussian(true), null, Double.NaN));
        assertTrue(e.getMessage().contains("mean of feature"), e.getMessage());
        // a true Gaussian passes silently
        TensorGdResult ok = TensorGdTrainer.fit(new LocalPassRunner(), gaussianData(t, "gaussian", 20_000, 2),
                opts(3).withInitOnly(true).withStrictGaussian(true), null, Double.NaN);
        assertTrue(ok.warnings().stream().noneMatch(w -> w.contains("standard normal")), ok.warnings().toString());
    }

    @Test
    void overstatedKGivesAnEigenGapWarning() {
        // rank-2 teacher fitted with K = 4: lambda_4 / lambda_5 is noise / noise
        OneHiddenLayerNetwork t = ZhongTeacher.create(8, 2, 1, false, 4);
        InMemoryData data = gaussianData(t, "gaussian", 30_000, 3);
        TensorGdResult r = TensorGdTrainer.fit(new LocalPassRunner(), data, opts(4).withInitOnly(true), null, Double.NaN);
        assertTrue(r.warnings().stream().anyMatch(w -> w.contains("eigen-gap")), r.warnings().toString());
    }

    @Test
    void faithfulSplitPartsAreDisjointAndBalanced() {
        SampleSplit s = new SampleSplit(TensorGdOptions.Split.FAITHFUL, 7);
        int[] counts = new int[4];
        for (long row = 0; row < 60_000; row++) counts[s.part(row)]++;
        assertEquals(20_000, counts[0], 600);
        assertEquals(20_000, counts[1], 600);
        assertEquals(10_000, counts[2], 400);
        assertEquals(10_000, counts[3], 400);
        assertTrue(s.in(5, s.part(5)) && !s.in(5, (s.part(5) + 1) % 4));
        SampleSplit reuse = new SampleSplit(TensorGdOptions.Split.REUSE, 7);
        for (int p = 0; p < 4; p++) assertTrue(reuse.in(5, p));
    }

    @Test
    void unknownSignsAreRecoveredAndRandomStartNeedsKnownV() {
        OneHiddenLayerNetwork t = ZhongTeacher.create(10, 5, 2, true, 2);
        InMemoryData data = gaussianData(t, "gaussian", 100_000, 5);
        TensorGdResult r = TensorGdTrainer.fit(new LocalPassRunner(), data, opts(5).withInitOnly(true), t.weights(), Double.NaN);
        double[] vTrue = t.outputWeights();
        double sumTrue = 0, sumHat = 0;
        for (int j = 0; j < 5; j++) {
            sumTrue += vTrue[j];
            sumHat += r.v()[j];
        }
        assertEquals(sumTrue, sumHat, 1e-12, "recovered signs " + java.util.Arrays.toString(r.v()));
        assertTrue(r.initError() < 0.4, "init error " + r.initError());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TensorGdTrainer.fit(new LocalPassRunner(), data,
                opts(5).withInit(TensorGdOptions.Init.RANDOM), null, Double.NaN));
        assertTrue(e.getMessage().contains("known output weights"), e.getMessage());
    }
}
