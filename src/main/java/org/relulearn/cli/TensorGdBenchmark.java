package org.relulearn.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.relulearn.algo.tensorgd.GdAggregator;
import org.relulearn.algo.tensorgd.GdState;
import org.relulearn.algo.tensorgd.InputStatsAggregator;
import org.relulearn.algo.tensorgd.Phase1Inputs;
import org.relulearn.algo.tensorgd.ProjectedMomentsAggregator;
import org.relulearn.algo.tensorgd.SampleSplit;
import org.relulearn.algo.tensorgd.SubspaceAggregator;
import org.relulearn.algo.tensorgd.TensorGdOptions;
import org.relulearn.algo.tensorgd.TensorGdResult;
import org.relulearn.algo.tensorgd.TensorGdTrainer;
import org.relulearn.algo.tensorgd.ZhongTeacher;
import org.relulearn.data.AdditiveNoise;
import org.relulearn.data.Block;
import org.relulearn.data.CounterRng;
import org.relulearn.data.Distributions;
import org.relulearn.data.OneHiddenLayerNetwork;
import org.relulearn.data.SyntheticSource;
import org.relulearn.engine.Shared;
import org.relulearn.error.UserInputException;
import org.relulearn.linalg.Dense;
import org.relulearn.spark.CachedBlocks;
import org.relulearn.spark.SparkBlockData;
import org.relulearn.spark.SparkPassRunner;
import picocli.CommandLine.Option;

/**
 * The tensor-gd benchmark ({@code bench --suite tensor-gd}): per-pass throughput (samples/s per core,
 * median of --repeats timed passes after one warm-up, {@link BenchTimer}, on cached rows) of the three Phase I passes and of one
 * GD iteration at (d, K) = (10, 5), (100, 10), (1000, 20); then the final matched error against n at
 * d = 10, K = 5, kappa = 2, noise 0.5 (tensor initialisation + GD, relative-step tol 1e-7, cap 800)
 * with the wall time of each fit.
 */
final class TensorGdBenchmark implements BenchSuite {
    static final int[][] CASES = {{10, 5}, {100, 10}, {1000, 20}};

    @Option(names = "--tgd-pass-rows", defaultValue = "1000000",
            description = "tensor-gd suite: rows of the d=10 throughput case (d uses rows*10/d). Default: ${DEFAULT-VALUE}.")
    long tgdPassRows;

    @Option(names = "--tgd-samples", split = ",", defaultValue = "10000,100000,1000000",
            description = "tensor-gd suite: sample sizes of the error-vs-n sweep (0 = no sweep). Default: ${DEFAULT-VALUE}.")
    List<Long> tgdSamples;

    @Option(names = "--tgd-dims", split = ",", defaultValue = "10,100,1000",
            description = "tensor-gd suite: input dimensions d of the throughput cases (of 10, 100, 1000). Default: ${DEFAULT-VALUE}.")
    List<Integer> tgdDims;

    @Override public String name() { return "tensor-gd"; }

    @Override public String description() {
        return "per-pass throughput of Phase I and of a GD iteration at d = 10, 100, 1000; final error against n";
    }

    @Override public Set<String> sharedOptions() { return Set.of("--repeats", "--warmup"); }

    @Override
    public void validate() {
        for (int d : tgdDims) {
            if (java.util.Arrays.stream(CASES).noneMatch(c -> c[0] == d)) {
                throw new UserInputException("--tgd-dims " + d + " is not a throughput case: use 10, 100 or 1000");
            }
        }
        if (tgdPassRows < 1) throw new UserInputException("--tgd-pass-rows must be >= 1, got " + tgdPassRows);
    }

    @Override
    public void run(BenchContext ctx) {
        validate();
        ctx.results().put(name(), run(ctx.out(), ctx.runner(), tgdPassRows, tgdSamples, tgdDims, ctx.blockBytes(), ctx.timer()));
    }

    /**
     * @param passRows rows of the d = 10 throughput case; case d uses passRows * 10 / d (same bytes)
     * @param ns       sample sizes of the error-vs-n sweep (values <= 0 are skipped)
     * @param dims     which throughput cases to run (their d, out of {@link #CASES})
     */
    static Map<String, Object> run(PrintStream out, SparkPassRunner runner, long passRows, List<Long> ns, List<Integer> dims, long blockBytes,
                                   BenchTimer timer) {
        Map<String, Object> res = new LinkedHashMap<>();
        int cores = runner.parallelism();
        List<Map<String, Object>> thr = new ArrayList<>();
        out.println("tensor-gd per-pass throughput (samples/s per core, median of " + timer.runs() + " on cached rows, " + cores + " cores):");
        out.println("| d | K | rows | pass 1 (stats) | pass 2 (P2) | pass 3 (m4proj + Q) | pass 3 (alpha + Q) | GD iteration |");
        out.println("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        for (int[] c : CASES) {
            if (!dims.contains(c[0])) continue;
            int d = c[0], k = c[1];
            long rows = Math.max(1000, passRows * 10 / d);
            OneHiddenLayerNetwork teacher = ZhongTeacher.create(d, k, 2, false, 1);
            SyntheticSource src = new SyntheticSource(Distributions.parse("gaussian", d), teacher, AdditiveNoise.isotropic(1, 0.5), rows, 1, 0,
                    Block.rowsForBudget(d, 1, blockBytes));
            BenchTimer.Timing<SparkBlockData> caching = BenchTimer.once(() -> CachedBlocks.cache(runner, src));
            SparkBlockData data = caching.result();
            double cacheSeconds = caching.median();
            CachedBlocks.Storage storage = CachedBlocks.storage(runner.context(), data.blocks());
            out.printf("  (d = %d: %,d rows cached in %.1f s: %.0f MB in memory, %.0f MB on disk)%n", d, rows, cacheSeconds,
                    storage.memoryBytes() / 1e6, storage.diskBytes() / 1e6);
            try {
                CounterRng rng = new CounterRng(1, 99, 0);
                double[] v = Dense.randomOrthonormalColumns(d, k, rng);
                double[] alpha = Dense.randomOrthonormalColumns(d, 1, rng);
                SampleSplit split = new SampleSplit(TensorGdOptions.Split.FAITHFUL, 1);
                Shared<Phase1Inputs> p2 = runner.share(new Phase1Inputs(d, k, split, true, 0, new double[d], null, null, null,
                        TensorGdOptions.Variant.M4PROJ));
                Shared<Phase1Inputs> p3 = runner.share(new Phase1Inputs(d, k, split, true, 0, new double[d], v, null, new double[k * k],
                        TensorGdOptions.Variant.M4PROJ));
                Shared<Phase1Inputs> p3a = runner.share(new Phase1Inputs(d, k, split, true, 0, new double[d], v, alpha, new double[k * k],
                        TensorGdOptions.Variant.ALPHA));
                Shared<GdState> gd = runner.share(new GdState(k, d, teacher.weights(), teacher.outputWeights(), null));
                BenchTimer.Timing<?> t1 = timer.time(() -> runner.aggregate(data, () -> new InputStatsAggregator(d), "bench tensor-gd: pass 1"));
                BenchTimer.Timing<?> t2 = timer.time(() -> runner.aggregate(data, () -> new SubspaceAggregator(p2), "bench tensor-gd: pass 2"));
                BenchTimer.Timing<?> t3 = timer.time(() -> runner.aggregate(data, () -> new ProjectedMomentsAggregator(p3), "bench tensor-gd: pass 3 m4proj"));
                BenchTimer.Timing<?> t3a = timer.time(() -> runner.aggregate(data, () -> new ProjectedMomentsAggregator(p3a), "bench tensor-gd: pass 3 alpha"));
                BenchTimer.Timing<?> tg = timer.time(() -> runner.aggregate(data, () -> new GdAggregator(gd), "bench tensor-gd: GD iteration"));
                double s1 = t1.median(), s2 = t2.median(), s3 = t3.median(), s3a = t3a.median(), sg = tg.median();
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("d", d);
                r.put("k", k);
                r.put("rows", rows);
                r.put("pass1PerCore", rows / s1 / cores);
                r.put("pass2PerCore", rows / s2 / cores);
                r.put("pass3M4projPerCore", rows / s3 / cores);
                r.put("pass3AlphaPerCore", rows / s3a / cores);
                r.put("gdIterationPerCore", rows / sg / cores);
                r.put("gdIterationSeconds", sg);
                r.put("spread", Map.of("pass1", t1.spread(), "pass2", t2.spread(), "pass3M4proj", t3.spread(), "pass3Alpha", t3a.spread(),
                        "gdIteration", tg.spread()));
                r.put("cacheSeconds", cacheSeconds);
                r.put("cachedMemoryBytes", storage.memoryBytes());
                r.put("cachedDiskBytes", storage.diskBytes());
                thr.add(r);
                out.printf("| %d | %d | %,d | %,.0f | %,.0f | %,.0f | %,.0f | %,.0f (%.3f s) |%n", d, k, rows, rows / s1 / cores,
                        rows / s2 / cores, rows / s3 / cores, rows / s3a / cores, rows / sg / cores, sg);
            } finally {
                data.blocks().unpersist(false);
            }
        }
        res.put("throughput", thr);

        List<Map<String, Object>> errs = new ArrayList<>();
        out.println();
        out.println("tensor-gd final error vs n (d=10, K=5, kappa=2, v=1, noise 0.5; tol 1e-7, cap 800):");
        out.println("| n | init error | final error | iterations | wall s (fit) |");
        out.println("| ---: | ---: | ---: | ---: | ---: |");
        for (long n : ns) {
            if (n <= 0) continue;
            OneHiddenLayerNetwork teacher = ZhongTeacher.create(10, 5, 2, false, 1);
            SyntheticSource src = new SyntheticSource(Distributions.parse("gaussian", 10), teacher, AdditiveNoise.isotropic(1, 0.5), n, 1, 0,
                    Block.rowsForBudget(10, 1, blockBytes));
            SparkBlockData data = CachedBlocks.cache(runner, src);
            try {
                BenchTimer.Timing<TensorGdResult> fit = BenchTimer.once(() -> TensorGdTrainer.fit(runner, data,
                        TensorGdOptions.defaults(5).withIterations(800, 1e-7), teacher.weights(), 0.25));
                TensorGdResult r = fit.result();
                double secs = fit.median();
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("n", n);
                e.put("initError", r.initError());
                e.put("finalError", r.finalError());
                e.put("iterations", r.gd().iterations());
                e.put("seconds", secs);
                e.put("warnings", r.warnings());
                errs.add(e);
                out.printf("| %,d | %.4f | %.3e | %d | %.1f |%n", n, r.initError(), r.finalError(), r.gd().iterations(), secs);
            } finally {
                data.blocks().unpersist(false);
            }
        }
        res.put("errorVsN", errs);
        return res;
    }
}
