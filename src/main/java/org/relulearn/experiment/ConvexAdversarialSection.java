package org.relulearn.experiment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.relulearn.algo.baseline.AdversarialTraining;
import org.relulearn.algo.baseline.SgdReluTrainer;
import org.relulearn.algo.convex.AttackAggregator;
import org.relulearn.algo.loss.ConvexLoss;
import org.relulearn.algo.convex.ConvexOptions;
import org.relulearn.algo.convex.ConvexResult;
import org.relulearn.algo.convex.ConvexTrainer;
import org.relulearn.algo.convex.GateChoice;
import org.relulearn.data.OneHiddenLayerNetwork;
import org.relulearn.data.SyntheticSource;
import org.relulearn.data.XorClusters;
import org.relulearn.engine.Data;
import org.relulearn.engine.PassRunner;
import org.relulearn.engine.SyntheticData;
import org.relulearn.report.ExperimentReport;
import org.relulearn.report.Figure;
import org.relulearn.report.ResultTable;

/**
 * The adversarial part of {@code convex-vs-sgd} (docs/convex.md, Design, evaluation protocol): on XOR
 * clusters (hinge loss, labels +-1; x = +-r e_1 + sigma z for class +1, +-r e_2 + sigma z for class -1,
 * so the l_inf margin of a cluster centre is r / 2), train at the same width
 * <ul>
 *   <li>convex: the ordinary convex program (ADMM over sampled patterns);</li>
 *   <li>convex robust (eps): the robust program {@code ConvexOptions.withAdversarialEps(eps)} over margin-aware
 *       gates ({@link GateChoice#marginAware}: the ordinary fit's sampled gates after margin ascent, those whose
 *       hyperplane keeps every training row farther than eps in l_inf) -- optional: when the trainer refuses or
 *       fails, the row is skipped and the report says why;</li>
 *   <li>SGD: Adam on the non-convex network;</li>
 *   <li>SGD + FGSM (eps), SGD + PGD (eps): Adam on FGSM / PGD perturbed mini-batches;</li>
 * </ul>
 * and measure clean, FGSM and PGD accuracy on held-out rows (stream 1 of the same source) at each radius.
 * Width = the ordinary convex fit's active neurons. Networks trained without eps are attacked at every eps;
 * networks trained at eps are attacked at that eps.
 */
public final class ConvexAdversarialSection {
    private ConvexAdversarialSection() {}

    /**
     * @param n            training rows
     * @param testN        held-out rows
     * @param d            features (2 carry the XOR, the rest are noise)
     * @param r            cluster distance from the origin
     * @param sigma        noise sd
     * @param radii        l_inf radii eps (> 0)
     * @param patterns     sampled patterns of the convex programs
     * @param beta         weight decay (convex and SGD)
     * @param admmIterations ADMM iteration cap of the ordinary convex fit
     * @param robustIterations iteration cap of the robust convex fits (its solver's own step count)
     * @param sgdSteps     Adam steps of each SGD run
     * @param batch        mini-batch rows
     * @param pgdTrainSteps PGD steps inside adversarial training
     * @param pgdEvalSteps  PGD steps of the evaluation attack
     */
    public record Settings(long n, long testN, int d, double r, double sigma, double[] radii, int patterns, double beta,
                           int admmIterations, int robustIterations, int sgdSteps, int batch, int pgdTrainSteps, int pgdEvalSteps, long seed) {
        public Settings {
            if (radii.length == 0) throw new IllegalArgumentException("give at least one radius eps");
            for (double e : radii) if (!(e > 0)) throw new IllegalArgumentException("radii must be > 0, got " + e);
            radii = radii.clone();
        }

        /** Default: 400 training rows (times scale), 2000 test rows, d = 10, r = 2, sigma = 0.25, eps in {0.25, 0.5, 0.75}. */
        public static Settings forScale(double scale) {
            // beta grows with the training rows, as in ConvexVsSgdExperiment.forScale
            double grow = Math.max(1, scale);
            return new Settings(Math.round(400 * grow), 2000, 10, 2, 0.25, new double[] {0.25, 0.5, 0.75}, 40, 1e-2 * grow,
                    400, 1500, 400, 64, 7, 20, 1);
        }
    }

    /** Method labels, in table and legend order. */
    static final String CONVEX = "convex", CONVEX_ROBUST = "convex robust", SGD = "SGD", SGD_FGSM = "SGD + FGSM", SGD_PGD = "SGD + PGD";

    private record Scores(double clean, double fgsm, double pgd) {}

    /** Runs the section and adds its settings, table, figures, checks and notes to {@code rep}. */
    public static void run(PassRunner runner, Settings s, ExperimentReport rep) {
        rep.setting("adversarial: data", String.format(Locale.ROOT, "XOR clusters, d = %d (2 informative), r = %s, sigma = %s;"
                + " %d training rows, %d held-out rows", s.d(), fmt(s.r()), fmt(s.sigma()), s.n(), s.testN()))
                .setting("adversarial: radii eps (l_inf, features only)", java.util.Arrays.toString(s.radii()))
                .setting("adversarial: training", String.format(Locale.ROOT, "hinge loss, beta %s; convex: %d sampled patterns, <= %d ADMM"
                        + " iterations (robust: margin-aware gates, <= %d solver steps); SGD: Adam lr 0.01, %d steps of %d rows, PGD-%d inside training", fmt(s.beta()), s.patterns(),
                        s.admmIterations(), s.robustIterations(), s.sgdSteps(), s.batch(), s.pgdTrainSteps()))
                .setting("adversarial: evaluation", "FGSM and PGD-" + s.pgdEvalSteps() + " (step 2.5 eps / steps) on the held-out rows");
        XorClusters law = XorClusters.standard(s.d(), s.r(), s.sigma());
        int rowsPerBlock = 1024;
        Data train = runner.cache(new SyntheticSource(law, null, null, s.n(), s.seed(), 0, rowsPerBlock));
        Data test = new SyntheticData(new SyntheticSource(law, null, null, s.testN(), s.seed(), 1, rowsPerBlock));
        try {
            body(runner, s, rep, train, test);
        } finally {
            runner.uncache(train);
        }
    }

    private static void body(PassRunner runner, Settings s, ExperimentReport rep, Data train, Data test) {
        ResultTable table = new ResultTable("adversarial", "method", "trained_eps", "eval_eps", "width", "clean_accuracy", "fgsm_accuracy",
                "pgd_accuracy", "train_seconds");
        ConvexOptions base = ConvexOptions.defaults().withLoss(ConvexLoss.HINGE).withBeta(s.beta()).withPatterns(s.patterns())
                .withSeed(s.seed()).withMaxIter(s.admmIterations());
        ConvexResult convex = ConvexTrainer.fit(runner, train, base, line -> { });
        int width = Math.max(1, convex.activeNeurons());
        rep.setting("adversarial: width (the ordinary convex fit's active neurons)", width);
        SgdReluTrainer.Options sgdOptions = new SgdReluTrainer.Options(width, ConvexLoss.HINGE, s.beta(), s.sgdSteps(),
                (int) Math.min(s.n(), s.batch()), 0.01, true, s.seed(), s.sgdSteps());
        SgdReluTrainer.Result plain = SgdReluTrainer.fit(runner, train, sgdOptions);

        Map<String, double[]> pgdCurve = new LinkedHashMap<>(), cleanCurve = new LinkedHashMap<>();
        for (String m : List.of(CONVEX, CONVEX_ROBUST, SGD, SGD_FGSM, SGD_PGD)) {
            pgdCurve.put(m, nanArray(s.radii().length));
            cleanCurve.put(m, nanArray(s.radii().length));
        }
        List<String> robustSkipped = new ArrayList<>(), robustFigures = new ArrayList<>();
        for (int i = 0; i < s.radii().length; i++) {
            double eps = s.radii()[i];
            record(table, pgdCurve, cleanCurve, i, CONVEX, 0, eps, width, evaluate(runner, test, convex.network(), eps, s), convex.seconds());
            record(table, pgdCurve, cleanCurve, i, SGD, 0, eps, width, evaluate(runner, test, plain.network(), eps, s), plain.seconds());
            ConvexResult robust = null;
            GateChoice.Chosen chosen = null;
            double rawLargest = Double.NaN;
            int rawPositive = -1;
            try {
                // Margin-aware gates (our choice, docs/convex.md): the ordinary fit's sampled gates, refined by margin
                // ascent and kept only where the data leave a gap wider than eps around the hyperplane.
                double[] sampled = ConvexTrainer.sampleGates(s.patterns(), s.d() + 1, s.seed());
                GateChoice.Margins raw = GateChoice.measure(runner, train, sampled, true, eps);
                rawPositive = raw.positive();
                rawLargest = java.util.Arrays.stream(raw.distance()).filter(Double::isFinite).max().orElse(0);
                chosen = GateChoice.marginAware(runner, train, sampled, true, eps, null);
                robust = ConvexTrainer.fit(runner, train, base.withGates(chosen.gates()).withAdversarialEps(eps)
                        .withMaxIter(s.robustIterations()), line -> { });
            } catch (RuntimeException e) {
                // optional row: a refusal or a failure of the robust solver is reported in the notes, not fatal
                robustSkipped.add("eps " + fmt(eps) + ": " + e.getClass().getSimpleName() + ": " + e.getMessage());
            }
            if (robust != null) {
                // the width column holds the live groups as they are (0 = every robust cone collapsed: the zero network)
                record(table, pgdCurve, cleanCurve, i, CONVEX_ROBUST, eps, eps, robust.activeNeurons(),
                        evaluate(runner, test, robust.network(), eps, s), robust.seconds());
                if (robust.robust() != null) {
                    var rs = robust.robust();
                    robustFigures.add(String.format(Locale.ROOT, "eps %s: sampled gates with a robust margin %d of %d (largest l_inf"
                            + " distance of the training rows to a gate hyperplane %.3f); after margin ascent %d of %d (largest %.3f), %d gate(s) kept"
                            + " -> %d pattern(s); %d live groups of %d (%d violated their cone before the feasibility repair), %d solver steps,"
                            + " certified robust training accuracy %.4f, certified objective %.6g", fmt(eps), rawPositive, s.patterns(), rawLargest,
                            chosen.positive(), chosen.candidates(), chosen.largestDistance(), chosen.gates().length / (s.d() + 1), robust.patterns(),
                            rs.liveGroups(), rs.liveGroups() + rs.deadGroups(), rs.repairedGroups(), robust.iterations(),
                            rs.certifiedAccuracy(), rs.certifiedObjective()));
                }
            }
            for (AdversarialTraining kind : List.of(AdversarialTraining.FGSM, AdversarialTraining.PGD)) {
                SgdReluTrainer.Result adv = SgdReluTrainer.fit(runner, train, sgdOptions.withAdversarial(kind, eps, s.pgdTrainSteps()));
                record(table, pgdCurve, cleanCurve, i, kind == AdversarialTraining.FGSM ? SGD_FGSM : SGD_PGD, eps, eps, width,
                        evaluate(runner, test, adv.network(), eps, s), adv.seconds());
            }
        }

        for (int i = 0; i < s.radii().length; i++) {
            String at = "eps " + fmt(s.radii()[i]) + ": ";
            double sgd = pgdCurve.get(SGD)[i];
            rep.checkAtLeast(at + "PGD accuracy of SGD + PGD training", sgd, pgdCurve.get(SGD_PGD)[i],
                    "plain SGD's PGD accuracy (Madry et al.)");
            rep.checkAtLeast(at + "PGD accuracy of SGD + FGSM training", sgd, pgdCurve.get(SGD_FGSM)[i],
                    "plain SGD's PGD accuracy (Goodfellow et al.)");
            if (!Double.isNaN(pgdCurve.get(CONVEX_ROBUST)[i])) {
                rep.checkAtLeast(at + "PGD accuracy of the robust convex fit", pgdCurve.get(CONVEX)[i], pgdCurve.get(CONVEX_ROBUST)[i],
                        "the ordinary convex fit's PGD accuracy (Bai et al., convex adversarial training)");
            }
        }
        rep.checkAtLeast("clean held-out accuracy of the ordinary convex fit", 0.9, cleanCurve.get(CONVEX)[0],
                "XOR clusters are separable by a ReLU network");
        int last = s.radii().length - 1;
        rep.checkAtLeast("eps " + fmt(s.radii()[last]) + ": clean accuracy of SGD + PGD training", cleanCurve.get(SGD)[last] - 0.05,
                cleanCurve.get(SGD_PGD)[last], "plain SGD's clean accuracy - 0.05 (little clean accuracy lost on separable data)");
        if (!robustFigures.isEmpty()) {
            rep.note("convex robust fits (the cones-collapse pitfall of convex adversarial training: with patterns fixed from clean X, a group survives only if its pattern"
                    + " separates the rows with l_inf margin eps). Gates: the ordinary fit's sampled gates after margin ascent, only those"
                    + " with a margin (our choice, not the paper's; the all-ones gate alone, an affine network, when none has one): "
                    + String.join("; ", robustFigures) + ".");
        }
        if (!robustSkipped.isEmpty()) {
            rep.note("convex robust rows skipped where the robust trainer refused or failed (" + String.join("; ", robustSkipped) + ").");
        }

        double[] xs = new double[s.radii().length + 1];
        System.arraycopy(s.radii(), 0, xs, 1, s.radii().length);
        Figure robustFig = new Figure("robust-accuracy-vs-eps", "PGD robust accuracy on held-out XOR rows against the radius",
                "l_inf radius eps (feature units; cluster margin r/2 = " + fmt(s.r() / 2) + ")", "PGD-" + s.pgdEvalSteps() + " accuracy (share of held-out rows)");
        for (String m : pgdCurve.keySet()) {
            if (java.util.Arrays.stream(pgdCurve.get(m)).allMatch(Double::isNaN)) continue;   // skipped method: no series
            // eps = 0: every method is its non-robust counterpart, attacked at radius 0 = clean accuracy.
            String plainTwin = m.startsWith("SGD") ? SGD : CONVEX;
            double origin = cleanCurve.get(plainTwin)[0];
            robustFig.measured(m, xs, prepend(origin, pgdCurve.get(m)));
        }
        double[] radiiWithZero = xs.clone();
        BoundaryMargins bayes = runner.aggregate(test, () -> new BoundaryMargins(radiiWithZero), "convex-vs-sgd: margins of the true boundary");
        robustFig.theory("true boundary |x_1| = |x_2| (exact robust accuracy)", xs, bayes.accuracies());
        robustFig.caption("Methods without eps are trained once and attacked at every eps; the others are trained and attacked at the"
                + " same eps. At eps = 0 every curve starts at its non-robust counterpart's clean accuracy. Dashed: the exact robust"
                + " accuracy of the classifier sign(|x_1| - |x_2|) (the clusters' true boundary), the share of held-out rows with"
                + " y (|x_1| - |x_2|) > 2 eps -- a reference, not a bound. Clean accuracies are in adversarial.csv.");
        rep.table(table).figure(robustFig);
    }

    /**
     * Exact robust accuracy of sign(|x_1| - |x_2|) on the rows it sees at each radius: the l_inf box of radius eps
     * around x keeps the class iff y (|x_1| - |x_2|) > 2 eps (the worst case shrinks |x_1| and grows |x_2| by eps).
     */
    static final class BoundaryMargins implements org.relulearn.engine.Aggregator<BoundaryMargins> {
        private static final long serialVersionUID = 1L;
        private final double[] radii;
        private final long[] robust;
        private long n;

        BoundaryMargins(double[] radii) {
            this.radii = radii;
            this.robust = new long[radii.length];
        }

        @Override
        public void add(org.relulearn.data.Block block) {
            double[] x = block.x(), y = block.y();
            int d = block.d();
            for (int r = 0; r < block.rows(); r++) {
                double margin = y[r * block.m()] * (Math.abs(x[r * d]) - Math.abs(x[r * d + 1]));
                for (int i = 0; i < radii.length; i++) if (margin > 2 * radii[i]) robust[i]++;
            }
            n += block.rows();
        }

        @Override
        public BoundaryMargins merge(BoundaryMargins o) {
            n += o.n;
            for (int i = 0; i < robust.length; i++) robust[i] += o.robust[i];
            return this;
        }

        @Override public long count() { return n; }

        double[] accuracies() {
            double[] a = new double[robust.length];
            for (int i = 0; i < a.length; i++) a[i] = (double) robust[i] / n;
            return a;
        }
    }

    private static Scores evaluate(PassRunner runner, Data test, OneHiddenLayerNetwork net, double eps, Settings s) {
        int steps = s.pgdEvalSteps();
        AttackAggregator a = runner.aggregate(test, () -> new AttackAggregator(net, ConvexLoss.HINGE, eps, steps),
                "convex-vs-sgd: FGSM/PGD evaluation at eps " + fmt(eps));
        return new Scores(a.cleanAccuracy(), a.fgsmAccuracy(), a.pgdAccuracy());
    }

    private static void record(ResultTable table, Map<String, double[]> pgd, Map<String, double[]> clean, int i, String method,
                               double trainedEps, double evalEps, int width, Scores sc, double seconds) {
        table.add(method, trainedEps, evalEps, width, sc.clean(), sc.fgsm(), sc.pgd(), seconds);
        pgd.get(method)[i] = sc.pgd();
        clean.get(method)[i] = sc.clean();
    }

    private static double[] nanArray(int n) {
        double[] a = new double[n];
        java.util.Arrays.fill(a, Double.NaN);
        return a;
    }

    private static double[] prepend(double v, double[] a) {
        double[] out = new double[a.length + 1];
        out[0] = v;
        System.arraycopy(a, 0, out, 1, a.length);
        return out;
    }

    /** Shortest round-trip form: 0.5, 2.0, 0.01. */
    private static String fmt(double v) { return Double.toString(v); }
}
