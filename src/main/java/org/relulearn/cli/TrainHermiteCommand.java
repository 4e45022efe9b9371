package org.relulearn.cli;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.relulearn.algo.hermite.HermiteOptions;
import org.relulearn.algo.hermite.HermiteRecovery;
import org.relulearn.algo.hermite.HermiteResult;
import org.relulearn.algo.hermite.HermiteTeacher;
import org.relulearn.algo.hermite.HermiteTrainer;
import org.relulearn.algo.hermite.UnitCoefficientFit;
import org.relulearn.data.Block;
import org.relulearn.data.OneHiddenLayerNetwork;
import org.relulearn.data.SyntheticSource;
import org.relulearn.data.Teacher;
import org.relulearn.engine.Data;
import org.relulearn.engine.SyntheticData;
import org.relulearn.error.UserInputException;
import org.relulearn.report.RunOutput;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code relulearn train hermite}: y = sum_i a_i relu(w_i.x + b_i) (+ noise), x ~ N(0, I_d), m <= d,
 * from Hermite moment tensors (Awasthi, Tang, Vijayaraghavan, arXiv 2107.10209): four passes
 * (statistics, order 2, random contractions, unit coefficients), optional affine fit and
 * gradient-descent polish. Synthetic by default (the reference teacher of docs/hermite.md with
 * --teacher-biases), or {@code --input} files with one label column. Prints the
 * order-2 spectrum and m, every warning, the fitted units and, when the truth is known, the recovery.
 */
@Command(name = "hermite", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Learn y = sum_i a_i relu(w_i.x + b_i) (biases allowed; x ~ N(0, I_d); m <= d) from Hermite moment tensors:",
                "order-2 subspace, random contractions of orders 3 and 4, Jennrich, per-unit Hermite coefficients."})
public final class TrainHermiteCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin SyntheticOptions data;
    @Mixin InputOptions input;
    @Mixin EngineOptions engine;
    @Mixin OutputOptions output;
    @Mixin CheckpointOptions checkpoints;
    @Mixin EvaluationOptions evaluation;

    @Option(names = "--teacher-biases", defaultValue = "0,1,-1,0.5",
            description = "Synthetic reference teacher (docs/hermite.md): one hidden unit per bias (unit w_i, a_i = +-U[0.5,1.5]); 'random' uses the"
                    + " generic network teacher (-k, --bias-scale, --condition). Default: ${DEFAULT-VALUE}.")
    String teacherBiases;

    @Option(names = "--fit-hidden", defaultValue = "0",
            description = "Hidden units m to fit (0 = auto: order-2 eigenvalues above the noise threshold). Default: ${DEFAULT-VALUE}.")
    int fitHidden;

    @Option(names = "--contractions", defaultValue = "6", description = "L random contractions of orders 3/4. Default: ${DEFAULT-VALUE}.")
    int contractions;

    @Option(names = "--kmax", defaultValue = "5", description = "Highest Hermite order of the unit coefficients. Default: ${DEFAULT-VALUE}.")
    int kmax;

    @Option(names = "--bias-bound", defaultValue = "3", description = "B: biases are searched on [-B, B]. Default: ${DEFAULT-VALUE}.")
    double biasBound;

    @Option(names = "--grid", defaultValue = "6001", description = "Points of the bias grid. Default: ${DEFAULT-VALUE}.")
    int grid;

    @Option(names = "--variance-reduction", defaultValue = "true", negatable = true, fallbackValue = "true",
            description = "[engineering] Subtract the fitted degree<=2 part of y before the high-order sums. Default: ${DEFAULT-VALUE}.")
    boolean varianceReduction;

    @Option(names = "--affine-fit", defaultValue = "auto",
            description = "[engineering] off, on, or auto (on when m is automatic or a unit is doubtful): fit the residual affine"
                    + " function, emitted as extra ReLU units. Default: ${DEFAULT-VALUE}.")
    String affineFit;

    @Option(names = "--polish", defaultValue = "0",
            description = "[engineering] Gradient-descent passes over (a, W, b) after the tensor fit (0 = none). Default: ${DEFAULT-VALUE}.")
    int polish;

    @Option(names = "--polish-step", defaultValue = "0.2", description = "Polish step eta. Default: ${DEFAULT-VALUE}.")
    double polishStep;

    @Option(names = "--polish-momentum", defaultValue = "0.9", description = "Polish heavy-ball momentum (0 = plain GD). Default: ${DEFAULT-VALUE}.")
    double polishMomentum;

    @Option(names = "--strict-input", defaultValue = "true", negatable = true, fallbackValue = "true",
            description = "Inputs failing the N(0, I) checks are an error (else a warning). Default: ${DEFAULT-VALUE}.")
    boolean strictInput;

    @Option(names = "--faithful", description = "The paper-faithful configuration: no variance reduction, no affine fit, no polish"
            + " (needs --fit-hidden).")
    boolean faithful;

    @Option(names = "--held-out", defaultValue = "100000",
            description = "Synthetic data: rows of an independent noiseless stream for the held-out relative error. Default: ${DEFAULT-VALUE}.")
    long heldOutRows;

    @Option(names = "--held-out-fraction", defaultValue = "0.1",
            description = "File input: share of rows held out (chosen by a hash of each row and --seed) for the held-out error;"
                    + " 0 keeps every row for the fit. Default: ${DEFAULT-VALUE}.")
    double heldOutFraction;

    @Option(names = "--fit-seed", defaultValue = "1", description = "Seed of the random contractions. Default: ${DEFAULT-VALUE}.")
    long fitSeed;

    HermiteOptions options() {
        try {
            if (faithful) {
                if (fitHidden < 1) throw new UserInputException("--faithful needs --fit-hidden m >= 1 (automatic m is an engineering addition)");
                return HermiteOptions.faithful(fitHidden).withContractions(contractions).withKmax(kmax).withBiasBound(biasBound)
                        .withStrictInput(strictInput).withSeed(fitSeed);
            }
            return new HermiteOptions(fitHidden, contractions, kmax, biasBound, grid, varianceReduction,
                    HermiteOptions.parseAffineFit(affineFit), polish, polishStep, polishMomentum, 6.0, strictInput, fitSeed);
        } catch (IllegalArgumentException e) {
            throw new UserInputException(e.getMessage());
        }
    }

    /** The synthetic source: the reference teacher with the given biases, or the generic network teacher. */
    SyntheticSource source() {
        if (teacherBiases.trim().equalsIgnoreCase("random")) return data.source(engine.blockBytes());
        double[] biases;
        try {
            biases = Arrays.stream(teacherBiases.split(",")).map(String::trim).mapToDouble(Double::parseDouble).toArray();
        } catch (NumberFormatException e) {
            throw new UserInputException("--teacher-biases '" + teacherBiases + "' is not a comma-separated list of numbers (or 'random')");
        }
        long seed = data.teacherSeed != null ? data.teacherSeed : data.seed;
        OneHiddenLayerNetwork t = HermiteTeacher.network(data.d, biases, seed);
        if (data.samples() < 1) throw new UserInputException("--samples must be >= 1, got " + data.samples());
        return new SyntheticSource(data.inputDistribution(), t, data.corruption(1), data.samples(), data.seed, data.stream,
                Block.rowsForBudget(data.d, 1, engine.blockBytes()));
    }

    @Override
    public Integer call() {
        data.defaults("network", 1_000_000L);
        HermiteOptions options = options();
        if (heldOutRows < 1) throw new UserInputException("--held-out must be >= 1 row, got " + heldOutRows);
        if (!(heldOutFraction >= 0 && heldOutFraction < 1)) {
            throw new UserInputException("--held-out-fraction must be in [0, 1), got " + heldOutFraction + "; use e.g. 0.1, or 0 for none");
        }
        checkpoints.validate(output.out);
        if (checkpoints.active() && options.polishIterations() < 1) {
            throw new UserInputException("--checkpoint-dir / --resume save and continue the polish, and this run has none: give"
                    + " --polish N > 0 or drop the checkpoint options");
        }
        try (RunOutput out = output.open("train-hermite")) {
            SparkSession spark = engine.session("relulearn train hermite");
            org.relulearn.spark.SparkPassRunner runner = engine.runner(spark);
            out.writeJson("params.json", CommandParams.of(spec));
            Map<String, Object> results = new LinkedHashMap<>();
            if (input.present()) {
                InputOptions.Loaded in = input.load(spark, engine.blockBytes());
                try {
                    if (in.truthJson() != null) out.writeJson("truth.json", in.truthJson());
                    org.relulearn.engine.Data train = in.data(), held = null;
                    if (heldOutFraction > 0) {
                        org.relulearn.spark.HeldOutSplit.Split split = org.relulearn.spark.HeldOutSplit.split(in.data(), heldOutFraction, data.seed);
                        train = split.train();
                        held = split.heldOut();
                        System.out.printf("input: %s (%,d training rows, %,d held out)%n", in.data().describe(), split.train().numRows(),
                                split.heldOut().numRows());
                    } else {
                        System.out.println("input: " + in.data().describe());
                    }
                    Map<String, Object> config = checkpointConfig(options, Map.of("input", in.data().describe(), "rows", in.data().numRows(),
                            "heldOutFraction", heldOutFraction));
                    org.relulearn.algo.hermite.PolishState resume = checkpoints.polishResume(config);   // before the sink creates the directory
                    HermiteResult r = HermiteTrainer.fit(runner, train, held, options, checkpoints.polishSink(config), resume);
                    results.put("fit", r.toMap());
                    report(r, null);
                    results.put("evaluation", evaluation.report(spark, runner, input, engine.blockBytes(), out, "hermite", network(r), false,
                            train, held));
                } finally {
                    in.data().blocks().unpersist(false);
                }
            } else {
                SyntheticSource src = source();
                if (src.m() != 1) throw new UserInputException("the Hermite fit has one output: use -m 1 (got " + src.m() + ")");
                out.writeJson("truth.json", src.describe());
                Data held = new SyntheticData(new SyntheticSource(src.distribution(), src.teacher(), null, heldOutRows, src.seed(),
                        Long.MIN_VALUE / 2 + src.stream(), src.rowsPerBlock()));
                System.out.println("input: " + new SyntheticData(src).describe());
                // The polish makes one pass per iteration: generate the rows once and cache them instead of regenerating.
                Data train = options.polishIterations() > 0 ? org.relulearn.spark.CachedBlocks.cache(runner, src) : new SyntheticData(src);
                HermiteResult r;
                try {
                    Map<String, Object> config = checkpointConfig(options, src.describe());
                    config.put("heldOut", heldOutRows);
                    org.relulearn.algo.hermite.PolishState resume = checkpoints.polishResume(config);   // before the sink creates the directory
                    r = HermiteTrainer.fit(runner, train, held, options, checkpoints.polishSink(config), resume);
                } finally {
                    if (train instanceof org.relulearn.spark.SparkBlockData cached) org.relulearn.spark.CachedBlocks.release(cached);
                }
                results.put("fit", r.toMap());
                HermiteRecovery rec = null;
                Teacher t = src.teacher();
                if (t instanceof OneHiddenLayerNetwork net && net.hiddenUnits() <= r.units()) {
                    rec = HermiteRecovery.of(r.tensorNet(), HermiteTeacher.asNet(net));
                    results.put("recovery", Map.of("parameterError", rec.parameterError(), "minAbsCosine", rec.minAbsCosine(),
                            "minSignedCosine", rec.minSignedCosine(), "orientationsRight", rec.orientationsRight()));
                }
                report(r, rec);
                results.put("evaluation", evaluation.report(spark, runner, input, engine.blockBytes(), out, "hermite", network(r), false,
                        null, held));
            }
            out.writeJson("results.json", results);
            System.out.println("output: " + out.commit());
            return 0;
        }
    }

    /** What fixes the polish trajectory: a resumed run must match it (TrainingCheckpoint refuses otherwise). */
    private Map<String, Object> checkpointConfig(HermiteOptions o, Object source) {
        return engine.checkpointConfig(org.relulearn.report.Json.mapper().convertValue(o, Map.class), source);
    }

    static void report(HermiteResult r, HermiteRecovery rec) {
        System.out.printf("hermite fit: N=%,d d=%d m=%d (%d order-2 eigenvalues above the noise threshold %.4g)%n", r.n(), r.d(), r.units(),
                r.visibleUnits(), r.threshold());
        System.out.printf("  order-2 eigenvalues: %s%n", fmt(r.eigenvalues()));
        for (String m : r.messages()) System.out.println("  " + m);
        System.out.printf("  Jennrich: score %.3g, |Im|/|lambda| %.3g, cond(What) %.3g%n", r.jennrichScore(), r.jennrichImagRatio(),
                r.directionCondition());
        for (int i = 0; i < r.units(); i++) {
            UnitCoefficientFit f = r.unitFits().get(i);
            System.out.printf("  unit %d: a = %+.4f, b = %+.4f (orientation %s%s)%n", i, r.tensorNet().a()[i], r.tensorNet().b()[i],
                    f.sign() > 0 ? "+" : "-", f.ambiguous() ? ", ambiguous" : "");
        }
        if (r.affineUnits().units() > 0) System.out.printf("  affine part: %d extra ReLU units%n", r.affineUnits().units());
        double[] s = r.seconds();
        StringBuilder sb = new StringBuilder("  passes:");
        for (int i = 0; i < s.length; i++) if (s[i] > 0) sb.append(String.format(" %s %.2f s,", HermiteTrainer.PASS_NAMES.get(i), s[i]));
        System.out.println(sb.substring(0, sb.length() - 1));
        if (!Double.isNaN(r.trainingError())) System.out.printf("  training relative error %.4g%n", r.trainingError());
        if (!Double.isNaN(r.heldOutError())) System.out.printf("  held-out relative error %.4g%n", r.heldOutError());
        if (rec != null) System.out.printf("  recovery: parameter error %.4g, min |cos| %.5f, min signed cos %.5f, orientations right %d%n",
                rec.parameterError(), rec.minAbsCosine(), rec.minSignedCosine(), rec.orientationsRight());
    }

    static String fmt(double[] v) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < v.length; i++) sb.append(i > 0 ? ", " : "").append(String.format("%.4g", v[i]));
        return sb.append(']').toString();
    }

    /** a^T relu(W x + b): the fitted network (the tensor units and the affine part's units). */
    static org.relulearn.data.OneHiddenLayerNetwork network(HermiteResult r) {
        org.relulearn.algo.hermite.ReluNet net = r.network();
        return new org.relulearn.data.OneHiddenLayerNetwork(net.d(), net.units(), 1, net.w(), net.b(), net.a());
    }
}
