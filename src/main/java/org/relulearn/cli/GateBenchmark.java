package org.relulearn.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.relulearn.algo.gate.GateGradientAggregator;
import org.relulearn.algo.gate.GateOptions;
import org.relulearn.algo.gate.GateResult;
import org.relulearn.algo.gate.GateTrainer;
import org.relulearn.algo.gate.GateUpdate;
import org.relulearn.data.Distributions;
import org.relulearn.data.ReluGate;
import org.relulearn.data.SyntheticSource;
import org.relulearn.data.Teachers;
import org.relulearn.engine.LocalPassRunner;
import org.relulearn.engine.Shared;
import org.relulearn.engine.SyntheticData;
import org.relulearn.error.UserInputException;
import org.relulearn.spark.SparkPassRunner;
import picocli.CommandLine.Option;

/**
 * The gate's benchmark (issue figures): the distributed mode at d = 100 and b = 1e4, 1e5, 1e6
 * (samples/s per core against the single-threaded kernel limit: generation plus the Tron block
 * kernel, no Spark), the per-iteration overhead of a Spark job (b = 1), and the streaming mode at
 * b = 16 (iterations/s). Timings are wall clock after one warm-up run of each case ({@link BenchTimer}:
 * one timed run, the warm-up a shorter run of the same case).
 */
final class GateBenchmark implements BenchSuite {
    static final int D = 100;

    @Option(names = "--gate-batches", split = ",", defaultValue = "10000,100000,1000000",
            description = "Gate suite: mini-batch sizes of the distributed mode. Default: ${DEFAULT-VALUE}.")
    List<Integer> gateBatches;

    @Option(names = "--gate-streaming-iterations", defaultValue = "20000",
            description = "Gate suite: iterations of the streaming run at b=16. Default: ${DEFAULT-VALUE}.")
    int gateStreamingIterations;

    @Override public String name() { return "gate"; }

    @Override public String description() {
        return "the gate's distributed mode (samples/s per core against the one-thread kernel limit) and streaming mode (iterations/s)";
    }

    @Override public Set<String> sharedOptions() { return Set.of("--warmup"); }

    @Override
    public void validate() {
        for (int b : gateBatches) if (b < 1) throw new UserInputException("--gate-batches entries must be >= 1, got " + b);
        if (gateStreamingIterations < 1) {
            throw new UserInputException("--gate-streaming-iterations must be >= 1, got " + gateStreamingIterations);
        }
    }

    @Override
    public void run(BenchContext ctx) {
        ctx.results().put(name(), run(ctx.out(), ctx.runner(), gateBatches, gateStreamingIterations, BenchTimer.single(ctx.warmup())));
    }

    static Map<String, Object> run(PrintStream out, SparkPassRunner spark, List<Integer> batches, int streamingIterations, BenchTimer timer) {
        Map<String, Object> res = new LinkedHashMap<>();
        int cores = spark.parallelism();
        ReluGate gate = Teachers.randomGate(D, 1, false);
        SyntheticSource src = new SyntheticSource(Distributions.parse("gaussian", D), gate, null, 1, 1, 0, 4096);
        double[] w1 = new double[D];
        Arrays.fill(w1, 1);

        double limit = kernelLimit(src, w1, timer);
        res.put("kernelLimitSamplesPerSecondPerCore", limit);
        out.printf("gate kernel limit (one thread, generation + Tron block kernel, d=%d): %,.0f samples/s%n", D, limit);

        List<Map<String, Object>> rows = new ArrayList<>();
        double overheadMs = perIteration(spark, src, w1, 1, 30, timer) * 1e3;
        res.put("perIterationOverheadMs", overheadMs);
        out.printf("distributed mode, b=1: %.1f ms per iteration (Spark job overhead)%n", overheadMs);
        out.println("| b | iterations | s/iteration | samples/s | per core | per core / kernel limit |");
        out.println("| ---: | ---: | ---: | ---: | ---: | ---: |");
        for (int b : batches) {
            int iters = (int) Math.max(3, Math.min(30, 2e7 / b));
            double perIt = perIteration(spark, src, w1, b, iters, timer);
            double rate = b / perIt;
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("batch", b);
            r.put("iterations", iters);
            r.put("secondsPerIteration", perIt);
            r.put("samplesPerSecond", rate);
            r.put("samplesPerSecondPerCore", rate / cores);
            r.put("ratioToKernelLimit", rate / cores / limit);
            rows.add(r);
            out.printf("| %,d | %d | %.4f | %,.0f | %,.0f | %.2f |%n", b, iters, perIt, rate, rate / cores, rate / cores / limit);
        }
        res.put("distributed", rows);

        GateOptions so = GateOptions.defaults().withIterations(streamingIterations).withEvalEvery(100).withPilotSamples(20_000)
                .withMode(GateOptions.Mode.STREAMING, streamingIterations);
        timer.warmUp(() -> GateTrainer.fit(spark, src, so.withIterations(Math.min(2000, streamingIterations)), w1, gate.weights()));
        BenchTimer.Timing<GateResult> streaming = timer.timeRuns(() -> GateTrainer.fit(spark, src, so, w1, gate.weights()),
                BenchTimer.RunObserver.NONE);
        GateResult r = streaming.result();
        double secs = streaming.median();
        double itPerSec = streamingIterations / secs;
        res.put("streamingIterationsPerSecond", itPerSec);
        res.put("streamingSeconds", secs);
        out.printf("streaming mode, d=%d b=16: %,d iterations in %.2f s = %,.0f iterations/s (including the pilot and job start; final error %.2g)%n",
                D, streamingIterations, secs, itPerSec, r.finalError());
        return res;
    }

    /** Seconds per iteration of the distributed mode (pilot excluded), after a warm-up run. */
    private static double perIteration(SparkPassRunner spark, SyntheticSource src, double[] w1, int b, int iters, BenchTimer timer) {
        GateOptions o = GateOptions.defaults().withBatch(b).withIterations(iters).withEvalEvery(iters)
                .withPilotSamples(10_000).withMode(GateOptions.Mode.DISTRIBUTED, 1);
        timer.warmUp(() -> GateTrainer.fit(spark, src, o.withIterations(Math.max(2, iters / 3)), w1, null));
        BenchTimer.Pair<GateResult, GateResult> runs = timer.alternate(
                () -> GateTrainer.fit(spark, src, o, w1, null), BenchTimer.RunObserver.NONE,
                () -> GateTrainer.fit(spark, src, o.withIterations(1), w1, null), BenchTimer.RunObserver.NONE);
        // Subtract a one-iteration run (pilot + one step) to leave the cost of iters - 1 iterations.
        return (runs.first().median() - runs.second().median()) / (iters - 1);
    }

    /** One thread, no Spark: fresh mini-batches generated and reduced by the Tron block kernel. */
    private static double kernelLimit(SyntheticSource src, double[] w, BenchTimer timer) {
        Shared<double[]> shared = Shared.local(w);
        int d = src.d();
        long rows = 400_000;
        SyntheticSource batch = src.withNumRows(rows).withStream(12345);
        LocalPassRunner local = new LocalPassRunner(1);
        timer.warmUp(() -> local.aggregate(new SyntheticData(batch), () -> new GateGradientAggregator(shared, GateUpdate.TRON, d), "warm-up"));
        BenchTimer.Timing<?> t = timer.timeRuns(() -> local.aggregate(new SyntheticData(batch.withStream(54321)),
                () -> new GateGradientAggregator(shared, GateUpdate.TRON, d), "limit"), BenchTimer.RunObserver.NONE);
        return rows / t.median();
    }
}
