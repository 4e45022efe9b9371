package org.relulearn.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.relulearn.algo.tensorgd.GdPoint;
import org.relulearn.algo.tensorgd.HiddenUnitCount;
import org.relulearn.algo.tensorgd.InitResult;
import org.relulearn.algo.tensorgd.TensorGdOptions;
import org.relulearn.algo.tensorgd.TensorGdResult;
import org.relulearn.algo.tensorgd.TensorGdTrainer;
import org.relulearn.algo.tensorgd.ZhongTeacher;
import org.relulearn.data.AdditiveNoise;
import org.relulearn.data.Block;
import org.relulearn.data.Distributions;
import org.relulearn.data.OneHiddenLayerNetwork;
import org.relulearn.data.SyntheticSource;
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
 * {@code relulearn train tensor-gd}: y = sum_j v_j relu(w_j . x) + noise with x ~ N(0, I_d), by the
 * tensor initialisation of Zhong et al. followed by full-batch gradient descent (Zhang et al. 2019;
 * docs/tensor-gd.md). Synthetic data (the Zhong teacher W* = U diag(linspace(1, kappa, K)) Q^T,
 * cached on the executors) or files via --input. Prints the initialisation diagnostics, every
 * warning of docs/tensor-gd.md, Diagnostics, the loss curve (and matched errors with a known truth); bad input
 * exits with code 2.
 */
@Command(name = "tensor-gd", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Learn y = sum_j v_j relu(w_j . x) + noise for Gaussian inputs: tensor initialisation (Zhong et al.),",
                "then full-batch gradient descent on the squared loss (Zhang et al. 2019). One Spark pass per step."})
public final class TrainTensorGdCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin InputOptions input;
    @Mixin EngineOptions engine;
    @Mixin OutputOptions output;
    @Mixin CheckpointOptions checkpoints;
    @Mixin EvaluationOptions evaluation;

    @Option(names = {"-d", "--dim"}, defaultValue = "10", description = "Synthetic: input dimension d. Default: ${DEFAULT-VALUE}.")
    int d;

    @Option(names = {"-k", "--hidden"}, defaultValue = "auto",
            description = "Hidden units K of the fit: auto (the eigenvalues of the order-2 moment matrix above its measured noise)"
                    + " or a number. Synthetic data: also the teacher's K (auto: a teacher of 5 units). Default: ${DEFAULT-VALUE}.")
    String hidden;

    /** K of the fit (0 = auto), set by call(). */
    int k;

    /** Units of the synthetic teacher when -k is auto. */
    static final int SYNTHETIC_DEFAULT_K = 5;

    @Option(names = {"-n", "--samples"}, defaultValue = "100000", description = "Synthetic: rows n. Default: ${DEFAULT-VALUE}.")
    long n;

    @Option(names = "--noise", defaultValue = "0", description = "Synthetic: label noise sd nu. Default: ${DEFAULT-VALUE}.")
    double noise;

    @Option(names = "--kappa", defaultValue = "2", description = "Synthetic: condition number of W*. Default: ${DEFAULT-VALUE}.")
    double kappa;

    @Option(names = "--signs", defaultValue = "ones", description = "Synthetic teacher output weights: ones or random (+-1). Default: ${DEFAULT-VALUE}.")
    String signs;

    @Option(names = "--distribution", defaultValue = "gaussian",
            description = "Synthetic input law (anything but gaussian triggers the Gaussian-input check). Default: ${DEFAULT-VALUE}.")
    String distribution;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the synthetic data and teacher. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--output-weights", defaultValue = "unknown",
            description = "v for the fit: unknown (signs recovered by the initialisation), known (the synthetic teacher's),"
                    + " ones, or a comma list of K numbers. Default: ${DEFAULT-VALUE}.")
    String outputWeights;

    @Option(names = "--init", defaultValue = "tensor", description = "tensor or random (plain GD baseline). Default: ${DEFAULT-VALUE}.")
    String init;

    @Option(names = "--init-only", defaultValue = "false", description = "Stop after the initialisation.")
    boolean initOnly;

    @Option(names = "--faithful", defaultValue = "false",
            description = "The paper's configuration: faithful split, no variance reduction, alpha variant, KCL decomposer,"
                    + " constant eta.")
    boolean faithful;

    @Option(names = "--split", description = "faithful (disjoint thirds) or reuse (every step all rows). Default: faithful.")
    String split;

    @Option(names = "--variance-reduction", negatable = true, fallbackValue = "true",
            description = "Subtract the degree <= 2 part of y before the order-2/4 statistics. Default: on (off with --faithful).")
    Boolean varianceReduction;

    @Option(names = "--variant", description = "alpha (paper: M4(V,V,V,alpha)) or m4proj (M4(V,V,V,V)). Default: m4proj (alpha with --faithful).")
    String variant;

    @Option(names = "--decomposer",
            description = "jennrich (restarts scored by residual) or kcl (the paper's: random projections + QRJ1D joint"
                    + " diagonalisation). Default: jennrich (kcl with --faithful).")
    String decomposer;

    @Option(names = "--trials", defaultValue = "30", description = "Jennrich restarts. Default: ${DEFAULT-VALUE}.")
    int trials;

    @Option(names = "--eta", description = "GD step size (default: 1/lambda_max of the Gauss-Newton matrix at W^(0)).")
    Double eta;

    @Option(names = "--power-iterations", defaultValue = "10", description = "Passes for lambda_max. Default: ${DEFAULT-VALUE}.")
    int powerIterations;

    @Option(names = "--iterations", defaultValue = "5000", description = "GD iteration cap T (the run normally ends on --tol). Default: ${DEFAULT-VALUE}.")
    int iterations;

    @Option(names = "--tol", defaultValue = "1e-7", description = "Stop when ||W_t+1 - W_t||/||W_t|| < tol. Default: ${DEFAULT-VALUE}.")
    double tol;

    @Option(names = "--halve-on-increase", negatable = true, fallbackValue = "true",
            description = "Reject a step that raises the loss and halve eta. Default: on (off with --faithful).")
    Boolean halve;

    @Option(names = "--strict", defaultValue = "false", description = "A failed Gaussian-input check is an error (default: a warning).")
    boolean strict;

    @Option(names = "--fit-seed", defaultValue = "1", description = "Seed of the fit's random draws (split, alpha, Jennrich, random start).")
    long fitSeed;

    @Option(names = "--print-every", defaultValue = "50", description = "Print every this many GD iterations. Default: ${DEFAULT-VALUE}.")
    int printEvery;

    TensorGdOptions options(double[] knownV) {
        try {
            TensorGdOptions o = TensorGdOptions.defaults(k).withJennrichTrials(trials).withSeed(fitSeed)
                    .withIterations(iterations, tol).withPowerIterations(powerIterations).withInitOnly(initOnly).withStrictGaussian(strict)
                    .withInit(parse(TensorGdOptions.Init.class, init, "--init"));
            if (faithful) o = o.faithful();
            if (split != null) o = o.withSplit(parse(TensorGdOptions.Split.class, split, "--split"));
            if (varianceReduction != null) o = o.withVarianceReduction(varianceReduction);
            if (variant != null) o = o.withVariant(parse(TensorGdOptions.Variant.class, variant, "--variant"));
            if (decomposer != null) o = o.withDecomposer(parse(TensorGdOptions.Decomposer.class, decomposer, "--decomposer"));
            if (halve != null) o = o.withHalveOnIncrease(halve);
            if (eta != null) o = o.withEta(eta);
            return o.withV(knownV);
        } catch (IllegalArgumentException e) {
            throw new UserInputException(e.getMessage());
        }
    }

    static <E extends Enum<E>> E parse(Class<E> type, String value, String option) {
        try {
            return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            List<String> names = new ArrayList<>();
            for (E c : type.getEnumConstants()) names.add(c.name().toLowerCase(Locale.ROOT));
            throw new UserInputException(option + " '" + value + "' is not one of " + names);
        }
    }

    /** v from --output-weights (teacherV: the synthetic teacher's, or from truth.json; may be null). */
    double[] knownV(double[] teacherV) {
        String s = outputWeights.trim().toLowerCase(Locale.ROOT);
        switch (s) {
            case "unknown":
                return null;
            case "ones": {
                if (k == TensorGdOptions.AUTO_K) {
                    throw new UserInputException("--output-weights ones needs the number of hidden units: give -k N (-k auto"
                            + " chooses K from the data), or a comma list of K weights");
                }
                double[] v = new double[k];
                java.util.Arrays.fill(v, 1);
                return v;
            }
            case "known":
                if (teacherV == null) {
                    throw new UserInputException("--output-weights known needs a teacher: synthetic data or --input with a network"
                            + " truth.json; give the weights as a comma list instead");
                }
                if (k == TensorGdOptions.AUTO_K) k = teacherV.length;  // the teacher's weights fix K
                return teacherV;
            default: {
                String[] parts = s.split(",");
                if (k == TensorGdOptions.AUTO_K) k = parts.length;     // K weights fix K
                if (parts.length != k) {
                    throw new UserInputException("--output-weights has " + parts.length + " numbers but -k is " + k + ": give K numbers");
                }
                double[] v = new double[k];
                for (int j = 0; j < k; j++) {
                    try {
                        v[j] = Double.parseDouble(parts[j].trim());
                    } catch (NumberFormatException e) {
                        throw new UserInputException("--output-weights entry '" + parts[j] + "' is not a number (or use unknown, known, ones)");
                    }
                }
                return v;
            }
        }
    }

    @Override
    public Integer call() {
        if (hidden.trim().equalsIgnoreCase("auto")) {
            k = TensorGdOptions.AUTO_K;
        } else {
            try {
                k = Integer.parseInt(hidden.trim());
            } catch (NumberFormatException e) {
                throw new UserInputException("-k/--hidden '" + hidden + "' must be auto or a whole number of hidden units");
            }
            if (k < 1) throw new UserInputException("-k/--hidden must be auto or >= 1, got " + k);
        }
        if (printEvery < 1) throw new UserInputException("--print-every must be >= 1, got " + printEvery);
        checkpoints.validate(output.out);
        try (RunOutput out = output.open("train-tensor-gd")) {
            SparkSession spark = engine.session("relulearn train tensor-gd");
            SparkPassRunner runner = engine.runner(spark);
            out.writeJson("params.json", CommandParams.of(spec));
            Map<String, Object> results = new LinkedHashMap<>();
            SparkBlockData data;
            Object dataConfig;
            double[] truthW = null, truthV = null;
            double noiseVar = Double.NaN;
            if (input.present()) {
                InputOptions.Loaded in = input.load(spark, engine.blockBytes());
                data = in.data();
                dataConfig = Map.of("input", data.describe(), "rows", data.numRows());
                if (in.truthJson() != null) {
                    out.writeJson("truth.json", in.truthJson());
                    double[][] wv = networkTruth(in.truthJson(), data.d());
                    if (wv != null) {
                        truthW = wv[0];
                        truthV = wv[1];
                    }
                }
                System.out.println("input: " + data.describe());
            } else {
                if (d < 1) throw new UserInputException("-d/--dim must be >= 1, got " + d);
                int teacherK = k == TensorGdOptions.AUTO_K ? SYNTHETIC_DEFAULT_K : k;
                if (teacherK > d) throw new UserInputException("-k " + teacherK + " exceeds -d " + d + ": the model needs K <= d");
                if (n < 1) throw new UserInputException("-n/--samples must be >= 1, got " + n);
                if (noise < 0) throw new UserInputException("--noise must be >= 0, got " + noise);
                if (!(kappa >= 1)) throw new UserInputException("--kappa must be >= 1, got " + kappa);
                boolean randomSigns = switch (signs.toLowerCase(Locale.ROOT)) {
                    case "ones" -> false;
                    case "random" -> true;
                    default -> throw new UserInputException("--signs '" + signs + "' must be ones or random");
                };
                OneHiddenLayerNetwork teacher = ZhongTeacher.create(d, teacherK, kappa, randomSigns, seed);
                SyntheticSource src;
                try {
                    src = new SyntheticSource(Distributions.parse(distribution, d), teacher,
                            noise > 0 ? AdditiveNoise.isotropic(1, noise) : null, n, seed, 0, Block.rowsForBudget(d, 1, engine.blockBytes()));
                } catch (IllegalArgumentException e) {
                    throw new UserInputException(e.getMessage());
                }
                out.writeJson("truth.json", src.describe());
                dataConfig = src.describe();
                truthW = teacher.weights();
                truthV = teacher.outputWeights();
                noiseVar = noise * noise;
                // GD makes hundreds of passes over the same rows: generate them once, on the executors.
                data = CachedBlocks.cache(runner, src);
                System.out.printf("input: %s, d=%d, teacher K=%d, kappa=%.3g, v %s%n", data.describe(), d, teacherK, kappa, randomSigns ? "+-1" : "= 1");
            }
            try {
                TensorGdOptions o = options(knownV(truthV));
                Map<String, Object> config = checkpointConfig(o, dataConfig);
                org.relulearn.algo.tensorgd.DescentState resume = checkpoints.descentResume(config);   // before the sink creates the directory
                TensorGdResult r = TensorGdTrainer.fit(runner, data, o, truthW, noiseVar, checkpoints.descentSink(config), resume);
                results.put("fit", toMap(r, o));
                report(r, o, printEvery);
                results.put("evaluation", evaluation.report(spark, runner, input, engine.blockBytes(), out, "tensor-gd",
                        new OneHiddenLayerNetwork(r.d(), r.k(), 1, r.w(), null, r.v()), false, data, null));
            } finally {
                data.blocks().unpersist(false);
            }
            out.writeJson("results.json", results);
            System.out.println("output: " + out.commit());
            return 0;
        }
    }

    /** What fixes the trajectory: a resumed run must match it (TrainingCheckpoint refuses otherwise). */
    private Map<String, Object> checkpointConfig(TensorGdOptions o, Object source) {
        // every option of the fit (the record's components), so a new option is covered without a change here
        return engine.checkpointConfig(org.relulearn.report.Json.mapper().convertValue(o, Map.class), source);
    }

    /**
     * W* (K x d) and v from a generated truth.json with a one-output network teacher of K units and no
     * biases, else null; put in the form v_j = +-1 (|v_j| moved into w_j).
     */
    @SuppressWarnings("unchecked")
    static double[][] networkTruth(Map<String, Object> truth, int d) {
        try {
            Object t = truth.get("teacher");
            if (!(t instanceof Map<?, ?> m) || !"one-hidden-layer".equals(m.get("type"))) return null;
            List<List<Number>> w = (List<List<Number>>) m.get("W");
            List<List<Number>> a = (List<List<Number>>) m.get("A");
            if (w == null || a == null || w.isEmpty() || a.size() != 1 || w.get(0).size() != d) return null;
            int k = w.size();
            double[] wf = new double[k * d], v = new double[k];
            for (int j = 0; j < k; j++) {
                // relu is positively homogeneous: v_j relu(w_j . x) = sign(v_j) relu(|v_j| w_j . x), the form the fit recovers
                double vj = a.get(0).get(j).doubleValue();
                if (vj == 0) return null;
                for (int i = 0; i < d; i++) wf[j * d + i] = Math.abs(vj) * w.get(j).get(i).doubleValue();
                v[j] = Math.signum(vj);
            }
            List<?> b = (List<?>) m.get("b");
            if (b != null) for (Object x : b) if (((Number) x).doubleValue() != 0) return null;
            return new double[][] {wf, v};
        } catch (ClassCastException | NullPointerException e) {
            return null;
        }
    }

    static Map<String, Object> toMap(TensorGdResult r, TensorGdOptions o) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("d", r.d());
        m.put("k", r.k());
        m.put("n", r.n());
        m.put("configuration", Map.of("split", o.split().name().toLowerCase(Locale.ROOT), "varianceReduction", o.varianceReduction(),
                "variant", o.variant().name().toLowerCase(Locale.ROOT), "init", o.init().name().toLowerCase(Locale.ROOT),
                "jennrichTrials", o.jennrichTrials(), "halveOnIncrease", o.halveOnIncrease(),
                "decomposer", o.decomposer().name().toLowerCase(Locale.ROOT)));
        InitResult in = r.init();
        HiddenUnitCount uc = in.unitCount();
        Map<String, Object> kc = new LinkedHashMap<>();
        kc.put("mode", uc == null ? "given" : "auto");
        if (uc != null) {
            kc.put("rule", "eigenvalues of P2 with |lambda| > " + HiddenUnitCount.SAFETY + " x the noise measured in the remaining directions");
            kc.put("eigenvalues", uc.eigenvalues());
            kc.put("noiseLevel", uc.noiseLevel());
            kc.put("threshold", uc.threshold());
        }
        m.put("kChoice", kc);
        m.put("W", rows(r.w(), r.k(), r.d()));
        m.put("v", r.v());
        Map<String, Object> init = new LinkedHashMap<>();
        init.put("W0", rows(in.w0(), r.k(), r.d()));
        init.put("random", in.random());
        if (!in.random()) {
            init.put("eigenvalues", in.eigenvalues());
            init.put("nextEigenvalue", in.nextEigenvalue());
            init.put("eigenGapRatio", in.gapRatio());
            init.put("decompositionResidual", in.residual());
            init.put("imaginaryRatio", in.imaginaryRatio());
            init.put("maxAbsCosine", in.maxAbsCosine());
            init.put("zhat", in.zhat());
            init.put("rhat", in.rhat());
            init.put("recoveredSigns", in.recoveredSigns());
            init.put("rowsS2S3S4aS4b", in.rows());
        }
        init.put("matchedError", r.initError());
        m.put("init", init);
        if (r.gd() != null) {
            Map<String, Object> gd = new LinkedHashMap<>();
            gd.put("eta", r.gd().eta());
            gd.put("lambdaMax", r.gd().lambdaMax());
            gd.put("iterations", r.gd().iterations());
            gd.put("converged", r.gd().converged());
            gd.put("halvings", r.gd().halvings());
            gd.put("finalLoss", r.finalLoss());
            gd.put("finalMatchedError", r.finalError());
            List<Map<String, Object>> trace = new ArrayList<>();
            for (GdPoint p : r.gd().trace()) {
                Map<String, Object> pt = new LinkedHashMap<>();
                pt.put("t", p.t());
                pt.put("loss", p.loss());
                pt.put("eta", p.eta());
                pt.put("relativeStep", p.relativeStep());
                if (!Double.isNaN(p.matchedError())) pt.put("matchedError", p.matchedError());
                trace.add(pt);
            }
            gd.put("trace", trace);
            m.put("gd", gd);
        }
        m.put("warnings", r.warnings());
        m.put("seconds", Map.of("phase1", r.seconds()[0], "phase2", r.seconds()[1]));
        return m;
    }

    static void report(TensorGdResult r, TensorGdOptions o, int every) {
        InitResult in = r.init();
        System.out.printf("tensor-gd: n=%,d d=%d K=%d (split %s, variance reduction %s, variant %s, decomposer %s, init %s)%n", r.n(),
                r.d(), r.k(), o.split().name().toLowerCase(Locale.ROOT), o.varianceReduction() ? "on" : "off",
                o.variant().name().toLowerCase(Locale.ROOT), o.decomposer().name().toLowerCase(Locale.ROOT),
                o.init().name().toLowerCase(Locale.ROOT));
        if (in.unitCount() != null) System.out.println("  " + in.unitCount().describe());
        for (String w : r.warnings()) System.out.println("  " + w);
        if (!in.random()) {
            System.out.printf("  phase I: eigen-gap %.3g, decomposition residual %.3g, max |cos| %.3f, recovered signs %s%n",
                    in.gapRatio(), in.residual(), in.maxAbsCosine(), java.util.Arrays.toString(in.recoveredSigns()));
        }
        if (!Double.isNaN(r.initError())) System.out.printf("  initial matched error %.4g%n", r.initError());
        if (r.gd() != null) {
            System.out.printf("  phase II: eta %.4g (lambda_max %.4g), %d iterations, %s%n", r.gd().eta(), r.gd().lambdaMax(),
                    r.gd().iterations(), r.gd().converged() ? "converged (relative step < tol)" : "stopped at the cap");
            for (GdPoint p : r.gd().trace()) {
                if (p.t() % every == 0 || p.t() == r.gd().trace().size() - 1) {
                    System.out.printf("    t=%4d loss %.6g%s%n", p.t(), p.loss(),
                            Double.isNaN(p.matchedError()) ? "" : String.format(" matched error %.4g", p.matchedError()));
                }
            }
            System.out.printf("  final loss %.6g%s%n", r.finalLoss(),
                    Double.isNaN(r.finalError()) ? "" : String.format(", final matched error %.4g", r.finalError()));
        }
        System.out.printf("  time: phase I %.2f s, phase II %.2f s%n", r.seconds()[0], r.seconds()[1]);
    }

    private static double[][] rows(double[] flat, int r, int c) {
        double[][] out = new double[r][c];
        for (int i = 0; i < r; i++) System.arraycopy(flat, i * c, out[i], 0, c);
        return out;
    }
}
