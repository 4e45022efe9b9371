package org.relulearn.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.relulearn.algo.baseline.SgdReluTrainer;
import org.relulearn.algo.convex.AttackAggregator;
import org.relulearn.algo.convex.ClassLabelTeacher;
import org.relulearn.algo.loss.ConvexLoss;
import org.relulearn.algo.convex.ConvexOptions;
import org.relulearn.algo.convex.ConvexResult;
import org.relulearn.algo.convex.ConvexTrainer;
import org.relulearn.algo.convex.GatedReluTrainer;
import org.relulearn.algo.convex.GateChoice;
import org.relulearn.algo.convex.RobustSummary;
import org.relulearn.algo.convex.ScpTrainer;
import org.relulearn.data.OneHiddenLayerNetwork;
import org.relulearn.data.SyntheticSource;
import org.relulearn.data.Teacher;
import org.relulearn.error.UserInputException;
import org.relulearn.report.RunOutput;
import org.relulearn.spark.CachedBlocks;
import org.relulearn.spark.SparkBlockData;
import org.relulearn.spark.SparkPassRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code relulearn train convex}: global training of a two-layer ReLU network through its convex
 * reformulation (Pilanci & Ergen, arXiv 2002.10553; ADMM of Bai, Gautam & Sojoudi, arXiv 2201.01965; docs/convex.md): ADMM over sampled activation patterns, or SCP (random ReLU features
 * with an l1 output layer). Prints the route of the linear solves, the objective, the certificate
 * gap (squared loss), the active neurons, and the same network trained by mini-batch Adam for
 * comparison; writes params.json, results.json, history.csv and gates.csv (the gates used).
 */
@Command(name = "convex", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a two-layer ReLU network globally through its convex reformulation (Pilanci-Ergen;",
                "ADMM of Bai-Gautam-Sojoudi), with a global-optimality certificate, and compare with SGD/Adam."})
public final class TrainConvexCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin SyntheticOptions data;
    @Mixin InputOptions input;
    @Mixin EngineOptions engine;
    @Mixin OutputOptions output;
    @Mixin CheckpointOptions checkpoints;
    @Mixin EvaluationOptions evaluation;

    @Option(names = "--solver", defaultValue = "auto",
            description = "auto, gated (the gated-ReLU relaxation from its Gram sums in one pass, standardised, solved on the driver with a"
                    + " certificate, then decomposed into ReLU units), ipm (interior point: the constrained squared-loss program in tens of"
                    + " passes), admm (any loss, any size) or scp (random ReLU features + l1). auto = gated for the squared loss unless an"
                    + " ADMM option, --adversarial-eps or --gates-from/--margin-gates is given; otherwise ipm for the squared loss when its"
                    + " Newton system (2 P (d+2) unknowns) has at most " + org.relulearn.algo.convex.ConvexInteriorPoint.MAX_AUTO_SIZE
                    + " unknowns, else admm. Default: ${DEFAULT-VALUE}.")
    String solver;

    /** Options only ADMM reads: with --solver ipm they are an error, with --solver auto they choose ADMM. */
    static final List<String> ADMM_ONLY = List.of("--rho", "--rho-adapt", "--consensus-weight", "--dual-step", "--route", "--tol",
            "--checkpoint-dir", "--checkpoint-every", "--resume");

    /** The ADMM-only options the user gave. */
    List<String> admmOptionsGiven() {
        List<String> given = new java.util.ArrayList<>();
        if (spec == null || spec.commandLine() == null || spec.commandLine().getParseResult() == null) return given;
        for (picocli.CommandLine.Model.OptionSpec os : spec.commandLine().getParseResult().matchedOptions()) {
            if (ADMM_ONLY.contains(os.longestName())) given.add(os.longestName());
        }
        return given;
    }

    /** --solver as the trainer's choice (scp is handled by the command). */
    ConvexOptions.Solver solverChoice() {
        List<String> admmGiven = admmOptionsGiven();
        switch (solver) {
            case "ipm":
                if (!admmGiven.isEmpty()) {
                    throw new UserInputException(admmGiven.get(0) + " is an ADMM setting and has no effect with --solver ipm:"
                            + " remove it, or use --solver admm");
                }
                return ConvexOptions.Solver.IPM;
            case "admm":
            case "scp":
                return ConvexOptions.Solver.ADMM;
            case "gated":
                if (!admmGiven.isEmpty()) {
                    throw new UserInputException(admmGiven.get(0) + " is an ADMM setting and has no effect with --solver gated:"
                            + " remove it, or use --solver admm");
                }
                return ConvexOptions.Solver.AUTO;
            case "auto":
                return admmGiven.isEmpty() ? ConvexOptions.Solver.AUTO : ConvexOptions.Solver.ADMM;
            default:
                throw new UserInputException("unknown --solver '" + solver + "': use auto, gated, ipm, admm or scp");
        }
    }

    @Option(names = "--loss", defaultValue = "squared", description = "squared (real y), hinge (y = -1/+1) or bce (y = 0/1). Default: ${DEFAULT-VALUE}.")
    String loss;

    @Option(names = "--weight-decay", defaultValue = "auto",
            description = "beta: weight decay of the network = group-l1 weight (losses are sums over rows; scnn's lambda = beta/n),"
                    + " or auto: with the gated solver, chosen by 5-fold cross-validation along a path of 16 values, then refit on"
                    + " all rows; with the other solvers auto means " + AUTO_FIXED_WEIGHT_DECAY + ". Default: ${DEFAULT-VALUE}.")
    String weightDecayText;

    /** What --weight-decay auto means for the solvers that do not choose it. */
    static final double AUTO_FIXED_WEIGHT_DECAY = 1e-3;

    boolean autoWeightDecay() { return "auto".equalsIgnoreCase(weightDecayText.trim()); }

    /** The weight decay as a number (auto -> the fixed value; the gated solver reports the one it chose). */
    double weightDecay() {
        if (autoWeightDecay()) return AUTO_FIXED_WEIGHT_DECAY;
        try {
            return Double.parseDouble(weightDecayText.trim());
        } catch (NumberFormatException e) {
            throw new UserInputException("--weight-decay '" + weightDecayText + "' is neither a number nor auto: give e.g. 1e-3, or auto");
        }
    }

    /**
     * The solver that runs: auto is the gated solver for the squared loss when nothing asks for another (an ADMM
     * option, --adversarial-eps, --gates-from/--margin-gates, a fixed --weight-decay with --resume...), else auto as before.
     */
    String effectiveSolver() {
        if (!solver.equals("auto")) return solver;
        boolean squared;
        try {
            squared = ConvexLoss.parse(loss) == ConvexLoss.SQUARED;
        } catch (IllegalArgumentException e) {
            return solver;
        }
        boolean plain = admmOptionsGiven().isEmpty() && adversarialEps == 0 && gateSource() == GateChoice.Source.SAMPLED && !marginGates;
        return squared && plain ? "gated" : solver;
    }

    @Option(names = "--patterns", defaultValue = "auto",
            description = "Gaussian gate vectors sampled (P_s), or random features for scp; auto = clamp(floor(1024 / (d + 1)), 8, 64)"
                    + " (P (d+1) near 1000 keeps the driver's systems small), 64 for scp. Default: ${DEFAULT-VALUE}.")
    String patternsText;

    /** The documented rule for --patterns auto: P = clamp(floor(1024 / (d + 1)), 8, 64); 64 random features for scp. */
    static int autoPatterns(int d) {
        return Math.max(8, Math.min(64, 1024 / (d + 1)));
    }

    int patterns(int d) {
        if ("auto".equalsIgnoreCase(patternsText.trim())) return solver.equals("scp") ? 64 : autoPatterns(d);
        try {
            int p = Integer.parseInt(patternsText.trim());
            if (p < 1) throw new UserInputException("--patterns must be >= 1 (or auto), got " + p);
            return p;
        } catch (NumberFormatException e) {
            throw new UserInputException("--patterns '" + patternsText + "' is neither a whole number nor auto: give e.g. 64, or auto");
        }
    }

    @Option(names = "--gates", paramLabel = "FILE", description = "Gate vectors, one per line (d numbers, plus the bias coordinate unless --no-bias);"
            + " a path or a URI (hdfs://, s3a://, ...).")
    String gatesFile;

    @Option(names = "--bias", defaultValue = "true", negatable = true, fallbackValue = "true",
            description = "First-layer biases (a constant-1 column; regularised with the weights). Default: ${DEFAULT-VALUE}.")
    boolean bias;

    @Option(names = "--rho", description = "ADMM penalty of the cone constraints (default: 0.3 m for n <= 2000, m min(10, 0.3 sqrt(n/20)) for n >= 10^4, interpolated between; m = the mean squared entry of the design matrix; docs/convex.md).")
    Double rho;

    @Option(names = "--rho-adapt", defaultValue = "0", description = "Rebalance rho from the residuals every N iterations (0 = fixed). Default: ${DEFAULT-VALUE}.")
    int rhoAdapt;

    @Option(names = "--consensus-weight", description = "tau: penalty of u = v is tau * rho (default: tau = 1, the single penalty of the paper's ADMM, for n <= 2000; tau rho = max(rho, 0.015 n m) for n >= 10^4, growing like X^T X; interpolated between).")
    Double consensusWeight;

    @Option(names = "--dual-step", defaultValue = "1", description = "ADMM dual step gamma in (0, 1.618). Default: ${DEFAULT-VALUE}.")
    double dualStep;

    @Option(names = "--max-iter", defaultValue = "20000",
            description = "Iteration cap (high: the run normally ends on the certified --gap-tol, or on --max-seconds). Default: ${DEFAULT-VALUE}.")
    int maxIter;

    @Option(names = "--tol", defaultValue = "1e-6", description = "Absolute and relative residual tolerance. Default: ${DEFAULT-VALUE}.")
    double tol;

    @Option(names = "--gap-tol", defaultValue = "1e-4",
            description = "Stop when the certificate proves the objective within this relative gap of the optimum (squared loss;"
                    + " a negative gap never counts; 0 = stop on the residuals instead). Default: ${DEFAULT-VALUE}.")
    double gapTol;

    @Option(names = "--max-seconds", defaultValue = "900",
            description = "Time budget of the iterations; when hit the run stops and says so with its gap (0 = none). Default: ${DEFAULT-VALUE}.")
    double maxSeconds;

    @Option(names = "--route", defaultValue = "auto", description = "Linear solves: auto, dense, woodbury or cg. Default: ${DEFAULT-VALUE}.")
    String route;

    @Option(names = "--memory-cap-mb", defaultValue = "256", description = "Cap on the dense factor / Woodbury matrix, MiB. Default: ${DEFAULT-VALUE}.")
    double memoryCapMb;

    @Option(names = "--decomposition", paramLabel = "min-norm|shift",
            description = "Gated solver only: how each gated group u becomes two ReLU units v - w in its pattern's cone. min-norm"
                    + " (default): the pair with the least ||v|| + ||w||, by a barrier method of at most "
                    + GatedReluTrainer.MAX_DECOMPOSITION_PASSES + " passes; shift: w = t h along the gate h with the smallest t"
                    + " (one pass, larger weights). Both predict the gated model's values on the training rows.")
    String decomposition;

    /** The decomposition of the gated solver (min-norm unless --decomposition says otherwise). */
    GatedReluTrainer.Decomposition decompositionChoice() {
        if (decomposition == null) return GatedReluTrainer.Decomposition.MIN_NORM;
        for (GatedReluTrainer.Decomposition d : GatedReluTrainer.Decomposition.values()) {
            if (d.label().equals(decomposition)) return d;
        }
        throw new UserInputException("unknown --decomposition '" + decomposition + "': use min-norm or shift");
    }

    @Option(names = "--gate-seed", defaultValue = "1", description = "Seed of the gate sampling. Default: ${DEFAULT-VALUE}.")
    long gateSeed;

    @Option(names = "--adversarial-eps", defaultValue = "0",
            description = "l_inf radius for robust (adversarial) convex training (robust cones, worst-case losses; 0 = ordinary). "
                    + "--max-iter then caps the FISTA steps (use a few thousand).")
    double adversarialEps;

    @Option(names = "--gates-from", defaultValue = "sampled",
            description = "Where the gates come from: sampled (--patterns Gaussian gates, or --gates FILE), baseline (the first layer"
                    + " [w_j, b_j] of an Adam network trained first with the --baseline-* settings, width --baseline-width or --patterns)"
                    + " or baseline+sampled. Default: ${DEFAULT-VALUE}.")
    String gatesFrom;

    @Option(names = "--margin-gates", defaultValue = "false",
            description = "Robust training: refine the gates by margin ascent and keep those whose hyperplane stays farther than"
                    + " --adversarial-eps (l_inf) from every row (the all-ones gate alone when none does); docs/convex.md. Default: ${DEFAULT-VALUE}.")
    boolean marginGates;

    @Option(names = "--attack-eps", defaultValue = "0", description = "Evaluate clean, FGSM and PGD accuracy at this l_inf radius (classification losses).")
    double attackEps;

    @Option(names = "--pgd-steps", defaultValue = "20", description = "PGD steps. Default: ${DEFAULT-VALUE}.")
    int pgdSteps;

    @Option(names = "--class-threshold", defaultValue = "0",
            description = "Synthetic data with hinge/bce: class 1 iff the teacher's output exceeds this. Default: ${DEFAULT-VALUE}.")
    double classThreshold;

    @Option(names = "--baseline", defaultValue = "true", negatable = true, fallbackValue = "true",
            description = "Also train the same network by mini-batch Adam and compare. Default: ${DEFAULT-VALUE}.")
    boolean baseline;

    @Option(names = "--baseline-steps", defaultValue = "500", description = "Adam steps of the baseline. Default: ${DEFAULT-VALUE}.")
    int baselineSteps;

    @Option(names = "--baseline-batch", defaultValue = "256", description = "Mini-batch rows of the baseline. Default: ${DEFAULT-VALUE}.")
    int baselineBatch;

    @Option(names = "--baseline-lr", defaultValue = "0.01", description = "Adam step size of the baseline. Default: ${DEFAULT-VALUE}.")
    double baselineLr;

    @Option(names = "--baseline-width", defaultValue = "0", description = "Baseline width (0 = the convex fit's active neurons). Default: ${DEFAULT-VALUE}.")
    int baselineWidth;

    @Option(names = "--baseline-adversarial", defaultValue = "none",
            description = "Adversarial training of the baseline: none, fgsm or pgd (l_inf radius --attack-eps, PGD with --pgd-steps). Default: ${DEFAULT-VALUE}.")
    String baselineAdversarial;

    /** The baseline's adversarial training, checked against --attack-eps, --pgd-steps and --baseline. */
    org.relulearn.algo.baseline.AdversarialTraining baselineAdversarial() {
        org.relulearn.algo.baseline.AdversarialTraining kind;
        try {
            kind = org.relulearn.algo.baseline.AdversarialTraining.parse(baselineAdversarial);
        } catch (IllegalArgumentException e) {
            throw new UserInputException("--baseline-adversarial: " + e.getMessage());
        }
        if (kind == org.relulearn.algo.baseline.AdversarialTraining.NONE) return kind;
        if (!baseline) throw new UserInputException("--baseline-adversarial " + kind.label() + " trains the baseline, but --no-baseline is set: drop one of them");
        if (!(attackEps > 0)) {
            throw new UserInputException("--baseline-adversarial " + kind.label() + " needs its l_inf radius: give --attack-eps > 0 (got "
                    + attackEps + "); the same radius is used to evaluate FGSM/PGD accuracy");
        }
        if (pgdSteps < 1) throw new UserInputException("--pgd-steps must be >= 1, got " + pgdSteps);
        return kind;
    }

    GateChoice.Source gateSource() {
        try {
            return GateChoice.Source.parse(gatesFrom);
        } catch (IllegalArgumentException e) {
            throw new UserInputException("--gates-from: " + e.getMessage());
        }
    }

    /**
     * The gates of --gates-from / --margin-gates (data passes only; nothing is collected): the sampled or file gates,
     * or a baseline network's first layer (+ the sampled gates), then, with --margin-gates, {@link GateChoice#marginAware}.
     */
    private ConvexOptions chooseGates(ConvexOptions o, SparkPassRunner runner, SparkBlockData blocks, ConvexLoss lossKind) {
        GateChoice.Source source = gateSource();
        if (source == GateChoice.Source.SAMPLED && !marginGates) return o;
        int dp = blocks.d() + (bias ? 1 : 0);
        double[] sampled = o.gates() != null ? o.gates() : ConvexTrainer.sampleGates(o.patterns(), dp, o.seed());
        double[] candidates = sampled;
        if (source != GateChoice.Source.SAMPLED) {
            int width = baselineWidth > 0 ? baselineWidth : patterns(blocks.d());
            SgdReluTrainer.Result b = SgdReluTrainer.fit(runner, blocks, new SgdReluTrainer.Options(width, lossKind, weightDecay(),
                    baselineSteps, baselineBatch, baselineLr, true, gateSeed, Math.max(1, baselineSteps / 10))
                    .withAdversarial(baselineAdversarial(), attackEps, pgdSteps));
            double[] net = GateChoice.fromNetwork(b.network(), bias);
            candidates = source == GateChoice.Source.BASELINE ? net : GateChoice.concat(net, sampled);
            System.out.printf("gates: first layer of an Adam network (width %d, %d steps%s), %d gates%s%n", width, baselineSteps,
                    baselineAdversarial() == org.relulearn.algo.baseline.AdversarialTraining.NONE ? ""
                            : ", " + baselineAdversarial().label() + " adversarial training at eps " + attackEps,
                    net.length / dp, source == GateChoice.Source.BASELINE ? "" : " + " + sampled.length / dp + " sampled");
        }
        if (marginGates) candidates = GateChoice.marginAware(runner, blocks, candidates, bias, adversarialEps, System.out::println).gates();
        return o.withGates(candidates);
    }

    ConvexOptions options(int d) {
        if (!(adversarialEps >= 0) || Double.isInfinite(adversarialEps)) {
            throw new UserInputException("--adversarial-eps must be a finite radius >= 0 (0 = ordinary training), got " + adversarialEps);
        }
        if (adversarialEps > 0 && solver.equals("ipm")) {
            throw new UserInputException("--adversarial-eps needs --solver admm or auto (the robust program has its own solver); --solver ipm"
                    + " solves the ordinary squared-loss program");
        }
        if (adversarialEps > 0 && solver.equals("scp")) {
            throw new UserInputException("--adversarial-eps needs --solver admm (the robust cone program); SCP has no robust form here");
        }
        if (attackEps < 0) throw new UserInputException("--attack-eps must be >= 0, got " + attackEps);
        baselineAdversarial();
        GateChoice.Source source = gateSource();
        if (source != GateChoice.Source.SAMPLED && gatesFile != null) {
            throw new UserInputException("--gates " + gatesFile + " gives the gates, but --gates-from " + source.label()
                    + " asks for a network's: drop one of them");
        }
        if (solver.equals("ipm") && !ConvexLoss.parse(loss).equals(ConvexLoss.SQUARED)) {
            throw new UserInputException("--solver ipm solves the squared-loss program; --loss " + loss + " needs --solver admm (or auto)");
        }
        if ((source != GateChoice.Source.SAMPLED || marginGates) && solver.equals("scp")) {
            throw new UserInputException("--gates-from / --margin-gates choose the gates of --solver admm; SCP draws random features");
        }
        if (marginGates && !(adversarialEps > 0)) {
            throw new UserInputException("--margin-gates chooses gates with an l_inf margin for robust training: give --adversarial-eps > 0");
        }
        ConvexOptions.Solver solverKind = solverChoice();
        if (effectiveSolver().equals("gated")) {
            if (!ConvexLoss.parse(loss).equals(ConvexLoss.SQUARED)) {
                throw new UserInputException("--solver gated fits the squared loss; --loss " + loss + " needs --solver admm (or auto)");
            }
            if (adversarialEps > 0) throw new UserInputException("--adversarial-eps needs --solver admm (or auto); the gated program has no robust form");
            if (source != GateChoice.Source.SAMPLED || marginGates) {
                throw new UserInputException("--gates-from / --margin-gates choose gates for --solver admm; the gated solver samples its gates"
                        + " in standardised coordinates (or reads --gates)");
            }
        } else if (autoWeightDecay() && solver.equals("gated")) {
            throw new UserInputException("internal: gated solver not chosen");
        }
        decompositionChoice();   // an unknown spelling exits 2 before any work
        if (decomposition != null && !effectiveSolver().equals("gated")) {
            throw new UserInputException("--decomposition " + decomposition + " turns the gated solver's groups into ReLU units, but the"
                    + " solver here is " + effectiveSolver() + " (its groups are ReLU units already): drop --decomposition, or use"
                    + " --solver gated");
        }
        try {
            ConvexOptions.Route r;
            try {
                r = ConvexOptions.Route.valueOf(route.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown --route '" + route + "': use auto, dense, woodbury or cg");
            }
            ConvexOptions o = ConvexOptions.defaults().withLoss(ConvexLoss.parse(loss)).withBeta(weightDecay()).withPatterns(patterns(d))
                    .withBias(bias).withRho(rho == null ? Double.NaN : rho).withDualStep(dualStep).withMaxIter(maxIter)
                    .withTolerances(tol, tol).withGapTol(gapTol).withMaxSeconds(maxSeconds).withRoute(r).withMemoryCap((long) (memoryCapMb * (1 << 20)))
                    .withSeed(gateSeed).withRhoAdaptInterval(rhoAdapt).withAdversarialEps(adversarialEps)
                    .withConsensusWeight(consensusWeight == null ? Double.NaN : consensusWeight).withSolver(solverKind);
            if (gatesFile != null) {
                double[][] g = SyntheticOptions.readMatrix(gatesFile, "--gates");
                int dp = d + (bias ? 1 : 0);
                if (g[0].length != dp) {
                    throw new UserInputException("--gates " + gatesFile + " has " + g[0].length + " numbers per line, but the data needs "
                            + dp + " (" + d + " features" + (bias ? " + the bias coordinate" : "") + "): fix the file or the --bias setting");
                }
                o = o.withGates(SyntheticOptions.flatten(g));
            }
            return o;
        } catch (IllegalArgumentException e) {
            throw new UserInputException(e.getMessage());
        }
    }

    @Override
    public Integer call() {
        data.defaults("network", 10_000L);
        ConvexLoss lossKind;
        try {
            lossKind = ConvexLoss.parse(loss);
        } catch (IllegalArgumentException e) {
            throw new UserInputException(e.getMessage());
        }
        if (!input.present()) options(data.d); // bad options fail before any data is generated
        checkpoints.validate(output.out);
        if (checkpoints.active() && !solver.equals("admm") && !solver.equals("auto")) {
            throw new UserInputException("--checkpoint-dir / --resume apply to --solver admm only (scp and ipm run in tens of"
                    + " passes): drop them or use --solver admm");
        }
        try (RunOutput out = output.open("train-convex")) {
            SparkSession spark = engine.session("relulearn train convex");
            SparkPassRunner runner = engine.runner(spark);
            out.writeJson("params.json", CommandParams.of(spec));
            SparkBlockData blocks;
            Object dataConfig;
            if (input.present()) {
                InputOptions.Loaded in = input.load(spark, engine.blockBytes());
                if (in.truthJson() != null) out.writeJson("truth.json", in.truthJson());
                blocks = in.data();
                Map<String, Object> source = new LinkedHashMap<>();
                source.put("input", in.data().describe());
                source.put("rows", in.data().numRows());
                dataConfig = source;
            } else {
                SyntheticSource src = data.source(engine.blockBytes());
                if (lossKind.classification()) {
                    Teacher t = src.teacher();
                    if (t == null || t.outputDim() != 1) {
                        throw new UserInputException("--loss " + loss + " on synthetic data needs a one-output teacher (--teacher network -m 1)");
                    }
                    src = new SyntheticSource(src.distribution(), new ClassLabelTeacher(t, classThreshold, lossKind), data.corruption(1),
                            src.numRows(), src.seed(), src.stream(), src.rowsPerBlock());
                }
                out.writeJson("truth.json", src.describe());
                dataConfig = src.describe();
                blocks = CachedBlocks.cache(runner, src);
            }
            try {
                System.out.println("input: " + blocks.describe() + ", n = " + blocks.numRows() + ", d = " + blocks.d());
                ConvexOptions o;
                try {
                    o = chooseGates(options(blocks.d()), runner, blocks, lossKind);
                } catch (IllegalArgumentException e) {
                    throw new UserInputException(e.getMessage());
                }
                ConvexResult r;
                GatedReluTrainer.Fit gated = null;
                org.relulearn.algo.eval.PredictionMetrics baselineTest = null;
                if (autoWeightDecay() && !effectiveSolver().equals("gated")) {
                    System.out.println("weight decay: auto is chosen by cross-validation in the gated solver only; --solver " + solver
                            + " uses " + AUTO_FIXED_WEIGHT_DECAY);
                }
                try {
                    if (solver.equals("scp")) {
                        r = ScpTrainer.fit(runner, blocks, o, System.out::println);
                    } else if (effectiveSolver().equals("gated")) {
                        GatedReluTrainer.Settings st = GatedReluTrainer.Settings.defaults();
                        st = new GatedReluTrainer.Settings(autoWeightDecay(), st.folds(), st.pathLength(), st.pathRatio(), true, gateSeed,
                                decompositionChoice());
                        gated = GatedReluTrainer.fit(runner, blocks, o, st, System.out::println);
                        r = gated.result();
                    } else {
                        Map<String, Object> config = checkpointConfig(o, dataConfig);
                        org.relulearn.algo.convex.AdmmState.Resume resume = checkpoints.admmResume(config);   // before the sink creates the directory
                        r = ConvexTrainer.fit(runner, blocks, o, System.out::println, checkpoints.admmSink(config), resume);
                    }
                } catch (IllegalArgumentException e) {
                    throw new UserInputException(e.getMessage());
                }
                Map<String, Object> results = new LinkedHashMap<>();
                results.put("options", o.toMap());
                Map<String, Object> gm = new LinkedHashMap<>();
                gm.put("from", gateSource().label());
                gm.put("marginGates", marginGates);
                gm.put("count", o.gates() == null ? o.patterns() : o.gates().length / (blocks.d() + (bias ? 1 : 0)));
                results.put("gates", gm);
                results.put("fit", summary(r));
                if (gated != null) results.put("gated", gatedSummary(gated));
                report(r, lossKind);
                writeGates(out.file("gates.csv"), r.gates(), r.dp());
                writeHistory(out.file("history.csv"), r.history());
                if (baseline) {
                    int width = baselineWidth > 0 ? baselineWidth : Math.max(1, r.activeNeurons());
                    SgdReluTrainer.Result b = SgdReluTrainer.fit(runner, blocks, new SgdReluTrainer.Options(width, lossKind, weightDecay(),
                            baselineSteps, baselineBatch, baselineLr, true, gateSeed, Math.max(1, baselineSteps / 10))
                            .withAdversarial(baselineAdversarial(), attackEps, pgdSteps));
                    double lead = b.objective() - r.networkObjective();
                    if (gated != null) {
                        // The gated program is solved in standardised units: compare the two networks by training MSE instead.
                        double mseConvex = EvaluationOptions.score(runner, blocks, r.network(), "convex: training MSE").mse();
                        double mseAdam = EvaluationOptions.score(runner, blocks, b.network(), "baseline: training MSE").mse();
                        System.out.printf("baseline (Adam, width %d, %d steps of %d rows, weight decay %g): training MSE %.6g in %.2f s;"
                                + " convex (gated) network %.6g%n", width, baselineSteps, baselineBatch, weightDecay(), mseAdam, b.seconds(), mseConvex);
                        org.relulearn.algo.eval.PredictionMetrics bt = evaluation.testMetrics(spark, runner, input, engine.blockBytes(), b.network(),
                                "baseline: test metrics");
                        if (bt != null) {
                            System.out.printf("  baseline test: n = %d: MSE %.4g, R^2 %.4f%n", bt.rows(), bt.mse(), bt.r2());
                            baselineTest = bt;
                        }
                    } else {
                    // Say which side is lower in words, never "lower by" a negative number.
                    String comparison = lead >= 0 ? String.format("convex fit lower by %.4g", lead)
                            : String.format("convex fit higher by %.4g%s", -lead, r.converged() ? "" : " (the convex fit has not converged)");
                    System.out.printf("baseline (Adam%s, width %d, %d steps of %d rows): objective %.8g%s in %.2f s; %s%s%n",
                            baselineAdversarial() == org.relulearn.algo.baseline.AdversarialTraining.NONE ? ""
                                    : String.format(", %s adversarial training at eps %g", baselineAdversarial().label(), attackEps),
                            width, baselineSteps, baselineBatch, b.objective(),
                            lossKind.classification() ? String.format(", accuracy %.4f", b.accuracy()) : "", b.seconds(), comparison,
                            Double.isNaN(r.lowerBound()) ? "" : String.format(" (certified lower bound %.8g)", r.lowerBound()));
                    }
                    Map<String, Object> bm = new LinkedHashMap<>();
                    bm.put("width", width);
                    bm.put("steps", baselineSteps);
                    bm.put("batch", baselineBatch);
                    bm.put("adversarial", baselineAdversarial().label());
                    bm.put("objective", b.objective());
                    bm.put("bestObjective", b.bestObjective());
                    bm.put("accuracy", b.accuracy());
                    bm.put("seconds", b.seconds());
                    if (baselineTest != null) {
                        bm.put("testMse", baselineTest.mse());
                        bm.put("testR2", baselineTest.r2());
                    }
                    results.put("baseline", bm);
                    if (attackEps > 0 && lossKind.classification()) results.put("baselineAttack", attack(runner, blocks, b.network(), lossKind, "baseline"));
                }
                if (attackEps > 0 && lossKind.classification()) results.put("attack", attack(runner, blocks, r.network(), lossKind, "convex fit"));
                results.put("evaluation", evaluation.report(spark, runner, input, engine.blockBytes(), out, "convex", r.network(),
                        lossKind.classification(), blocks, null));
                out.writeJson("results.json", results);
                System.out.println("output: " + out.commit());
                return 0;
            } finally {
                blocks.blocks().unpersist(false);
            }
        }
    }

    /** What fixes the ADMM trajectory: a resumed run must match it (TrainingCheckpoint refuses otherwise). */
    private Map<String, Object> checkpointConfig(ConvexOptions o, Object source) {
        Map<String, Object> c = engine.checkpointConfig(o.toMap(), source);
        if (o.gates() != null) c.put("gates", org.relulearn.report.TrainingCheckpoint.encode(o.gates()));
        return c;
    }

    private Map<String, Object> attack(SparkPassRunner runner, SparkBlockData blocks, OneHiddenLayerNetwork net, ConvexLoss lossKind, String what) {
        double eps = attackEps;
        int steps = pgdSteps; // locals: the factory must not capture the (non-serialisable) command
        AttackAggregator a = runner.aggregate(blocks, () -> new AttackAggregator(net, lossKind, eps, steps),
                "convex: FGSM/PGD evaluation of the " + what);
        System.out.printf("%s under l_inf attacks, eps = %g: clean accuracy %.4f, FGSM %.4f, PGD-%d %.4f%n", what, attackEps,
                a.cleanAccuracy(), a.fgsmAccuracy(), pgdSteps, a.pgdAccuracy());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("eps", attackEps);
        m.put("clean", a.cleanAccuracy());
        m.put("fgsm", a.fgsmAccuracy());
        m.put("pgd", a.pgdAccuracy());
        m.put("pgdSteps", pgdSteps);
        return m;
    }

    static void report(ConvexResult r, ConvexLoss loss) {
        System.out.printf("convex fit (%s, %s loss as a sum over rows): %d of %d patterns used, route %s, rho %.4g, %d iterations (%s)%n",
                r.route(), loss.label(), r.patterns(), r.gatesSampled(), r.route(), r.rho(), r.iterations(), r.stopReason());
        System.out.printf("  objective %.8g, mapped network objective %.8g, active neurons %d%s%n", r.objective(), r.networkObjective(),
                r.activeNeurons(), Double.isNaN(r.accuracy()) ? "" : String.format(", training accuracy %.4f", r.accuracy()));
        if (!Double.isNaN(r.lowerBound())) {
            System.out.printf("  certificate: lower bound %.8g, gap %.4g (relative %.3g) -- over the cones of the patterns used%n",
                    r.lowerBound(), r.gap(), r.relativeGap());
        }
        System.out.printf("  time %.2f s (setup %.2f s, %.4f s per iteration), %d passes%n", r.seconds(), r.setupSeconds(),
                r.secondsPerIteration(), r.passes());
        RobustSummary rs = r.robust();
        if (rs != null) {
            System.out.printf("  robust (eps = %g, cones solved at %.6g): surrogate objective %.8g, max robust-cone violation %.3g before repair, "
                    + "%d group(s) repaired%n", rs.eps(), rs.epsSolve(), rs.surrogateObjective(), rs.maxViolationBeforeRepair(), rs.repairedGroups());
            System.out.printf("  robust: certified objective %.8g (worst-case loss %.8g), violation after repair %.3g, live groups %d, dead groups %d%s%n",
                    rs.certifiedObjective(), rs.certifiedLoss(), rs.maxViolationAfterRepair(), rs.liveGroups(), rs.deadGroups(),
                    Double.isNaN(rs.certifiedAccuracy()) ? "" : String.format(", certified robust accuracy %.4f", rs.certifiedAccuracy()));
        }
        for (String w : r.warnings()) System.out.println("  warning: " + w);
    }

    static Map<String, Object> gatedSummary(GatedReluTrainer.Fit g) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("program", "gated ReLU (group lasso over the sampled gates), standardised coordinates; objective and bound in those units");
        m.put("weightDecay", g.chosenBeta());
        m.put("folds", g.folds());
        m.put("reluUnits", g.reluUnits());
        m.put("rowsOnGateHyperplanes", g.infeasibleRows());
        Map<String, Object> dec = new LinkedHashMap<>();
        dec.put("kind", g.decomposition().label());
        dec.put("passes", g.decompositionPasses());
        dec.put("sumUnitNorms", g.decompositionPenalty());
        dec.put("sumUnitNormsOfShift", g.shiftPenalty());
        dec.put("sumGroupNorms", g.groupNormSum());
        m.put("decomposition", dec);
        m.put("standardisation", g.scale().describe());
        m.put("groups", g.result().groups());
        List<Map<String, Object>> path = new java.util.ArrayList<>();
        for (GatedReluTrainer.PathPoint pt : g.path()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("beta", pt.beta());
            e.put("trainMse", pt.trainMse());
            e.put("crossValidatedMse", pt.heldOutMse());
            e.put("groups", pt.active());
            e.put("iterations", pt.iterations());
            e.put("relativeGap", pt.relativeGap());
            path.add(e);
        }
        m.put("path", path);
        return m;
    }

    static Map<String, Object> summary(ConvexResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("route", r.route());
        m.put("patternsSampled", r.gatesSampled());
        m.put("patternsEffective", r.patterns());
        m.put("rho", r.rho());
        m.put("iterations", r.iterations());
        m.put("converged", r.converged());
        m.put("stopReason", r.stopReason());
        m.put("objective", r.objective());
        m.put("networkObjective", r.networkObjective());
        m.put("lowerBound", r.lowerBound());
        m.put("gap", r.gap());
        m.put("relativeGap", r.relativeGap());
        m.put("activeNeurons", r.activeNeurons());
        m.put("maxConeViolation", r.maxConeViolation());
        m.put("accuracy", r.accuracy());
        m.put("seconds", r.seconds());
        m.put("secondsPerIteration", r.secondsPerIteration());
        m.put("passes", r.passes());
        m.put("warnings", r.warnings());
        m.put("network", r.network().describe());
        if (r.robust() != null) m.put("robust", r.robust().toMap());
        return m;
    }

    static void writeGates(Path file, double[] gates, int dp) {
        StringBuilder sb = new StringBuilder("# one gate vector per line (the bias coordinate last when the fit has biases)\n");
        for (int i = 0; i < gates.length / dp; i++) {
            for (int j = 0; j < dp; j++) sb.append(j == 0 ? "" : ",").append(gates[i * dp + j]);
            sb.append('\n');
        }
        write(file, sb.toString());
    }

    static void writeHistory(Path file, List<ConvexResult.Iteration> history) {
        StringBuilder sb = new StringBuilder("iteration,objective,network_objective,lower_bound,relative_gap,primal_residual,dual_residual,active,cone_violation,seconds\n");
        for (ConvexResult.Iteration it : history) {
            sb.append(String.format(Locale.ROOT, "%d,%.12g,%.12g,%.12g,%.6g,%.6g,%.6g,%d,%.6g,%.4f%n", it.k(), it.objective(), it.networkObjective(),
                    it.lowerBound(), it.relativeGap(), it.primalResidual(), it.dualResidual(), it.active(), it.coneViolation(), it.seconds()));
        }
        write(file, sb.toString());
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot write " + file, e);
        }
    }
}
