package org.relulearn.data;

import java.util.ArrayList;
import java.util.List;
import org.relulearn.algo.moments.MomentAggregator;
import org.relulearn.algo.moments.Moments;
import org.relulearn.engine.LocalPassRunner;
import org.relulearn.engine.SyntheticData;

/**
 * Statistical checks of a generator against exact moments. Every tolerance is z standard errors of
 * the sample mean being checked, sqrt(Var/N), with the variance taken from the exact moments of
 * the law (never from the sample), so a generator with the wrong law cannot widen its own
 * tolerance. Each check returns the list of failures (empty = pass), so a test can also assert that
 * a deliberately wrong generator is rejected.
 */
final class MomentCheck {
    private MomentCheck() {}

    /** Rounding slack added to every tolerance (a degenerate entry has zero variance). */
    private static final double SLACK = 1e-12;

    /** E[x], E[x x^T] (and E[y], E[y x^T], ...) of n rows of {@code dist} by one local moment pass. */
    static Moments pass(InputDistribution dist, long n, long seed) {
        SyntheticSource src = new SyntheticSource(dist, null, null, n, seed, 0, 4096);
        int d = src.d(), m = src.m();
        return new LocalPassRunner(2).aggregate(new SyntheticData(src), () -> new MomentAggregator(d, m), "test").result();
    }

    /**
     * Compares the sample mean and second moment with the exact ones of {@code claimed}:
     * |mean_i - E x_i| <= z sqrt(Var x_i / n) and |S_ij - E x_i x_j| <= z sqrt(Var(x_i x_j) / n),
     * Var(x_i x_j) = E[x_i^2 x_j^2] - E[x_i x_j]^2 from the exact fourth moments.
     */
    static List<String> firstAndSecond(InputDistribution claimed, Moments mo, double z) {
        int d = claimed.dimension();
        double n = mo.n();
        double[] mean = claimed.mean(), second = claimed.secondMoment();
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < d; i++) {
            double var = second[i * d + i] - mean[i] * mean[i];
            double tol = z * Math.sqrt(var / n) + SLACK;
            if (!(Math.abs(mo.meanX()[i] - mean[i]) <= tol)) {
                failures.add(String.format("E[x_%d]: sample %.6g, exact %.6g, tolerance %.3g", i, mo.meanX()[i], mean[i], tol));
            }
        }
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                double exact = second[i * d + j];
                double var = claimed.fourthMoment(i, j, i, j) - exact * exact;
                double tol = z * Math.sqrt(Math.max(var, 0) / n) + SLACK;
                double got = mo.secondX()[i * d + j];
                if (!(Math.abs(got - exact) <= tol)) {
                    failures.add(String.format("E[x_%d x_%d]: sample %.6g, exact %.6g, tolerance %.3g", i, j, got, exact, tol));
                }
            }
        }
        return failures;
    }

    /** A product x_i x_j x_k x_l to check, with the exact variance of that product (its 8th moment). */
    record Quad(int i, int j, int k, int l, double variance) {
        static Quad of(int i, int j, int k, int l, double variance) { return new Quad(i, j, k, l, variance); }
    }

    /**
     * Draws n rows of {@code sampled} directly (one {@link CounterRng} positioned per row, as the
     * source does) and compares each sample mean of x_i x_j x_k x_l with the exact fourth moment of
     * {@code claimed}, within z sqrt(variance / n).
     */
    static List<String> fourth(InputDistribution sampled, InputDistribution claimed, long n, long seed, double z, Quad... quads) {
        int d = sampled.dimension();
        double[] row = new double[d];
        double[] scratch = new double[sampled.scratchSize()];
        double[] sums = new double[quads.length];
        CounterRng rng = new CounterRng();
        for (long r = 0; r < n; r++) {
            rng.reset(seed, 0, r);
            sampled.sampleRow(rng, row, 0, scratch);
            for (int q = 0; q < quads.length; q++) {
                Quad t = quads[q];
                sums[q] += row[t.i] * row[t.j] * row[t.k] * row[t.l];
            }
        }
        List<String> failures = new ArrayList<>();
        for (int q = 0; q < quads.length; q++) {
            Quad t = quads[q];
            double got = sums[q] / n;
            double exact = claimed.fourthMoment(t.i, t.j, t.k, t.l);
            double tol = z * Math.sqrt(t.variance / n) + SLACK;
            if (!(Math.abs(got - exact) <= tol)) {
                failures.add(String.format("E[x_%d x_%d x_%d x_%d]: sample %.6g, exact %.6g, tolerance %.3g",
                        t.i, t.j, t.k, t.l, got, exact, tol));
            }
        }
        return failures;
    }

    /** E[z^8] of the scalar laws with a finite eighth moment (for the variance of z^4). */
    static double eighthMoment(ScalarLaw law) {
        if (law instanceof ScalarLaw.Gaussian g && g.mean() == 0) return 105 * Math.pow(g.sd(), 8);
        if (law instanceof ScalarLaw.Uniform u) return Math.pow(u.halfWidth(), 8) / 9;
        if (law instanceof ScalarLaw.Laplace l) return 40320 * Math.pow(l.scale(), 8);
        if (law instanceof ScalarLaw.Rademacher) return 1;
        if (law instanceof ScalarLaw.SignedExponential e) return 40320 / Math.pow(e.rate(), 8);
        if (law instanceof ScalarLaw.StudentT t && t.nu() > 8) {
            // E[t^(2k)] = nu^k prod_{i=1..k} (2i-1)/(nu-2i)
            double nu = t.nu(), m = 1;
            for (int i = 1; i <= 4; i++) m *= nu * (2 * i - 1) / (nu - 2 * i);
            return m;
        }
        throw new IllegalArgumentException("no eighth moment for " + law.describe());
    }

    /** Var(z^4) = E z^8 - (E z^4)^2 for one coordinate law. */
    static double varianceOfFourthPower(ScalarLaw law) {
        double m4 = law.moment(4);
        return eighthMoment(law) - m4 * m4;
    }

    /** Var(z_i^2 z_j^2) = E z_i^4 E z_j^4 - (E z_i^2 E z_j^2)^2 for independent coordinates. */
    static double varianceOfSquareProduct(ScalarLaw a, ScalarLaw b) {
        double m = a.moment(2) * b.moment(2);
        return a.moment(4) * b.moment(4) - m * m;
    }
}
