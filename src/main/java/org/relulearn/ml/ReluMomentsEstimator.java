package org.relulearn.ml;

import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.relulearn.algo.moments.MomentsOptions;
import org.relulearn.algo.moments.MomentsResult;
import org.relulearn.algo.moments.MomentsTrainer;
import org.relulearn.spark.HeldOutSplit;

/**
 * Spark ML estimator for y = A relu(W x) + noise under a symmetric input law, by the method of
 * moments ({@link MomentsTrainer}: moment sums, the pure-neuron-detector moment, the least-squares
 * refit of A). Labels are a number (m = 1) or a vector column (m outputs); k <= min(d, m). The
 * result is a {@link ReluNetworkModel} without biases, W with unit-norm rows. A failed certificate
 * (asymmetric input, no gap in B's singular values, a degenerate null space, a fit no better than
 * linear) is an {@link IllegalArgumentException} naming it. {@link #lastResult()} keeps the
 * certificates; the prediction certificate is computed in-sample unless
 * {@code heldOutFraction} > 0 holds out a hashed share of the rows.
 */
public final class ReluMomentsEstimator extends ReluEstimator<ReluMomentsEstimator, ReluNetworkModel> {
    private static final long serialVersionUID = 1L;

    private final IntParam hiddenUnits = new IntParam(this, "hiddenUnits",
            "hidden width k (0 = from the largest gap of B's singular values)", ParamChecks.intAtLeast("hiddenUnits", 0));
    private final Param<String> weighting = new Param<>(this, "weighting", "pass-2 weighting: auto, full or reduced",
            ParamChecks.oneOf("weighting", "auto", "full", "reduced"));
    private final Param<String> diagonalisation = new Param<>(this, "diagonalisation", "step 6: whitened or paper",
            ParamChecks.oneOf("diagonalisation", "whitened", "paper"));
    private final DoubleParam minNullGap = new DoubleParam(this, "minNullGap", "least detector null gap (>= 1)",
            ParamChecks.positiveFinite("minNullGap"));
    private final BooleanParam refit = new BooleanParam(this, "refit", "refit A by least squares for the recovered W");
    private final IntParam memoryCapMb = new IntParam(this, "memoryCapMb",
            "cap in MiB on one partial detector moment G; above it auto weighting switches to reduced-x", ParamChecks.intAtLeast("memoryCapMb", 1));
    private final DoubleParam symmetryTolerance = new DoubleParam(this, "symmetryTolerance",
            "tolerance tau of the symmetry checks (mean and third moment)", ParamChecks.positiveFinite("symmetryTolerance"));
    private final DoubleParam heldOutFraction = new DoubleParam(this, "heldOutFraction",
            "share of rows held out (by a hash of each row and the seed) for the prediction certificate; 0 = in-sample",
            ParamChecks.nonNegativeFinite("heldOutFraction"));
    private transient MomentsResult lastResult;

    public ReluMomentsEstimator(String uid) {
        super(uid);
        setDefault(hiddenUnits, 0);
        setDefault(weighting, "auto");
        setDefault(diagonalisation, "whitened");
        setDefault(minNullGap, 1.5);
        setDefault(refit, true);
        setDefault(memoryCapMb, 256);
        setDefault(symmetryTolerance, 0.1);
        setDefault(heldOutFraction, 0.0);
    }

    public ReluMomentsEstimator() { this(Identifiable.randomUID("reluMoments")); }

    public IntParam hiddenUnits() { return hiddenUnits; }
    public Param<String> weighting() { return weighting; }
    public Param<String> diagonalisation() { return diagonalisation; }
    public DoubleParam minNullGap() { return minNullGap; }
    public BooleanParam refit() { return refit; }
    public IntParam memoryCapMb() { return memoryCapMb; }
    public DoubleParam symmetryTolerance() { return symmetryTolerance; }
    public DoubleParam heldOutFraction() { return heldOutFraction; }

    public ReluMomentsEstimator setHiddenUnits(int v) { set(hiddenUnits, v); return this; }
    public ReluMomentsEstimator setWeighting(String v) { set(weighting, v); return this; }
    public ReluMomentsEstimator setDiagonalisation(String v) { set(diagonalisation, v); return this; }
    public ReluMomentsEstimator setMinNullGap(double v) { set(minNullGap, v); return this; }
    public ReluMomentsEstimator setRefit(boolean v) { set(refit, v); return this; }
    public ReluMomentsEstimator setMemoryCapMb(int v) { set(memoryCapMb, v); return this; }
    public ReluMomentsEstimator setSymmetryTolerance(double v) { set(symmetryTolerance, v); return this; }
    public ReluMomentsEstimator setHeldOutFraction(double v) {
        if (!(v >= 0 && v < 1)) throw new IllegalArgumentException("heldOutFraction must be in [0, 1), got " + v);
        set(heldOutFraction, v);
        return this;
    }

    /** The last fit's result with its certificates, or null before fit. */
    public MomentsResult lastResult() { return lastResult; }

    /** The options record a fit runs with (seed = the diagonalisation's seed). */
    public MomentsOptions options() {
        MomentsOptions d = MomentsOptions.defaults();
        return new MomentsOptions((Integer) $(hiddenUnits), MomentsOptions.parseWeighting($(weighting)),
                ((Integer) $(memoryCapMb)) * (1L << 20), (Double) $(symmetryTolerance), d.minSingularGap(), (Double) $(minNullGap), (Boolean) $(refit), getSeed(),
                MomentsOptions.parseDiagonaliser($(diagonalisation)));
    }

    @Override
    public ReluNetworkModel fit(Dataset<?> dataset) {
        transformSchema(dataset.schema(), true);
        double f = (Double) $(heldOutFraction);
        lastResult = fitOnBlocks(dataset, (runner, data) -> {
            if (f == 0) return MomentsTrainer.fit(runner, data, options());
            HeldOutSplit.Split split = HeldOutSplit.split(data, f, getSeed());
            return MomentsTrainer.fit(runner, split.train(), split.heldOut(), options());
        });
        MomentsResult r = lastResult;
        ReluNetworkModel model = new ReluNetworkModel(Identifiable.randomUID("reluNetwork"), r.d(), r.k(), r.l(), r.w(), null, r.a());
        model.setFeaturesCol(getFeaturesCol()).setPredictionCol(getPredictionCol());
        return model.setParent(this);
    }

    @Override
    public StructType transformSchema(StructType schema) {
        Schemas.requireVectorColumn(schema, getFeaturesCol(), "featuresCol", -1);
        Schemas.requireLabelColumn(schema, getLabelCol(), "labelCol");
        Schemas.requireAbsent(schema, getPredictionCol(), "predictionCol");
        DataType label = schema.apply(getLabelCol()).dataType();
        DataType out = label.equals(SQLDataTypes.VectorType()) ? SQLDataTypes.VectorType() : DataTypes.DoubleType;
        return schema.add(DataTypes.createStructField(getPredictionCol(), out, true));
    }

    @Override
    public ReluMomentsEstimator copy(ParamMap extra) { return defaultCopy(extra); }

    public static MLReader<ReluMomentsEstimator> read() { return ReluModelReader.paramsOnly(ReluMomentsEstimator.class); }

    public static ReluMomentsEstimator load(String path) { return read().load(path); }
}
