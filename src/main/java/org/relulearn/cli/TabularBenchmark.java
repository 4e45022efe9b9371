package org.relulearn.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.evaluation.BinaryClassificationEvaluator;
import org.apache.spark.ml.evaluation.RegressionEvaluator;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.regression.LinearRegression;
import org.apache.spark.ml.tuning.ParamGridBuilder;
import org.apache.spark.ml.tuning.TrainValidationSplit;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.relulearn.algo.baseline.SgdReluTrainer;
import org.relulearn.algo.convex.ConvexOptions;
import org.relulearn.algo.convex.GatedReluTrainer;
import org.relulearn.algo.eval.PredictionMetrics;
import org.relulearn.algo.loss.ConvexLoss;
import org.relulearn.error.UserInputException;
import org.relulearn.spark.FileSources;
import org.relulearn.spark.SparkBlockData;
import org.relulearn.spark.SparkPassRunner;
import picocli.CommandLine.Option;

/**
 * {@code bench --suite tabular}: on each data set {@code DIR/<name>/train} and {@code DIR/<name>/test} (CSV, header
 * x0.., y), with the defaults of {@code train convex} (gated solver, weight decay chosen on held-out rows, P by the
 * documented rule), against the project's Adam baseline at the convex network's width (--tabular-adam-steps, default 500, of 256 rows, step
 * 0.01, weight decay 1e-3) and Spark MLlib's ridge (LinearRegression, elastic net 0) or logistic regression, whose
 * regParam is chosen by MLlib's TrainValidationSplit (80/20) over 10^-4..10^2: test R^2 (regression) or test accuracy
 * (labels -1/+1, classified by the sign of the prediction) and fit seconds. A label column with only the values -1 and
 * +1 makes a set a classification set (the convex and Adam fits then use the squared loss on the labels).
 * Each fit is timed once ({@link BenchTimer#once}).
 */
final class TabularBenchmark implements BenchSuite {
    @Option(names = "--tabular-dir", defaultValue = "src/test/resources/tabular",
            description = "Tabular suite: the directory holding <set>/train and <set>/test CSV files. Default: ${DEFAULT-VALUE}.")
    String tabularDir;

    @Option(names = "--tabular-sets", split = ",", defaultValue = "diabetes,breast_cancer",
            description = "Tabular suite: the data sets under --tabular-dir. Default: ${DEFAULT-VALUE}.")
    List<String> tabularSets;

    @Option(names = "--tabular-adam-steps", defaultValue = "500",
            description = "Tabular suite: steps of 256 rows of the Adam baseline. Default: ${DEFAULT-VALUE}.")
    int tabularAdamSteps;

    @Override public String name() { return "tabular"; }

    @Override public String description() {
        return "train convex defaults against Adam and MLlib ridge/logistic on real data sets: test R^2 or accuracy, fit seconds";
    }

    @Override public Set<String> sharedOptions() { return Set.of(); }

    /** Real data from files, minutes of fits: run on its own ({@code --suite tabular}), not by {@code all}. */
    @Override public boolean inAll() { return false; }

    @Override
    public void validate() {
        if (tabularAdamSteps < 1) throw new UserInputException("--tabular-adam-steps must be >= 1, got " + tabularAdamSteps);
    }

    @Override
    public void run(BenchContext ctx) {
        ctx.results().put(name(), run(ctx.out(), ctx.spark(), ctx.runner(), tabularDir, tabularSets, ctx.blockBytes(), tabularAdamSteps));
    }

    static Map<String, Object> run(PrintStream console, SparkSession spark, SparkPassRunner runner, String dir, List<String> names, long blockBytes,
                                   int adamSteps) {
        List<Map<String, Object>> out = new ArrayList<>();
        console.println("tabular suite: train convex defaults against Adam (same width) and MLlib ridge/logistic (regParam by"
                + " TrainValidationSplit); test metric and fit seconds");
        console.println("  data set | n train / test | d | task | convex metric (s) [beta, units] | Adam metric (s) | MLlib metric (s)"
                + " | convex network objective, min-norm / shift (gated objective; decomposition passes) | convex metric, shift decomposition");
        for (String name : names) out.add(one(console, spark, runner, dir + "/" + name, name, blockBytes, adamSteps));
        Map<String, Object> res = new LinkedHashMap<>();
        res.put("dir", dir);
        res.put("sets", out);
        return res;
    }

    private static Map<String, Object> one(PrintStream console, SparkSession spark, SparkPassRunner runner, String base, String name, long blockBytes,
                                           int adamSteps) {
        FileSources.Options opt = FileSources.Options.defaults().withFormat(FileSources.Format.parse("csv")).withBlockBytes(blockBytes);
        SparkBlockData train = FileSources.read(spark, base + "/train", opt);
        SparkBlockData test = FileSources.read(spark, base + "/test", opt.withNumFeatures(train.d()));
        try {
            Dataset<Row> trainDf = frame(spark, base + "/train", train.d()), testDf = frame(spark, base + "/test", train.d());
            boolean classification = trainDf.filter("y != 1 AND y != -1").count() == 0;
            int d = train.d();
            ConvexOptions o = ConvexOptions.defaults().withBeta(TrainConvexCommand.AUTO_FIXED_WEIGHT_DECAY)
                    .withPatterns(TrainConvexCommand.autoPatterns(d)).withGapTol(1e-4).withMaxIter(20000);
            BenchTimer.Timing<GatedReluTrainer.Fit> convex = BenchTimer.once(() -> GatedReluTrainer.fit(runner, train, o,
                    GatedReluTrainer.Settings.defaults(), null));
            GatedReluTrainer.Fit fit = convex.result();
            double convexSeconds = convex.median();
            double convexMetric = metric(runner, test, fit.result().network(), classification, "tabular: convex test metrics");
            // The same program at the chosen beta with the shift decomposition, for comparison (no path: four passes).
            GatedReluTrainer.Settings def = GatedReluTrainer.Settings.defaults();
            GatedReluTrainer.Fit shift = GatedReluTrainer.fit(runner, train, o.withBeta(fit.chosenBeta()), new GatedReluTrainer.Settings(false,
                    def.folds(), def.pathLength(), def.pathRatio(), def.standardise(), def.splitSeed(), GatedReluTrainer.Decomposition.SHIFT), null);
            double shiftMetric = metric(runner, test, shift.result().network(), classification, "tabular: convex (shift) test metrics");
            int width = Math.max(1, fit.reluUnits());
            BenchTimer.Timing<SgdReluTrainer.Result> adamFit = BenchTimer.once(() -> SgdReluTrainer.fit(runner, train,
                    new SgdReluTrainer.Options(width, ConvexLoss.SQUARED, TrainConvexCommand.AUTO_FIXED_WEIGHT_DECAY, adamSteps, 256, 0.01, true, 1,
                    Math.max(1, adamSteps / 5))));
            SgdReluTrainer.Result adam = adamFit.result();
            double adamSeconds = adamFit.median();
            double adamMetric = metric(runner, test, adam.network(), classification, "tabular: Adam test metrics");
            BenchTimer.Timing<Double> mllibFit = BenchTimer.once(() -> mllib(trainDf, testDf, classification));
            double mllibMetric = mllibFit.result();
            double mllibSeconds = mllibFit.median();
            String unit = classification ? "accuracy" : "R^2";
            console.printf("  %s | %d / %d | %d | %s | %.4f (%.2f s) [%.3g, %d] | %.4f (%.2f s) | %.4f (%.2f s) | %.6g / %.6g (%.6g; %d) | %.4f%n", name,
                    train.numRows(), test.numRows(), d, unit, convexMetric, convexSeconds, fit.chosenBeta(), fit.reluUnits(), adamMetric,
                    adamSeconds, mllibMetric, mllibSeconds, fit.result().networkObjective(), shift.result().networkObjective(), fit.result().objective(),
                    fit.decompositionPasses(), shiftMetric);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", name);
            m.put("trainRows", train.numRows());
            m.put("testRows", test.numRows());
            m.put("d", d);
            m.put("metric", unit);
            m.put("convex", Map.of("metric", convexMetric, "seconds", convexSeconds, "weightDecay", fit.chosenBeta(), "units", fit.reluUnits(),
                    "relativeGap", fit.result().relativeGap(), "networkObjective", fit.result().networkObjective(),
                    "gatedObjective", fit.result().objective(), "decomposition", fit.decomposition().label(),
                    "decompositionPasses", fit.decompositionPasses()));
            m.put("convexShiftDecomposition", Map.of("metric", shiftMetric, "networkObjective", shift.result().networkObjective()));
            m.put("adam", Map.of("metric", adamMetric, "seconds", adamSeconds, "width", width, "steps", adamSteps));
            m.put(classification ? "mllibLogistic" : "mllibRidge", Map.of("metric", mllibMetric, "seconds", mllibSeconds));
            return m;
        } finally {
            train.blocks().unpersist(false);
            test.blocks().unpersist(false);
        }
    }

    private static double metric(SparkPassRunner runner, SparkBlockData test, org.relulearn.data.OneHiddenLayerNetwork net,
                                 boolean classification, String what) {
        PredictionMetrics pm = EvaluationOptions.score(runner, test, net, what);
        return classification ? pm.accuracy() : pm.r2();
    }

    private static Dataset<Row> frame(SparkSession spark, String path, int d) {
        Dataset<Row> df = spark.read().option("header", "true").option("inferSchema", "true").csv(path);
        String[] cols = new String[d];
        for (int j = 0; j < d; j++) cols[j] = "x" + j;
        for (String c : cols) {
            if (!java.util.Arrays.asList(df.columns()).contains(c)) throw new UserInputException(path + " has no column " + c + ": name the features x0..x" + (d - 1));
        }
        return new VectorAssembler().setInputCols(cols).setOutputCol("raw").transform(df).withColumn("y", functions.col("y").cast("double"));
    }

    private static double mllib(Dataset<Row> train, Dataset<Row> test, boolean classification) {
        StandardScaler scaler = new StandardScaler().setInputCol("raw").setOutputCol("features").setWithMean(true).setWithStd(true);
        double[] grid = {1e-4, 1e-3, 1e-2, 1e-1, 1, 10, 100};
        if (classification) {
            Dataset<Row> tr = train.withColumn("label", functions.expr("(y + 1) / 2")), te = test.withColumn("label", functions.expr("(y + 1) / 2"));
            LogisticRegression lr = new LogisticRegression().setElasticNetParam(0).setMaxIter(200);
            Pipeline p = new Pipeline().setStages(new PipelineStage[] {scaler, lr});
            ParamMap[] maps = new ParamGridBuilder().addGrid(lr.regParam(), grid).build();
            PipelineModel best = (PipelineModel) new TrainValidationSplit().setEstimator(p).setEvaluator(new BinaryClassificationEvaluator())
                    .setEstimatorParamMaps(maps).setTrainRatio(0.8).setSeed(7).fit(tr).bestModel();
            Dataset<Row> pred = best.transform(te);
            return (double) pred.filter("prediction = label").count() / pred.count();
        }
        Dataset<Row> tr = train.withColumn("label", functions.col("y")), te = test.withColumn("label", functions.col("y"));
        LinearRegression lr = new LinearRegression().setElasticNetParam(0).setStandardization(false);
        Pipeline p = new Pipeline().setStages(new PipelineStage[] {scaler, lr});
        ParamMap[] maps = new ParamGridBuilder().addGrid(lr.regParam(), grid).build();
        PipelineModel best = (PipelineModel) new TrainValidationSplit().setEstimator(p).setEvaluator(new RegressionEvaluator().setMetricName("rmse"))
                .setEstimatorParamMaps(maps).setTrainRatio(0.8).setSeed(7).fit(tr).bestModel();
        return new RegressionEvaluator().setMetricName("r2").evaluate(best.transform(te));
    }
}
