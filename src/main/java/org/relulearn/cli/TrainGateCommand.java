package org.relulearn.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.relulearn.algo.gate.GateOptions;
import org.relulearn.algo.gate.GateResult;
import org.relulearn.algo.gate.GateTrainer;
import org.relulearn.algo.gate.GateUpdate;
import org.relulearn.algo.gate.PoisoningTheory;
import org.relulearn.algo.gate.TrajectoryPoint;
import org.relulearn.data.Adversary;
import org.relulearn.data.LabelCorruption;
import org.relulearn.data.OnlinePoisoning;
import org.relulearn.data.ReluGate;
import org.relulearn.data.SyntheticSource;
import org.relulearn.engine.PassRunner;
import org.relulearn.error.UserInputException;
import org.relulearn.report.RunOutput;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code relulearn train gate}: one ReLU gate by the Tron iteration on fresh streamed samples. */
@Command(name = "gate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train one ReLU gate y = relu(w.x) by the Tron iteration w += eta/b sum (y - relu(w.x)) x,",
                "on fresh mini-batches (a new stream per iteration), optionally under online label poisoning."})
public final class TrainGateCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin SyntheticOptions data;
    @Mixin InputOptions input;
    @Mixin GateRunOptions gate;
    @Mixin EngineOptions engine;
    @Mixin OutputOptions output;
    @Mixin CheckpointOptions checkpoints;
    @Mixin EvaluationOptions evaluation;

    @Option(names = "--init", defaultValue = "zeros", description = "Start w_1: zeros, ones, or a CSV file with d values. Default: ${DEFAULT-VALUE}.")
    String init;

    @Option(names = "--compare-sgd", defaultValue = "false",
            description = "Also run SGD on the same samples from the same start (SGD started at 0 never moves: all its indicators are 0).")
    boolean compareSgd;

    @Override
    public Integer call() {
        data.defaults("gate", 1);
        GateOptions options = gate.toOptions(data.d);
        checkpoints.validate(output.out);
        if (compareSgd && checkpoints.active()) {
            throw new UserInputException("--compare-sgd cannot be combined with --checkpoint-dir or --resume: checkpoint the"
                    + " main run alone, then run the comparison separately");
        }
        if (input.present()) return callOnFiles(options);
        try (RunOutput out = output.open("train-gate")) {
            SyntheticSource src = data.source(engine.blockBytes());
            if (src.m() != 1) throw new UserInputException("train gate needs one label per row: use --teacher gate");
            double[] truth = src.teacher() instanceof ReluGate g ? g.weights() : null;
            double[] w1 = start(src.d());
            PassRunner runner = engine.runner(engine.session("relulearn train gate"));
            out.writeJson("params.json", CommandParams.of(spec));
            out.writeJson("truth.json", src.describe());
            Map<String, Object> results = new LinkedHashMap<>();
            Map<String, Object> config = checkpointConfig(options, src.describe(), w1);
            org.relulearn.algo.gate.GateState resume = checkpoints.gateResume(config);   // before the sink creates the directory
            GateResult tron = GateTrainer.fit(runner, src, options, w1, truth, checkpoints.gateSink(config), resume);
            report(tron, src, options, out, "");
            results.put(options.update().name().toLowerCase(Locale.ROOT), tron.toMap());
            writeTrajectory(out, "trajectory.csv", tron.trajectory());
            if (compareSgd) {
                GateOptions sgdOptions = options.withUpdate(options.update() == GateUpdate.SGD ? GateUpdate.TRON : GateUpdate.SGD);
                GateResult other = GateTrainer.fit(runner, src, sgdOptions, w1, truth);
                report(other, src, sgdOptions, out, "comparison ");
                results.put("comparison-" + sgdOptions.update().name().toLowerCase(Locale.ROOT), other.toMap());
                writeTrajectory(out, "trajectory-" + sgdOptions.update().name().toLowerCase(Locale.ROOT) + ".csv", other.trajectory());
                if (Arrays.stream(w1).allMatch(v -> v == 0)) {
                    System.out.println("  note: SGD started at w = 0 never moves (every indicator 1{w.x > 0} is 0); use --init ones");
                }
            }
            results.put("evaluation", evaluation.report(engine.session("relulearn train gate"), runner, input, engine.blockBytes(), out,
                    "gate", gateNetwork(tron.w()), false, null, null));
            out.writeJson("results.json", results);
            System.out.println("output: " + out.commit());
            return 0;
        }
    }

    /** relu(w . x) as a one-unit network (the model every gate run saves: the last iterate). */
    static org.relulearn.data.OneHiddenLayerNetwork gateNetwork(double[] w) {
        return new org.relulearn.data.OneHiddenLayerNetwork(w.length, 1, 1, w, null, new double[] {1.0});
    }

    /**
     * --input: mini-batches drawn with replacement from the cached rows (draw t under --seed), one
     * Spark job per iteration; against the teacher in truth.json when the files were generated.
     */
    private Integer callOnFiles(GateOptions options) {
        try (RunOutput out = output.open("train-gate")) {
            org.apache.spark.sql.SparkSession spark = engine.session("relulearn train gate");
            PassRunner runner = engine.runner(spark);
            out.writeJson("params.json", CommandParams.of(spec));
            InputOptions.Loaded in = input.load(spark, engine.blockBytes());
            try {
                double[] truth = null;
                if (in.truthJson() != null) {
                    out.writeJson("truth.json", in.truthJson());
                    if (in.truthJson().get("teacher") instanceof Map<?, ?> t && "relu-gate".equals(t.get("type"))
                            && t.get("w") instanceof List<?> w) {
                        truth = w.stream().mapToDouble(v -> ((Number) v).doubleValue()).toArray();
                    }
                }
                System.out.println("input: " + in.data().describe());
                GateOptions fileOptions = options.withMode(GateOptions.Mode.DISTRIBUTED, 1);
                double[] w1 = start(in.data().d());
                Map<String, Object> source = new LinkedHashMap<>();
                source.put("input", in.data().describe());
                source.put("rows", in.data().numRows());
                source.put("seed", data.seed);
                Map<String, Object> config = checkpointConfig(fileOptions, source, w1);
                org.relulearn.algo.gate.GateState resume = checkpoints.gateResume(config);
                GateResult r = GateTrainer.fitOnData(runner, in.data(), fileOptions, w1, truth, data.seed,
                        checkpoints.gateSink(config), resume);
                System.out.printf("gate (%s) on %s: b=%d T=%d%n", options.update().name().toLowerCase(Locale.ROOT),
                        in.data().describe(), options.batch(), r.iterations());
                System.out.printf("  pilot: lambda_min=%.4g lambda_max=%.4g m4=%.4g  ->  eta*=%.4g, kappa*=%.6f, eta used=%.4g (%s)%n",
                        r.pilot().lambdaMin(), r.pilot().lambdaMax(), r.pilot().m4(), r.rule().etaStar(), r.rule().kappaStar(),
                        r.eta(), options.stepMode() == GateOptions.StepMode.MANUAL ? "--eta" : "automatic");
                for (String w : r.warnings()) System.out.println("  warning: " + w);
                if (!Double.isNaN(r.finalError())) System.out.printf("  final ||w - w*|| = %.4g%n", r.finalError());
                if (!Double.isNaN(r.tailAverageError(truth))) {
                    System.out.printf("  tail average (t >= %d) ||wbar - w*|| = %.4g%n", options.averageFrom(), r.tailAverageError(truth));
                }
                writeTrajectory(out, "trajectory.csv", r.trajectory());
                Map<String, Object> results = new LinkedHashMap<>();
                results.put(options.update().name().toLowerCase(Locale.ROOT), r.toMap());
                if (r.tailAverage() != null) {
                    org.relulearn.algo.eval.PredictionMetrics avg = EvaluationOptions.score(runner, in.data(), gateNetwork(r.tailAverage()),
                            "gate: training metrics of the tail average");
                    System.out.println("  tail average, train: " + avg.describe(false));
                    results.put("tailAverageTrain", avg.toMap(false));
                }
                results.put("evaluation", evaluation.report(spark, runner, input, engine.blockBytes(), out, "gate",
                        gateNetwork(r.w()), false, in.data(), null));
                out.writeJson("results.json", results);
            } finally {
                in.data().blocks().unpersist(false);
            }
            System.out.println("output: " + out.commit());
            return 0;
        }
    }

    /** What fixes the trajectory: a resumed run must match it (TrainingCheckpoint refuses otherwise). */
    private Map<String, Object> checkpointConfig(GateOptions options, Object source, double[] w1) {
        Map<String, Object> c = engine.checkpointConfig(options.toMap(), source);
        c.put("start", org.relulearn.report.TrainingCheckpoint.encode(w1));
        return c;
    }

    private double[] start(int d) {
        double[] w = new double[d];
        switch (init.toLowerCase(Locale.ROOT)) {
            case "zeros" -> { }
            case "ones" -> Arrays.fill(w, 1);
            default -> {
                double[][] m = SyntheticOptions.readMatrix(init, "--init");
                double[] flat = SyntheticOptions.flatten(m);
                if (flat.length != d) {
                    throw new UserInputException("--init " + init + " has " + flat.length + " values but d = " + d);
                }
                w = flat;
            }
        }
        return w;
    }

    static void report(GateResult r, SyntheticSource src, GateOptions o, RunOutput out, String prefix) {
        System.out.printf("%sgate (%s, %s mode): d=%d b=%d T=%d%n", prefix, o.update().name().toLowerCase(Locale.ROOT),
                r.mode().name().toLowerCase(Locale.ROOT), src.d(), o.batch(), r.iterations());
        System.out.printf("  pilot: lambda_min=%.4g lambda_max=%.4g m4=%.4g  ->  eta*=%.4g, kappa*=%.6f, eta used=%.4g (kappa=%.6f)%n",
                r.pilot().lambdaMin(), r.pilot().lambdaMax(), r.pilot().m4(), r.rule().etaStar(), r.rule().kappaStar(),
                r.eta(), r.predictedKappa());
        for (String w : r.warnings()) System.out.println("  warning: " + w);
        if (!Double.isNaN(r.finalError())) System.out.printf("  final ||w - w*|| = %.4g%n", r.finalError());
        double tail = r.tailAverageError(src.teacher() instanceof org.relulearn.data.ReluGate g ? g.weights() : null);
        if (!Double.isNaN(tail)) System.out.printf("  tail average (t >= %d) ||wbar - w*|| = %.4g%n", o.averageFrom(), tail);
        LabelCorruption c = src.corruption();
        if (c instanceof OnlinePoisoning p && p.beta() > 0 && p.theta() > 0) {
            boolean xDep = p.adversary() instanceof Adversary.Aligned;
            double floor = PoisoningTheory.floor(p.beta(), p.theta(), r.eta(), src.d(), o.batch(),
                    r.pilot().lambdaMin(), r.pilot().lambdaMax(), xDep);
            System.out.printf("  poisoning beta=%.3g theta*=%.3g (%s): theory floor ~ %.4g (variance term %.4g%s)%n",
                    p.beta(), p.theta(), p.adversary().describe(), floor,
                    PoisoningTheory.varianceFloor(p.beta(), p.theta(), r.eta(), src.d(), o.batch()),
                    xDep ? String.format(", bias bound %.4g", PoisoningTheory.biasBound(p.beta(), p.theta(),
                            r.pilot().lambdaMin(), r.pilot().lambdaMax())) : "");
        }
        System.out.printf("  %.2f s, %,d samples%n", r.seconds(), r.samplesUsed());
        for (TrajectoryPoint t : r.trajectory()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("run", prefix.isEmpty() ? o.update().name().toLowerCase(Locale.ROOT) : "comparison");
            m.put("t", t.t());
            m.put("error", Double.isNaN(t.error()) ? null : t.error());
            m.put("loss", Double.isNaN(t.loss()) ? null : t.loss());
            m.put("stepNorm", Double.isNaN(t.stepNorm()) ? null : t.stepNorm());
            out.metric(m);
        }
    }

    static void writeTrajectory(RunOutput out, String name, List<TrajectoryPoint> points) {
        try (Writer w = Files.newBufferedWriter(out.file(name))) {
            w.write("t,error,loss,step_norm\n");
            for (TrajectoryPoint p : points) {
                w.write(p.t() + "," + p.error() + "," + p.loss() + "," + p.stepNorm() + "\n");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + name + ": " + e.getMessage(), e);
        }
    }
}
