package org.relulearn.algo.hermite;

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
import org.relulearn.engine.SyntheticData;

/** Errors and warnings of docs/hermite.md, Diagnostics. */
class HermiteDiagnosticsTest {
    static final HermiteOptions OPTS = HermiteOptions.defaults();

    static String joined(HermiteResult r) { return String.join("\n", r.messages()); }

    @Test
    void nonGaussianInputsAreAnErrorNamingTheColumnInStrictModeAndAWarningOtherwise() {
        OneHiddenLayerNetwork t = HermiteTeachers.network(4, new double[] {0.2, -0.5}, 1);
        // Uniform on [-sqrt 3, sqrt 3]: mean 0, variance 1, fourth moment 1.8 instead of 3.
        SyntheticData data = new SyntheticData(new SyntheticSource(Distributions.parse("uniform:a=1.7320508", 4), t, null, 100_000, 1, 0, 4096));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> HermiteTrainer.fit(new LocalPassRunner(), data, OPTS.withUnits(2)));
        assertTrue(e.getMessage().contains("not standard normal") && e.getMessage().contains("fourth moment"), e.getMessage());
        HermiteResult r = HermiteTrainer.fit(new LocalPassRunner(), data, OPTS.withUnits(2).withStrictInput(false));
        assertTrue(joined(r).contains("warning: the inputs are not standard normal"), joined(r));
    }

    @Test
    void shiftedInputsAreRejected() {
        OneHiddenLayerNetwork t = HermiteTeachers.network(4, new double[] {0.2, -0.5}, 1);
        SyntheticData data = new SyntheticData(new SyntheticSource(Distributions.parse("shifted-gaussian:shift=0.1", 4), t, null, 100_000, 1, 0, 4096));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HermiteTrainer.fit(new LocalPassRunner(), data, OPTS.withUnits(2)));
        assertTrue(e.getMessage().contains("has mean"), e.getMessage());
    }

    @Test
    void badShapesAndLabelsAreErrors() {
        OneHiddenLayerNetwork t = HermiteTeachers.network(3, new double[] {0.2, -0.5}, 1);
        SyntheticData data = HermiteTeachers.data(t, null, 20_000, 1, 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HermiteTrainer.fit(new LocalPassRunner(), data, OPTS.withUnits(4)));
        assertTrue(e.getMessage().contains("exceed the input dimension d = 3"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> OPTS.withUnits(-1));

        OneHiddenLayerNetwork zero = new OneHiddenLayerNetwork(3, 2, 1, t.weights(), t.biases(), new double[] {0, 0});
        e = assertThrows(IllegalArgumentException.class,
                () -> HermiteTrainer.fit(new LocalPassRunner(), HermiteTeachers.data(zero, null, 20_000, 1, 0), OPTS.withUnits(2)));
        assertTrue(e.getMessage().contains("labels are constant"), e.getMessage());

        double[] x = new double[10 * 3], y = new double[10];
        for (int i = 0; i < x.length; i++) x[i] = (i % 7) - 3;
        x[4 * 3 + 1] = Double.NaN;
        InMemoryData bad = new InMemoryData(3, 1, List.of(Block.wrap(3, 1, 10, 100, x, y)));
        e = assertThrows(IllegalArgumentException.class, () -> HermiteTrainer.fit(new LocalPassRunner(), bad, OPTS.withUnits(1)));
        assertTrue(e.getMessage().contains("row 104"), e.getMessage());
    }

    @Test
    void aUnitWithALargeBiasIsReportedAsInvisibleAndAtTheGridEdge() {
        OneHiddenLayerNetwork t = HermiteTeachers.network(6, new double[] {0.3, -0.6, 4.0}, 3);
        HermiteResult r = HermiteTrainer.fit(new LocalPassRunner(), HermiteTeachers.data(t, null, 200_000, 3, 0), OPTS.withUnits(3));
        String s = joined(r);
        assertTrue(r.visibleUnits() == 2 && s.contains("only 2 of the m = 3 order-2 eigenvalues"), s);
        HermiteResult auto = HermiteTrainer.fit(new LocalPassRunner(), HermiteTeachers.data(t, null, 200_000, 3, 0), OPTS);
        assertEquals(2, auto.units(), joined(auto));
        assertTrue(joined(auto).contains("m = 2 (auto)"), joined(auto));
        // A bound below a true bias puts that unit at the edge of the grid.
        OneHiddenLayerNetwork t2 = HermiteTeachers.network(6, new double[] {0.3, 1.6}, 3);
        HermiteResult edge = HermiteTrainer.fit(new LocalPassRunner(), HermiteTeachers.data(t2, null, 200_000, 3, 0),
                OPTS.withUnits(2).withBiasBound(1.0));
        assertTrue(joined(edge).contains("at the edge of the grid"), joined(edge));
        assertTrue(edge.affineUnits().units() > 0, "a doubtful unit switches the automatic affine fit on");
    }

    @Test
    void orientationWithinTheNoiseIsAmbiguous() {
        double[] mu = new double[6], se = new double[6];
        double a = 0.05, b = 0.4;
        for (int k = 2; k <= 5; k++) mu[k] = a * org.relulearn.algo.tensor.HermiteRelu.g(k, b);
        mu[1] = a * org.relulearn.algo.tensor.HermiteRelu.cdf(b);
        java.util.Arrays.fill(se, 1e-6);
        assertTrue(!UnitCoefficientFit.fit(mu, se, 5, 3, 6001).ambiguous());
        se[1] = 0.1;
        assertTrue(UnitCoefficientFit.fit(mu, se, 5, 3, 6001).ambiguous());
    }

    @Test
    void complexAndIllConditionedJennrichCandidatesAreFlagged() {
        // M_1 pinv(M_2) is a rotation: eigenvalues +-i, no real simultaneous diagonaliser.
        PairJennrich c = PairJennrich.decompose(new double[][] {{1, 0, 0, -1}, {0, 1, 1, 0}}, 2);
        assertTrue(c.imagRatio() > 0.5 && c.score() > 0.1, "imag " + c.imagRatio() + ", score " + c.score());
        // Two nearly parallel columns: the recovered What is ill-conditioned.
        double e = 1e-4, nn = Math.sqrt(1 + e * e);
        double[] what = {1, 1 / nn, 0, e / nn};
        double[][] mats = new double[3][4];
        double[][] coef = {{1, -2}, {0.5, 1.5}, {-1, 0.7}};
        for (int l = 0; l < 3; l++) for (int i = 0; i < 2; i++) for (int p = 0; p < 2; p++) for (int q = 0; q < 2; q++) {
            mats[l][p * 2 + q] += coef[l][i] * what[p * 2 + i] * what[q * 2 + i];
        }
        assertTrue(PairJennrich.decompose(mats, 2).condition() > 1e3);
    }
}
