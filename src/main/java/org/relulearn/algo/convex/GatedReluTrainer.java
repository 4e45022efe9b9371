package org.relulearn.algo.convex;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.relulearn.algo.loss.ConvexLoss;
import org.relulearn.data.OneHiddenLayerNetwork;
import org.relulearn.engine.Data;
import org.relulearn.engine.PassRunner;
import org.relulearn.engine.Shared;

/**
 * Squared-loss training through the gated-ReLU program ({@link GatedReluProgram}), in standardised
 * coordinates, with the weight decay chosen by K-fold cross-validation along a warm-started path, then the cone
 * decomposition to a ReLU network. Four passes, whatever the path length, plus those of the minimum-norm
 * decomposition ({@link MinNormDecomposition}, at most {@link #MAX_DECOMPOSITION_PASSES}):
 * <ol>
 *   <li>feature and label scales ({@link FeatureScaleAggregator}) and the input checks;</li>
 *   <li>the sampled gates' patterns, deduplicated ({@link ConvexTrainer#patterns});</li>
 *   <li>the program's sums per fold ({@link GatedGramAggregator});</li>
 *   <li>the decomposition's shifts ({@link GateShiftAggregator}), which are the decomposition with
 *       {@link Decomposition#SHIFT} and the starting point of {@link Decomposition#MIN_NORM}.</li>
 * </ol>
 * On the driver: the path beta_j = beta_max r^(j/(J-1)), j = 0..J-1 (beta_max = max_i ||c_i|| of all rows, the
 * smallest weight decay with an all-zero solution); for each fold k the program without fold k is solved at
 * beta_j n_{-k} / n (the loss is a sum over rows, so the weight decay per row stays the same), warm-started
 * from its previous point, and scored on fold k from fold k's sums; the beta with the least cross-validated
 * squared error is solved again on all rows.
 */
public final class GatedReluTrainer {
    private GatedReluTrainer() {}

    /** How a gated group u_i becomes two ReLU units v_i - w_i with v_i, w_i in the pattern's cone. */
    public enum Decomposition {
        /** The pair with the least ||v_i|| + ||w_i|| ({@link MinNormDecomposition}; up to {@link #MAX_DECOMPOSITION_PASSES} passes). */
        MIN_NORM,
        /** w_i = t_i h_i with the smallest shift t_i ({@link GateShiftAggregator}; no pass beyond the shifts'). */
        SHIFT;

        /** The CLI spelling: min-norm, shift. */
        public String label() { return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'); }
    }

    /** Cap on the passes of the minimum-norm decomposition. */
    public static final int MAX_DECOMPOSITION_PASSES = 30;
    /** Relative tolerance of each group's ||v_i|| + ||w_i|| in the minimum-norm decomposition. */
    public static final double DECOMPOSITION_TOL = 1e-6;

    /**
     * @param autoWeightDecay  choose beta on held-out rows (else solve at the options' beta on all rows)
     * @param folds            K folds of the cross-validation (content-hashed split)
     * @param pathLength       J, points on the path
     * @param pathRatio        r, beta_min / beta_max
     * @param standardise      standardise features and label (else the program is solved in the user's coordinates)
     * @param decomposition    how the groups become ReLU units
     */
    public record Settings(boolean autoWeightDecay, int folds, int pathLength, double pathRatio, boolean standardise,
                           long splitSeed, Decomposition decomposition) implements java.io.Serializable {
        public Settings {
            if (autoWeightDecay && folds < 2) {
                throw new IllegalArgumentException("cross-validating the weight decay needs at least 2 folds, got " + folds);
            }
            if (pathLength < 2) throw new IllegalArgumentException("the weight-decay path needs at least 2 points, got " + pathLength);
            if (!(pathRatio > 0 && pathRatio < 1)) throw new IllegalArgumentException("the path ratio beta_min / beta_max must lie in (0, 1), got " + pathRatio);
            if (decomposition == null) throw new IllegalArgumentException("give a decomposition (min-norm or shift)");
        }

        /** With the minimum-norm decomposition. */
        public Settings(boolean autoWeightDecay, int folds, int pathLength, double pathRatio, boolean standardise, long splitSeed) {
            this(autoWeightDecay, folds, pathLength, pathRatio, standardise, splitSeed, Decomposition.MIN_NORM);
        }

        public Settings withDecomposition(Decomposition d) {
            return new Settings(autoWeightDecay, folds, pathLength, pathRatio, standardise, splitSeed, d);
        }

        public static Settings defaults() {
            return new Settings(true, 5, 16, 1e-4, true, 7, Decomposition.MIN_NORM);
        }
    }

    /** One point of the weight-decay path (beta for all rows): mean training and cross-validated squared errors in the user's label units. */
    public record PathPoint(double beta, double trainMse, double heldOutMse, int active, int iterations, double relativeGap)
            implements java.io.Serializable {}

    /**
     * The fit, its path and the standardisation used; {@code decompositionPenalty} is sum_i ||v_i|| + ||w_i|| of the
     * decomposition used, {@code shiftPenalty} the same for the shift decomposition, {@code groupNormSum} sum_i ||u_i||
     * (below both), in standardised units.
     */
    public record Fit(ConvexResult result, Standardisation scale, List<PathPoint> path, double chosenBeta, int folds,
                      long infeasibleRows, int reluUnits, Decomposition decomposition, double decompositionPenalty,
                      double shiftPenalty, double groupNormSum, int decompositionPasses) {}

    public static Fit fit(PassRunner runner, Data data, ConvexOptions o, Settings s, Consumer<String> log) {
        long t0 = System.nanoTime();
        Consumer<String> say = log == null ? x -> {} : log;
        if (o.loss() != ConvexLoss.SQUARED) {
            throw new IllegalArgumentException("the gated-ReLU solver fits the squared loss; for --loss " + o.loss().label()
                    + " use --solver admm (or auto)");
        }
        if (o.adversarialEps() > 0) throw new IllegalArgumentException("the gated-ReLU solver has no robust form: use --solver admm with --adversarial-eps");
        if (data.numRows() < 2) throw new IllegalArgumentException("the data set has " + data.numRows() + " rows: give at least 2");
        if (data.m() != 1) {
            throw new IllegalArgumentException("convex training fits a scalar output; the data has " + data.m() + " label columns: give one label column");
        }
        if (!s.autoWeightDecay() && !(o.beta() > 0)) {
            throw new IllegalArgumentException("the gated-ReLU program needs a weight decay > 0, got " + o.beta() + ": give one, or auto");
        }
        int d = data.d(), dp = ConvexFeatures.columns(d, o.bias());
        List<String> warnings = new ArrayList<>();
        long passes = 0;

        // Pass 1: scales and input checks.
        FeatureScaleAggregator fs = runner.aggregate(data, () -> new FeatureScaleAggregator(d), "convex gated: feature scales");
        passes++;
        if (fs.firstNonFiniteRow() >= 0) {
            throw new IllegalArgumentException("row " + fs.firstNonFiniteRow() + " holds a non-finite feature or label (NaN or infinity):"
                    + " remove or impute it before training");
        }
        Standardisation scale = s.standardise() ? fs.standardisation(true) : Standardisation.identity(d);
        if (s.standardise() && !o.bias()) {
            // Without a bias coordinate, centring the features would need one: scale only.
            scale = new Standardisation(new double[d], scale.scale(), scale.labelMean(), scale.labelScale());
        }

        // Pass 2: gates (standardised coordinates) -> distinct non-zero patterns.
        double[] stdGates = o.gates() != null ? toStandardised(o.gates(), scale, dp, o.bias()) : withConstantGate(
                ConvexTrainer.sampleGates(o.patterns(), dp, o.seed()), dp, o.bias());
        ConvexTrainer.PatternSet ps = ConvexTrainer.patterns(runner, data, o.withGates(toUser(stdGates, scale, dp, o.bias())),
                "convex gated: patterns and input checks");
        passes++;
        int p = ps.p();
        double[] gates = toStandardised(ps.gates(), scale, dp, o.bias());
        say.accept(String.format("convex gated: %d gates -> %d distinct nonzero patterns (P), d' = %d, standardised %s",
                ps.sampled(), p, dp, s.standardise() ? "features and label" : "nothing"));

        // Pass 3: the program's sums per fold.
        int folds = s.autoWeightDecay() ? s.folds() : 1;
        Shared<double[]> gateShare = runner.share(gates);
        GatedGramAggregator gram;
        try {
            Standardisation sc = scale;
            boolean bias = o.bias();
            long seed = s.splitSeed();
            gram = runner.aggregate(data, () -> new GatedGramAggregator(gateShare, sc, p, dp, bias, seed, folds),
                    "convex gated: Gram sums of " + p + " patterns" + (folds > 1 ? ", " + folds + " folds" : ""));
            passes++;
        } finally {
            gateShare.release();
        }
        double gapTol = o.gapTol() > 0 ? o.gapTol() : 1e-6;
        double labelVar = scale.labelScale() * scale.labelScale();
        List<PathPoint> path = new ArrayList<>();
        double beta;
        double[] warm = null;
        int iterations = 0;
        GatedReluProgram all = gram.allRowsProgram();
        long n = gram.rows();
        if (s.autoWeightDecay()) {
            for (int k = 0; k < folds; k++) {
                if (gram.foldRows(k) < 1 || gram.foldRows(k) == n) {
                    throw new IllegalArgumentException("cross-validating the weight decay over " + folds + " folds left fold " + (k + 1)
                            + " with " + gram.foldRows(k) + " of " + n + " rows: give more rows or a fixed --weight-decay");
                }
            }
            GatedReluProgram[] train = new GatedReluProgram[folds], held = new GatedReluProgram[folds];
            double[][] warmK = new double[folds][];
            for (int k = 0; k < folds; k++) {
                train[k] = gram.programWithout(k);
                held[k] = gram.foldProgram(k);
            }
            double betaMax = all.betaMax();
            if (!(betaMax > 0)) throw new IllegalArgumentException("the label is zero on every pattern's rows (X^T D_i y = 0): nothing to fit");
            double best = Double.POSITIVE_INFINITY, bestBeta = betaMax;
            int sinceBest = 0;
            for (int j = 0; j < s.pathLength(); j++) {
                double b = betaMax * Math.pow(s.pathRatio(), (double) j / (s.pathLength() - 1));
                double cv = 0, tr = 0, worstGap = 0;
                int groups = 0, its = 0;
                for (int k = 0; k < folds; k++) {
                    long nk = n - gram.foldRows(k);
                    GatedReluProgram.Solution sol = train[k].solve(b * nk / n, warmK[k], Math.max(gapTol, 1e-5), o.maxIter());
                    warmK[k] = sol.u();
                    its += sol.iterations();
                    groups += sol.active();
                    worstGap = Math.max(worstGap, sol.relativeGap());
                    cv += 2 * held[k].dataTerm(sol.u()) * labelVar / n;
                    tr += 2 * train[k].dataTerm(sol.u()) * labelVar / nk / folds;
                }
                iterations += its;
                path.add(new PathPoint(b, tr, cv, Math.round((float) groups / folds), its, worstGap));
                say.accept(String.format("convex gated: path %2d/%d beta %.4g: train MSE %.6g, cross-validated MSE %.6g, %.1f groups, %d iterations, gap <= %.2g",
                        j + 1, s.pathLength(), b, tr, cv, (double) groups / folds, its, worstGap));
                if (cv < best) {
                    best = cv;
                    bestBeta = b;
                    sinceBest = 0;
                } else if (++sinceBest >= 3) {
                    break; // past the minimum: smaller beta only fits the training rows closer
                }
            }
            beta = bestBeta;
            say.accept(String.format("convex gated: chose beta %.4g by %d-fold cross-validation (MSE %.6g); refit on all %d rows",
                    bestBeta, folds, best, n));
        } else {
            beta = o.beta();
        }
        GatedReluProgram.Solution sol = all.solve(beta, warm, gapTol, o.maxIter());
        iterations += sol.iterations();
        if (!sol.converged()) {
            warnings.add(String.format("the gated program stopped at %d iterations with relative gap %.3g (tolerance %.3g)",
                    o.maxIter(), sol.relativeGap(), gapTol));
        }

        // Pass 4: the shifts t_i; then, for the minimum-norm decomposition, its barrier passes.
        double[] u = sol.u();
        Shared<double[]> gShare = runner.share(gates), uShare = runner.share(u);
        GateShiftAggregator shift;
        try {
            Standardisation sc = scale;
            boolean bias = o.bias();
            shift = runner.aggregate(data, () -> new GateShiftAggregator(gShare, uShare, sc, p, dp, bias), "convex gated: decomposition shifts");
            passes++;
        } finally {
            gShare.release();
            uShare.release();
        }
        double[] t = shift.shifts();
        if (shift.infeasibleRows() > 0) {
            warnings.add(shift.infeasibleRows() + " (row, pattern) pairs lie on a gate's hyperplane with a negative gated prediction: "
                    + "there the ReLU network may differ from the gated model");
        }
        double[] w;
        double shiftPenalty, decompositionPenalty, groupNorms;
        int decompositionPasses = 0;
        if (s.decomposition() == Decomposition.MIN_NORM) {
            MinNormDecomposition.Result mn = MinNormDecomposition.solve(runner, data, scale, gates, u, t, shift.positiveRows(), p, dp,
                    o.bias(), MAX_DECOMPOSITION_PASSES, DECOMPOSITION_TOL, say);
            w = mn.w();
            decompositionPasses = mn.passes();
            passes += mn.passes();
            shiftPenalty = mn.shiftPenalty();
            decompositionPenalty = mn.penalty();
            groupNorms = mn.lowerBound();
            say.accept(String.format("convex gated: minimum-norm decomposition in %d passes: sum ||v|| + ||w|| = %.6g (shift %.6g,"
                    + " lower bound sum ||u|| = %.6g); %d of %d barrier groups met the tolerance", mn.passes(), mn.penalty(),
                    mn.shiftPenalty(), mn.lowerBound(), mn.solved(), mn.barrierGroups()));
        } else {
            w = new double[p * dp];
            for (int i = 0; i < p; i++) {
                for (int j = 0; j < dp; j++) w[i * dp + j] = t[i] * gates[i * dp + j];
            }
            shiftPenalty = 0;
            groupNorms = 0;
            for (int i = 0; i < p; i++) {
                double[] ui = java.util.Arrays.copyOfRange(u, i * dp, (i + 1) * dp);
                double[] wi = java.util.Arrays.copyOfRange(w, i * dp, (i + 1) * dp);
                shiftPenalty += MinNormDecomposition.pairNorm(ui, wi);
                groupNorms += MinNormDecomposition.pairNorm(ui, new double[dp]);   // ||u_i|| + ||0||
            }
            decompositionPenalty = shiftPenalty;
        }
        List<double[]> units = new ArrayList<>();
        List<Double> alpha = new ArrayList<>();
        double reluPenalty = 0;
        for (int i = 0; i < p; i++) {
            double nu = 0;
            for (int j = 0; j < dp; j++) nu += u[i * dp + j] * u[i * dp + j];
            if (nu == 0) continue;
            double[] v = new double[dp], wi = new double[dp];
            for (int j = 0; j < dp; j++) {
                wi[j] = w[i * dp + j];
                v[j] = u[i * dp + j] + wi[j];
            }
            reluPenalty += addUnit(units, alpha, v, 1);
            reluPenalty += addUnit(units, alpha, wi, -1);
        }
        int k = units.size();
        double[] flat = new double[k * dp], a = new double[k];
        for (int j = 0; j < k; j++) {
            System.arraycopy(units.get(j), 0, flat, j * dp, dp);
            a[j] = alpha.get(j);
        }
        OneHiddenLayerNetwork net = scale.network(flat, a, k, o.bias());
        double dataTerm = sol.objective() - beta * all.penalty(u);
        double networkObjective = dataTerm + beta * reluPenalty;
        double seconds = (System.nanoTime() - t0) / 1e9;
        double gap = sol.objective() - sol.lowerBound();
        String stop = sol.converged() ? String.format("relative gap %.2g <= %.2g", sol.relativeGap(), gapTol) : "iteration cap";
        say.accept(String.format("convex gated: objective %.8g, certified lower bound %.8g (relative gap %.2g), %d groups -> %d ReLU units, %.2f s",
                sol.objective(), sol.lowerBound(), sol.relativeGap(), sol.active(), k, seconds));
        ConvexResult r = new ConvexResult(net, u, toUser(gates, scale, dp, o.bias()), ps.sampled(), p, dp, o.bias(), "gated", Double.NaN,
                iterations, sol.converged(), stop, sol.objective(), networkObjective, sol.lowerBound(), gap, sol.relativeGap(), k, 0, 0,
                Double.NaN, null, List.of(), seconds, seconds, passes, warnings);
        return new Fit(r, scale, path, beta, folds, shift.infeasibleRows(), k, s.decomposition(), decompositionPenalty, shiftPenalty,
                groupNorms, decompositionPasses);
    }

    /**
     * The sampled gates plus, with a bias coordinate, the constant gate h = (0, .., 0, 1), whose pattern is every row:
     * its group is a linear model, so the family contains ridge-like fits when the data are close to linear.
     */
    static double[] withConstantGate(double[] sampled, int dp, boolean bias) {
        if (!bias) return sampled;
        double[] out = java.util.Arrays.copyOf(sampled, sampled.length + dp);
        out[out.length - 1] = 1;
        return out;
    }

    /** Adds the unit theta = v / sqrt(||v||) with output weight sign sqrt(||v||) (equal norms); returns ||v||. */
    private static double addUnit(List<double[]> units, List<Double> alpha, double[] v, double sign) {
        double nv = 0;
        for (double e : v) nv += e * e;
        nv = Math.sqrt(nv);
        if (nv == 0) return 0;
        double root = Math.sqrt(nv);
        double[] theta = new double[v.length];
        for (int j = 0; j < v.length; j++) theta[j] = v[j] / root;
        units.add(theta);
        alpha.add(sign * root);
        return nv;
    }

    /** Gates in the user's coordinates (rows of dp) as gates in standardised coordinates: h~ . x~' = h . x'. */
    static double[] toStandardised(double[] userGates, Standardisation sc, int dp, boolean bias) {
        int d = sc.d(), p = userGates.length / dp;
        double[] out = new double[userGates.length];
        for (int i = 0; i < p; i++) {
            double b = bias ? userGates[i * dp + d] : 0;
            for (int j = 0; j < d; j++) {
                out[i * dp + j] = userGates[i * dp + j] * sc.scale()[j];
                b += userGates[i * dp + j] * sc.mean()[j];
            }
            if (bias) out[i * dp + d] = b;
        }
        return out;
    }

    /** Gates in standardised coordinates as gates in the user's coordinates. */
    static double[] toUser(double[] stdGates, Standardisation sc, int dp, boolean bias) {
        int d = sc.d(), p = stdGates.length / dp;
        double[] out = new double[stdGates.length];
        for (int i = 0; i < p; i++) {
            double[] g = sc.toUser(stdGates, i * dp, bias);
            System.arraycopy(g, 0, out, i * dp, d);
            if (bias) out[i * dp + d] = g[d];
        }
        return out;
    }
}
