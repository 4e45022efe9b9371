package org.relulearn.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.relulearn.algo.hermite.HermiteOptions;
import org.relulearn.algo.hermite.HermiteRecovery;
import org.relulearn.algo.hermite.HermiteResult;
import org.relulearn.algo.hermite.HermiteTeacher;
import org.relulearn.algo.hermite.HermiteTrainer;
import org.relulearn.data.Block;
import org.relulearn.data.Distributions;
import org.relulearn.data.OneHiddenLayerNetwork;
import org.relulearn.data.SyntheticSource;
import org.relulearn.engine.SyntheticData;
import org.relulearn.error.UserInputException;
import org.relulearn.spark.SparkPassRunner;
import picocli.CommandLine.Option;

/**
 * The Hermite fit's benchmark (issue 6 figures): throughput of each pass (samples/s per core,
 * generation included) at (d, m) = (8, 4), (100, 10), (1000, 20), after a warm-up fit on a tenth of
 * the rows; and the parameter error against n at d = 8, m = 4 (biases (0, 1, -1, 0.5)), tensor only
 * and polished, with the wall time of each fit. Pass 1 costs ~d^2 per row, so the row count of each
 * throughput case is capped at 2e10 / d^2 (at least 20,000). Fits are timed once ({@link BenchTimer}).
 */
final class HermiteBenchmark implements BenchSuite {
    @Option(names = "--hermite-samples", defaultValue = "1000000",
            description = "Hermite suite: rows of each throughput case (capped at 2e10/d^2). Default: ${DEFAULT-VALUE}.")
    long hermiteSamples;

    @Option(names = "--hermite-dims", split = ",", defaultValue = "8,100,1000",
            description = "Hermite suite: input dimensions d of the throughput cases (of 8, 100, 1000). Default: ${DEFAULT-VALUE}.")
    List<Integer> hermiteDims;

    @Option(names = "--hermite-error-samples", split = ",", defaultValue = "100000,1000000",
            description = "Hermite suite: the n of the error-against-n table (d=8, m=4). Default: ${DEFAULT-VALUE}.")
    List<Long> hermiteErrorSamples;

    @Option(names = "--hermite-polish", defaultValue = "200",
            description = "Hermite suite: polish passes of the polished fits (0 = none). Default: ${DEFAULT-VALUE}.")
    int hermitePolish;

    @Option(names = "--hermite-polish-max-samples", defaultValue = "1000000",
            description = "Hermite suite: polish only fits with n up to this. Default: ${DEFAULT-VALUE}.")
    long hermitePolishMax;

    @Override public String name() { return "hermite"; }

    @Override public String description() {
        return "per-pass throughput of the Hermite fit at d = 8, 100, 1000; parameter error against n, tensor only and polished";
    }

    @Override public Set<String> sharedOptions() { return Set.of("--warmup", "--seed"); }

    @Override
    public void validate() {
        for (int d : hermiteDims) {
            if (java.util.Arrays.stream(SHAPES).noneMatch(s -> s[0] == d)) {
                throw new UserInputException("--hermite-dims " + d + " is not a throughput case: use 8, 100 or 1000");
            }
        }
        if (hermiteSamples < 1) throw new UserInputException("--hermite-samples must be >= 1, got " + hermiteSamples);
        for (long n : hermiteErrorSamples) if (n < 1) throw new UserInputException("--hermite-error-samples entries must be >= 1, got " + n);
        if (hermitePolish < 0) throw new UserInputException("--hermite-polish must be >= 0, got " + hermitePolish);
    }

    @Override
    public void run(BenchContext ctx) {
        ctx.results().put(name(), run(ctx.out(), ctx.runner(), hermiteDims, hermiteSamples, hermiteErrorSamples, hermitePolishMax, hermitePolish, ctx.seed(),
                ctx.blockBytes(), BenchTimer.single(ctx.warmup())));
    }

    static final int[][] SHAPES = {{8, 4}, {100, 10}, {1000, 20}};
    static final double[] BIAS_CYCLE = {0, 1, -1, 0.5, -1.5, 0.3, 1.2, -0.4};

    static double[] biases(int m) {
        double[] b = new double[m];
        for (int i = 0; i < m; i++) b[i] = BIAS_CYCLE[i % BIAS_CYCLE.length];
        return b;
    }

    static SyntheticSource source(int d, int m, long n, long seed, long blockBytes) {
        OneHiddenLayerNetwork t = HermiteTeacher.network(d, biases(m), seed);
        return new SyntheticSource(Distributions.parse("gaussian", d), t, null, n, seed, 0, Block.rowsForBudget(d, 1, blockBytes));
    }

    static Map<String, Object> run(PrintStream out, SparkPassRunner runner, List<Integer> dims, long throughputRows, List<Long> errorNs, long polishMaxN,
                                   int polishIterations, long seed, long blockBytes, BenchTimer timer) {
        Map<String, Object> res = new LinkedHashMap<>();
        int cores = runner.parallelism();
        List<Map<String, Object>> thr = new ArrayList<>();
        out.println("hermite pass throughput (samples/s per core, generation included; " + cores + " cores):");
        out.println("| d | m | N | stats | order 2 | contractions | coefficients | fit wall s | min abs cos |");
        out.println("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        for (int[] dm : SHAPES) {
            if (!dims.contains(dm[0])) continue;
            int d = dm[0], m = dm[1];
            long n = Math.max(20_000, Math.min(throughputRows, (long) (2e10 / ((double) d * d))));
            HermiteOptions o = HermiteOptions.defaults().withUnits(m).withAffineFit(HermiteOptions.AffineFit.OFF);
            SyntheticSource src = source(d, m, n, seed, blockBytes);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("d", d);
            row.put("m", m);
            row.put("n", n);
            timer.warmUp(() -> {
                try {
                    HermiteTrainer.fit(runner, new SyntheticData(src.withNumRows(Math.max(2_000, n / 10)).withStream(99)), o);
                } catch (IllegalArgumentException | ArithmeticException warmupFailure) {
                    // The warm-up only loads classes and JIT-compiles; a failed fit on few rows is expected at large d.
                }
            });
            BenchTimer.Timing<HermiteResult> fit;
            try {
                fit = timer.timeRuns(() -> HermiteTrainer.fit(runner, new SyntheticData(src), o), BenchTimer.RunObserver.NONE);
            } catch (IllegalArgumentException | ArithmeticException e) {
                row.put("error", e.getMessage());
                thr.add(row);
                out.printf("| %d | %d | %,d | fit failed: %s |%n", d, m, n, e.getMessage());
                continue;
            }
            HermiteResult r = fit.result();
            double wall = fit.median();
            double[] perCore = new double[4];
            for (int p = 0; p < 4; p++) perCore[p] = n / r.seconds()[p] / cores;
            double cos = HermiteRecovery.of(r.tensorNet(), HermiteTeacher.asNet((OneHiddenLayerNetwork) src.teacher())).minAbsCosine();
            row.put("samplesPerSecondPerCore", Map.of("stats", perCore[0], "order2", perCore[1], "contractions", perCore[2], "coefficients", perCore[3]));
            row.put("fitSeconds", wall);
            row.put("minAbsCosine", cos);
            thr.add(row);
            out.printf("| %d | %d | %,d | %,.0f | %,.0f | %,.0f | %,.0f | %.1f | %.4f |%n", d, m, n, perCore[0], perCore[1], perCore[2],
                    perCore[3], wall, cos);
        }
        res.put("throughput", thr);

        List<Map<String, Object>> err = new ArrayList<>();
        out.println();
        out.println("hermite parameter error against n (d=8, m=4, biases (0, 1, -1, 0.5), noiseless):");
        out.println("| n | tensor-only error | min signed cos | wall s | polished error | polish passes | wall s |");
        out.println("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        for (long n : errorNs) {
            SyntheticSource src = source(8, 4, n, seed, blockBytes);
            var truth = HermiteTeacher.asNet((OneHiddenLayerNetwork) src.teacher());
            HermiteOptions o = HermiteOptions.defaults().withUnits(4).withAffineFit(HermiteOptions.AffineFit.OFF);
            BenchTimer.Timing<HermiteResult> fit = BenchTimer.once(() -> HermiteTrainer.fit(runner, new SyntheticData(src), o));
            HermiteResult r = fit.result();
            double wall = fit.median();
            HermiteRecovery rec = HermiteRecovery.of(r.tensorNet(), truth);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("n", n);
            row.put("tensorOnlyError", rec.parameterError());
            row.put("minSignedCosine", rec.minSignedCosine());
            row.put("tensorOnlySeconds", wall);
            String pol = "| - | - | - |";
            if (n <= polishMaxN && polishIterations > 0) {
                BenchTimer.Timing<HermiteResult> polished = BenchTimer.once(() -> HermiteTrainer.fit(runner, new SyntheticData(src),
                        o.withPolish(polishIterations, 0.2)));
                HermiteResult p = polished.result();
                double pw = polished.median();
                double pe = HermiteRecovery.of(p.tensorNet(), truth).parameterError();
                row.put("polishedError", pe);
                row.put("polishPasses", polishIterations);
                row.put("polishedSeconds", pw);
                pol = String.format("| %.3g | %d | %.1f |", pe, polishIterations, pw);
            }
            err.add(row);
            out.printf("| %,d | %.3g | %.4f | %.1f %s%n", n, rec.parameterError(), rec.minSignedCosine(), wall, pol);
        }
        res.put("errorVsN", err);
        return res;
    }
}
