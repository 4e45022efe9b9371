package org.relulearn.ml;

import java.util.Locale;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.types.StructType;
import org.relulearn.algo.tensorgd.TensorGdOptions;
import org.relulearn.algo.tensorgd.TensorGdResult;
import org.relulearn.algo.tensorgd.TensorGdTrainer;

/**
 * Spark ML estimator for y = sum_j v_j relu(w_j . x) + noise with x ~ N(0, I_d): tensor
 * initialisation followed by full-batch gradient descent ({@link TensorGdTrainer};
 * docs/tensor-gd.md). maxIter is the GD iteration cap T (default 5000), tol the relative-step stopping
 * rule (default 1e-7), seed the seed of every random draw. The result is a
 * {@link ReluNetworkModel} with one output (A = v^T) and no biases. Bad input (K > d, too few rows,
 * non-finite values, constant labels, non-Gaussian inputs under strictGaussian) is an
 * {@link IllegalArgumentException} naming it; warnings are in {@link #lastResult()}.
 */
public final class ReluTensorGdEstimator extends ReluEstimator<ReluTensorGdEstimator, ReluNetworkModel> {
    private static final long serialVersionUID = 1L;

    private final IntParam hiddenUnits = new IntParam(this, "hiddenUnits",
            "hidden units K (1 <= K <= d), or 0: chosen from the spectrum of the order-2 moment matrix", ParamChecks.intAtLeast("hiddenUnits", 0));
    private final Param<String> outputWeights = new Param<>(this, "outputWeights",
            "v: 'unknown' (signs recovered), 'ones', or a comma list of K numbers", outputWeightsCheck());
    private final Param<String> variant = new Param<>(this, "variant", "order-4 statistic: m4proj or alpha (the paper's)",
            ParamChecks.oneOf("variant", "m4proj", "alpha"));
    private final Param<String> split = new Param<>(this, "split", "sample split: faithful or reuse", ParamChecks.oneOf("split", "faithful", "reuse"));
    private final BooleanParam varianceReduction = new BooleanParam(this, "varianceReduction",
            "subtract the degree <= 2 part of y before the order-2/4 statistics");
    private final Param<String> init = new Param<>(this, "init", "start: tensor or random", ParamChecks.oneOf("init", "tensor", "random"));
    private final Param<String> decomposer = new Param<>(this, "decomposer",
            "order-3/4 decomposition: jennrich or kcl (the paper's joint diagonalisation)", ParamChecks.oneOf("decomposer", "jennrich", "kcl"));
    private final BooleanParam strictGaussian = new BooleanParam(this, "strictGaussian", "a failed Gaussian-input check is an error");
    private transient TensorGdResult lastResult;

    public ReluTensorGdEstimator(String uid) {
        super(uid);
        setDefault(hiddenUnits, TensorGdOptions.AUTO_K);
        setDefault(outputWeights, "unknown");
        setDefault(variant, "m4proj");
        setDefault(split, "faithful");
        setDefault(varianceReduction, true);
        setDefault(init, "tensor");
        setDefault(decomposer, "jennrich");
        setDefault(strictGaussian, false);
        setDefault(maxIter(), 5000);
        setDefault(tol(), 1e-7);
    }

    public ReluTensorGdEstimator() { this(Identifiable.randomUID("reluTensorGd")); }

    public IntParam hiddenUnits() { return hiddenUnits; }
    public Param<String> outputWeights() { return outputWeights; }
    public Param<String> variant() { return variant; }
    public Param<String> split() { return split; }
    public BooleanParam varianceReduction() { return varianceReduction; }
    public Param<String> init() { return init; }
    public Param<String> decomposer() { return decomposer; }
    public BooleanParam strictGaussian() { return strictGaussian; }

    public ReluTensorGdEstimator setHiddenUnits(int v) { set(hiddenUnits, v); return this; }
    public ReluTensorGdEstimator setOutputWeights(String v) { set(outputWeights, v); return this; }
    public ReluTensorGdEstimator setVariant(String v) { set(variant, v); return this; }
    public ReluTensorGdEstimator setSplit(String v) { set(split, v); return this; }
    public ReluTensorGdEstimator setVarianceReduction(boolean v) { set(varianceReduction, v); return this; }
    public ReluTensorGdEstimator setInit(String v) { set(init, v); return this; }
    public ReluTensorGdEstimator setDecomposer(String v) { set(decomposer, v); return this; }
    public ReluTensorGdEstimator setStrictGaussian(boolean v) { set(strictGaussian, v); return this; }

    /** The last fit's result (initialisation diagnostics, loss curve, warnings), or null before fit. */
    public TensorGdResult lastResult() { return lastResult; }

    /** The options a fit runs with. */
    public TensorGdOptions options() {
        int k = (Integer) $(hiddenUnits);
        String ow = $(outputWeights).trim().toLowerCase(Locale.ROOT);
        if (k == TensorGdOptions.AUTO_K && ow.equals("ones")) {
            throw new IllegalArgumentException("outputWeights 'ones' needs hiddenUnits >= 1 (hiddenUnits 0 chooses K from the data;"
                    + " give K, or a comma list of K weights)");
        }
        if (k == TensorGdOptions.AUTO_K && !ow.equals("unknown")) k = ow.split(",").length;   // a list of K weights fixes K
        return TensorGdOptions.defaults(k).withV(parseV($(outputWeights), k))
                .withVariant(TensorGdOptions.Variant.valueOf($(variant).toUpperCase(Locale.ROOT)))
                .withSplit(TensorGdOptions.Split.valueOf($(split).toUpperCase(Locale.ROOT)))
                .withVarianceReduction((Boolean) $(varianceReduction))
                .withInit(TensorGdOptions.Init.valueOf($(init).toUpperCase(Locale.ROOT)))
                .withDecomposer(TensorGdOptions.Decomposer.valueOf($(decomposer).toUpperCase(Locale.ROOT)))
                .withStrictGaussian((Boolean) $(strictGaussian))
                .withIterations((Integer) $(maxIter()), (Double) $(tol())).withSeed(getSeed());
    }

    private static ParamChecks.Check<String> outputWeightsCheck() {
        return new ParamChecks.Check<>("outputWeights") {
            private static final long serialVersionUID = 1L;

            @Override
            String problem(String value) {
                if (value == null || value.isBlank()) return "must be unknown, ones or a comma list of numbers";
                String t = value.trim().toLowerCase(Locale.ROOT);
                if (t.equals("unknown") || t.equals("ones")) return null;
                for (String p : t.split(",")) {
                    try {
                        double x = Double.parseDouble(p.trim());
                        if (!Double.isFinite(x) || x == 0) return "must hold finite nonzero numbers";
                    } catch (NumberFormatException e) {
                        return "must be unknown, ones or a comma list of numbers";
                    }
                }
                return null;
            }
        };
    }

    static double[] parseV(String s, int k) {
        String t = s.trim().toLowerCase(Locale.ROOT);
        if (t.equals("unknown")) return null;
        double[] v = new double[k];
        if (t.equals("ones")) {
            java.util.Arrays.fill(v, 1);
            return v;
        }
        String[] parts = t.split(",");
        if (parts.length != k) {
            throw new IllegalArgumentException("outputWeights '" + s + "' has " + parts.length + " entries but hiddenUnits is " + k);
        }
        for (int j = 0; j < k; j++) {
            try {
                v[j] = Double.parseDouble(parts[j].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("outputWeights entry '" + parts[j] + "' is not a number (or use unknown / ones)");
            }
        }
        return v;
    }

    @Override
    public ReluNetworkModel fit(Dataset<?> dataset) {
        transformSchema(dataset.schema(), true);
        TensorGdOptions o = options();
        lastResult = fitOnBlocks(dataset, (runner, data) -> {
            if (data.m() != 1) {
                throw new IllegalArgumentException("column '" + getLabelCol() + "' must be a single number per row for tensor-gd");
            }
            return TensorGdTrainer.fit(runner, data, o, null, Double.NaN);
        });
        TensorGdResult r = lastResult;
        ReluNetworkModel model = new ReluNetworkModel(Identifiable.randomUID("reluNetwork"), r.d(), r.k(), 1, r.w(), null, r.v());
        model.setFeaturesCol(getFeaturesCol()).setPredictionCol(getPredictionCol());
        return model.setParent(this);
    }

    @Override
    public StructType transformSchema(StructType schema) {
        return scalarPredictionSchema(schema);
    }

    @Override
    public ReluTensorGdEstimator copy(ParamMap extra) { return defaultCopy(extra); }

    public static MLReader<ReluTensorGdEstimator> read() { return ReluModelReader.paramsOnly(ReluTensorGdEstimator.class); }

    public static ReluTensorGdEstimator load(String path) { return read().load(path); }
}
