package org.relulearn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.relulearn.data.MomentCheck.Quad;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.relulearn.algo.moments.Moments;

/**
 * Every input law's sample moments match its exact moments. Second moments come from a local
 * moment pass over 200,000 rows; fourth moments from a direct sampling loop over 10^6 rows. The
 * tolerances are a few standard errors computed from the exact higher moments (see
 * {@link MomentCheck}); the negative controls at the end show that the checks reject a wrong law.
 */
class DistributionMomentsTest {
    private static final long N2 = 200_000;
    private static final long N4 = 1_000_000;
    private static final double Z = 5;

    /** A 3 x 3 covariance with correlations of both signs. */
    static final double[] COV = {
        2.0, 0.5, 0.3,
        0.5, 1.0, -0.4,
        0.3, -0.4, 1.5};

    /** Rank 2: x_0 = x_1 exactly, so the Cholesky factor has a zero pivot. */
    static final double[] RANK_DEFICIENT_COV = {
        1, 1, 0,
        1, 1, 0,
        0, 0, 2};

    /** d = 3 x p = 4 mixing matrix for x = M z. */
    static final double[] MIX = {
        1.0, 0.5, 0.0, -0.3,
        0.0, 1.0, 0.7, 0.2,
        -0.6, 0.0, 0.4, 1.0};

    static InputDistribution mixedProduct() {
        return new ProductDistribution(new ScalarLaw[] {
            new ScalarLaw.Gaussian(1.0, 0.5), new ScalarLaw.Uniform(2), new ScalarLaw.Laplace(0.5),
            new ScalarLaw.Rademacher(), new ScalarLaw.Exponential(2), new ScalarLaw.StudentT(6)});
    }

    static InputDistribution linearMixing() {
        InputDistribution base = new ProductDistribution(new ScalarLaw[] {
            new ScalarLaw.Laplace(1), new ScalarLaw.Uniform(1.5), new ScalarLaw.Rademacher(),
            new ScalarLaw.SignedExponential(1)});
        return Distributions.mixed(MIX, 3, base);
    }

    static Stream<Arguments> laws() {
        return Stream.of(
                Arguments.of("gaussian", Distributions.parse("gaussian", 4), Z),
                Arguments.of("gaussian sd=2", Distributions.parse("gaussian:sd=2", 3), Z),
                Arguments.of("gaussian with covariance", Distributions.withCovariance(COV, 3), Z),
                Arguments.of("gaussian with rank-deficient covariance", Distributions.withCovariance(RANK_DEFICIENT_COV, 3), Z),
                Arguments.of("uniform cube a=2", Distributions.parse("uniform:a=2", 3), Z),
                Arguments.of("laplace b=1.5", Distributions.parse("laplace:b=1.5", 3), Z),
                // nu = 5: E x^4 is finite but x^2 has no finite variance of its own square, so the
                // sample mean of x^2 approaches normality slowly: a wider tolerance.
                Arguments.of("student-t nu=5", Distributions.parse("student-t:nu=5", 3), 8.0),
                Arguments.of("student-t nu=10", Distributions.parse("student-t:nu=10", 3), Z),
                Arguments.of("rademacher", Distributions.parse("rademacher", 4), Z),
                Arguments.of("signed exponential rate=2", Distributions.parse("signed-exponential:rate=2", 3), Z),
                Arguments.of("symmetric mixture", Distributions.parse("mixture:r=2,sigma=0.5", 3), Z),
                Arguments.of("xor clusters", Distributions.parse("xor:r=2,sigma=0.5", 3), Z),
                Arguments.of("shifted gaussian", Distributions.parse("shifted-gaussian:shift=0.7", 3), Z),
                Arguments.of("exponential rate=2", Distributions.parse("exponential:rate=2", 3), Z),
                Arguments.of("product of mixed laws", mixedProduct(), Z),
                Arguments.of("linear mixing x = M z", linearMixing(), Z));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("laws")
    void meanAndSecondMomentMatchTheExactValues(String name, InputDistribution dist, double z) {
        Moments mo = MomentCheck.pass(dist, N2, 20251121L);
        assertEquals(N2, mo.n());
        List<String> failures = MomentCheck.firstAndSecond(dist, mo, z);
        assertTrue(failures.isEmpty(), name + ": " + failures);
    }

    // ---- the exact values themselves, against closed forms written out here ----

    @Test
    void exactMomentsOfTheParsedLawsHaveTheirClosedForms() {
        InputDistribution lap = Distributions.parse("laplace:b=1.5", 2);
        assertEquals(2 * 1.5 * 1.5, lap.secondMoment()[0], 1e-12);
        assertEquals(0, lap.secondMoment()[1], 0);
        assertEquals(24 * Math.pow(1.5, 4), lap.fourthMoment(0, 0, 0, 0), 1e-9);
        assertEquals(Math.pow(2 * 1.5 * 1.5, 2), lap.fourthMoment(0, 1, 1, 0), 1e-12);
        assertEquals(0, lap.fourthMoment(0, 0, 0, 1), 0);

        InputDistribution uni = Distributions.parse("uniform:a=2", 1);
        assertEquals(4.0 / 3, uni.secondMoment()[0], 1e-12);
        assertEquals(16.0 / 5, uni.fourthMoment(0, 0, 0, 0), 1e-12);

        InputDistribution t = Distributions.parse("student-t:nu=5", 1);
        assertEquals(5.0 / 3, t.secondMoment()[0], 1e-12);
        assertEquals(3 * 25.0 / (3 * 1), t.fourthMoment(0, 0, 0, 0), 1e-12);
        assertEquals(Double.POSITIVE_INFINITY, Distributions.parse("student-t:nu=4", 1).fourthMoment(0, 0, 0, 0));

        InputDistribution sexp = Distributions.parse("signed-exponential:rate=2", 1);
        assertEquals(2.0 / 4, sexp.secondMoment()[0], 1e-15);
        assertEquals(24.0 / 16, sexp.fourthMoment(0, 0, 0, 0), 1e-15);

        InputDistribution exp = Distributions.parse("exponential:rate=2", 2);
        assertArrayEquals(new double[] {0.5, 0.5}, exp.mean(), 0);
        assertArrayEquals(new double[] {0.5, 0.25, 0.25, 0.5}, exp.secondMoment(), 1e-15);

        InputDistribution shifted = Distributions.parse("shifted-gaussian:shift=0.7", 2);
        assertArrayEquals(new double[] {0.7, 0.7}, shifted.mean(), 0);
        assertEquals(0.49 + 1, shifted.secondMoment()[0], 1e-15);
        assertEquals(Math.pow(0.7, 4) + 6 * 0.49 + 3, shifted.fourthMoment(1, 1, 1, 1), 1e-12);

        // mixture:r=2 in d=3: mu = (2/sqrt 3)(1,1,1), E xx^T = mu mu^T + sigma^2 I
        InputDistribution mix = Distributions.parse("mixture:r=2,sigma=0.5", 3);
        double mu2 = 4.0 / 3;
        assertEquals(mu2 + 0.25, mix.secondMoment()[0], 1e-12);
        assertEquals(mu2, mix.secondMoment()[1], 1e-12);
        // E x_0^4 for s mu_0 + sigma z: mu^4 + 6 mu^2 sigma^2 + 3 sigma^4
        assertEquals(mu2 * mu2 + 6 * mu2 * 0.25 + 3 * 0.0625, mix.fourthMoment(0, 0, 0, 0), 1e-12);
    }

    @Test
    void covarianceLawHasTheRequestedCovarianceAndIsserlisFourthMoments() {
        InputDistribution g = Distributions.withCovariance(COV, 3);
        assertArrayEquals(COV, g.secondMoment(), 1e-12);
        assertArrayEquals(new double[3], g.mean(), 0);
        assertTrue(g.symmetric());
        // Isserlis: E[x_i x_j x_k x_l] = C_ij C_kl + C_ik C_jl + C_il C_jk
        for (int[] q : new int[][] {{0, 0, 0, 0}, {0, 0, 1, 1}, {0, 1, 2, 2}, {1, 2, 1, 2}, {0, 1, 1, 1}}) {
            int i = q[0], j = q[1], k = q[2], l = q[3];
            double isserlis = COV[i * 3 + j] * COV[k * 3 + l] + COV[i * 3 + k] * COV[j * 3 + l] + COV[i * 3 + l] * COV[j * 3 + k];
            assertEquals(isserlis, g.fourthMoment(i, j, k, l), 1e-12, "E[x" + i + " x" + j + " x" + k + " x" + l + "]");
        }
        assertArrayEquals(RANK_DEFICIENT_COV, Distributions.withCovariance(RANK_DEFICIENT_COV, 3).secondMoment(), 1e-12);
    }

    @Test
    void invalidCovariancesAreRefused() {
        // NaN on the diagonal used to give an all-zero factor, i.e. x = 0, without any error.
        assertThrows(IllegalArgumentException.class, () -> Distributions.withCovariance(new double[] {Double.NaN, 0, 0, 1}, 2));
        IllegalArgumentException asym = assertThrows(IllegalArgumentException.class,
                () -> Distributions.withCovariance(new double[] {1, 0.5, 0.2, 1}, 2));
        assertTrue(asym.getMessage().contains("(1,0)") && asym.getMessage().contains("symmetric"), asym.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Distributions.withCovariance(new double[] {1, 2, 2, 1}, 2),
                "indefinite");
        assertThrows(IllegalArgumentException.class, () -> Distributions.withCovariance(new double[] {1, 0, 0}, 2));
        assertThrows(IllegalArgumentException.class, () -> Distributions.parse("student-t:nu=0", 2));
        assertThrows(IllegalArgumentException.class, () -> Distributions.parse("gaussian:mean=1", 2));
        assertThrows(IllegalArgumentException.class, () -> Distributions.parse("nosuch", 2));
    }

    @Test
    void rankDeficientCovarianceGivesExactlyCollinearCoordinates() {
        InputDistribution g = Distributions.withCovariance(RANK_DEFICIENT_COV, 3);
        double[] row = new double[3];
        double[] scratch = new double[g.scratchSize()];
        CounterRng rng = new CounterRng();
        for (int r = 0; r < 1000; r++) {
            g.sampleRow(rng.reset(5, 0, r), row, 0, scratch);
            assertEquals(row[0], row[1], 0, "row " + r);
        }
    }

    // ---- fourth moments by direct sampling, with exact standard errors where the 8th moment is known ----

    @Test
    void fourthMomentsOfProductLaws() {
        ScalarLaw[] laws = {
            new ScalarLaw.Gaussian(0, 1), new ScalarLaw.Uniform(2), new ScalarLaw.Laplace(1.5),
            new ScalarLaw.StudentT(10), new ScalarLaw.Rademacher(), new ScalarLaw.SignedExponential(2)};
        for (ScalarLaw law : laws) {
            InputDistribution dist = ProductDistribution.iid(law, 2);
            List<String> failures = MomentCheck.fourth(dist, dist, N4, 77, Z,
                    Quad.of(0, 0, 0, 0, MomentCheck.varianceOfFourthPower(law)),
                    Quad.of(1, 1, 1, 1, MomentCheck.varianceOfFourthPower(law)),
                    Quad.of(0, 0, 1, 1, MomentCheck.varianceOfSquareProduct(law, law)));
            assertTrue(failures.isEmpty(), law.describe() + ": " + failures);
        }
    }

    @Test
    void fourthMomentsOfMixedProductCovarianceMixtureAndMixing() {
        // Independent coordinates: exact variances from the scalar laws' 4th and 8th moments.
        InputDistribution product = new ProductDistribution(new ScalarLaw[] {
            new ScalarLaw.Uniform(2), new ScalarLaw.Laplace(0.5), new ScalarLaw.Rademacher()});
        assertNoFailures("mixed product", MomentCheck.fourth(product, product, N4, 78, Z,
                Quad.of(0, 0, 0, 0, MomentCheck.varianceOfFourthPower(new ScalarLaw.Uniform(2))),
                Quad.of(0, 0, 1, 1, MomentCheck.varianceOfSquareProduct(new ScalarLaw.Uniform(2), new ScalarLaw.Laplace(0.5))),
                Quad.of(1, 1, 2, 2, MomentCheck.varianceOfSquareProduct(new ScalarLaw.Laplace(0.5), new ScalarLaw.Rademacher()))));

        // Correlated or mixed laws do not report 8th moments: the variance of each product comes
        // from an independent sample (see varianceBound).
        for (InputDistribution dist : new InputDistribution[] {
                Distributions.withCovariance(COV, 3), Distributions.parse("mixture:r=2,sigma=0.5", 3),
                Distributions.parse("xor:r=2,sigma=0.5", 3), linearMixing()}) {
            Quad[] quads = {
                Quad.of(0, 0, 0, 0, varianceBound(dist, 0, 0, 0, 0)),
                Quad.of(0, 0, 1, 1, varianceBound(dist, 0, 0, 1, 1)),
                Quad.of(0, 1, 2, 2, varianceBound(dist, 0, 1, 2, 2))};
            assertNoFailures(dist.describe(), MomentCheck.fourth(dist, dist, N4, 79, Z, quads));
        }
    }

    /**
     * Var(x_i x_j x_k x_l) for laws whose 8th moments are not reported: the sample variance of the
     * product over an independent stream of 10^6 rows, doubled as a safety margin (the laws here are
     * Gaussian-based or bounded mixtures, whose 8th moments are finite and moderate).
     */
    private static double varianceBound(InputDistribution dist, int i, int j, int k, int l) {
        int d = dist.dimension();
        double[] row = new double[d];
        double[] scratch = new double[dist.scratchSize()];
        CounterRng rng = new CounterRng();
        double s = 0, s2 = 0;
        int n = 200_000;
        for (int r = 0; r < n; r++) {
            dist.sampleRow(rng.reset(1234, 99, r), row, 0, scratch);
            double p = row[i] * row[j] * row[k] * row[l];
            s += p;
            s2 += p * p;
        }
        double mean = s / n;
        return 2 * (s2 / n - mean * mean);
    }

    private static void assertNoFailures(String what, List<String> failures) {
        assertTrue(failures.isEmpty(), what + ": " + failures);
    }

    // ---- properties beyond moments ----

    @Test
    void symmetryFlags() {
        for (String s : new String[] {"gaussian", "uniform", "laplace", "student-t", "rademacher", "signed-exponential",
                "mixture", "xor"}) {
            assertTrue(Distributions.parse(s, 3).symmetric(), s);
        }
        assertFalse(Distributions.parse("shifted-gaussian", 3).symmetric());
        assertFalse(Distributions.parse("exponential", 3).symmetric());
        assertFalse(mixedProduct().symmetric(), "a product with one non-symmetric coordinate is not symmetric");
        assertTrue(linearMixing().symmetric(), "M z with symmetric z is symmetric");
        assertFalse(Distributions.mixed(MIX, 3, Distributions.parse("exponential", 4)).symmetric());
    }

    @Test
    void nonSymmetricLawsHaveTheirNonZeroMeans() {
        Moments shifted = MomentCheck.pass(Distributions.parse("shifted-gaussian:shift=0.7", 3), N2, 3);
        Moments exp = MomentCheck.pass(Distributions.parse("exponential:rate=2", 3), N2, 3);
        for (int j = 0; j < 3; j++) {
            assertEquals(0.7, shifted.meanX()[j], Z * Math.sqrt(1.0 / N2));
            assertEquals(0.5, exp.meanX()[j], Z * Math.sqrt(0.25 / N2));
        }
    }

    @Test
    void xorClustersHaveBalancedClassesTiedToTheirCentres() {
        int d = 3;
        double r = 2, sigma = 0.5;
        XorClusters xor = XorClusters.standard(d, r, sigma);
        SyntheticSource src = new SyntheticSource(xor, null, null, N2, 11, 0, 1000);
        assertEquals(1, src.m(), "the class is the label");
        SyntheticSource.Workspace ws = src.newWorkspace();
        Block buf = src.newBlock();
        long plus = 0;
        double yx0sq = 0, yx1sq = 0, yx0 = 0;
        for (long b = 0; b < src.numBlocks(); b++) {
            src.fill(b, buf, ws);
            for (int i = 0; i < buf.rows(); i++) {
                double y = buf.y()[i];
                assertTrue(y == 1 || y == -1, "class label " + y);
                if (y > 0) plus++;
                double x0 = buf.x()[i * d], x1 = buf.x()[i * d + 1];
                yx0sq += y * x0 * x0;
                yx1sq += y * x1 * x1;
                yx0 += y * x0;
            }
        }
        // balanced: P(class +1) = 1/2 within 5 standard errors sqrt(1/4N)
        assertEquals(0.5, plus / (double) N2, Z * Math.sqrt(0.25 / N2));
        // class +1 sits at +-r e1, class -1 at +-r e2: E[y x_0^2] = r^2/2, E[y x_1^2] = -r^2/2, E[y x] = 0.
        // Var(y x_0^2) = E x_0^4 - (r^2/2)^2 with E x_0^4 = (r^4 + 6 r^2 s^2 + 3 s^4 + 3 s^4)/2.
        double ex04 = 0.5 * (Math.pow(r, 4) + 6 * r * r * sigma * sigma + 3 * Math.pow(sigma, 4)) + 0.5 * 3 * Math.pow(sigma, 4);
        double tol = Z * Math.sqrt((ex04 - r * r * r * r / 4) / N2);
        assertEquals(r * r / 2, yx0sq / N2, tol);
        assertEquals(-r * r / 2, yx1sq / N2, tol);
        assertEquals(0, yx0 / N2, Z * Math.sqrt(xor.secondMoment()[0] / N2));
        assertEquals(ex04, xor.fourthMoment(0, 0, 0, 0), 1e-12);
    }

    // ---- negative controls: the checks reject wrong generators ----

    @Test
    void secondMomentCheckRejectsAScaleErrorOfFivePercent() {
        Moments wrong = MomentCheck.pass(Distributions.parse("uniform:a=1.05", 3), N2, 1);
        assertFalse(MomentCheck.firstAndSecond(Distributions.parse("uniform:a=1", 3), wrong, Z).isEmpty());
        Moments shifted = MomentCheck.pass(Distributions.parse("shifted-gaussian:shift=0.02", 3), N2, 1);
        assertFalse(MomentCheck.firstAndSecond(Distributions.parse("gaussian", 3), shifted, Z).isEmpty(),
                "a mean of 0.02 (9 standard errors) must be detected");
    }

    @Test
    void fourthMomentCheckRejectsALawWithTheRightVarianceButTheWrongShape() {
        // Laplace(1/sqrt 2) has variance 1 like N(0, 1), so second moments cannot tell them apart;
        // E x^4 is 6 against 3.
        InputDistribution laplace = ProductDistribution.iid(new ScalarLaw.Laplace(Math.sqrt(0.5)), 2);
        InputDistribution gauss = ProductDistribution.iid(new ScalarLaw.Gaussian(0, 1), 2);
        assertTrue(MomentCheck.firstAndSecond(gauss, MomentCheck.pass(laplace, N2, 2), Z).isEmpty());
        assertFalse(MomentCheck.fourth(laplace, gauss, N4 / 4, 2, Z,
                Quad.of(0, 0, 0, 0, MomentCheck.varianceOfFourthPower(new ScalarLaw.Gaussian(0, 1)))).isEmpty());
        // Student-t(10) against the Gaussian of the same variance 10/8: E x^4 is 6.25 against 4.69.
        InputDistribution t10 = ProductDistribution.iid(new ScalarLaw.StudentT(10), 1);
        InputDistribution g10 = ProductDistribution.iid(new ScalarLaw.Gaussian(0, Math.sqrt(10.0 / 8)), 1);
        assertFalse(MomentCheck.fourth(t10, g10, N4 / 4, 3, Z,
                Quad.of(0, 0, 0, 0, MomentCheck.varianceOfFourthPower(new ScalarLaw.Gaussian(0, Math.sqrt(10.0 / 8))))).isEmpty());
    }
}
