package org.relulearn.cli;

import static org.apache.spark.sql.functions.col;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.SparseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.stat.Summarizer;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.relulearn.algo.moments.MomentAggregator;
import org.relulearn.algo.moments.Moments;
import org.relulearn.data.Block;
import org.relulearn.data.Distributions;
import org.relulearn.data.SyntheticSource;
import org.relulearn.data.Teachers;
import org.relulearn.engine.AggregatorFactory;
import org.relulearn.engine.SyntheticData;
import org.relulearn.error.UserInputException;
import org.relulearn.fs.DataPath;
import org.relulearn.spark.FileSources;
import org.relulearn.spark.SparkBlockData;
import org.relulearn.spark.SparkPassRunner;
import org.relulearn.spark.SyntheticWriter;
import org.relulearn.spark.TaskCpuMeter;

/**
 * {@code bench --suite parquet}: what reading Parquet costs a pass. A data set as {@code generate}
 * writes it (d features, a network teacher's label, N rows in F files) is written once, then the
 * second-moment pass of the moments family ({@link MomentAggregator}: sum x x^T, x, y x^T, y, y y^T
 * by dsyrk/dgemm per block, compensated) runs over
 * <pre>
 *   (a)  the files, read on every pass (FileSources.scan: Catalyst rows into blocks, every row checked)
 *   (a') the files read into the cache as train and moments do (FileSources.read: read, check, cache,
 *        number the rows), plus one pass: what a first pass costs them
 *   (b)  the blocks (a') cached
 *   (c)  the generated rows (the synthetic pass, no files)
 *   (d)  spark.read.parquet + MLlib's Summarizer (mean, variance) of the features: MLlib's own read
 *   (e)  the files through the Row API (one Row and one Vector object a row, copied into blocks), then
 *        the same pass: the reader before the Catalyst-row one
 * </pre>
 * Target: (a) at least half of (c)'s samples/s. Time is the median of {@code repeats} rounds; each
 * round runs every case once, in turn, so all cases see the same machine. CPU time of the Spark
 * tasks is reported per sample: contention on a shared machine does not change it. Allocated bytes
 * per sample (all JVM threads; local mode, where the tasks run in this JVM) shows what a reader
 * allocates per row. (a), (a'), (b), (c), (e) must agree to 1e-12 relative (the same rows, summed in
 * other blocks), and (d)'s mean and variance with (a)'s to 1e-9: the bench fails otherwise.
 */
final class ParquetBenchmark implements BenchSuite {
    static final double SAME_ROWS_TOLERANCE = 1e-12;
    static final double MLLIB_TOLERANCE = 1e-9;
    static final double TARGET = 0.5;

    @picocli.CommandLine.Option(names = "--parquet-dim", defaultValue = "100", description = "Parquet suite: features d. Default: ${DEFAULT-VALUE}.")
    int parquetDim;

    @picocli.CommandLine.Option(names = "--parquet-samples", defaultValue = "1e6",
            description = "Parquet suite: rows N written and read. Default: ${DEFAULT-VALUE}.")
    String parquetSamples;

    @picocli.CommandLine.Option(names = "--parquet-files", defaultValue = "0",
            description = "Parquet suite: files written (0 = as generate: 4 per core). Default: ${DEFAULT-VALUE}.")
    int parquetFiles;

    @Override public String name() { return "parquet"; }

    @Override public String description() {
        return "the moment pass over Parquet files (read on every pass, read into the cache), cached and generated rows; MLlib Summarizer";
    }

    @Override public Set<String> sharedOptions() { return Set.of("--repeats", "--warmup", "--seed"); }

    @Override public boolean inAll() { return false; }

    @Override
    public void validate() {
        if (parquetDim < 1) throw new UserInputException("--parquet-dim must be >= 1, got " + parquetDim);
        if (parquetFiles < 0) throw new UserInputException("--parquet-files must be >= 0 (0 = as generate: 4 per core), got " + parquetFiles);
        EngineBenchmark.parseCount("--parquet-samples", parquetSamples);
    }

    @Override
    public void run(BenchContext ctx) {
        TaskCpuMeter cpu = TaskCpuMeter.install(ctx.runner().context());
        ctx.results().put(name(), run(ctx.out(), ctx.spark(), ctx.runner(), cpu, ctx.output().location("parquet-data"), parquetDim,
                EngineBenchmark.parseCount("--parquet-samples", parquetSamples), parquetFiles, ctx.repeats(), ctx.warmup(), ctx.seed(),
                "gaussian", ctx.blockBytes()));
    }

    /** One case's measurements over the rounds. */
    private static final class Case {
        final String key, name;
        final List<Double> seconds = new ArrayList<>();
        double cpuSeconds, allocatedBytes;
        Object result;

        Case(String key, String name) {
            this.key = key;
            this.name = name;
        }

        double median() {
            double[] s = seconds.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            return s.length % 2 == 1 ? s[s.length / 2] : 0.5 * (s[s.length / 2 - 1] + s[s.length / 2]);
        }
    }

    static Map<String, Object> run(java.io.PrintStream console, SparkSession spark, SparkPassRunner runner, TaskCpuMeter cpu, DataPath dir, int d, long n, int files,
                                   int repeats, boolean warmup, long seed, String distribution, long blockBytes) {
        if (d < 1) throw new UserInputException("--parquet-dim must be >= 1, got " + d);
        if (files < 0) throw new UserInputException("--parquet-files must be >= 0 (0 = as generate: 4 per core), got " + files);
        SyntheticSource src = new SyntheticSource(Distributions.parse(distribution, d), Teachers.randomNetwork(d, 4, 1, seed, true, 0, 0),
                null, n, seed, 0, Block.rowsForBudget(d, 1, blockBytes));
        int parts = files > 0 ? files : runner.partitionsFor(src);
        int m = src.m();
        String path = dir.uri();
        boolean local = runner.context().master().startsWith("local");
        console.printf("parquet suite: moment pass (d=%d, m=%d) over N=%,d rows read from Parquet, cached, generated; MLlib Summarizer%n",
                d, m, n);
        try {
            long t0 = System.nanoTime();
            SyntheticWriter.write(spark, src, FileSources.Format.PARQUET, path, parts);
            double writeSeconds = (System.nanoTime() - t0) / 1e9;
            long bytes = dir.fs().getContentSummary(dir.path()).getLength();
            console.printf("  wrote %,d rows in %d files (%,.0f MiB) in %.1f s to %s%n", n, parts, bytes / 1048576.0, writeSeconds, path);

            FileSources.Options opt = FileSources.Options.defaults().withFormat(FileSources.Format.PARQUET).withBlockBytes(blockBytes);
            FileSources.Scan scan = FileSources.scan(spark, path, opt);
            SparkBlockData fromFiles = new SparkBlockData(scan.blocks(), scan.d(), scan.m(), n, scan.describe());
            SyntheticData generated = new SyntheticData(src);
            AggregatorFactory<MomentAggregator> moments = () -> new MomentAggregator(d, m);

            Case a = new Case("a", "moment pass over the Parquet files, read on every pass");
            Case a1 = new Case("a'", "first read as train/moments do it: read, check, cache, number the rows, then one pass");
            Case b = new Case("b", "moment pass over the blocks (a') cached");
            Case c = new Case("c", "moment pass over generated rows (no files)");
            Case e = new Case("e", "Row API read (one Row and one Vector a row) into blocks, then the same pass");
            Case dm = new Case("d", "spark.read.parquet + MLlib Summarizer mean/variance of the features");
            List<Case> cases = List.of(a, a1, b, c, dm, e);
            SparkBlockData cached = null;
            try {
                for (int round = warmup ? -1 : 0; round < repeats; round++) {
                    boolean timed = round >= 0;
                    String tag = timed ? "bench parquet round " + (round + 1) : "bench parquet warm-up";
                    measure(cpu, a, timed, () -> runner.aggregate(fromFiles, moments, tag + ": (a) moments over the files").result());
                    if (cached != null) cached.blocks().unpersist(true);
                    SparkBlockData[] holder = new SparkBlockData[1];
                    measure(cpu, a1, timed, () -> {
                        holder[0] = FileSources.read(spark, path, opt);
                        return runner.aggregate(holder[0], moments, tag + ": (a') moments after reading into the cache").result();
                    });
                    cached = holder[0];
                    SparkBlockData cachedNow = cached;
                    measure(cpu, b, timed, () -> runner.aggregate(cachedNow, moments, tag + ": (b) moments over cached blocks").result());
                    measure(cpu, c, timed, () -> runner.aggregate(generated, moments, tag + ": (c) moments over generated rows").result());
                    measure(cpu, dm, timed, () -> summarizer(spark, path, tag));
                    measure(cpu, e, timed, () -> rowApiPass(spark, runner, path, d, m, blockBytes, tag));
                }
            } finally {
                if (cached != null) cached.blocks().unpersist(true);
            }
            Map<String, Object> checks = check((Moments) a.result, List.of(a1, b, c, e), (Row) dm.result, n);

            Map<String, Object> res = new LinkedHashMap<>();
            res.put("d", d);
            res.put("m", m);
            res.put("N", n);
            res.put("files", parts);
            res.put("fileMiB", bytes / 1048576.0);
            res.put("writeSeconds", writeSeconds);
            res.put("rowsPerBlock", src.rowsPerBlock());
            res.put("cores", runner.parallelism());
            res.put("loadAverageAtEnd", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            Map<String, Object> out = new LinkedHashMap<>();
            for (Case k : cases) {
                Map<String, Object> r = new LinkedHashMap<>();
                double s = k.median();
                r.put("name", k.name);
                r.put("seconds", s);
                r.put("passSeconds", k.seconds);
                r.put("samplesPerSecond", n / s);
                r.put("cpuNsPerSample", k.cpuSeconds / k.seconds.size() / n * 1e9);
                if (local) r.put("allocatedBytesPerSample", k.allocatedBytes / k.seconds.size() / n);
                out.put(k.key, r);
            }
            res.put("cases", out);
            double byWall = c.median() / a.median();
            double byCpu = c.cpuSeconds / a.cpuSeconds;
            res.put("aOverC", byWall);
            res.put("aOverCByCpu", byCpu);
            res.put("aOverCTarget", TARGET);
            res.put("checks", checks);
            console.print(markdown(res));
            return res;
        } catch (IOException ex) {
            throw new java.io.UncheckedIOException("parquet suite: cannot size or delete " + path + ": " + ex.getMessage(), ex);
        } finally {
            try {
                dir.delete();
            } catch (IOException ex) {
                console.println("  warning: could not delete the bench's Parquet files at " + path + ": " + ex.getMessage());
            }
        }
    }

    /** Runs one pass of a case, adding its wall, task CPU and allocated bytes when the round is timed. */
    private static void measure(TaskCpuMeter cpu, Case k, boolean timed, Supplier<Object> pass) {
        System.gc();
        String tag = cpu.begin();
        long alloc0 = allocatedBytes();
        long t0 = System.nanoTime();
        Object result;
        try {
            result = pass.get();
        } catch (RuntimeException ex) {
            cpu.abandon();
            throw ex;
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        long alloc = allocatedBytes() - alloc0;
        TaskCpuMeter.Usage usage = cpu.end(tag);
        k.result = result;
        if (!timed) return;
        k.seconds.add(secs);
        k.cpuSeconds += usage.cpuSeconds();
        k.allocatedBytes += alloc;
    }

    /** Bytes allocated so far by the JVM's live threads (-1 terms, unsupported, count as 0). */
    private static long allocatedBytes() {
        if (!(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean t) || !t.isThreadAllocatedMemorySupported()) {
            return 0;
        }
        long sum = 0;
        for (long v : t.getThreadAllocatedBytes(t.getAllThreadIds())) sum += Math.max(0, v);
        return sum;
    }

    /** MLlib's way: read the files as a DataFrame and summarise the features column. */
    private static Row summarizer(SparkSession spark, String path, String tag) {
        spark.sparkContext().setJobDescription(tag + ": (d) spark.read.parquet + Summarizer");
        try {
            return spark.read().parquet(path).select(Summarizer.metrics("mean", "variance").summary(col("features")).as("s"))
                    .select("s.mean", "s.variance").first();
        } finally {
            spark.sparkContext().setJobDescription(null);
        }
    }

    /**
     * The Row API read: each row is a Row holding a deserialised Vector (its own double[]), copied
     * into a block; full blocks go to the moment aggregator. One aggregator per partition, merged
     * on the driver.
     */
    private static Moments rowApiPass(SparkSession spark, SparkPassRunner runner, String path, int d, int m, long blockBytes, String tag) {
        if (m != 1) throw new IllegalStateException("the Row API case reads one label column, not m=" + m);
        int rowsPerBlock = Block.rowsForBudget(d, m, blockBytes);
        JavaRDD<Row> rows = spark.read().parquet(path).select(FileSources.DEFAULT_FEATURES_COL, FileSources.DEFAULT_LABEL_COL).javaRDD();
        JavaRDD<MomentAggregator> parts = rows.mapPartitions(it -> Collections.singletonList(rowApiPartition(it, d, m, rowsPerBlock)).iterator());
        runner.context().setJobDescription(tag + ": (e) Row API read + moments");
        try {
            return parts.reduce(MomentAggregator::merge).result();
        } finally {
            runner.context().setJobDescription(null);
        }
    }

    private static MomentAggregator rowApiPartition(Iterator<Row> rows, int d, int m, int rowsPerBlock) {
        MomentAggregator agg = new MomentAggregator(d, m);
        Block block = new Block(d, m, rowsPerBlock);
        double[] x = block.x(), y = block.y();
        int r = 0;
        while (rows.hasNext()) {
            Row row = rows.next();
            Vector v = (Vector) row.get(0);
            if (v.size() != d) throw new IllegalStateException("a row of " + v.size() + " features in a d=" + d + " data set");
            if (v instanceof DenseVector dv) {
                System.arraycopy(dv.values(), 0, x, r * d, d);
            } else {
                SparseVector sv = (SparseVector) v;
                Arrays.fill(x, r * d, (r + 1) * d, 0.0);
                for (int q = 0; q < sv.indices().length; q++) x[r * d + sv.indices()[q]] = sv.values()[q];
            }
            for (int j = r * d; j < (r + 1) * d; j++) {
                if (!Double.isFinite(x[j])) throw new IllegalStateException("a feature that is not finite");
            }
            y[r] = row.getDouble(1);
            if (++r == rowsPerBlock) {
                agg.add(block.reset(r, 0));
                r = 0;
            }
        }
        if (r > 0) agg.add(block.reset(r, 0));
        return agg;
    }

    /** Every moment pass saw the same N rows and agrees with (a); MLlib's mean and variance agree with (a)'s. */
    private static Map<String, Object> check(Moments a, List<Case> others, Row mllib, long n) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (a.n() != n) throw new IllegalStateException("bench parquet: (a) saw " + a.n() + " rows, expected " + n);
        for (Case k : others) {
            Moments o = (Moments) k.result;
            if (o.n() != n) throw new IllegalStateException("bench parquet: (" + k.key + ") saw " + o.n() + " rows, expected " + n);
            double diff = Math.max(Math.max(relMaxDiff(o.secondX(), a.secondX()), relMaxDiff(o.meanX(), a.meanX())),
                    relMaxDiff(o.crossYX(), a.crossYX()));
            if (!(diff <= SAME_ROWS_TOLERANCE)) {
                throw new IllegalStateException(String.format(Locale.ROOT, "bench parquet: (%s) and (a) gave moments differing by %.3e"
                        + " relative over the same rows (tolerance %.0e)", k.key, diff, SAME_ROWS_TOLERANCE));
            }
            out.put(k.key + "VsA", diff);
        }
        int d = a.d();
        double[] mean = ((Vector) mllib.get(0)).toArray(), variance = ((Vector) mllib.get(1)).toArray();
        double[] wantVariance = new double[d];
        for (int j = 0; j < d; j++) wantVariance[j] = (a.secondX()[j * d + j] - a.meanX()[j] * a.meanX()[j]) * n / (n - 1.0);
        double meanDiff = relMaxDiff(mean, a.meanX()), varDiff = relMaxDiff(variance, wantVariance);
        if (!(meanDiff <= MLLIB_TOLERANCE) || !(varDiff <= MLLIB_TOLERANCE)) {
            throw new IllegalStateException(String.format(Locale.ROOT, "bench parquet: MLlib's mean and variance differ from (a)'s by %.3e"
                    + " and %.3e relative (tolerance %.0e)", meanDiff, varDiff, MLLIB_TOLERANCE));
        }
        out.put("mllibMeanVsA", meanDiff);
        out.put("mllibVarianceVsA", varDiff);
        return out;
    }

    /** max |a - b| / max |b|. */
    private static double relMaxDiff(double[] a, double[] b) {
        double diff = 0, scale = 0;
        for (int i = 0; i < a.length; i++) {
            diff = Math.max(diff, Math.abs(a[i] - b[i]));
            scale = Math.max(scale, Math.abs(b[i]));
        }
        return scale == 0 ? diff : diff / scale;
    }

    @SuppressWarnings("unchecked")
    static String markdown(Map<?, ?> res) {
        StringBuilder sb = new StringBuilder();
        long n = ((Number) res.get("N")).longValue();
        sb.append(String.format(Locale.ROOT, "%nParquet reads, d=%d, m=%d, N=%,d in %d files (%,.0f MiB), %d rows per block, %d core(s);"
                        + " load average %.1f at the end:%n%n", ((Number) res.get("d")).intValue(), ((Number) res.get("m")).intValue(), n,
                ((Number) res.get("files")).intValue(), ((Number) res.get("fileMiB")).doubleValue(), ((Number) res.get("rowsPerBlock")).intValue(),
                ((Number) res.get("cores")).intValue(), ((Number) res.get("loadAverageAtEnd")).doubleValue()));
        sb.append("| case | seconds | samples/s | vs (c) | task CPU ns/sample | allocated bytes/sample |\n|---|---:|---:|---:|---:|---:|\n");
        Map<String, Object> cases = (Map<String, Object>) res.get("cases");
        double cRate = ((Number) ((Map<String, Object>) cases.get("c")).get("samplesPerSecond")).doubleValue();
        for (Map.Entry<String, Object> e : cases.entrySet()) {
            Map<String, Object> c = (Map<String, Object>) e.getValue();
            Object alloc = c.get("allocatedBytesPerSample");
            double rate = ((Number) c.get("samplesPerSecond")).doubleValue();
            sb.append(String.format(Locale.ROOT, "| (%s) %s | %.2f | %,.0f | %.2f | %,.0f | %s |%n", e.getKey(), c.get("name"),
                    ((Number) c.get("seconds")).doubleValue(), rate, rate / cRate, ((Number) c.get("cpuNsPerSample")).doubleValue(),
                    alloc == null ? "n/a" : String.format(Locale.ROOT, "%,.0f", ((Number) alloc).doubleValue())));
        }
        double byWall = ((Number) res.get("aOverC")).doubleValue(), byCpu = ((Number) res.get("aOverCByCpu")).doubleValue();
        sb.append(String.format(Locale.ROOT, "%n(a)/(c) samples/s = %.2f (target >= %.2f: %s); by task CPU time %.2f.%n", byWall, TARGET,
                byWall >= TARGET ? "met" : "missed", byCpu));
        return sb.toString();
    }
}
