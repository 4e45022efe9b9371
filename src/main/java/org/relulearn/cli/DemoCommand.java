package org.relulearn.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.relulearn.algo.gate.GateOptions;
import org.relulearn.algo.gate.GateResult;
import org.relulearn.algo.gate.GateTrainer;
import org.relulearn.algo.gate.PoisoningTheory;
import org.relulearn.algo.gate.TrajectoryPoint;
import org.relulearn.algo.moments.MomentsOptions;
import org.relulearn.algo.moments.MomentsResult;
import org.relulearn.algo.moments.MomentsTrainer;
import org.relulearn.algo.moments.Recovery;
import org.relulearn.data.AdditiveNoise;
import org.relulearn.data.Adversary;
import org.relulearn.data.Block;
import org.relulearn.data.OneHiddenLayerNetwork;
import org.relulearn.engine.Data;
import org.relulearn.data.Distributions;
import org.relulearn.data.OnlinePoisoning;
import org.relulearn.data.ReluGate;
import org.relulearn.data.SyntheticSource;
import org.relulearn.data.Teachers;
import org.relulearn.engine.SyntheticData;
import org.relulearn.report.RunOutput;
import org.relulearn.spark.SparkPassRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The demo: draws a teacher, streams a large synthetic sample set (10 million samples by default,
 * never materialised) and runs every algorithm relulearn has, printing recovered-vs-true figures.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Draw a teacher, stream 10 million synthetic samples, run every algorithm, print recovered vs true.")
public final class DemoCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin SyntheticOptions data;
    @Mixin EngineOptions engine;
    @Mixin OutputOptions output;

    /**
     * A gate w* ~ N(0, I_100) trained from w_1 = 1 with b = 16 at eta* while half the labels are
     * poisoned by +-0.25 (a cell of the reference grid, docs/gate.md); the floor is compared with the theory's.
     */
    static Map<String, Object> poisonedGate(SparkPassRunner runner, long seed, RunOutput out) {
        int d = 100, b = 16, iterations = 6000;
        double beta = 0.5, theta = 0.25;
        ReluGate gate = Teachers.randomGate(d, seed, false);
        SyntheticSource src = new SyntheticSource(Distributions.parse("gaussian", d), gate,
                new OnlinePoisoning(beta, theta, new Adversary.Alternating()), 1, seed, 1, 4096);
        GateOptions o = GateOptions.defaults().withIterations(iterations).withEvalEvery(1).withAverageFrom(4001)
                .withPilotSamples(GateRunOptions.defaultPilotSamples(d));
        double[] w1 = new double[d];
        java.util.Arrays.fill(w1, 1);
        GateResult r = GateTrainer.fit(runner, src, o, w1, gate.weights());
        double ms = 0;
        int n = 0;
        for (TrajectoryPoint p : r.trajectory()) {
            if (p.t() > iterations - 2000) {
                ms += p.error() * p.error();
                n++;
            }
        }
        double floor = Math.sqrt(ms / n);
        double variance = PoisoningTheory.varianceFloor(beta, theta, r.eta(), d, b);
        System.out.printf("  d=%d b=%d T=%d, beta=%.2f theta*=%.2f (alternating attack), eta*=%.4g, kappa*=%.5f%n",
                d, b, iterations, beta, theta, r.eta(), r.rule().kappaStar());
        System.out.printf("  ||w_1 - w*|| = %.3g  ->  rms ||w_t - w*|| over the last 2000 steps = %.4g%n",
                r.trajectory().get(0).error(), floor);
        System.out.printf("  theory: floor ~ theta* sqrt(beta eta d / b) = %.4g (measured/theory = %.2f; numpy reference simulation at eta*: 1.13-1.23)%n",
                variance, floor / variance);
        System.out.printf("  Polyak tail average: ||mean(w_t) - w*|| = %.4g%n",
                org.relulearn.linalg.Dense.distance(r.tailAverage(), gate.weights()));
        Map<String, Object> m = new LinkedHashMap<>(r.toMap());
        m.put("floorRms", floor);
        m.put("theoryVarianceFloor", variance);
        out.metric(Map.of("step", "gate", "floorRms", floor, "theory", variance));
        return m;
    }

    /**
     * A network with k = 4 unit-norm hidden units and l = 6 outputs (the method needs l >= k) on the
     * demo's input law and sample count, label noise 0.1; recovery errors after canonical form and
     * Hungarian matching, against a held-out stream.
     */
    static Map<String, Object> methodOfMoments(SparkPassRunner runner, SyntheticSource demo, RunOutput out) {
        int d = demo.d(), k = 4, l = 6;
        OneHiddenLayerNetwork teacher = Teachers.randomNetwork(d, k, l, demo.seed(), true, 0, 0);
        SyntheticSource src = new SyntheticSource(demo.distribution(), teacher, AdditiveNoise.isotropic(l, 0.1),
                demo.numRows(), demo.seed(), 2, Block.rowsForBudget(d, l, 1L << 20));
        Data held = new SyntheticData(src.withStream(3).withNumRows(100_000));
        System.out.printf("  teacher: d=%d, k=%d hidden units, l=%d outputs, noise 0.1, N=%,d%n", d, k, l, src.numRows());
        MomentsResult r = MomentsTrainer.fit(runner, new SyntheticData(src), held, MomentsOptions.defaults().withK(k));
        Recovery rec = Recovery.of(r.a(), r.w(), teacher.outputWeights(), teacher.weights(), r.l(), r.k(), r.d());
        TrainMomentsCommand.report(r, rec);
        out.metric(Map.of("step", "moments-fit", "eW", rec.eW(), "eA", rec.eA()));
        Map<String, Object> m = new LinkedHashMap<>(r.toMap());
        m.put("eW", rec.eW());
        m.put("eA", rec.eA());
        return m;
    }

    /**
     * A network with biases, y = sum_i a_i relu(w_i.x + b_i), four units with b = (0, 1, -1, 0.5) (on
     * the zeros of single Hermite orders) on d = 8 Gaussian inputs, learned from Hermite moment
     * tensors with m found from the order-2 spectrum; recovery after Hungarian matching, orientation
     * included, and the held-out relative error.
     */
    static Map<String, Object> hermite(SparkPassRunner runner, SyntheticSource demo, RunOutput out) {
        int d = 8;
        long n = Math.min(demo.numRows(), 2_000_000L);
        org.relulearn.data.OneHiddenLayerNetwork teacher = org.relulearn.algo.hermite.HermiteTeacher.network(d, new double[] {0, 1, -1, 0.5},
                demo.seed());
        SyntheticSource src = new SyntheticSource(Distributions.parse("gaussian", d), teacher, null, n, demo.seed(), 4,
                Block.rowsForBudget(d, 1, 1L << 20));
        Data held = new SyntheticData(src.withStream(5).withNumRows(100_000));
        System.out.printf("  teacher: d=%d, 4 units with biases (0, 1, -1, 0.5), N(0, I) inputs, N=%,d%n", d, n);
        org.relulearn.algo.hermite.HermiteResult r = org.relulearn.algo.hermite.HermiteTrainer.fit(runner, new SyntheticData(src), held,
                org.relulearn.algo.hermite.HermiteOptions.defaults());
        org.relulearn.algo.hermite.HermiteRecovery rec = org.relulearn.algo.hermite.HermiteRecovery.of(r.tensorNet(),
                org.relulearn.algo.hermite.HermiteTeacher.asNet(teacher));
        TrainHermiteCommand.report(r, rec);
        out.metric(Map.of("step", "hermite", "parameterError", rec.parameterError(), "heldOutError", r.heldOutError()));
        Map<String, Object> m = new LinkedHashMap<>(r.toMap());
        m.put("parameterError", rec.parameterError());
        m.put("minSignedCosine", rec.minSignedCosine());
        return m;
    }

    /**
     * The tensor-gd acceptance setting (d = 10, K = 5, kappa = 2, v = 1, noise 0.5) on cached rows
     * (300,000 for the default 10M-sample demo; N/33, at least 30,000, for smaller demos): tensor
     * initialisation + 300 GD iterations (60 for small demos), and plain GD from a random start with
     * the same budget on the same rows.
     */
    static Map<String, Object> tensorGd(SparkPassRunner runner, long seed, long demoRows, RunOutput out) {
        int d = 10, k = 5;
        long n = Math.max(30_000, Math.min(300_000, demoRows / 33));
        int iterations = n >= 300_000 ? 300 : 60;
        OneHiddenLayerNetwork teacher = org.relulearn.algo.tensorgd.ZhongTeacher.create(d, k, 2, false, seed);
        SyntheticSource src = new SyntheticSource(Distributions.parse("gaussian", d), teacher, AdditiveNoise.isotropic(1, 0.5), n, seed, 4,
                Block.rowsForBudget(d, 1, 1L << 20));
        System.out.printf("  teacher: W* = U diag(linspace(1, 2, 5)) Q^T, d=%d, K=%d, v = 1, noise 0.5, n=%,d (cached)%n", d, k, n);
        org.relulearn.spark.SparkBlockData data = org.relulearn.spark.CachedBlocks.cache(runner, src);
        try {
            org.relulearn.algo.tensorgd.TensorGdOptions o = org.relulearn.algo.tensorgd.TensorGdOptions.defaults(k).withSeed(seed)
                    .withIterations(iterations, 1e-9).withV(teacher.outputWeights());
            org.relulearn.algo.tensorgd.TensorGdResult tensor = org.relulearn.algo.tensorgd.TensorGdTrainer.fit(runner, data, o,
                    teacher.weights(), 0.25);
            org.relulearn.algo.tensorgd.TensorGdResult random = org.relulearn.algo.tensorgd.TensorGdTrainer.fit(runner, data,
                    o.withInit(org.relulearn.algo.tensorgd.TensorGdOptions.Init.RANDOM), teacher.weights(), 0.25);
            System.out.printf("  tensor start: matched error %.4g -> %.4g after %d GD iterations (eta %.3g)%n", tensor.initError(),
                    tensor.finalError(), tensor.gd().iterations(), tensor.gd().eta());
            System.out.printf("  random start: matched error %.4g -> %.4g after %d GD iterations (same rows, same budget)%n",
                    random.initError(), random.finalError(), random.gd().iterations());
            for (String w : tensor.warnings()) System.out.println("  " + w);
            out.metric(Map.of("step", "tensor-gd", "initError", tensor.initError(), "finalError", tensor.finalError(),
                    "randomStartFinalError", random.finalError()));
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("n", n);
            m.put("tensorInitError", tensor.initError());
            m.put("tensorFinalError", tensor.finalError());
            m.put("randomInitError", random.initError());
            m.put("randomFinalError", random.finalError());
            m.put("iterations", tensor.gd().iterations());
            m.put("warnings", tensor.warnings());
            return m;
        } finally {
            data.blocks().unpersist(false);
        }
    }

    @Override
    public Integer call() {
        data.defaults("network", 10_000_000L);
        try (RunOutput out = output.open("demo")) {
            SyntheticSource src = data.source(engine.blockBytes());
            System.out.println("relulearn demo");
            System.out.printf("  data: %s, N=%,d samples in blocks of %,d rows (generated where they are used)%n",
                    src.distribution().describe(), src.numRows(), src.rowsPerBlock());
            System.out.printf("  teacher: %s%n", src.teacher() == null ? "none" : src.teacher().describe().get("type")
                    + (data.teacherKind().equals("network") ? " with k=" + data.k + " hidden units, m=" + data.m + " output(s)" : ""));
            SparkSession spark = engine.session("relulearn demo");
            SparkPassRunner runner = engine.runner(spark);
            out.writeJson("params.json", CommandParams.of(spec));
            out.writeJson("truth.json", src.describe());
            Map<String, Object> results = new LinkedHashMap<>();
            System.out.println();
            System.out.println("[1] moment estimation (one distributed pass)");
            results.put("moments", MomentsCommand.run(runner, new SyntheticData(src), src, out));
            System.out.println();
            System.out.println("[2] ReLU gate by the Tron iteration under online label poisoning (streaming mode)");
            results.put("gate", poisonedGate(runner, src.seed(), out));
            System.out.println();
            System.out.println("[3] method of moments: y = A relu(W x) + noise, symmetric inputs (three distributed passes)");
            results.put("moments-fit", methodOfMoments(runner, src, out));
            System.out.println();
            System.out.println("[4] tensor initialisation + gradient descent: y = sum_j relu(w_j . x) + noise, Gaussian inputs");
            results.put("tensor-gd", tensorGd(runner, src.seed(), src.numRows(), out));
            System.out.println();
            System.out.println("[5] ReLU network with biases from Hermite moment tensors (four distributed passes + affine fit)");
            results.put("hermite", hermite(runner, src, out));
            System.out.println();
            System.out.println("[6] convex (global) training of a two-layer ReLU network by ADMM, against mini-batch Adam");
            results.put("convex", convexStep(runner, src.seed(), out));
            out.writeJson("results.json", results);
            System.out.println();
            System.out.println("output: " + out.commit());
            return 0;
        }
    }

    /**
     * The convex program on 20,000 rows of a 3-neuron teacher with biases in d = 5 (64 sampled
     * patterns, beta = 1, 150 ADMM iterations), its certificate, and the same network trained by Adam.
     */
    static Map<String, Object> convexStep(SparkPassRunner runner, long seed, RunOutput out) {
        int d = 5;
        SyntheticSource src = new SyntheticSource(Distributions.parse("gaussian", d), Teachers.randomNetwork(d, 3, 1, seed, true, 0, 0.5),
                AdditiveNoise.isotropic(1, 0.1), 20_000, seed, 4, 4096);
        org.relulearn.spark.SparkBlockData blocks = org.relulearn.spark.CachedBlocks.cache(runner, src);
        try {
            org.relulearn.algo.convex.ConvexOptions o = org.relulearn.algo.convex.ConvexOptions.defaults().withBeta(1.0).withPatterns(64)
                    .withMaxIter(150).withSeed(seed);
            org.relulearn.algo.convex.ConvexResult r = org.relulearn.algo.convex.ConvexTrainer.fit(runner, blocks, o, s -> System.out.println("  " + s));
            TrainConvexCommand.report(r, org.relulearn.algo.loss.ConvexLoss.SQUARED);
            int width = Math.max(1, r.activeNeurons());
            org.relulearn.algo.baseline.SgdReluTrainer.Result b = org.relulearn.algo.baseline.SgdReluTrainer.fit(runner, blocks,
                    new org.relulearn.algo.baseline.SgdReluTrainer.Options(width, org.relulearn.algo.loss.ConvexLoss.SQUARED, 1.0, 300, 256,
                            0.01, true, seed, 100));
            System.out.printf("  Adam baseline (width %d, 300 steps of 256 rows): objective %.6g in %.2f s%n", width, b.objective(), b.seconds());
            out.metric(Map.of("step", "convex", "objective", r.networkObjective(), "baseline", b.objective()));
            Map<String, Object> m = new LinkedHashMap<>(TrainConvexCommand.summary(r));
            m.put("baselineObjective", b.objective());
            return m;
        } finally {
            blocks.blocks().unpersist(false);
        }
    }
}
