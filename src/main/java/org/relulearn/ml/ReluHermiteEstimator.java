package org.relulearn.ml;

import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.types.StructType;
import org.relulearn.algo.hermite.HermiteOptions;
import org.relulearn.algo.hermite.HermiteResult;
import org.relulearn.algo.hermite.HermiteTrainer;
import org.relulearn.algo.hermite.ReluNet;

/**
 * Spark ML estimator for y = sum_i a_i relu(w_i.x + b_i) (+ noise), x ~ N(0, I_d), m <= d, from
 * Hermite moment tensors ({@link HermiteTrainer}: statistics, order-2 subspace, random order-3/4
 * contractions with Jennrich, per-unit Hermite coefficients; optional affine fit and
 * gradient-descent polish). The label is one number per row. The result is a
 * {@link ReluNetworkModel} with biases: the m tensor units (unit-norm w) followed by the affine
 * fit's extra ReLU units, if any. Bad input (inputs not N(0, I), constant labels, m > d) is an
 * {@link IllegalArgumentException} naming it; {@link #lastResult()} keeps the diagnostics.
 */
public final class ReluHermiteEstimator extends ReluEstimator<ReluHermiteEstimator, ReluNetworkModel> {
    private static final long serialVersionUID = 1L;

    private final IntParam hiddenUnits = new IntParam(this, "hiddenUnits",
            "hidden units m (0 = order-2 eigenvalues above the noise threshold)", ParamChecks.intAtLeast("hiddenUnits", 0));
    private final IntParam contractions = new IntParam(this, "contractions", "L random contractions of orders 3 and 4 (>= 2)",
            ParamChecks.intAtLeast("contractions", 2));
    private final IntParam kmax = new IntParam(this, "kmax", "highest Hermite order of the unit coefficients (>= 4)",
            ParamChecks.intAtLeast("kmax", 4));
    private final DoubleParam biasBound = new DoubleParam(this, "biasBound", "biases are searched on [-B, B]", ParamChecks.positiveFinite("biasBound"));
    private final BooleanParam varianceReduction = new BooleanParam(this, "varianceReduction",
            "[engineering] subtract the fitted degree <= 2 part of y before the high-order sums");
    private final Param<String> affineFit = new Param<>(this, "affineFit", "[engineering] residual affine fit: off, on or auto",
            ParamChecks.oneOf("affineFit", "off", "on", "auto"));
    private final IntParam polishIterations = new IntParam(this, "polishIterations",
            "[engineering] gradient-descent passes over (a, W, b) after the tensor fit (0 = none)", ParamChecks.intAtLeast("polishIterations", 0));
    private final DoubleParam polishStep = new DoubleParam(this, "polishStep", "polish step eta", ParamChecks.positiveFinite("polishStep"));
    private final DoubleParam polishMomentum = new DoubleParam(this, "polishMomentum", "polish heavy-ball momentum in [0, 1)",
            ParamChecks.nonNegativeFinite("polishMomentum"));
    private final BooleanParam strictInput = new BooleanParam(this, "strictInput", "inputs failing the N(0, I) checks are an error");
    private transient HermiteResult lastResult;

    public ReluHermiteEstimator(String uid) {
        super(uid);
        HermiteOptions d = HermiteOptions.defaults();
        setDefault(hiddenUnits, 0);
        setDefault(contractions, d.contractions());
        setDefault(kmax, d.kmax());
        setDefault(biasBound, d.biasBound());
        setDefault(varianceReduction, d.varianceReduction());
        setDefault(affineFit, "auto");
        setDefault(polishIterations, 0);
        setDefault(polishStep, d.polishStep());
        setDefault(polishMomentum, d.polishMomentum());
        setDefault(strictInput, true);
    }

    public ReluHermiteEstimator() { this(Identifiable.randomUID("reluHermite")); }

    public IntParam hiddenUnits() { return hiddenUnits; }
    public IntParam contractions() { return contractions; }
    public IntParam kmax() { return kmax; }
    public DoubleParam biasBound() { return biasBound; }
    public BooleanParam varianceReduction() { return varianceReduction; }
    public Param<String> affineFit() { return affineFit; }
    public IntParam polishIterations() { return polishIterations; }
    public DoubleParam polishStep() { return polishStep; }
    public DoubleParam polishMomentum() { return polishMomentum; }
    public BooleanParam strictInput() { return strictInput; }

    public ReluHermiteEstimator setHiddenUnits(int v) { set(hiddenUnits, v); return this; }
    public ReluHermiteEstimator setContractions(int v) { set(contractions, v); return this; }
    public ReluHermiteEstimator setKmax(int v) { set(kmax, v); return this; }
    public ReluHermiteEstimator setBiasBound(double v) { set(biasBound, v); return this; }
    public ReluHermiteEstimator setVarianceReduction(boolean v) { set(varianceReduction, v); return this; }
    public ReluHermiteEstimator setAffineFit(String v) { set(affineFit, v); return this; }
    public ReluHermiteEstimator setPolishIterations(int v) { set(polishIterations, v); return this; }
    public ReluHermiteEstimator setPolishStep(double v) { set(polishStep, v); return this; }
    public ReluHermiteEstimator setPolishMomentum(double v) { set(polishMomentum, v); return this; }
    public ReluHermiteEstimator setStrictInput(boolean v) { set(strictInput, v); return this; }

    /** The paper-faithful configuration: no variance reduction, no affine fit, no polish (m must be set). */
    public ReluHermiteEstimator setFaithful() {
        return setVarianceReduction(false).setAffineFit("off").setPolishIterations(0);
    }

    /** The last fit's result with its diagnostics, or null before fit. */
    public HermiteResult lastResult() { return lastResult; }

    /** The options record a fit runs with (seed = the random contractions' seed). */
    public HermiteOptions options() {
        HermiteOptions d = HermiteOptions.defaults();
        return new HermiteOptions((Integer) $(hiddenUnits), (Integer) $(contractions), (Integer) $(kmax), (Double) $(biasBound),
                d.gridPoints(), (Boolean) $(varianceReduction), HermiteOptions.parseAffineFit($(affineFit)), (Integer) $(polishIterations),
                (Double) $(polishStep), (Double) $(polishMomentum), d.autoThreshold(), (Boolean) $(strictInput), getSeed());
    }

    @Override
    public ReluNetworkModel fit(Dataset<?> dataset) {
        transformSchema(dataset.schema(), true);
        HermiteOptions o = options();
        lastResult = fitOnBlocks(dataset, (runner, data) -> HermiteTrainer.fit(runner, data, o));
        ReluNet net = lastResult.network();
        ReluNetworkModel model = new ReluNetworkModel(Identifiable.randomUID("reluNetwork"), net.d(), net.units(), 1, net.w(), net.b(), net.a());
        model.setFeaturesCol(getFeaturesCol()).setPredictionCol(getPredictionCol());
        return model.setParent(this);
    }

    @Override
    public StructType transformSchema(StructType schema) {
        return scalarPredictionSchema(schema);
    }

    @Override
    public ReluHermiteEstimator copy(ParamMap extra) { return defaultCopy(extra); }

    public static MLReader<ReluHermiteEstimator> read() { return ReluModelReader.paramsOnly(ReluHermiteEstimator.class); }

    public static ReluHermiteEstimator load(String path) { return read().load(path); }
}
