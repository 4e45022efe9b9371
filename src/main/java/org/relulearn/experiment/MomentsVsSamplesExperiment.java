package org.relulearn.experiment;

import java.util.ArrayList;
import java.util.List;
import org.relulearn.algo.moments.MomentsCertificateException;
import org.relulearn.algo.moments.MomentsOptions;
import org.relulearn.algo.moments.MomentsResult;
import org.relulearn.algo.moments.MomentsTrainer;
import org.relulearn.algo.moments.Recovery;
import org.relulearn.data.AdditiveNoise;
import org.relulearn.data.Distributions;
import org.relulearn.data.OneHiddenLayerNetwork;
import org.relulearn.data.SyntheticSource;
import org.relulearn.data.Teachers;
import org.relulearn.engine.PassRunner;
import org.relulearn.engine.SyntheticData;
import org.relulearn.report.ExperimentReport;
import org.relulearn.report.Figure;
import org.relulearn.report.ResultTable;

/**
 * docs/moments.md, Reference values: errors eW and eA (canonical form, Hungarian matching) of the method of
 * moments against the number of samples N for several symmetric input laws, with every fit's
 * certificates, beside the N^-1/2 line and the reference values at N = 1e6. N runs over
 * decades from {@code minN} to {@code maxN}; --scale multiplies maxN (1e6 -> up to 1e9). Each fit is
 * three distributed passes plus a held-out evaluation.
 *
 * <p>The rate check compares two sample sizes, N_lo = the smallest N of the ladder at or above the
 * regime bound 100 k^2 d^2 (the one below the largest if none is) and N_hi = the largest N, each fitted
 * on {@code instances} independent data seeds (seed, seed + 1, ...; the teacher stays fixed). The slope
 * is taken between the geometric means ({@link RateSlope}): a single instance per N gives a one-decade
 * slope with a spread of about 0.2, as wide as the check's +-50% band, so one fit per N can fail the
 * check by chance (docs/experiments-moments-floor.md: 2 of 8 data seeds do from 1e6 to 1e7; the
 * Gaussian's -0.23 at scale 10 was exaggerated by a low 1e7 fit, though over 7 seeds the rate to 1e8
 * is still about -0.35).
 */
public final class MomentsVsSamplesExperiment implements Experiment {
    public static final String NAME = "moments-vs-n";

    /** Reference eW (docs/moments.md, Reference values) at d = 20, k = 4, l = 6, N = 1e6 (whitened variant, full x). */
    static final String[] LAWS = {"gaussian", "uniform:a=1.7320508075688772", "laplace:b=0.7071067811865476", "mixture:r=1.5,sigma=0.8"};
    static final String[] LABELS = {"gaussian", "uniform (unit var)", "laplace (unit var)", "mixture"};
    static final double[] REF_EW_1E6 = {0.011, 0.018, Double.NaN, 0.018};

    /**
     * @param instances data seeds fitted at N_lo and N_hi of the rate check (1 = one fit per N); every
     *                  other N is fitted once
     */
    public record Settings(List<Integer> laws, int d, int k, int l, double noise, long minN, long maxN, long seed, int instances) {
        public Settings {
            if (instances < 1) throw new IllegalArgumentException("instances must be >= 1, got " + instances);
        }
    }

    private final Settings s;

    public MomentsVsSamplesExperiment(Settings s) { this.s = s; }

    public static MomentsVsSamplesExperiment forScale(double scale) {
        // Up to 1e7 so that the last decade lies past the fit's own regime bound N >> 100 k^2 d^2 = 6.4e5:
        // a slope measured across that bound (1e5 to 1e6) mixes the pre-asymptotic bias into the rate.
        // Three instances at both ends of the rate check: the slope's standard error drops from about 0.2
        // to about 0.12 per decade, for about 3 times the single-instance rows (3.3e7 instead of 1.1e7 per law).
        return new MomentsVsSamplesExperiment(new Settings(List.of(0, 1, 2, 3), 20, 4, 6, 0.1, 10_000,
                Math.round(10_000_000 * scale), 1, 3));
    }

    @Override public String name() { return NAME; }

    @Override public String summary() {
        return "method-of-moments errors of W and A against N for several symmetric inputs, with the N^-1/2 line and certificates";
    }

    @Override
    public ExperimentReport run(PassRunner runner) {
        long t0 = System.nanoTime();
        ExperimentReport rep = new ExperimentReport(NAME, "Method of moments: error of W and A against the number of samples");
        rep.setting("d, k, l", s.d() + ", " + s.k() + ", " + s.l()).setting("noise sd", s.noise())
                .setting("N", s.minN() + " .. " + s.maxN() + " (decades)").setting("teacher", "A, W i.i.d. N(0,1), seed " + s.seed())
                .setting("diagonalisation", "whitened (the default), k given").setting("held-out rows", "100000 (independent stream)");
        List<Long> ns = new ArrayList<>();
        for (long n = s.minN(); n <= s.maxN(); n *= 10) ns.add(n);
        long regimeBound = 100L * s.k() * s.k() * s.d() * s.d();
        int last = ns.size() - 1;
        int lo = last - 1;
        for (int i = 0; i < last; i++) {
            if (ns.get(i) >= regimeBound) {
                lo = i;
                break;
            }
        }
        if (last >= 1) {
            rep.setting("instances", s.instances() + " data seeds (" + s.seed() + ".." + (s.seed() + s.instances() - 1) + ") at N = "
                    + ns.get(lo) + " and " + ns.get(last) + ", one elsewhere");
        }
        ResultTable table = new ResultTable("errors", "distribution", "N", "data_seed", "eW", "eA", "null_gap", "skewness", "held_out_error",
                "held_out_linear", "outcome", "seconds");
        Figure fw = new Figure("eW-vs-N", "Error of W against N", "samples N", "eW = ||W_hat - W||_F / ||W||_F").logX().logY();
        Figure fa = new Figure("eA-vs-N", "Error of A against N", "samples N", "eA").logX().logY();
        OneHiddenLayerNetwork teacher = Teachers.randomNetwork(s.d(), s.k(), s.l(), s.seed(), false, 0, 0);
        double[] anchor = null;
        for (int li : s.laws()) {
            String law = LAWS[li];
            double[] x = new double[ns.size()], ew = new double[ns.size()], ea = new double[ns.size()];
            double[][] ewAll = new double[ns.size()][];
            for (int i = 0; i < ns.size(); i++) {
                long n = ns.get(i);
                x[i] = n;
                int m = i == lo || i == last ? s.instances() : 1;
                ewAll[i] = new double[m];
                double[] eaAll = new double[m];
                for (int j = 0; j < m; j++) {
                    // Only the data seed changes between instances: the teacher is the one of s.seed().
                    long dataSeed = s.seed() + j;
                    SyntheticSource src = new SyntheticSource(Distributions.parse(law, s.d()), teacher,
                            AdditiveNoise.isotropic(s.l(), s.noise()), n, dataSeed, 0, 4096);
                    SyntheticData held = new SyntheticData(src.withStream(1).withNumRows(100_000));
                    long t = System.nanoTime();
                    try {
                        MomentsResult r = MomentsTrainer.fit(runner, new SyntheticData(src), held, MomentsOptions.defaults().withK(s.k()));
                        Recovery rec = Recovery.of(r.a(), r.w(), teacher.outputWeights(), teacher.weights(), s.l(), s.k(), s.d());
                        ewAll[i][j] = rec.eW();
                        eaAll[j] = rec.eA();
                        table.add(law, n, dataSeed, rec.eW(), rec.eA(), r.nullGap(), r.skewness(), r.heldOutError(), r.heldOutErrorLinear(),
                                r.messages().stream().anyMatch(msg -> msg.startsWith("warning")) ? "fit, with warnings" : "fit",
                                (System.nanoTime() - t) / 1e9);
                    } catch (MomentsCertificateException e) {
                        ewAll[i][j] = Double.NaN;
                        eaAll[j] = Double.NaN;
                        table.add(law, n, dataSeed, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                                "refused: " + e.check(), (System.nanoTime() - t) / 1e9);
                    }
                }
                // A refused instance makes the point missing rather than silently averaging the others.
                ew[i] = allFinite(ewAll[i]) ? RateSlope.geometricMean(ewAll[i]) : Double.NaN;
                ea[i] = allFinite(eaAll) ? RateSlope.geometricMean(eaAll) : Double.NaN;
            }
            fw.measured(LABELS[li], x, ew);
            fa.measured(LABELS[li], x, ea);
            if (anchor == null && Double.isFinite(ew[ew.length - 1])) anchor = new double[] {x[x.length - 1], ew[ew.length - 1]};
            int i6 = ns.indexOf(1_000_000L);
            if (i6 >= 0 && Double.isFinite(REF_EW_1E6[li])) {
                double[] e6 = ewAll[i6];
                double median = allFinite(e6) ? median(e6) : Double.NaN;
                rep.checkAtMost(law + ": eW at N=1e6 (" + (e6.length == 1 ? "one instance" : "median of " + e6.length + " instances") + ")",
                        2.5 * REF_EW_1E6[li], median, "2.5 x the reference median of 4 instances, " + REF_EW_1E6[li]);
            }
            if (last >= 1 && Double.isFinite(ew[last]) && Double.isFinite(ew[lo])) {
                RateSlope rs = RateSlope.of(x[lo], ewAll[lo], x[last], ewAll[last]);
                // The band is +-50% of -1/2, widened to three standard errors when the instances spread
                // more than that allows; with one instance per end the slope is indicative only.
                double tol = Double.isFinite(rs.se()) ? Math.max(0.5, 3 * rs.se() / 0.5) : 0.5;
                String basis = rs.mHi() == 1 ? "one instance per N, indicative only: its spread is about 0.2 per decade"
                        : String.format(java.util.Locale.ROOT, "geometric means of %d instances, standard error %.3f", rs.mHi(), rs.se());
                rep.checkRelative(String.format(java.util.Locale.ROOT, "%s: slope of log eW against log N from %.0e to %.0e", law, x[lo], x[last]),
                        -0.5, rs.slope(), tol, "N^-1/2 once N >> 100 k^2 d^2; " + basis);
            }
        }
        if (anchor != null) {
            double[] line = new double[ns.size()], xs = new double[ns.size()];
            for (int i = 0; i < xs.length; i++) {
                xs[i] = ns.get(i);
                line[i] = anchor[1] * Math.sqrt(anchor[0] / xs[i]);
            }
            fw.theory("N^-1/2 through the largest-N point", xs, line);
        }
        fw.caption("Markers: one fit per (law, N), the geometric mean of " + s.instances() + " data seeds at the two N of the rate check;"
                + " missing points are fits a certificate refused (see the table)."
                + " Dashed: the N^-1/2 rate. The fit warns below N = 100 k^2 d^2 = " + (100L * s.k() * s.k() * s.d() * s.d()) + ".");
        fa.caption("A after the pass-3 least-squares refit.");
        rep.table(table).figure(fw).figure(fa);
        rep.note("Reference values (docs/moments.md) are a numpy simulation, median of 4 instances; the mixture here is"
                + " +-mu + N(0, sigma^2 I) with mu = r/sqrt(d) 1, not the reference simulation's linspace mean, so it is compared loosely.");
        return rep.seconds((System.nanoTime() - t0) / 1e9);
    }

    private static boolean allFinite(double[] a) {
        for (double v : a) if (!Double.isFinite(v)) return false;
        return true;
    }

    private static double median(double[] a) {
        double[] b = a.clone();
        java.util.Arrays.sort(b);
        int n = b.length;
        return n % 2 == 1 ? b[n / 2] : 0.5 * (b[n / 2 - 1] + b[n / 2]);
    }
}
