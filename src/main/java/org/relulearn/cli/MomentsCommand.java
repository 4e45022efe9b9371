package org.relulearn.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.relulearn.algo.moments.LinearPart;
import org.relulearn.algo.moments.MomentAggregator;
import org.relulearn.algo.moments.Moments;
import org.relulearn.data.SyntheticSource;
import org.relulearn.engine.Data;
import org.relulearn.engine.SyntheticData;
import org.relulearn.error.UserInputException;
import org.relulearn.linalg.Dense;
import org.relulearn.report.RunOutput;
import org.relulearn.spark.SparkPassRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Spec;

/**
 * One moment pass: n, E[x], E[x x^T], E[y x^T], E[y], E[y y^T], and the linear part
 * B = E[y x^T] E[x x^T]^{-1}, over a synthetic stream or, with --input, over files. With a known
 * truth (synthetic data, or files written by generate with their truth.json) it reports the
 * errors against the exact moments and, for symmetric inputs, of B against (1/2) A W.
 */
@Command(name = "moments", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Estimate the first and second moments of (x, y) in one distributed pass.")
public final class MomentsCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin SyntheticOptions data;
    @Mixin InputOptions input;
    @Mixin EngineOptions engine;
    @Mixin OutputOptions output;

    @Override
    public Integer call() {
        if (input.present()) return callOnFiles();
        try (RunOutput out = output.open("moments")) {
            SyntheticSource src = data.source(engine.blockBytes());
            SparkSession spark = engine.session("relulearn moments");
            SparkPassRunner runner = engine.runner(spark);
            out.writeJson("params.json", CommandParams.of(spec));
            out.writeJson("truth.json", src.describe());
            Map<String, Object> results = run(runner, new SyntheticData(src), src, out);
            out.writeJson("results.json", results);
            System.out.println("output: " + out.commit());
            return 0;
        }
    }

    /** --input: the moments of data read from files; against truth.json when the files were generated. */
    private Integer callOnFiles() {
        for (OptionSpec o : spec.commandLine().getParseResult().matchedOptions()) {
            if (spec.mixins().get("data").options().contains(o)) {
                throw new UserInputException(o.longestName() + " describes synthetic data; with --input the data come"
                        + " from the files: drop it (check the dimension with --num-features)");
            }
        }
        try (RunOutput out = output.open("moments")) {
            SparkSession spark = engine.session("relulearn moments");
            SparkPassRunner runner = engine.runner(spark);
            out.writeJson("params.json", CommandParams.of(spec));
            InputOptions.Loaded in = input.load(spark, engine.blockBytes());
            try {
                if (in.truthJson() != null) out.writeJson("truth.json", in.truthJson());
                System.out.println("input: " + in.data().describe());
                Map<String, Object> results = run(runner, in.data(), in.truth(), out);
                out.writeJson("results.json", results);
            } finally {
                in.data().blocks().unpersist(false);
            }
            System.out.println("output: " + out.commit());
            return 0;
        }
    }

    /** Runs the pass and prints the summary; shared with the demo. */
    static Map<String, Object> run(SparkPassRunner runner, Data data, SyntheticSource truth, RunOutput out) {
        return run(runner, data, truth == null ? null : KnownTruth.of(truth), out);
    }

    /** Runs the pass and prints the summary, with errors against {@code truth} if it is known. */
    static Map<String, Object> run(SparkPassRunner runner, Data data, KnownTruth truth, RunOutput out) {
        long t0 = System.nanoTime();
        int d = data.d(), m = data.m();
        Moments mo = runner.aggregate(data, () -> new MomentAggregator(d, m), "moments: pass 1/1").result();
        double secs = (System.nanoTime() - t0) / 1e9;
        if (!mo.allFinite()) {
            throw new UserInputException("the moments are not finite: the data contains NaN or Inf values (or overflows);"
                    + " clean the input or choose a law with finite second moments");
        }
        Map<String, Object> res = new LinkedHashMap<>();
        res.put("seconds", secs);
        res.put("samplesPerSecond", mo.n() / secs);
        System.out.printf("moments: N=%,d d=%d m=%d in %.2f s (%,.0f samples/s, %,.0f per core)%n",
                mo.n(), mo.d(), mo.m(), secs, mo.n() / secs, mo.n() / secs / runner.parallelism());
        out.metric(Map.of("pass", "moments", "rows", mo.n(), "seconds", secs));
        if (truth != null) res.put("truth", compare(mo, truth));
        if (mo.m() > 0) {
            double[] b = LinearPart.estimate(mo);
            res.put("linearPart", b);
        }
        res.put("moments", mo.toMap());
        return res;
    }

    /** Errors against the exact moments of the generating law and, where it applies, of B = A W / 2. */
    static Map<String, Object> compare(Moments mo, KnownTruth truth) {
        Map<String, Object> c = new LinkedHashMap<>();
        double meanErr = Dense.distance(mo.meanX(), truth.meanX());
        c.put("meanXError", meanErr);
        System.out.printf("  E[x]:      ||error|| = %.3g   (sampling scale sqrt(d/N) = %.3g)%n", meanErr,
                Math.sqrt(mo.d() / (double) mo.n()));
        if (truth.secondX() != null) {
            double secondErr = Dense.distance(mo.secondX(), truth.secondX()) / Dense.norm(truth.secondX());
            c.put("secondMomentRelError", secondErr);
            System.out.printf("  E[x x^T]:  relative Frobenius error = %.3g%n", secondErr);
        }
        double[] bTrue = truth.linearPart();
        if (bTrue != null && mo.m() > 0) {
            double[] b = LinearPart.estimate(mo);
            double relErr = Dense.distance(b, bTrue) / Dense.norm(bTrue);
            c.put("linearPartRelError", relErr);
            c.put("linearPartAppliesExactly", truth.symmetric());
            System.out.printf("  B = E[y x^T] E[x x^T]^-1 vs (1/2) A W:  relative error = %.3g%s%n", relErr,
                    truth.symmetric() ? "" : "  (input not symmetric: the identity does not hold, a large error is expected)");
        }
        return c;
    }
}
