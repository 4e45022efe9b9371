package org.relulearn.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.relulearn.algo.baseline.SgdReluTrainer;
import org.relulearn.algo.loss.ConvexLoss;
import org.relulearn.algo.convex.ConvexOptions;
import org.relulearn.algo.convex.ConvexResult;
import org.relulearn.algo.convex.ConvexTrainer;
import org.relulearn.algo.convex.GatedReluTrainer;
import org.relulearn.data.AdditiveNoise;
import org.relulearn.data.Distributions;
import org.relulearn.data.SyntheticSource;
import org.relulearn.data.Teachers;
import org.relulearn.error.UserInputException;
import org.relulearn.spark.CachedBlocks;
import org.relulearn.spark.SparkBlockData;
import org.relulearn.spark.SparkPassRunner;
import picocli.CommandLine.Option;

/**
 * {@code bench --suite convex}: for each (n, d, P_s), ADMM on the sampled convex program (squared loss,
 * weight decay beta = lambda n) -- set-up time, time per iteration, the time at which the certificate's
 * relative gap (network objective - LB) / network objective first reached 1e-4 (the run stops there),
 * v's largest cone violation at that point, and when the mapped network's objective first fell below the
 * best objective of the same-width network trained by mini-batch Adam (also timed). LB bounds the sampled
 * program's optimum from below, so a gap of 1e-4 says the network is within 1e-4 of (or better than) the
 * best network with the sampled patterns. Its times are the solvers' and Adam's own clocks (set-up, per iteration, to a gap).
 */
final class ConvexBenchmark implements BenchSuite {
    @Option(names = "--convex-rows", split = ",", defaultValue = "10000,30000,100000", description = "Convex suite: row counts n. Default: ${DEFAULT-VALUE}.")
    List<Long> convexRows;

    @Option(names = "--convex-dim", split = ",", defaultValue = "10", description = "Convex suite: feature counts d. Default: ${DEFAULT-VALUE}.")
    List<Integer> convexDim;

    @Option(names = "--convex-patterns", split = ",", defaultValue = "16", description = "Convex suite: sampled patterns P_s. Default: ${DEFAULT-VALUE}.")
    List<Integer> convexPatterns;

    @Option(names = "--convex-weight-decay-per-row", defaultValue = "0.01",
            description = "Convex suite: beta / n (the weight decay grows with n, as a mean loss with a fixed lambda would). Default: ${DEFAULT-VALUE}.")
    double convexWeightDecayPerRow;

    @Option(names = "--convex-iterations", defaultValue = "2000", description = "Convex suite: ADMM iteration cap (the run stops earlier at a relative gap of 1e-4). Default: ${DEFAULT-VALUE}.")
    int convexIterations;

    @Option(names = "--convex-solvers", split = ",", defaultValue = "admm,ipm",
            description = "Convex suite: solvers run side by side on each program (admm, ipm, gated). Default: ${DEFAULT-VALUE}.")
    List<String> convexSolvers;

    @Option(names = "--convex-sgd-steps", defaultValue = "200", description = "Convex suite: Adam steps of the baseline. Default: ${DEFAULT-VALUE}.")
    int convexSgdSteps;

    @Option(names = "--convex-reference", defaultValue = "src/test/resources/convex-reference/ipm_reference.py",
            description = "Convex suite: a Python script solving the same constrained program with cvxopt's interior point, run beside the"
                    + " Java solvers on programs of at most " + REFERENCE_MAX_ROWS + " rows when python3 can import cvxopt and numpy;"
                    + " none = skip. Default: ${DEFAULT-VALUE}.")
    String convexReference;

    /** Rows up to which the reference runs: cvxopt's KKT system grows with the 2Pn linear cones. */
    static final long REFERENCE_MAX_ROWS = 2000;

    @Override public String name() { return "convex"; }

    @Override public String description() {
        return "ADMM, the interior point and the gated program on the sampled convex program, against Adam: time per iteration, time to a gap";
    }

    @Override public Set<String> sharedOptions() { return Set.of("--warmup"); }

    @Override
    public void run(BenchContext ctx) {
        ctx.results().put(name(), run(ctx.out(), ctx.runner(), convexRows, convexDim, convexPatterns, convexWeightDecayPerRow, convexIterations,
                convexSgdSteps, convexSolvers, ctx.warmup(), convexReference));
    }

    static Map<String, Object> run(PrintStream console, SparkPassRunner runner, List<Long> rows, List<Integer> dims, List<Integer> patternCounts, double lambda,
                                   int iterations, int sgdSteps, List<String> solvers, boolean warmup, String reference) {
        String python = reference.equals("none") ? null : ReferenceSolve.python(reference);
        List<String> kinds = new ArrayList<>();
        for (String sv : solvers) {
            String k = sv.trim().toLowerCase(java.util.Locale.ROOT);
            if (!List.of("admm", "ipm", "gated", "gated-shift").contains(k)) {
                throw new UserInputException("unknown --convex-solvers entry '" + sv + "': use admm, ipm, gated and/or gated-shift");
            }
            kinds.add(k);
        }
        List<Map<String, Object>> out = new ArrayList<>();
        console.printf("convex suite: d in %s (+ bias), P_s in %s, beta = %.3g n, squared loss, solvers %s up to %d iterations (stop at relative gap 1e-4), "
                        + "Adam %d steps of 256%n", dims, patternCounts, lambda, solvers, iterations, sgdSteps);
        console.println("  n | d | P | route | rho (u = v) | setup s | s/iteration | iterations | final rel. gap | time to gap 1e-4 | cone violation"
                + " | network objective | Adam objective (s) | ADMM time to beat Adam");
        console.println(warmup ? "  warm-up: each solver solves the same program on max(100, n/10) rows once, untimed, before its timed solve (JIT, Spark closures)"
                : "  no warm-up: times include the JVM's first compilations");
        for (long n : rows) {
            for (int d : dims) {
                SyntheticSource src = new SyntheticSource(Distributions.parse("gaussian", d), Teachers.randomNetwork(d, 4, 1, 3, true, 0, 0.5),
                        AdditiveNoise.isotropic(1, 0.1), n, 5, 0, 4096);
                SparkBlockData blocks = CachedBlocks.cache(runner, src);
                try {
                    if (warmup) {
                        long small = Math.min(n, Math.max(100, n / 10));
                        SparkBlockData few = CachedBlocks.cache(runner, new SyntheticSource(Distributions.parse("gaussian", d),
                                Teachers.randomNetwork(d, 4, 1, 3, true, 0, 0.5), AdditiveNoise.isotropic(1, 0.1), small, 6, 0, 4096));
                        try {
                            for (int patterns : patternCounts) {
                                for (String kind : kinds) solve(runner, few, patterns, lambda * small, iterations, kind);
                            }
                        } finally {
                            few.blocks().unpersist(false);
                        }
                    }
                    for (int patterns : patternCounts) {
                        List<ConvexResult> constrained = new ArrayList<>();
                        for (String kind : kinds) {
                            out.add(one(console, runner, blocks, n, d, patterns, lambda * n, iterations, sgdSteps, kind, constrained));
                        }
                        if (python != null && n <= REFERENCE_MAX_ROWS && !constrained.isEmpty()) {
                            out.add(ReferenceSolve.run(console, python, reference, src, constrained, lambda * n));
                        } else if (!reference.equals("none") && !constrained.isEmpty()) {
                            console.printf("  reference: not run (%s)%n", python == null ? "no python3 that imports cvxopt and numpy, or no script at "
                                    + reference : "n > " + REFERENCE_MAX_ROWS);
                        }
                    }
                } finally {
                    blocks.blocks().unpersist(false);
                }
            }
        }
        Map<String, Object> res = new LinkedHashMap<>();
        res.put("dims", dims);
        res.put("patternsSampled", patternCounts);
        res.put("weightDecayPerRow", lambda);
        res.put("runs", out);
        return res;
    }

    /** A result without a history (one certified solve) as one with a single history point at its end. */
    private static ConvexResult withFinalPoint(ConvexResult r) {
        ConvexResult.Iteration last = new ConvexResult.Iteration(r.iterations(), r.objective(), r.networkObjective(), r.lowerBound(),
                r.relativeGap(), 0, 0, r.activeNeurons(), 0, r.seconds());
        return new ConvexResult(r.network(), r.groups(), r.gates(), r.gatesSampled(), r.patterns(), r.dp(), r.bias(), r.route(), r.rho(),
                r.iterations(), r.converged(), r.stopReason(), r.objective(), r.networkObjective(), r.lowerBound(), r.gap(), r.relativeGap(),
                r.activeNeurons(), r.maxNu(), r.maxConeViolation(), r.accuracy(), r.lambda(), List.of(last), r.seconds(), r.setupSeconds(),
                r.passes(), r.warnings());
    }

    /** One solve of the program by {@code solver} (admm, ipm or gated), as the table reports it. */
    private static ConvexResult solve(SparkPassRunner runner, SparkBlockData blocks, int patterns, double beta, int iterations, String solver) {
        ConvexOptions o = ConvexOptions.defaults().withBeta(beta).withPatterns(patterns).withMaxIter(iterations).withGapTol(1e-4)
                .withSolver(solver.equals("ipm") ? ConvexOptions.Solver.IPM : ConvexOptions.Solver.ADMM);
        if (solver.startsWith("gated")) {
            // The gated relaxation in the data's own units (no standardisation), at the same beta: its ReLU network's
            // weight-decay objective is comparable with Adam's; the certificate is the gated program's.
            return withFinalPoint(GatedReluTrainer.fit(runner, blocks, o.withMaxIter(Math.max(iterations, 20000)),
                    new GatedReluTrainer.Settings(false, 5, 16, 1e-4, false, 7, solver.equals("gated-shift")
                            ? GatedReluTrainer.Decomposition.SHIFT : GatedReluTrainer.Decomposition.MIN_NORM), null).result());
        }
        return ConvexTrainer.fit(runner, blocks, o);
    }

    private static Map<String, Object> one(PrintStream console, SparkPassRunner runner, SparkBlockData blocks, long n, int d, int patterns, double beta,
                                           int iterations, int sgdSteps, String solver, List<ConvexResult> constrained) {
        ConvexResult r = solve(runner, blocks, patterns, beta, iterations, solver);
        if (!solver.startsWith("gated")) constrained.add(r);
        double toGap = Double.NaN;
        double violation = Double.NaN;
        for (ConvexResult.Iteration it : r.history()) {
            if (it.relativeGap() <= 1e-4) {
                toGap = it.seconds();
                violation = it.coneViolation();
                break;
            }
        }
        SgdReluTrainer.Result b = SgdReluTrainer.fit(runner, blocks, new SgdReluTrainer.Options(Math.max(1, r.activeNeurons()),
                ConvexLoss.SQUARED, beta, sgdSteps, 256, 0.01, true, 1, Math.max(1, sgdSteps / 5)));
        double beat = Double.NaN;
        for (ConvexResult.Iteration it : r.history()) {
            if (it.networkObjective() <= b.bestObjective()) {
                beat = it.seconds();
                break;
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("n", n);
        m.put("d", d);
        m.put("patterns", r.patterns());
        m.put("beta", beta);
        m.put("solver", solver);
        m.put("route", r.route());
        m.put("passes", r.passes());
        m.put("rho", r.rho());
        m.put("setupSeconds", r.setupSeconds());
        m.put("secondsPerIteration", r.secondsPerIteration());
        m.put("iterations", r.iterations());
        m.put("relativeGap", r.relativeGap());
        m.put("secondsToGap1e-4", toGap);
        m.put("coneViolationAtGap", violation);
        m.put("networkObjective", r.networkObjective());
        m.put("lowerBound", r.lowerBound());
        m.put("adamBestObjective", b.bestObjective());
        m.put("adamSeconds", b.seconds());
        m.put("secondsToBeatAdam", beat);
        console.printf("  %,d | %d | %d | %s | %.3g | %.2f | %.3f | %d | %.3g | %s | %.3g | %.6g | %.6g (%.1f s) | %s%n", n, d, r.patterns(),
                solver.startsWith("gated") ? solver : r.route(), r.rho(), r.setupSeconds(), r.secondsPerIteration(), r.iterations(), r.relativeGap(),
                Double.isNaN(toGap) ? "not reached" : String.format("%.2f s", toGap), violation, r.networkObjective(), b.bestObjective(),
                b.seconds(), Double.isNaN(beat) ? "not within the run" : String.format("%.2f s", beat));
        return m;
    }
}
