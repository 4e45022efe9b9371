package org.relulearn.cli;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.relulearn.algo.moments.MomentsOptions;
import org.relulearn.algo.moments.MomentsResult;
import org.relulearn.algo.moments.MomentsTrainer;
import org.relulearn.algo.moments.Recovery;
import org.relulearn.data.OneHiddenLayerNetwork;
import org.relulearn.data.SyntheticSource;
import org.relulearn.engine.Data;
import org.relulearn.engine.PassRunner;
import org.relulearn.engine.SyntheticData;
import org.relulearn.error.UserInputException;
import org.relulearn.report.RunOutput;
import org.relulearn.spark.HeldOutSplit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code relulearn train moments}: y = A relu(W x) + noise under a symmetric input law, by the
 * method of moments (three passes; docs/moments.md, Algorithm). Prints every certificate; a failed one
 * stops the run with exit code 2 and a message naming it. On synthetic data (or generated files
 * with a network teacher in truth.json) it also prints the recovery errors eW and eA.
 */
@Command(name = "moments", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Recover A and W of y = A relu(W x) + noise (symmetric inputs, no biases, k <= min(d, m))",
                "by the method of moments: moment sums, the pure-neuron-detector moment, a least-squares refit of A."})
public final class TrainMomentsCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin SyntheticOptions data;
    @Mixin InputOptions input;
    @Mixin EngineOptions engine;
    @Mixin OutputOptions output;
    @Mixin EvaluationOptions evaluation;

    @Option(names = "--fit-hidden", defaultValue = "0",
            description = "Hidden width k to fit (0 = from the largest gap of B's singular values). Default: ${DEFAULT-VALUE}.")
    int fitHidden;

    @Option(names = "--weighting", defaultValue = "auto",
            description = "Pass-2 weighting: full (x x^T), reduced (V_k^T x) or auto (reduced above --memory-cap-mb). Default: ${DEFAULT-VALUE}.")
    String weighting;

    @Option(names = "--memory-cap-mb", defaultValue = "256", description = "Cap on one partial G for auto weighting, MiB. Default: ${DEFAULT-VALUE}.")
    double memoryCapMb;

    @Option(names = "--symmetry-tolerance", defaultValue = "0.1",
            description = "tau: stop when ||mean x||/sqrt(tr Sigma/d) > tau + 3 sqrt(d/N). Default: ${DEFAULT-VALUE}.")
    double symmetryTolerance;

    @Option(names = "--min-singular-gap", defaultValue = "2", description = "Least S_k/S_(k+1) of B. Default: ${DEFAULT-VALUE}.")
    double minSingularGap;

    @Option(names = "--min-null-gap", defaultValue = "1.5", description = "Least detector null gap. Default: ${DEFAULT-VALUE}.")
    double minNullGap;

    @Option(names = "--refit", defaultValue = "true", negatable = true, fallbackValue = "true",
            description = "Refit A by least squares for the recovered W (pass 3). Default: ${DEFAULT-VALUE}.")
    boolean refit;

    @Option(names = "--held-out", defaultValue = "100000",
            description = "Synthetic data: rows of an independent stream for the held-out prediction certificate. Default: ${DEFAULT-VALUE}.")
    long heldOutRows;

    @Option(names = "--held-out-fraction", defaultValue = "0.1",
            description = "File input: share of rows held out (chosen by a hash of each row and --seed) for the prediction"
                    + " certificate; 0 measures it in-sample. Default: ${DEFAULT-VALUE}.")
    double heldOutFraction;

    @Option(names = "--fit-seed", defaultValue = "1", description = "Seed of the diagonalisation's random draws. Default: ${DEFAULT-VALUE}.")
    long fitSeed;

    @Option(names = "--diagonalisation", defaultValue = "whitened",
            description = "Step 6: whitened (robust) or paper (random pairs, for comparison). Default: ${DEFAULT-VALUE}.")
    String diagonalisation;

    MomentsOptions options() {
        try {
            return new MomentsOptions(fitHidden, MomentsOptions.parseWeighting(weighting), (long) (memoryCapMb * (1 << 20)),
                    symmetryTolerance, minSingularGap, minNullGap, refit, fitSeed, MomentsOptions.parseDiagonaliser(diagonalisation));
        } catch (IllegalArgumentException e) {
            throw new UserInputException(e.getMessage());
        }
    }

    @Override
    public Integer call() {
        data.defaults("network", 1_000_000L);
        MomentsOptions options = options();
        if (heldOutRows < 1) throw new UserInputException("--held-out must be >= 1 row, got " + heldOutRows);
        if (!(heldOutFraction >= 0 && heldOutFraction < 1)) {
            throw new UserInputException("--held-out-fraction must be in [0, 1), got " + heldOutFraction
                    + "; use e.g. 0.1, or 0 to measure the prediction certificate in-sample");
        }
        try (RunOutput out = output.open("train-moments")) {
            SparkSession spark = engine.session("relulearn train moments");
            PassRunner runner = engine.runner(spark);
            out.writeJson("params.json", CommandParams.of(spec));
            Map<String, Object> results = new LinkedHashMap<>();
            if (input.present()) {
                InputOptions.Loaded in = input.load(spark, engine.blockBytes());
                try {
                    if (in.truthJson() != null) out.writeJson("truth.json", in.truthJson());
                    MomentsResult r;
                    Map<String, Object> evaluated;
                    if (heldOutFraction > 0) {
                        HeldOutSplit.Split split = HeldOutSplit.split(in.data(), heldOutFraction, data.seed);
                        System.out.printf("input: %s (%,d training rows, %,d held out)%n", in.data().describe(),
                                split.train().numRows(), split.heldOut().numRows());
                        r = MomentsTrainer.fit(runner, split.train(), split.heldOut(), options);
                        evaluated = evaluation.report(spark, runner, input, engine.blockBytes(), out, "moments", network(r), false,
                                split.train(), split.heldOut());
                    } else {
                        System.out.println("input: " + in.data().describe() + " (held-out certificate in-sample)");
                        r = MomentsTrainer.fit(runner, in.data(), null, options);
                        evaluated = evaluation.report(spark, runner, input, engine.blockBytes(), out, "moments", network(r), false,
                                in.data(), null);
                    }
                    results.put("fit", r.toMap());
                    results.put("evaluation", evaluated);
                    Recovery rec = recovery(r, in.networkTeacher());
                    if (rec != null) results.put("recovery", Map.of("eW", rec.eW(), "eA", rec.eA(), "minAbsCosine", rec.minAbsCosine()));
                    report(r, rec);
                } finally {
                    in.data().blocks().unpersist(false);
                }
            } else {
                SyntheticSource src = data.source(engine.blockBytes());
                out.writeJson("truth.json", src.describe());
                Data held = new SyntheticData(src.withStream(Long.MIN_VALUE / 2 + src.stream()).withNumRows(heldOutRows));
                System.out.println("input: " + new SyntheticData(src).describe());
                MomentsResult r = MomentsTrainer.fit(runner, new SyntheticData(src), held, options);
                results.put("fit", r.toMap());
                results.put("evaluation", evaluation.report(spark, runner, input, engine.blockBytes(), out, "moments", network(r), false,
                        null, held));
                Recovery rec = recovery(r, src.teacher() instanceof OneHiddenLayerNetwork t ? t : null);
                if (rec != null) results.put("recovery", Map.of("eW", rec.eW(), "eA", rec.eA(), "minAbsCosine", rec.minAbsCosine()));
                report(r, rec);
            }
            out.writeJson("results.json", results);
            System.out.println("output: " + out.commit());
            return 0;
        }
    }

    /** Errors of W and A against a known bias-free teacher with as many hidden units as the fit; else null. */
    static Recovery recovery(MomentsResult r, OneHiddenLayerNetwork t) {
        if (t == null || t.hiddenUnits() != r.k() || t.inputDim() != r.d() || t.outputDim() != r.l()
                || org.relulearn.linalg.Dense.norm(t.biases()) != 0) {
            return null;
        }
        return Recovery.of(r.a(), r.w(), t.outputWeights(), t.weights(), r.l(), r.k(), r.d());
    }

    static void report(MomentsResult r, Recovery rec) {
        System.out.printf("moments fit: N=%,d d=%d l=%d k=%d, %s weighting%n", r.n(), r.d(), r.l(), r.k(),
                r.reducedWeighting() ? "reduced-x" : "full-x");
        for (String m : r.messages()) System.out.println("  " + m);
        System.out.printf("  singular values of B: %s%n", Arrays.toString(r.singularValues()));
        System.out.printf("  symmetry: mean statistic %.3g, largest third-moment skewness %.3g%s%n", r.symmetryStatistic(), r.skewness(),
                Double.isNaN(r.maxImaginary()) ? "" : String.format(", paper-style max |Im lambda| %.3g", r.maxImaginary()));
        System.out.printf("  certificates: symmetry %.3g, singular gap at k %.3g, null gap %.3g, PD margin %.3g,"
                + " held-out relative error %.4g (linear fit %.4g%s)%n", r.symmetryStatistic(), r.singularGap(), r.nullGap(),
                r.pdMargin(), r.heldOutError(), r.heldOutErrorLinear(), r.heldOutInSample() ? ", in-sample" : "");
        double[] s = r.seconds();
        System.out.printf("  passes: %.2f s (moments), %.2f s (detector), %.2f s (refit), %.2f s (evaluation)%n", s[0], s[1], s[2], s[3]);
        if (rec != null) System.out.printf("  recovery: eW = %.4g, eA = %.4g (min |cosine| %.4f)%n", rec.eW(), rec.eA(), rec.minAbsCosine());
    }


    /** y = A relu(W x): the fitted network (l outputs, k units, no biases). */
    static OneHiddenLayerNetwork network(MomentsResult r) {
        return new OneHiddenLayerNetwork(r.d(), r.k(), r.l(), r.w(), null, r.a());
    }
}
