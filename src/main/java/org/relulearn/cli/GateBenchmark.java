package org.relulearn.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
import org.relulearn.spark.SparkPassRunner;

/**
 * The gate's benchmark (issue figures): the distributed mode at d = 100 and b = 1e4, 1e5, 1e6
 * (samples/s per core against the single-threaded kernel limit: generation plus the Tron block
 * kernel, no Spark), the per-iteration overhead of a Spark job (b = 1), and the streaming mode at
 * b = 16 (iterations/s). Timings are wall clock after one warm-up run of each case.
 */
final class GateBenchmark {
    private GateBenchmark() {}

    static final int D = 100;

    static Map<String, Object> run(SparkPassRunner spark, List<Integer> batches, int streamingIterations) {
        Map<String, Object> out = new LinkedHashMap<>();
        int cores = spark.parallelism();
        ReluGate gate = Teachers.randomGate(D, 1, false);
        SyntheticSource src = new SyntheticSource(Distributions.parse("gaussian", D), gate, null, 1, 1, 0, 4096);
        double[] w1 = new double[D];
        Arrays.fill(w1, 1);

        double limit = kernelLimit(src, w1);
        out.put("kernelLimitSamplesPerSecondPerCore", limit);
        System.out.printf("gate kernel limit (one thread, generation + Tron block kernel, d=%d): %,.0f samples/s%n", D, limit);

        List<Map<String, Object>> rows = new ArrayList<>();
        double overheadMs = perIteration(spark, src, w1, 1, 30) * 1e3;
        out.put("perIterationOverheadMs", overheadMs);
        System.out.printf("distributed mode, b=1: %.1f ms per iteration (Spark job overhead)%n", overheadMs);
        System.out.println("| b | iterations | s/iteration | samples/s | per core | per core / kernel limit |");
        System.out.println("| ---: | ---: | ---: | ---: | ---: | ---: |");
        for (int b : batches) {
            int iters = (int) Math.max(3, Math.min(30, 2e7 / b));
            double perIt = perIteration(spark, src, w1, b, iters);
            double rate = b / perIt;
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("batch", b);
            r.put("iterations", iters);
            r.put("secondsPerIteration", perIt);
            r.put("samplesPerSecond", rate);
            r.put("samplesPerSecondPerCore", rate / cores);
            r.put("ratioToKernelLimit", rate / cores / limit);
            rows.add(r);
            System.out.printf("| %,d | %d | %.4f | %,.0f | %,.0f | %.2f |%n", b, iters, perIt, rate, rate / cores, rate / cores / limit);
        }
        out.put("distributed", rows);

        GateOptions so = GateOptions.defaults().withIterations(streamingIterations).withEvalEvery(100).withPilotSamples(20_000)
                .withMode(GateOptions.Mode.STREAMING, streamingIterations);
        GateTrainer.fit(spark, src, so.withIterations(Math.min(2000, streamingIterations)), w1, gate.weights());
        long t0 = System.nanoTime();
        GateResult r = GateTrainer.fit(spark, src, so, w1, gate.weights());
        double secs = (System.nanoTime() - t0) / 1e9;
        double itPerSec = streamingIterations / secs;
        out.put("streamingIterationsPerSecond", itPerSec);
        out.put("streamingSeconds", secs);
        System.out.printf("streaming mode, d=%d b=16: %,d iterations in %.2f s = %,.0f iterations/s (including the pilot and job start; final error %.2g)%n",
                D, streamingIterations, secs, itPerSec, r.finalError());
        return out;
    }

    /** Seconds per iteration of the distributed mode (pilot excluded), after a warm-up run. */
    private static double perIteration(SparkPassRunner spark, SyntheticSource src, double[] w1, int b, int iters) {
        GateOptions o = GateOptions.defaults().withBatch(b).withIterations(iters).withEvalEvery(iters)
                .withPilotSamples(10_000).withMode(GateOptions.Mode.DISTRIBUTED, 1);
        GateTrainer.fit(spark, src, o.withIterations(Math.max(2, iters / 3)), w1, null);
        long t0 = System.nanoTime();
        GateTrainer.fit(spark, src, o, w1, null);
        long t1 = System.nanoTime();
        GateTrainer.fit(spark, src, o.withIterations(1), w1, null);
        long t2 = System.nanoTime();
        // Subtract a one-iteration run (pilot + one step) to leave the cost of iters - 1 iterations.
        return ((t1 - t0) - (t2 - t1)) / 1e9 / (iters - 1);
    }

    /** One thread, no Spark: fresh mini-batches generated and reduced by the Tron block kernel. */
    private static double kernelLimit(SyntheticSource src, double[] w) {
        Shared<double[]> shared = Shared.local(w);
        int d = src.d();
        long rows = 400_000;
        SyntheticSource batch = src.withNumRows(rows).withStream(12345);
        LocalPassRunner local = new LocalPassRunner(1);
        local.aggregate(new SyntheticData(batch), () -> new GateGradientAggregator(shared, GateUpdate.TRON, d), "warm-up");
        long t0 = System.nanoTime();
        local.aggregate(new SyntheticData(batch.withStream(54321)), () -> new GateGradientAggregator(shared, GateUpdate.TRON, d), "limit");
        return rows / ((System.nanoTime() - t0) / 1e9);
    }
}
