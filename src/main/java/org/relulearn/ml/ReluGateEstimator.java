package org.relulearn.ml;

import java.util.Arrays;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.relulearn.algo.gate.GateOptions;
import org.relulearn.algo.gate.GateResult;
import org.relulearn.algo.gate.GateTrainer;
import org.relulearn.algo.gate.GateUpdate;

/**
 * Spark ML estimator for one ReLU gate y = relu(w . x), trained by the Tron iteration
 * w &lt;- w + (eta / b) sum_i (y_i - relu(w . x_i)) x_i (or SGD) on mini-batches of b rows drawn with
 * replacement from the DataFrame, after a pilot pass that sets eta* = lambda_min / (2 C_b)
 * (docs/gate.md, Algorithm). maxIter is the iteration budget T (default 2000); tol stops on a small mean step. The
 * result is a {@link ReluNetworkModel} with k = m = 1, A = 1, b = 0, whose transform adds the
 * prediction relu(w . x). {@link #lastResult()} keeps the run's certificate and trajectory.
 */
public final class ReluGateEstimator extends ReluEstimator<ReluGateEstimator, ReluNetworkModel> {
    private static final long serialVersionUID = 1L;

    private final IntParam batchSize = new IntParam(this, "batchSize", "mini-batch size b (>= 1)",
            ParamChecks.intAtLeast("batchSize", 1));
    private final DoubleParam stepSize = new DoubleParam(this, "stepSize",
            "step size eta (0 = eta* from the pilot pass)", ParamChecks.nonNegativeFinite("stepSize"));
    private final Param<String> update = new Param<>(this, "update", "tron or sgd",
            ParamChecks.oneOf("update", "tron", "sgd"));
    private final Param<String> stepMode = new Param<>(this, "stepMode",
            "auto (eta*), guaranteed (refuse eta >= lambda_min/C_b) or manual", ParamChecks.oneOf("stepMode", "auto", "guaranteed", "manual"));
    private final Param<String> init = new Param<>(this, "init", "start w_1: zeros or ones", ParamChecks.oneOf("init", "zeros", "ones"));
    private transient GateResult lastResult;

    public ReluGateEstimator(String uid) {
        super(uid);
        setDefault(batchSize, 16);
        setDefault(stepSize, 0.0);
        setDefault(update, "tron");
        setDefault(stepMode, "auto");
        setDefault(init, "zeros");
        setDefault(maxIter(), 2000);
        setDefault(tol(), 0.0);
    }

    public ReluGateEstimator() { this(Identifiable.randomUID("reluGate")); }

    public IntParam batchSize() { return batchSize; }
    public DoubleParam stepSize() { return stepSize; }
    public Param<String> update() { return update; }
    public Param<String> stepMode() { return stepMode; }
    public Param<String> init() { return init; }

    public ReluGateEstimator setBatchSize(int v) { set(batchSize, v); return this; }
    public ReluGateEstimator setStepSize(double v) { set(stepSize, v); return this; }
    public ReluGateEstimator setUpdate(String v) { set(update, v); return this; }
    public ReluGateEstimator setStepMode(String v) { set(stepMode, v); return this; }
    public ReluGateEstimator setInit(String v) { set(init, v); return this; }

    /** The last fit's result (eta, kappa*, pilot statistics, trajectory), or null before fit. */
    public GateResult lastResult() { return lastResult; }

    /** The options record a fit runs with. */
    public GateOptions options() {
        double eta = (Double) $(stepSize);
        GateOptions.StepMode sm = GateOptions.parseStepMode($(stepMode));
        if (eta > 0 && sm == GateOptions.StepMode.AUTO) sm = GateOptions.StepMode.MANUAL;
        return GateOptions.defaults().withUpdate(GateUpdate.parse($(update))).withBatch((Integer) $(batchSize))
                .withIterations(getMaxIter()).withTolerance(getTol())
                .withStep(sm, eta > 0 ? eta : Double.NaN).withMode(GateOptions.Mode.DISTRIBUTED, 1);
    }

    @Override
    public ReluNetworkModel fit(Dataset<?> dataset) {
        transformSchema(dataset.schema(), true);
        lastResult = fitOnBlocks(dataset, (runner, data) -> {
            if (data.m() != 1) {
                throw new IllegalArgumentException("column '" + getLabelCol() + "' must be a single number per row for a gate");
            }
            double[] w1 = new double[data.d()];
            if ($(init).equals("ones")) Arrays.fill(w1, 1);
            return GateTrainer.fitOnData(runner, data, options(), w1, null, getSeed());
        });
        ReluNetworkModel model = ReluNetworkModel.gate(lastResult.w(), 0.0);
        model.setFeaturesCol(getFeaturesCol()).setPredictionCol(getPredictionCol());
        return model.setParent(this);
    }

    @Override
    public StructType transformSchema(StructType schema) {
        Schemas.requireVectorColumn(schema, getFeaturesCol(), "featuresCol", -1);
        Schemas.requireLabelColumn(schema, getLabelCol(), "labelCol");
        Schemas.requireAbsent(schema, getPredictionCol(), "predictionCol");
        return schema.add(DataTypes.createStructField(getPredictionCol(),
                DataTypes.DoubleType, true));
    }

    @Override
    public ReluGateEstimator copy(ParamMap extra) { return defaultCopy(extra); }

    public static MLReader<ReluGateEstimator> read() { return ReluModelReader.paramsOnly(ReluGateEstimator.class); }

    public static ReluGateEstimator load(String path) { return read().load(path); }
}
