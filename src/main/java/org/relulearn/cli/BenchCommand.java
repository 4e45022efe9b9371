package org.relulearn.cli;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.OperatingSystemMXBean;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.mllib.linalg.Matrix;
import org.apache.spark.mllib.linalg.Vector;
import org.apache.spark.mllib.linalg.Vectors;
import org.apache.spark.mllib.linalg.distributed.RowMatrix;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.relulearn.algo.moments.MomentAggregator;
import org.relulearn.algo.moments.Moments;
import org.relulearn.data.AdversaryContext;
import org.relulearn.data.Block;
import org.relulearn.data.Distributions;
import org.relulearn.data.InputDistribution;
import org.relulearn.data.SyntheticSource;
import org.relulearn.engine.Aggregator;
import org.relulearn.engine.AggregatorFactory;
import org.relulearn.engine.LocalPassRunner;
import org.relulearn.engine.SyntheticData;
import org.relulearn.error.UserInputException;
import org.relulearn.report.Json;
import org.relulearn.report.RunOutput;
import org.relulearn.spark.CachedBlocks;
import org.relulearn.spark.SparkBlockData;
import org.relulearn.spark.SparkPassRunner;
import org.relulearn.spark.TaskCpuMeter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Throughput of the second-moment pass, per input dimension d, in five cases:
 * <pre>
 *   (a) generation only (Spark; an aggregator that only counts rows)
 *   (b) sum x x^T over generated blocks (Spark; MomentAggregator: dsyrk + compensated add per block)
 *   (c) the same pass over the same blocks cached in memory (Spark)
 *   (d) the kernel limit: generation + the same dsyrk + compensated add in one plain thread, no Spark
 *   (e) MLlib RowMatrix.computeGramianMatrix over the same cached rows as dense vectors
 * </pre>
 * and the targets: (b) per core >= 50% of (d); (c) >= 5x faster than (e); and, with
 * {@code --scaling}, a flat cost per sample of (b) from N = 1e6 to 1e8. Every case is a full pass
 * over N rows; the reported time is the median of {@code --repeats} passes after an untimed warm-up
 * of every case on N/10 rows (JIT compilation, Spark class loading and closure set-up). The passes
 * of (b) and (d), and of (c) and (e), alternate, so each ratio compares like with like on a machine
 * shared with other work; CPU time per sample (Spark task metrics) is reported next to wall time. (c) must equal
 * (e)'s Gramian / N to 1e-9 relative, and (b), (c), (d) must agree to 1e-12: the bench fails otherwise.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Measure generation, moment-pass and MLlib Gramian throughput for several d; write results.json and bench.md.")
public final class BenchCommand implements Callable<Integer> {
    /** Default N = ROW_CELLS / d: 800 MB of features per d (1e7, 1e6, 1e5 rows); both caches fit a 4 GiB driver. */
    static final long ROW_CELLS = 100_000_000L;
    static final double CACHED_VS_MLLIB_TOLERANCE = 1e-9;
    static final double SAME_DATA_TOLERANCE = 1e-12;
    /** Flat cost per sample: no N costs more than this times the smallest N (fixed per-pass costs make small N dearer, not cheaper). */
    static final double FLAT_GROWTH = 1.1;

    @Spec CommandSpec spec;

    @Option(names = "--dims", split = ",", defaultValue = "10,100,1000", paramLabel = "D",
            description = "Input dimensions to measure. Default: ${DEFAULT-VALUE}.")
    List<Integer> dims;

    @Option(names = {"-n", "--samples"}, split = ",", paramLabel = "N",
            description = "Samples per pass: one value for every d, or one per --dims entry (1e6 notation allowed)."
                    + " Default: 1e8/d (1e7, 1e6, 1e5), the same feature volume for every d.")
    List<String> samples;

    @Option(names = "--repeats", defaultValue = "3", description = "Timed passes per case; the median is reported. Default: ${DEFAULT-VALUE}.")
    int repeats;

    @Option(names = "--warmup", defaultValue = "true", negatable = true, fallbackValue = "true",
            description = "Run every case once, untimed, on N/10 rows first (JIT, Spark set-up). Default: ${DEFAULT-VALUE}.")
    boolean warmup;

    @Option(names = "--scaling", defaultValue = "false",
            description = "Also measure (b)'s cost per sample at d=--scaling-dim for N = 1e6, 1e7, 1e8 (up to --max-samples).")
    boolean scaling;

    @Option(names = "--scaling-dim", defaultValue = "100", description = "d of the scaling check. Default: ${DEFAULT-VALUE}.")
    int scalingDim;

    @Option(names = "--max-samples", defaultValue = "1e7",
            description = "Largest N of the scaling check (1e8 adds the 1e8 point, about a minute per core at d=100). Default: ${DEFAULT-VALUE}.")
    String maxSamples;

    @Option(names = "--distribution", defaultValue = "gaussian",
            description = "Input law (as for moments): " + Distributions.NAMES + ". Default: ${DEFAULT-VALUE}.")
    String distribution;

    @Option(names = "--suite", defaultValue = "engine",
            description = "engine (moment pass cases a-e), gate (the gate's distributed and streaming modes), tensor-gd, hermite, convex (ADMM, the interior point and the gated program vs Adam), tabular (train convex defaults vs Adam and MLlib on real data sets) or all. Default: ${DEFAULT-VALUE}.")
    String suite;

    @Option(names = "--tabular-dir", defaultValue = "src/test/resources/tabular",
            description = "Tabular suite: the directory holding <set>/train and <set>/test CSV files. Default: ${DEFAULT-VALUE}.")
    String tabularDir;

    @Option(names = "--tabular-sets", split = ",", defaultValue = "diabetes,breast_cancer",
            description = "Tabular suite: the data sets under --tabular-dir. Default: ${DEFAULT-VALUE}.")
    List<String> tabularSets;

    @Option(names = "--tgd-pass-rows", defaultValue = "1000000",
            description = "tensor-gd suite: rows of the d=10 throughput case (d uses rows*10/d). Default: ${DEFAULT-VALUE}.")
    long tgdPassRows;

    @Option(names = "--tgd-samples", split = ",", defaultValue = "10000,100000,1000000",
            description = "tensor-gd suite: sample sizes of the error-vs-n sweep (0 = no sweep). Default: ${DEFAULT-VALUE}.")
    List<Long> tgdSamples;

    @Option(names = "--tgd-dims", split = ",", defaultValue = "10,100,1000",
            description = "tensor-gd suite: input dimensions d of the throughput cases (of 10, 100, 1000). Default: ${DEFAULT-VALUE}.")
    List<Integer> tgdDims;

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
            description = "Convex suite: solvers run side by side on each program (admm, ipm, gated: the gated program with the"
                    + " minimum-norm decomposition, gated-shift: with the shift decomposition). Default: ${DEFAULT-VALUE}.")
    List<String> convexSolvers;

    @Option(names = "--convex-sgd-steps", defaultValue = "200", description = "Convex suite: Adam steps of the baseline. Default: ${DEFAULT-VALUE}.")
    int convexSgdSteps;

    @Option(names = "--hermite-samples", defaultValue = "1000000",
            description = "Hermite suite: rows of each throughput case (capped at 2e10/d^2). Default: ${DEFAULT-VALUE}.")
    long hermiteSamples;

    @Option(names = "--hermite-error-samples", split = ",", defaultValue = "100000,1000000",
            description = "Hermite suite: the n of the error-against-n table (d=8, m=4). Default: ${DEFAULT-VALUE}.")
    List<Long> hermiteErrorSamples;

    @Option(names = "--hermite-polish", defaultValue = "200",
            description = "Hermite suite: polish passes of the polished fits (0 = none). Default: ${DEFAULT-VALUE}.")
    int hermitePolish;

    @Option(names = "--hermite-polish-max-samples", defaultValue = "1000000",
            description = "Hermite suite: polish only fits with n up to this. Default: ${DEFAULT-VALUE}.")
    long hermitePolishMax;

    @Option(names = "--gate-batches", split = ",", defaultValue = "10000,100000,1000000",
            description = "Gate suite: mini-batch sizes of the distributed mode. Default: ${DEFAULT-VALUE}.")
    List<Integer> gateBatches;

    @Option(names = "--gate-streaming-iterations", defaultValue = "20000",
            description = "Gate suite: iterations of the streaming run at b=16. Default: ${DEFAULT-VALUE}.")
    int gateStreamingIterations;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the data. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Mixin EngineOptions engine;
    @Mixin OutputOptions output;

    private TaskCpuMeter taskCpu;

    @Override
    public Integer call() {
        if (dims == null || dims.isEmpty()) throw new UserInputException("--dims needs at least one dimension, e.g. --dims 10,100");
        for (int d : dims) if (d < 1) throw new UserInputException("--dims entries must be >= 1, got " + d);
        if (repeats < 1) throw new UserInputException("--repeats must be >= 1, got " + repeats);
        long[] ns = samplesPerDim();
        long maxN = parseCount("--max-samples", maxSamples);
        if (scaling && scalingDim < 1) throw new UserInputException("--scaling-dim must be >= 1, got " + scalingDim);
        long blockBytes = engine.blockBytes();

        try (RunOutput out = output.open("bench")) {
            SparkSession spark = engine.session("relulearn bench");
            SparkPassRunner runner = engine.runner(spark);
            JavaSparkContext jsc = runner.context();
            int cores = runner.parallelism();
            taskCpu = TaskCpuMeter.install(jsc);
            String command = "relulearn " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
            out.writeJson("params.json", CommandParams.of(spec));

            Map<String, Object> results = new LinkedHashMap<>();
            results.put("command", command);
            results.put("environment", InfoCommand.environment());
            results.put("sparkMaster", jsc.master());
            results.put("cores", cores);
            results.put("repeats", repeats);
            results.put("statistic", "median of " + repeats + " timed passes; (b) and (d) passes alternate, as do (c) and (e)");
            results.put("warmup", warmup ? "each case run once untimed on N/10 rows before timing" : "none");
            results.put("peakHeap", "max of the JVM's used heap sampled every 5 ms during the case's timed passes, after a System.gc();"
                    + " includes uncollected garbage and, in local mode, the cached data: both caches are resident during (c) and (e)");
            System.out.printf("relulearn bench: %s, %d core(s), BLAS %s, OPENBLAS_NUM_THREADS=%s%n", jsc.master(), cores,
                    org.relulearn.linalg.Blas.native3().getClass().getSimpleName(), System.getenv("OPENBLAS_NUM_THREADS"));
            System.out.printf("  %s; warm-up: %s%n", results.get("statistic"), results.get("warmup"));

            boolean engineSuite = suite.equalsIgnoreCase("engine") || suite.equalsIgnoreCase("all");
            if (!List.of("engine", "gate", "tensor-gd", "hermite", "convex", "tabular", "all").contains(suite.toLowerCase(java.util.Locale.ROOT))) {
                throw new UserInputException("unknown --suite '" + suite + "': use engine, gate, tensor-gd, hermite, convex, tabular or all");
            }
            if (suite.equalsIgnoreCase("tensor-gd") || suite.equalsIgnoreCase("all")) {
                System.out.println();
                results.put("tensor-gd", TensorGdBenchmark.run(runner, tgdPassRows, tgdSamples, tgdDims, blockBytes));
            }
            if (suite.equalsIgnoreCase("hermite") || suite.equalsIgnoreCase("all")) {
                System.out.println();
                results.put("hermite", HermiteBenchmark.run(runner, hermiteSamples, hermiteErrorSamples, hermitePolishMax, hermitePolish, seed,
                        blockBytes));
            }
            if (suite.equalsIgnoreCase("convex") || suite.equalsIgnoreCase("all")) {
                System.out.println();
                results.put("convex", ConvexBenchmark.run(runner, convexRows, convexDim, convexPatterns, convexWeightDecayPerRow, convexIterations, convexSgdSteps, convexSolvers));
            }
            if (suite.equalsIgnoreCase("tabular")) {
                System.out.println();
                results.put("tabular", TabularBenchmark.run(spark, runner, tabularDir, tabularSets, blockBytes));
            }
            if (suite.equalsIgnoreCase("gate") || suite.equalsIgnoreCase("all")) {
                System.out.println();
                results.put("gate", GateBenchmark.run(runner, gateBatches, gateStreamingIterations));
            }
            List<Map<String, Object>> perDim = new ArrayList<>();
            results.put("dims", perDim);
            for (int i = 0; engineSuite && i < dims.size(); i++) {
                int d = dims.get(i);
                SyntheticSource src = source(d, ns[i], blockBytes);
                System.out.printf("%nd=%d: N=%,d samples, %,d rows per block, %d partitions%n",
                        d, src.numRows(), src.rowsPerBlock(), runner.partitionsFor(src));
                warnIfCacheTooLarge(src);
                if (warmup) {
                    long nw = Math.max(1, Math.max(src.numRows() / 10, Math.min(src.numRows(), 2L * src.rowsPerBlock() * runner.partitionsFor(src))));
                    benchDimension(runner, src.withNumRows(nw), 1, true, cores);
                }
                Map<String, Object> r = benchDimension(runner, src, repeats, false, cores);
                perDim.add(r);
                out.metric(Map.of("bench", "d=" + d, "rows", src.numRows()));
                out.writeJson("results.json", results);
            }
            if (engineSuite && scaling) results.put("scaling", scaling(runner, maxN, blockBytes, cores));

            String md = engineSuite ? markdown(results) : "";
            Files.writeString(out.file("bench.md"), md);
            out.writeJson("results.json", results);
            System.out.println();
            System.out.print(md);
            System.out.println("output: " + out.commit());
            return 0;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot write bench.md: " + e.getMessage(), e);
        } finally {
            if (taskCpu != null) taskCpu.remove();
        }
    }

    private SyntheticSource source(int d, long n, long blockBytes) {
        InputDistribution dist = Distributions.parse(distribution, d);
        int m = dist instanceof org.relulearn.data.XorClusters ? 1 : 0;
        return new SyntheticSource(dist, null, null, n, seed, 0, Block.rowsForBudget(d, m, blockBytes));
    }

    /** Runs the five cases at one d; a warm-up run only exercises them (nothing printed or kept). */
    private Map<String, Object> benchDimension(SparkPassRunner runner, SyntheticSource src, int reps, boolean warm, int cores) {
        JavaSparkContext jsc = runner.context();
        int d = src.d(), m = src.m();
        long n = src.numRows();
        String tag = warm ? "bench warm-up d=" + d : "bench d=" + d;
        AggregatorFactory<RowCounter> counter = RowCounter::new;
        AggregatorFactory<MomentAggregator> moments = () -> new MomentAggregator(d, m);
        SyntheticData stream = new SyntheticData(src);
        Map<String, Object> cases = new LinkedHashMap<>();

        Timed<RowCounter> a = measure(reps, () -> runner.aggregate(stream, counter, tag + ": (a) generation only"));
        checkCount(a.result.count(), n, "(a)");
        cases.put("a", caseResult("generation only (Spark, counting aggregator)", n, a, cores, warm));

        // (b) and (d) alternate, as do (c) and (e): each ratio compares passes run under the same
        // conditions, which matters on a machine whose speed drifts with what else runs on it.
        Supplier<MomentAggregator> bPass = () -> runner.aggregate(stream, moments, tag + ": (b) moments over generated data");
        Supplier<MomentAggregator> dPass = () -> LocalPassRunner.aggregateRange(src, AdversaryContext.OFFLINE, 0, src.numBlocks(), moments);
        Timed<?>[] bd = alternate(reps, bPass, dPass);
        @SuppressWarnings("unchecked") Timed<MomentAggregator> b = (Timed<MomentAggregator>) bd[0];
        @SuppressWarnings("unchecked") Timed<MomentAggregator> k = (Timed<MomentAggregator>) bd[1];
        cases.put("b", caseResult("moment pass over generated data (Spark)", n, b, cores, warm));

        Timed<SparkBlockData> cacheBlocks = measure(1, () -> CachedBlocks.cache(runner, src));
        SparkBlockData cached = cacheBlocks.result;
        JavaRDD<Vector> vectors = null;
        try {
            Timed<JavaRDD<Vector>> cacheVectors = measure(1, () -> cacheAsVectors(jsc, cached));
            vectors = cacheVectors.result;
            JavaRDD<Vector> rows = vectors;
            Supplier<Matrix> ePass = () -> {
                jsc.setJobDescription(tag + ": (e) MLlib RowMatrix.computeGramianMatrix");
                try {
                    return new RowMatrix(rows.rdd(), n, d).computeGramianMatrix();
                } finally {
                    jsc.setJobDescription(null);
                }
            };
            Supplier<MomentAggregator> cPass = () -> runner.aggregate(cached, moments, tag + ": (c) moments over cached blocks");
            Timed<?>[] ce = alternate(reps, cPass, ePass);
            @SuppressWarnings("unchecked") Timed<MomentAggregator> c = (Timed<MomentAggregator>) ce[0];
            @SuppressWarnings("unchecked") Timed<Matrix> e = (Timed<Matrix>) ce[1];
            cases.put("c", caseResult("moment pass over cached blocks (Spark)", n, c, cores, warm));
            cases.put("d", caseResult("kernel limit: generation + dsyrk + compensated add, 1 thread, no Spark", n, k, 1, warm));
            cases.put("e", caseResult("MLlib RowMatrix.computeGramianMatrix over the same cached rows", n, e, cores, warm));

            Map<String, Object> checks = checkAgreement(b.result.result(), c.result.result(), k.result.result(), e.result, d, n);
            if (warm) return cases;

            Map<String, Object> r = new LinkedHashMap<>();
            r.put("d", d);
            r.put("N", n);
            r.put("rowsPerBlock", src.rowsPerBlock());
            r.put("partitions", cached.blocks().getNumPartitions());
            r.put("cases", cases);
            double bPerCore = perCore(cases.get("b")), dRate = perCore(cases.get("d"));
            double cSecs = seconds(cases.get("c")), eSecs = seconds(cases.get("e"));
            Map<String, Object> ratios = new LinkedHashMap<>();
            ratios.put("bOverDPerCore", bPerCore / dRate);
            ratios.put("bOverDPerCoreTarget", 0.5);
            ratios.put("cSpeedupOverE", eSecs / cSecs);
            ratios.put("cSpeedupOverETarget", 5.0);
            // The same two ratios from CPU time per sample, which contention on a shared machine does not distort.
            ratios.put("bOverDByCpu", cpuNs(cases.get("d")) / cpuNs(cases.get("b")));
            ratios.put("cSpeedupOverEByCpu", cpuNs(cases.get("e")) / cpuNs(cases.get("c")));
            r.put("ratios", ratios);
            r.put("checks", checks);
            Map<String, Object> storage = new LinkedHashMap<>();
            storage.put("blocks", storageMap(CachedBlocks.storage(jsc, cached.blocks()), cacheBlocks.seconds()));
            storage.put("vectors", storageMap(CachedBlocks.storage(jsc, vectors), cacheVectors.seconds()));
            r.put("cache", storage);
            r.put("loadAverage", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            System.out.printf("  (b)/(d) per core = %.2f (target >= 0.50; by CPU time %.2f), (c) vs (e) speed-up = %.1fx (target >= 5;"
                    + " by CPU time %.1fx), (c) = (e)/N to %.1e%n", bPerCore / dRate, (double) ratios.get("bOverDByCpu"), eSecs / cSecs,
                    (double) ratios.get("cSpeedupOverEByCpu"), (double) checks.get("cachedVsMllibRelDiff"));
            return r;
        } finally {
            if (vectors != null) vectors.unpersist(true);
            CachedBlocks.release(cached);
        }
    }

    /**
     * (b)'s cost per sample at one d for N = 1e6, 1e7, 1e8 up to maxN. The sizes run in rounds,
     * ascending then descending, so a drift in machine speed does not masquerade as a trend in N;
     * N >= 1e8 (about a minute a pass) runs once, in the first round.
     */
    private Map<String, Object> scaling(SparkPassRunner runner, long maxN, long blockBytes, int cores) {
        int d = scalingDim;
        System.out.printf("%nscaling: moment pass over generated data (b) at d=%d, N from 1e6 to %.0e%n", d, (double) maxN);
        List<Long> sizes = new ArrayList<>();
        for (long n = 1_000_000L; n <= maxN && n > 0; n = n > Long.MAX_VALUE / 10 ? -1 : n * 10) sizes.add(n);
        Map<Long, List<Timed<MomentAggregator>>> runs = new LinkedHashMap<>();
        for (long n : sizes) runs.put(n, new ArrayList<>());
        for (int r = 0; r < repeats; r++) {
            List<Long> order = new ArrayList<>(sizes);
            if (r % 2 == 1) java.util.Collections.reverse(order);
            for (long n : order) {
                if (n >= 100_000_000L && r > 0) continue;
                SyntheticSource src = source(d, n, blockBytes);
                int m = src.m();
                String label = "bench scaling d=" + d + " N=" + n;
                Timed<MomentAggregator> t = measure(1, () -> runner.aggregate(new SyntheticData(src), () -> new MomentAggregator(d, m), label));
                checkCount(t.result.count(), n, "scaling");
                runs.get(n).add(t);
            }
        }
        List<Map<String, Object>> points = new ArrayList<>();
        for (long n : sizes) {
            Timed<MomentAggregator> t = combine(runs.get(n));
            Map<String, Object> p = caseResult("moment pass over generated data (Spark), N=" + n, n, t, cores, false);
            p.put("nsPerSamplePerCore", t.seconds() * cores / n * 1e9);
            points.add(p);
        }
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("d", d);
        s.put("points", points);
        for (String key : new String[] {"nsPerSamplePerCore", "cpuNsPerSample"}) {
            double[] cost = points.stream().mapToDouble(p -> (double) p.get(key)).toArray();
            double first = cost.length == 0 ? Double.NaN : cost[0];
            double max = Arrays.stream(cost).max().orElse(Double.NaN), min = Arrays.stream(cost).min().orElse(Double.NaN);
            String which = key.startsWith("cpu") ? "Cpu" : "Wall";
            s.put("costGrowth" + which, max / first);
            s.put("costSpread" + which, max / min);
        }
        s.put("flatTarget", "cost per sample at every N at most " + FLAT_GROWTH + " x the cost at the smallest N");
        return s;
    }

    // ---------------------------------------------------------------- measuring

    /**
     * A pass's last result with its per-pass wall times, peak heap, CPU seconds spent on the pass
     * (Spark task CPU plus the driver thread's, which merges the partial results) and the whole
     * process's CPU seconds (for how busy the cores were).
     */
    private record Timed<T>(T result, double[] passSeconds, double peakHeapMiB, double taskCpuSeconds, double driverCpuSeconds,
                            double processCpuSeconds, double loadAverage) {
        double cpuSeconds() { return taskCpuSeconds + driverCpuSeconds; }

        double seconds() {
            double[] s = passSeconds.clone();
            Arrays.sort(s);
            return s.length % 2 == 1 ? s[s.length / 2] : 0.5 * (s[s.length / 2 - 1] + s[s.length / 2]);
        }

        double wallTotal() { return Arrays.stream(passSeconds).sum(); }
    }

    private <T> Timed<T> measure(int reps, Supplier<T> pass) {
        // Start every case from a collected heap: its peak heap is then its own, not the garbage of
        // the case before, and a collection is less likely to land inside a timed pass.
        System.gc();
        double[] secs = new double[reps];
        T result = null;
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        String tag = taskCpu.begin();
        long proc0 = processCpuNanos(), driver0 = threads.getCurrentThreadCpuTime();
        long proc1, driver1;
        double peak;
        try (HeapSampler heap = HeapSampler.start()) {
            for (int r = 0; r < reps; r++) {
                long t0 = System.nanoTime();
                result = pass.get();
                secs[r] = (System.nanoTime() - t0) / 1e9;
            }
            proc1 = processCpuNanos();
            driver1 = threads.getCurrentThreadCpuTime();
            peak = heap.peakBytes() / (1024.0 * 1024.0);
        } catch (RuntimeException e) {
            taskCpu.abandon();
            throw e;
        }
        TaskCpuMeter.Usage tasks = taskCpu.end(tag);
        return new Timed<>(result, secs, peak, tasks.cpuSeconds(), (driver1 - driver0) / 1e9,
                proc0 < 0 || proc1 < 0 ? Double.NaN : (proc1 - proc0) / 1e9, load);
    }

    /**
     * Runs {@code first} and {@code second} {@code reps} times each, alternating which goes first in
     * a round, and returns their combined measurements.
     */
    private <X, Y> Timed<?>[] alternate(int reps, Supplier<X> first, Supplier<Y> second) {
        List<Timed<X>> xs = new ArrayList<>();
        List<Timed<Y>> ys = new ArrayList<>();
        for (int r = 0; r < reps; r++) {
            if (r % 2 == 0) {
                xs.add(measure(1, first));
                ys.add(measure(1, second));
            } else {
                ys.add(measure(1, second));
                xs.add(measure(1, first));
            }
        }
        return new Timed<?>[] {combine(xs), combine(ys)};
    }

    /** Several single-pass measurements of one case as one: all pass times, summed CPU, the highest peak. */
    private static <X> Timed<X> combine(List<Timed<X>> parts) {
        double[] secs = parts.stream().flatMapToDouble(t -> Arrays.stream(t.passSeconds())).toArray();
        return new Timed<>(parts.get(parts.size() - 1).result(), secs,
                parts.stream().mapToDouble(Timed::peakHeapMiB).max().orElse(0),
                parts.stream().mapToDouble(Timed::taskCpuSeconds).sum(),
                parts.stream().mapToDouble(Timed::driverCpuSeconds).sum(),
                parts.stream().mapToDouble(Timed::processCpuSeconds).sum(),
                parts.get(0).loadAverage());
    }

    private static long processCpuNanos() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) return sun.getProcessCpuTime();
        return -1;
    }

    private static Map<String, Object> caseResult(String name, long n, Timed<?> t, int cores, boolean warm) {
        double secs = t.seconds();
        double cpuNs = t.cpuSeconds() / ((double) n * t.passSeconds().length) * 1e9;
        double busy = t.processCpuSeconds() / t.wallTotal();
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("name", name);
        c.put("N", n);
        c.put("seconds", secs);
        c.put("passSeconds", t.passSeconds());
        c.put("samplesPerSecond", n / secs);
        c.put("cores", cores);
        c.put("samplesPerSecondPerCore", n / secs / cores);
        c.put("cpuNsPerSample", cpuNs);
        c.put("taskCpuSeconds", t.taskCpuSeconds());
        c.put("driverThreadCpuSeconds", t.driverCpuSeconds());
        c.put("peakHeapMiB", t.peakHeapMiB());
        // Process CPU seconds per wall second: near `cores` when the case had the CPUs to itself.
        c.put("processCoresBusy", busy);
        c.put("loadAverageAtStart", t.loadAverage());
        if (!warm) {
            System.out.printf(Locale.ROOT, "  %-74s %8.3f s %,13.0f /s %,12.0f /s/core %,9.1f cpu-ns/sample  heap %,6.0f MiB  busy %.2f%n",
                    name, secs, n / secs, n / secs / cores, cpuNs, t.peakHeapMiB(), busy);
        }
        return c;
    }

    @SuppressWarnings("unchecked")
    private static double perCore(Object c) { return (double) ((Map<String, Object>) c).get("samplesPerSecondPerCore"); }

    @SuppressWarnings("unchecked")
    private static double seconds(Object c) { return (double) ((Map<String, Object>) c).get("seconds"); }

    @SuppressWarnings("unchecked")
    private static double cpuNs(Object c) { return (double) ((Map<String, Object>) c).get("cpuNsPerSample"); }

    private static Map<String, Object> storageMap(CachedBlocks.Storage s, double secondsToCache) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("memoryMiB", s.memoryBytes() / (1024.0 * 1024.0));
        m.put("diskMiB", s.diskBytes() / (1024.0 * 1024.0));
        m.put("cachedPartitions", s.cachedPartitions());
        m.put("partitions", s.partitions());
        m.put("allInMemory", s.allInMemory());
        m.put("secondsToCache", secondsToCache);
        return m;
    }

    /**
     * Polls the used heap every 5 ms on a daemon thread and keeps the maximum: the driver's peak
     * heap during a case (in local mode the driver is also the executor).
     */
    private static final class HeapSampler implements AutoCloseable {
        private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        private final Thread thread;
        private volatile boolean running = true;
        private volatile long peak;

        private HeapSampler() {
            peak = memory.getHeapMemoryUsage().getUsed();
            thread = new Thread(() -> {
                while (running) {
                    long used = memory.getHeapMemoryUsage().getUsed();
                    if (used > peak) peak = used;
                    try {
                        Thread.sleep(5);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "relulearn-heap-sampler");
            thread.setDaemon(true);
        }

        static HeapSampler start() {
            HeapSampler s = new HeapSampler();
            s.thread.start();
            return s;
        }

        long peakBytes() {
            long used = memory.getHeapMemoryUsage().getUsed();
            return Math.max(peak, used);
        }

        @Override
        public void close() {
            running = false;
            thread.interrupt();
        }
    }

    // ---------------------------------------------------------------- cases' helpers

    /** Counts rows and nothing else, so a pass with it costs what generating the blocks costs. */
    static final class RowCounter implements Aggregator<RowCounter> {
        private static final long serialVersionUID = 1L;
        private long n;

        @Override public void add(Block block) { n += block.rows(); }
        @Override public RowCounter merge(RowCounter other) { n += other.n; return this; }
        @Override public long count() { return n; }
    }

    /**
     * The cached blocks as MLlib dense row vectors (one vector per row: MLlib's representation),
     * persisted like the blocks and materialised before any timing.
     */
    private static JavaRDD<Vector> cacheAsVectors(JavaSparkContext jsc, SparkBlockData cached) {
        JavaRDD<Vector> rows = cached.blocks().flatMap(RowVectors::new);
        rows.setName("relulearn bench: MLlib row vectors of " + cached.describe());
        rows.persist(StorageLevel.MEMORY_AND_DISK());
        jsc.setJobDescription("relulearn bench: cache the rows as MLlib vectors");
        try {
            long count = rows.count();
            if (count != cached.numRows()) throw new IllegalStateException("cached " + count + " vectors, expected " + cached.numRows());
        } finally {
            jsc.setJobDescription(null);
        }
        return rows;
    }

    /** The rows of one block as fresh dense vectors. */
    private static final class RowVectors implements Iterator<Vector> {
        private final Block block;
        private int r;

        RowVectors(Block block) { this.block = block; }

        @Override public boolean hasNext() { return r < block.rows(); }

        @Override public Vector next() {
            if (r >= block.rows()) throw new NoSuchElementException();
            int d = block.d(), off = r++ * d;
            return Vectors.dense(Arrays.copyOfRange(block.x(), off, off + d));
        }
    }

    /**
     * (c)'s E[x x^T] must equal (e)'s Gramian / N to {@value #CACHED_VS_MLLIB_TOLERANCE} and (b), (d)
     * must equal (c) to {@value #SAME_DATA_TOLERANCE} (max-entry relative differences): a fast pass
     * that computes the wrong thing must not pass as a result.
     */
    private static Map<String, Object> checkAgreement(Moments b, Moments c, Moments k, Matrix gram, int d, long n) {
        double[] g = gram.toArray(); // column-major full symmetric = row-major
        if (g.length != d * d) throw new IllegalStateException("MLlib returned a " + gram.numRows() + " x " + gram.numCols() + " Gramian, expected " + d + " x " + d);
        double[] gOverN = new double[g.length];
        for (int i = 0; i < g.length; i++) gOverN[i] = g[i] / n;
        double ce = relMaxDiff(c.secondX(), gOverN);
        double bc = relMaxDiff(b.secondX(), c.secondX());
        double dc = relMaxDiff(k.secondX(), c.secondX());
        if (b.n() != n || c.n() != n || k.n() != n) {
            throw new IllegalStateException("bench correctness check failed: row counts (b)=" + b.n() + ", (c)=" + c.n()
                    + ", (d)=" + k.n() + ", expected " + n);
        }
        if (!(ce <= CACHED_VS_MLLIB_TOLERANCE)) {
            throw new IllegalStateException(String.format(Locale.ROOT, "bench correctness check failed at d=%d: (c) E[x x^T] differs"
                    + " from MLlib's Gramian/N by %.3e relative (tolerance %.0e)", d, ce, CACHED_VS_MLLIB_TOLERANCE));
        }
        if (!(bc <= SAME_DATA_TOLERANCE) || !(dc <= SAME_DATA_TOLERANCE)) {
            throw new IllegalStateException(String.format(Locale.ROOT, "bench correctness check failed at d=%d: the same rows gave"
                    + " different E[x x^T]: (b) vs (c) %.3e, (d) vs (c) %.3e relative (tolerance %.0e)", d, bc, dc, SAME_DATA_TOLERANCE));
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cachedVsMllibRelDiff", ce);
        m.put("generatedVsCachedRelDiff", bc);
        m.put("kernelVsCachedRelDiff", dc);
        m.put("tolerance", CACHED_VS_MLLIB_TOLERANCE);
        return m;
    }

    /** max |a - b| / max |b|. */
    static double relMaxDiff(double[] a, double[] b) {
        double diff = 0, scale = 0;
        for (int i = 0; i < a.length; i++) {
            diff = Math.max(diff, Math.abs(a[i] - b[i]));
            scale = Math.max(scale, Math.abs(b[i]));
        }
        return scale == 0 ? diff : diff / scale;
    }

    private static void checkCount(long got, long want, String what) {
        if (got != want) throw new IllegalStateException("bench " + what + " pass saw " + got + " rows, expected " + want);
    }

    private void warnIfCacheTooLarge(SyntheticSource src) {
        // Blocks: 8 d bytes a row; vectors: 8 d + about 40 bytes of object headers a row.
        double bytes = src.numRows() * (16.0 * src.d() + 40);
        long max = Runtime.getRuntime().maxMemory();
        if (bytes > 0.5 * max) {
            System.out.printf("  warning: the two caches of (c) and (e) need about %,.0f MiB but the driver heap is %,d MiB;"
                    + " Spark may spill to disk (reported below). Lower --samples or raise RELULEARN_DRIVER_MEMORY.%n",
                    bytes / (1 << 20), max >> 20);
        }
    }

    // ---------------------------------------------------------------- options

    private long[] samplesPerDim() {
        long[] ns = new long[dims.size()];
        if (samples == null || samples.isEmpty()) {
            for (int i = 0; i < ns.length; i++) ns[i] = Math.max(1, ROW_CELLS / dims.get(i));
            return ns;
        }
        if (samples.size() != 1 && samples.size() != dims.size()) {
            throw new UserInputException("--samples has " + samples.size() + " values but --dims has " + dims.size()
                    + ": give one value for all or one per dimension");
        }
        for (int i = 0; i < ns.length; i++) ns[i] = parseCount("--samples", samples.get(samples.size() == 1 ? 0 : i));
        return ns;
    }

    /** A positive whole count written as 1000000, 1_000_000 or 1e6. */
    static long parseCount(String option, String text) {
        String t = text.trim().replace("_", "");
        try {
            double v = Double.parseDouble(t);
            if (v >= 1 && v <= 1e15 && v == Math.rint(v)) return (long) v;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new UserInputException(option + " value '" + text + "' is not a whole number >= 1: write e.g. 1000000 or 1e6");
    }

    // ---------------------------------------------------------------- report

    @SuppressWarnings("unchecked")
    static String markdown(Map<String, Object> results) {
        StringBuilder sb = new StringBuilder();
        int cores = (int) num(results.get("cores"));
        sb.append("Command: `").append(results.get("command")).append("`  \n");
        Map<String, Object> env = (Map<String, Object>) results.get("environment");
        sb.append(String.format(Locale.ROOT, "Spark %s (%s), Java %s, %d core(s), max heap %s MiB, BLAS %s, OPENBLAS_NUM_THREADS=%s.  %n",
                env.get("spark"), results.get("sparkMaster"), env.get("java"), cores, env.get("maxHeapMiB"),
                env.get("blasLevel3"), env.get("openblasThreads")));
        sb.append("Time: ").append(results.get("statistic")).append("; warm-up: ").append(results.get("warmup")).append(".  \n");
        sb.append("per core: samples/s divided by the ").append(cores).append(" cores Spark uses ((d) runs on one thread).")
                .append(" CPU ns/sample: Spark task CPU time plus the driver thread's, per sample.")
                .append(" busy: process CPU seconds per wall second (").append(cores).append(" = the cores were all ours).")
                .append(" peak heap: used heap of the driver JVM (local mode: it holds the caches; both are resident during (c) and (e)).\n\n");
        sb.append("| d | N | case | seconds | samples/s | samples/s per core | CPU ns/sample | peak heap MiB | busy |\n");
        sb.append("|---:|---:|---|---:|---:|---:|---:|---:|---:|\n");
        List<Map<String, Object>> dimsOut = (List<Map<String, Object>>) results.get("dims");
        for (Map<String, Object> r : dimsOut) {
            Map<String, Object> cases = (Map<String, Object>) r.get("cases");
            for (Map.Entry<String, Object> e : cases.entrySet()) {
                Map<String, Object> c = (Map<String, Object>) e.getValue();
                sb.append(String.format(Locale.ROOT, "| %d | %,d | (%s) %s | %.3f | %,.0f | %,.0f | %,.1f | %,.0f | %.2f |%n",
                        (int) num(r.get("d")), (long) num(r.get("N")), e.getKey(), c.get("name"), num(c.get("seconds")),
                        num(c.get("samplesPerSecond")), num(c.get("samplesPerSecondPerCore")), num(c.get("cpuNsPerSample")),
                        num(c.get("peakHeapMiB")), num(c.get("processCoresBusy"))));
            }
        }
        double minBusy = Double.POSITIVE_INFINITY, maxLoad = 0;
        for (Map<String, Object> r : dimsOut) {
            for (Map.Entry<String, Object> e : ((Map<String, Object>) r.get("cases")).entrySet()) {
                Map<String, Object> c = (Map<String, Object>) e.getValue();
                if (!e.getKey().equals("d")) minBusy = Math.min(minBusy, num(c.get("processCoresBusy")));
                maxLoad = Math.max(maxLoad, num(c.get("loadAverageAtStart")));
            }
        }
        if (minBusy < 0.75 * cores) {
            sb.append(String.format(Locale.ROOT, "%nNote: the machine was shared (load average up to %.1f on %d cores; the Spark cases kept"
                    + " as little as %.2f cores busy), so wall-clock rates per core understate what the code does with the"
                    + " cores to itself; the CPU-time columns and ratios are not affected by the sharing.%n", maxLoad, cores, minBusy));
        }
        sb.append("\n| d | (b)/(d) per core | by CPU time | target 0.50 | (c) vs (e) speed-up | by CPU time | target 5 |"
                + " (c) = (e)/N, max rel. diff | cached blocks MiB (on disk) |\n");
        sb.append("|---:|---:|---:|---|---:|---:|---|---:|---:|\n");
        for (Map<String, Object> r : dimsOut) {
            Map<String, Object> ratios = (Map<String, Object>) r.get("ratios");
            Map<String, Object> checks = (Map<String, Object>) r.get("checks");
            Map<String, Object> blocks = (Map<String, Object>) ((Map<String, Object>) r.get("cache")).get("blocks");
            double bd = num(ratios.get("bOverDPerCore")), ce = num(ratios.get("cSpeedupOverE"));
            sb.append(String.format(Locale.ROOT, "| %d | %.2f | %.2f | %s | %.1fx | %.1fx | %s | %.1e | %,.0f (%,.0f) |%n",
                    (int) num(r.get("d")), bd, num(ratios.get("bOverDByCpu")), bd >= 0.5 ? "met" : "missed", ce,
                    num(ratios.get("cSpeedupOverEByCpu")), ce >= 5 ? "met" : "missed",
                    num(checks.get("cachedVsMllibRelDiff")), num(blocks.get("memoryMiB")), num(blocks.get("diskMiB"))));
        }
        for (Map<String, Object> r : dimsOut) {
            Map<String, Object> cache = (Map<String, Object>) r.get("cache");
            for (String which : new String[] {"blocks", "vectors"}) {
                Map<String, Object> st = (Map<String, Object>) cache.get(which);
                if (!Boolean.TRUE.equals(st.get("allInMemory"))) {
                    sb.append(String.format(Locale.ROOT, "%nWarning: at d=%d the cached %s were not all in memory (%,.0f MiB on disk, %d of %d"
                            + " partitions cached), so (c) and (e) partly read disk; give the driver more memory or use more partitions.%n",
                            (int) num(r.get("d")), which, num(st.get("diskMiB")), (int) num(st.get("cachedPartitions")), (int) num(st.get("partitions"))));
                }
            }
        }
        Map<String, Object> sc = (Map<String, Object>) results.get("scaling");
        if (sc != null) {
            sb.append(String.format(Locale.ROOT, "%nScaling of (b) at d=%d:%n%n", (int) num(sc.get("d"))));
            sb.append("| N | seconds | samples/s | wall ns per sample per core | CPU ns/sample | peak heap MiB | busy |\n"
                    + "|---:|---:|---:|---:|---:|---:|---:|\n");
            for (Map<String, Object> p : (List<Map<String, Object>>) sc.get("points")) {
                sb.append(String.format(Locale.ROOT, "| %,d | %.3f | %,.0f | %.1f | %.1f | %,.0f | %.2f |%n", (long) num(p.get("N")),
                        num(p.get("seconds")), num(p.get("samplesPerSecond")), num(p.get("nsPerSamplePerCore")),
                        num(p.get("cpuNsPerSample")), num(p.get("peakHeapMiB")), num(p.get("processCoresBusy"))));
            }
            double wall = num(sc.get("costGrowthWall")), cpu = num(sc.get("costGrowthCpu"));
            sb.append(String.format(Locale.ROOT, "%nHighest cost per sample over N, relative to the smallest N: %.2f by wall time, %.2f by CPU time"
                    + " (flat: <= %.2f, %s); max/min spread %.2f and %.2f.%n", wall, cpu, FLAT_GROWTH,
                    Math.max(wall, cpu) <= FLAT_GROWTH ? "met" : "missed", num(sc.get("costSpreadWall")), num(sc.get("costSpreadCpu"))));
        }
        return sb.toString();
    }

    /** A JSON number as a double (results read back from JSON hold Integer, Long or Double). */
    private static double num(Object v) { return ((Number) v).doubleValue(); }

    /** Reads a results.json back (tests). */
    static Map<String, Object> readResults(Path dir) { return Json.readMap(dir.resolve("results.json")); }
}
