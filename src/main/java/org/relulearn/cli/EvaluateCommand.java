package org.relulearn.cli;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.relulearn.algo.eval.PredictionMetrics;
import org.relulearn.engine.PassRunner;
import org.relulearn.error.UserInputException;
import org.relulearn.fs.DataPath;
import org.relulearn.ml.ReluNetworkModel;
import org.relulearn.report.Json;
import org.relulearn.report.RunOutput;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code relulearn evaluate --model DIR --input FILES}: scores a saved network (the {@code model/}
 * directory every {@code train} command writes, or the run output that holds it) on labeled files
 * and prints MSE, R^2 and, for a classifier, the accuracy; with {@code --out}, writes them to
 * results.json.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Score a saved model (a train run's output or its model/ directory) on labeled files: MSE, R^2, accuracy.")
public final class EvaluateCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "DIR",
            description = "A train run's output directory, or its model/ directory (a path or a URI: hdfs://, s3a://, ...).")
    String model;

    @Option(names = "--task", paramLabel = "TASK",
            description = "regression or classification (accuracy: class 1 iff the score is > 0). Default: what the model was trained for.")
    String task;

    @Mixin
    InputOptions input = new InputOptions();

    @Option(names = {"-o", "--out"}, paramLabel = "DIR", description = "Also write results.json here (built under a temporary name).")
    String out;

    @Option(names = "--overwrite", defaultValue = "false", description = "Replace an existing --out directory.")
    boolean overwrite;

    @Mixin
    EngineOptions engine = new EngineOptions();

    @Override
    public Integer call() {
        if (!input.present()) throw new UserInputException("evaluate needs --input FILES: the labeled data to score the model on");
        DataPath given = DataPath.of(model, "--model");
        DataPath dir;
        boolean hasMetadata;
        try {
            dir = given.resolve(EvaluationOptions.MODEL_DIR).isDirectory() ? given.resolve(EvaluationOptions.MODEL_DIR) : given;
            hasMetadata = dir.resolve("metadata").isDirectory();
            // on an object store: a run output counts once its _SUCCESS is there; a bare model/ once Spark's metadata/_SUCCESS is
            if (hasMetadata) (dir == given ? dir.resolve("metadata") : given).requirePublished("--model");
        } catch (IOException e) {
            throw DataPath.error("--model " + given, "cannot look it up", e, "give a readable --model");
        }
        if (!hasMetadata) {
            throw new UserInputException("--model " + model + " holds no saved model (no metadata/ in it or in its model/):"
                    + " give the output directory of a train run, or a directory written by ReluNetworkModel.save");
        }
        Map<String, Object> info = readInfo(dir);
        boolean classification = classification(info);
        SparkSession spark = engine.session("relulearn evaluate");
        ReluNetworkModel m;
        try {
            m = ReluNetworkModel.load(dir.uri());
        } catch (RuntimeException e) {
            throw new UserInputException("cannot read the model in " + dir + " (" + e.getMessage() + "): was it written by relulearn?", e);
        }
        PassRunner runner = engine.runner(spark);
        InputOptions.Loaded in = input.load(spark, engine.blockBytes());
        Map<String, Object> results = new LinkedHashMap<>();
        try {
            if (in.data().d() != m.inputDim()) {
                throw new UserInputException("the model takes d = " + m.inputDim() + " features, " + input.input + " has d = " + in.data().d()
                        + ": score it on data with the training data's columns");
            }
            if (in.data().m() != m.outputDim()) {
                throw new UserInputException("the model gives " + m.outputDim() + " output(s), " + input.input + " has " + in.data().m()
                        + " label column(s): give files labeled like the training data (--label-col)");
            }
            PredictionMetrics pm = EvaluationOptions.score(runner, in.data(), m.toNetwork(), "evaluate: metrics");
            System.out.println("model: " + dir + " (d = " + m.inputDim() + ", " + m.hiddenUnits() + " hidden units, "
                    + m.outputDim() + " output(s)" + (info.get("family") != null ? ", " + info.get("family") : "") + ")");
            System.out.println("input: " + in.data().describe());
            System.out.println("  " + pm.describe(classification));
            results.put("model", dir.toString());
            results.put("input", input.input);
            results.put("task", classification ? "classification" : "regression");
            results.putAll(pm.toMap(classification));
        } finally {
            in.data().blocks().unpersist(false);
        }
        if (out != null) {
            try (RunOutput o = RunOutput.create(out, overwrite)) {
                o.writeJson("results.json", results);
                System.out.println("output: " + o.commit());
            }
        }
        return 0;
    }

    private boolean classification(Map<String, Object> info) {
        String t = task != null ? task : String.valueOf(info.getOrDefault("task", "regression"));
        return switch (t.toLowerCase(java.util.Locale.ROOT)) {
            case "regression" -> false;
            case "classification" -> true;
            default -> throw new UserInputException("--task must be regression or classification, got '" + t + "'");
        };
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> readInfo(DataPath dir) {
        DataPath f = dir.resolve(EvaluationOptions.MODEL_INFO);
        try {
            if (!f.isFile()) return Map.of();
            return Json.mapper().readValue(f.readBytes(), Map.class);
        } catch (IOException e) {
            throw new UserInputException("cannot read " + f + " (" + e.getMessage() + "): remove it or give --task", e);
        }
    }
}
