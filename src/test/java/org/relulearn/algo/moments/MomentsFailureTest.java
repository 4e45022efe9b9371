package org.relulearn.algo.moments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.relulearn.data.AdditiveNoise;
import org.relulearn.data.Block;
import org.relulearn.data.CounterRng;
import org.relulearn.data.Distributions;
import org.relulearn.data.InputDistribution;
import org.relulearn.data.OneHiddenLayerNetwork;
import org.relulearn.data.SyntheticSource;
import org.relulearn.data.Teachers;
import org.relulearn.engine.InMemoryData;
import org.relulearn.engine.LocalPassRunner;
import org.relulearn.engine.SyntheticData;

/** Failure detection and input checks: each failure stops the fit with its own certificate. */
class MomentsFailureTest {

    /** x = s e with one random sign s and e_j i.i.d. Exp(1): symmetric, but concentrated near a line. */
    static final class SignTimesExponential implements InputDistribution {
        private static final long serialVersionUID = 1L;
        private final int d;

        SignTimesExponential(int d) { this.d = d; }

        public int dimension() { return d; }

        public void sampleRow(CounterRng rng, double[] out, int off, double[] scratch) {
            double s = rng.nextSign();
            for (int j = 0; j < d; j++) out[off + j] = -s * Math.log(rng.nextOpenDouble());
        }

        public double[] mean() { return new double[d]; }

        public double[] secondMoment() {
            double[] m = new double[d * d];
            for (int i = 0; i < d; i++) for (int j = 0; j < d; j++) m[i * d + j] = i == j ? 2 : 1;
            return m;
        }

        public double fourthMoment(int i, int j, int k, int l) { throw new UnsupportedOperationException(); }

        public boolean symmetric() { return true; }

        public String describe() { return "sign x exponential"; }
    }

    /** x_j = e_j - 1 with e_j i.i.d. Exp(1): zero mean, but skewed (E x_j^3 = 2), so not symmetric. */
    static final class CentredExponential implements InputDistribution {
        private static final long serialVersionUID = 1L;
        private final int d;

        CentredExponential(int d) { this.d = d; }

        public int dimension() { return d; }

        public void sampleRow(CounterRng rng, double[] out, int off, double[] scratch) {
            for (int j = 0; j < d; j++) out[off + j] = -Math.log(rng.nextOpenDouble()) - 1;
        }

        public double[] mean() { return new double[d]; }

        public double[] secondMoment() {
            double[] m = new double[d * d];
            for (int i = 0; i < d; i++) m[i * d + i] = 1;
            return m;
        }

        public double fourthMoment(int i, int j, int k, int l) { throw new UnsupportedOperationException(); }

        public boolean symmetric() { return false; }

        public String describe() { return "centred exponential"; }
    }

    private static SyntheticData data(InputDistribution law, int d, int k, int l, long n) {
        OneHiddenLayerNetwork t = Teachers.randomNetwork(d, k, l, 1, false, 0, 0);
        return new SyntheticData(new SyntheticSource(law, t, AdditiveNoise.isotropic(l, 0.1), n, 1, 0, 4096));
    }

    private static MomentsCertificateException.Check failure(SyntheticData data, MomentsOptions o) {
        return assertThrows(MomentsCertificateException.class, () -> MomentsTrainer.fit(new LocalPassRunner(2), data, o)).check();
    }

    @Test
    void shiftedGaussianInputRaisesTheSymmetryError() {
        assertEquals(MomentsCertificateException.Check.SYMMETRY,
                failure(data(Distributions.parse("shifted-gaussian:shift=0.5", 10), 10, 5, 8, 100_000), MomentsOptions.defaults().withK(5)));
    }

    /**
     * A numpy reference simulation of the method fails on this law (eW 0.87-0.98, null gap 1.8). Here,
     * at d=10, k=5, l=8, N=1e6, seeds 1-3 measured eW = 0.280 / 0.015 / 0.043 with null gaps
     * 1.81 / 2.52 / 1.93 and held-out errors far below the linear fit's, so no certificate fails.
     * What must hold is "never silent": every outcome is a certificate failure, a result carrying the
     * null-gap warning, or an accurate result.
     */
    @Test
    void nearDegenerateSignTimesExponentialInputIsNeverReturnedSilently() {
        int d = 10, k = 5, l = 8;
        for (long seed = 1; seed <= 3; seed++) {
            OneHiddenLayerNetwork t = Teachers.randomNetwork(d, k, l, seed, false, 0, 0);
            SyntheticSource src = new SyntheticSource(new SignTimesExponential(d), t, AdditiveNoise.isotropic(l, 0.1), 1_000_000, seed, 0, 4096);
            try {
                MomentsResult r = MomentsTrainer.fit(new LocalPassRunner(2), new SyntheticData(src),
                        new SyntheticData(src.withStream(1).withNumRows(100_000)), MomentsOptions.defaults().withK(k));
                double ew = Recovery.of(r.a(), r.w(), t.outputWeights(), t.weights(), l, k, d).eW();
                boolean warned = r.messages().stream().anyMatch(m -> m.contains("null gap"));
                assertTrue(warned || ew <= 0.1, "seed " + seed + ": eW = " + ew + " returned without a warning: " + r.messages());
            } catch (MomentsCertificateException e) {
                assertTrue(List.of(MomentsCertificateException.Check.NULL_GAP, MomentsCertificateException.Check.POSITIVE_DEFINITE,
                        MomentsCertificateException.Check.HELD_OUT_FIT).contains(e.check()), "stopped by " + e.check());
            }
        }
    }

    @Test
    void zeroMeanButSkewedInputRaisesTheThirdMomentSymmetryError() {
        MomentsCertificateException e = assertThrows(MomentsCertificateException.class, () -> MomentsTrainer.fit(
                new LocalPassRunner(2), data(new CentredExponential(8), 8, 3, 6, 200_000), MomentsOptions.defaults().withK(3)));
        assertEquals(MomentsCertificateException.Check.SYMMETRY, e.check());
        assertTrue(e.getMessage().contains("third moment"), e.getMessage());
    }

    @Test
    void symmetricInputsPassTheThirdMomentCheckWithASmallStatistic() throws Exception {
        for (String law : List.of("gaussian", "laplace", "uniform")) {
            MomentsResult r = MomentsTrainer.fit(new LocalPassRunner(2), data(Distributions.parse(law, 8), 8, 3, 6, 200_000),
                    MomentsOptions.defaults().withK(3));
            assertTrue(r.skewness() < 0.05, law + ": skewness " + r.skewness());
            assertTrue(Double.isNaN(r.maxImaginary()), "whitened variant reports no imaginary part");
        }
        MomentsResult p = MomentsTrainer.fit(new LocalPassRunner(2), data(Distributions.parse("gaussian", 8), 8, 3, 6, 200_000),
                MomentsOptions.defaults().withK(3).withDiagonaliser(MomentsOptions.Diagonaliser.PAPER));
        assertTrue(p.maxImaginary() >= 0 && p.maxImaginary() <= 1, "paper variant reports max |Im|: " + p.maxImaginary());
    }

    @Test
    void tooLargeAKAndAWrongKAreRefused() {
        SyntheticData dat = data(Distributions.parse("gaussian", 8), 8, 3, 6, 20_000);
        assertEquals(MomentsCertificateException.Check.INPUT, failure(dat, MomentsOptions.defaults().withK(7)));
        assertEquals(MomentsCertificateException.Check.SINGULAR_GAP, failure(dat, MomentsOptions.defaults().withK(4)));
    }

    @Test
    void nonFiniteInputIsRefused() {
        Block b = Block.wrap(2, 2, 3, 0, new double[] {1, 2, -1, -2, Double.NaN, 0}, new double[] {1, 0, 0, 1, 1, 1});
        MomentsCertificateException e = assertThrows(MomentsCertificateException.class,
                () -> MomentsTrainer.fit(new LocalPassRunner(), new InMemoryData(2, 2, List.of(b)), MomentsOptions.defaults().withK(1)));
        assertEquals(MomentsCertificateException.Check.INPUT, e.check());
    }

    @Test
    void theDefaultKIsTheGapOfB() {
        MomentsResult r = MomentsTrainer.fit(new LocalPassRunner(2), data(Distributions.parse("gaussian", 8), 8, 3, 6, 200_000),
                MomentsOptions.defaults());
        assertEquals(3, r.k());
        assertTrue(r.messages().get(0).startsWith("k = 3 chosen"), r.messages().toString());
    }
}
