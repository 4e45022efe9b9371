package org.relulearn.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.relulearn.algo.eval.PredictionMetrics;
import org.relulearn.algo.eval.PredictionMetricsAggregator;
import org.relulearn.data.OneHiddenLayerNetwork;
import org.relulearn.engine.Data;
import org.relulearn.engine.PassRunner;
import org.relulearn.engine.Shared;
import org.relulearn.error.UserInputException;
import org.relulearn.ml.ReluNetworkModel;
import org.relulearn.report.Json;
import org.relulearn.report.RunOutput;
import org.relulearn.spark.FileSources;
import org.relulearn.spark.SparkBlockData;
import picocli.CommandLine.Option;

/**
 * What every {@code train} command does with its fitted network: saves it under {@code OUT/model}
 * (a Spark ML {@link ReluNetworkModel}, loadable with {@code ReluNetworkModel.load} and scored by
 * {@code relulearn evaluate}), and reports MSE / R^2 (and accuracy for a classifier) on the
 * training rows, on the held-out rows when the command keeps some, and on {@code --test-input}.
 */
public class EvaluationOptions {
    @Option(names = "--test-input", paramLabel = "PATH",
            description = "Score the fitted network on these files (read with the same --format, --features-col and --label-col"
                    + " as --input) and report MSE, R^2 (and accuracy for a classifier) in results.json and the log.")
    public String testInput;

    /** The model directory inside a run output. */
    public static final String MODEL_DIR = "model";
    /** What the model is (family, task) for {@code relulearn evaluate}: a file beside Spark ML's metadata. */
    public static final String MODEL_INFO = "relulearn.json";

    /**
     * Saves {@code net} and returns the "evaluation" map of results.json.
     *
     * @param train   the training rows (null for a synthetic stream: its rows are not kept)
     * @param heldOut rows the fit kept aside (or null)
     */
    public Map<String, Object> report(SparkSession spark, PassRunner runner, InputOptions input, long blockBytes, RunOutput out,
                                      String family, OneHiddenLayerNetwork net, boolean classification, Data train, Data heldOut) {
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("task", classification ? "classification" : "regression");
        if (train != null) ev.put("train", line("train", score(runner, train, net, family + ": training metrics"), classification));
        if (heldOut != null) ev.put("heldOut", line("held out", score(runner, heldOut, net, family + ": held-out metrics"), classification));
        PredictionMetrics test = testMetrics(spark, runner, input, blockBytes, net, family + ": test metrics");
        if (test != null) {
            Map<String, Object> t = line("test", test, classification);
            t.put("input", testInput);
            ev.put("test", t);
        }
        save(out, family, net, classification);
        ev.put("model", MODEL_DIR);
        System.out.println("  model: " + MODEL_DIR + "/ in the output (score it: relulearn evaluate --model OUT --input FILES)");
        return ev;
    }

    /** The metrics of {@code net} on the --test-input files (null without them), in one pass after reading them. */
    public PredictionMetrics testMetrics(SparkSession spark, PassRunner runner, InputOptions input, long blockBytes,
                                         OneHiddenLayerNetwork net, String description) {
        if (testInput == null) return null;
        FileSources.Options opt = input.options(blockBytes);
        if (opt.numFeatures() == 0) opt = opt.withNumFeatures(net.inputDim());
        SparkBlockData test;
        try {
            test = FileSources.read(spark, testInput, opt);
        } catch (UserInputException e) {
            throw new UserInputException("--test-input: " + e.getMessage(), e);
        }
        try {
            if (test.m() != net.outputDim()) {
                throw new UserInputException("--test-input " + testInput + " has " + test.m() + " label column(s), the model gives "
                        + net.outputDim() + ": give test files labeled like the training data");
            }
            return score(runner, test, net, description);
        } finally {
            test.blocks().unpersist(false);
        }
    }

    /** The metrics of {@code net} on {@code data}, in one pass. */
    public static PredictionMetrics score(PassRunner runner, Data data, OneHiddenLayerNetwork net, String description) {
        Shared<OneHiddenLayerNetwork> shared = runner.share(net);
        try {
            return runner.aggregate(data, () -> new PredictionMetricsAggregator(shared), description).metrics();
        } finally {
            shared.release();
        }
    }

    private static Map<String, Object> line(String what, PredictionMetrics m, boolean classification) {
        System.out.println("  " + what + ": " + m.describe(classification));
        return m.toMap(classification);
    }

    /** Writes {@code OUT/model} (Spark ML format) and its {@value #MODEL_INFO}. */
    static void save(RunOutput out, String family, OneHiddenLayerNetwork net, boolean classification) {
        org.relulearn.fs.DataPath dir = out.location(MODEL_DIR);
        try {
            ReluNetworkModel.of(net).write().save(dir.uri());
            Map<String, Object> info = new LinkedHashMap<>();
            info.put("family", family);
            info.put("task", classification ? "classification" : "regression");
            info.put("d", net.inputDim());
            info.put("hiddenUnits", net.hiddenUnits());
            info.put("outputs", net.outputDim());
            dir.mkdirs();
            dir.resolve(MODEL_INFO).write(Json.mapper().writeValueAsBytes(info), true);
        } catch (IOException e) {
            throw org.relulearn.fs.DataPath.error("the model " + dir, "cannot write it", e, "choose a writable --out");
        }
    }
}
