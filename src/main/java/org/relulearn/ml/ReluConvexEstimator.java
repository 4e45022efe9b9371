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
import org.relulearn.algo.loss.ConvexLoss;
import org.relulearn.algo.convex.ConvexOptions;
import org.relulearn.algo.convex.ConvexResult;
import org.relulearn.algo.convex.ConvexTrainer;
import org.relulearn.algo.convex.GatedReluTrainer;
import org.relulearn.algo.convex.ScpTrainer;

/**
 * Spark ML estimator for a two-layer ReLU network trained globally through its convex
 * reformulation ({@link ConvexTrainer}: sampled activation patterns, ADMM; or {@link ScpTrainer}:
 * random ReLU features with an l1 output layer). Scalar labels: real (squared loss), -1/+1 (hinge)
 * or 0/1 (bce). With adversarialEps &gt; 0 the robust program is solved ({@link org.relulearn.algo.convex.RobustConvexTrainer}). The model is a {@link ReluNetworkModel} with one neuron per active group; its
 * prediction is the network output (for bce, class 1 iff the output is > 0). {@link #lastResult()}
 * keeps the objective, the certificate and the iteration history.
 */
public final class ReluConvexEstimator extends ReluEstimator<ReluConvexEstimator, ReluNetworkModel> {
    private static final long serialVersionUID = 1L;

    private final Param<String> solver = new Param<>(this, "solver", "admm (convex program), ipm (interior point: squared loss, stops at a certified relative gap of 1e-4),"
            + " auto (ipm for small squared-loss programs, else admm), scp (random ReLU features + l1) or gated (the gated-ReLU program,"
            + " standardised, squared loss; weightDecay by 5-fold cross-validation unless set)",
            ParamChecks.oneOf("solver", "admm", "ipm", "auto", "scp", "gated"));
    private final Param<String> loss = new Param<>(this, "loss", "squared, hinge or bce", ParamChecks.oneOf("loss", "squared", "hinge", "bce"));
    private final DoubleParam weightDecay = new DoubleParam(this, "weightDecay", "beta >= 0 (sum-of-losses convention)",
            ParamChecks.nonNegativeFinite("weightDecay"));
    private final IntParam patterns = new IntParam(this, "patterns", "gate vectors sampled (P_s) or random features (scp)",
            ParamChecks.intAtLeast("patterns", 1));
    private final DoubleParam rho = new DoubleParam(this, "rho", "ADMM penalty (0 = data-scaled default)", ParamChecks.nonNegativeFinite("rho"));
    private final BooleanParam fitBias = new BooleanParam(this, "fitBias", "first-layer biases (a constant-1 column)");
    private final Param<String> route = new Param<>(this, "route", "linear-solve route: auto, dense, woodbury or cg",
            ParamChecks.oneOf("route", "auto", "dense", "woodbury", "cg"));
    private final DoubleParam adversarialEps = new DoubleParam(this, "adversarialEps",
            "l_inf radius of robust (adversarial) convex training on the features (0 = ordinary training)",
            ParamChecks.nonNegativeFinite("adversarialEps"));
    private transient ConvexResult lastResult;

    public ReluConvexEstimator(String uid) {
        super(uid);
        setDefault(solver, "admm");
        setDefault(loss, "squared");
        setDefault(weightDecay, 1e-3);
        setDefault(patterns, 64);
        setDefault(rho, 0.0);
        setDefault(fitBias, true);
        setDefault(route, "auto");
        setDefault(adversarialEps, 0.0);
        setDefault(maxIter(), 200);
        setDefault(tol(), 1e-6);
    }

    public ReluConvexEstimator() { this(Identifiable.randomUID("reluConvex")); }

    public Param<String> solver() { return solver; }
    public Param<String> loss() { return loss; }
    public DoubleParam weightDecay() { return weightDecay; }
    public IntParam patterns() { return patterns; }
    public DoubleParam rho() { return rho; }
    public BooleanParam fitBias() { return fitBias; }
    public Param<String> route() { return route; }
    public DoubleParam adversarialEps() { return adversarialEps; }

    public ReluConvexEstimator setSolver(String v) { set(solver, v); return this; }
    public ReluConvexEstimator setLoss(String v) { set(loss, v); return this; }
    public ReluConvexEstimator setWeightDecay(double v) { set(weightDecay, v); return this; }
    public ReluConvexEstimator setPatterns(int v) { set(patterns, v); return this; }
    public ReluConvexEstimator setRho(double v) { set(rho, v); return this; }
    public ReluConvexEstimator setFitBias(boolean v) { set(fitBias, v); return this; }
    public ReluConvexEstimator setRoute(String v) { set(route, v); return this; }
    public ReluConvexEstimator setAdversarialEps(double v) { set(adversarialEps, v); return this; }

    /** The last fit's result, or null before fit. */
    public ConvexResult lastResult() { return lastResult; }

    /** The options record a fit runs with (seed = the gate sampling's seed; tol = absolute and relative residual tolerance). */
    public ConvexOptions options() {
        double r = (Double) $(rho);
        return ConvexOptions.defaults().withLoss(ConvexLoss.parse($(loss))).withBeta((Double) $(weightDecay))
                .withPatterns((Integer) $(patterns)).withBias((Boolean) $(fitBias)).withRho(r == 0 ? Double.NaN : r)
                .withMaxIter(getMaxIter()).withTolerances(getTol(), getTol()).withSeed(getSeed())
                .withRoute(ConvexOptions.Route.valueOf($(route).toUpperCase(java.util.Locale.ROOT)))
                .withAdversarialEps((Double) $(adversarialEps))
                .withSolver(switch ($(solver)) {
                    case "ipm" -> ConvexOptions.Solver.IPM;
                    case "auto" -> ConvexOptions.Solver.AUTO;
                    default -> ConvexOptions.Solver.ADMM;
                })
                // the interior point stops on its certificate (ADMM keeps the residual test of tol)
                .withGapTol("ipm".equals($(solver)) || "auto".equals($(solver)) ? 1e-4 : 0);
    }

    @Override
    public ReluNetworkModel fit(Dataset<?> dataset) {
        transformSchema(dataset.schema(), true);
        ConvexOptions o = options();
        boolean scp = "scp".equals($(solver)), gated = "gated".equals($(solver));
        boolean crossValidate = !isSet(weightDecay);
        long seed = getSeed();
        lastResult = fitOnBlocks(dataset, (runner, data) -> {
            if (scp) return ScpTrainer.fit(runner, data, o, null);
            if (gated) {
                GatedReluTrainer.Settings d = GatedReluTrainer.Settings.defaults();
                return GatedReluTrainer.fit(runner, data, o.withGapTol(1e-6), new GatedReluTrainer.Settings(crossValidate, d.folds(),
                        d.pathLength(), d.pathRatio(), true, seed), null).result();
            }
            return ConvexTrainer.fit(runner, data, o);
        });
        ReluNetworkModel model = ReluNetworkModel.of(lastResult.network());
        model.setFeaturesCol(getFeaturesCol()).setPredictionCol(getPredictionCol());
        return model.setParent(this);
    }

    @Override
    public StructType transformSchema(StructType schema) {
        return scalarPredictionSchema(schema);
    }

    @Override
    public ReluConvexEstimator copy(ParamMap extra) { return defaultCopy(extra); }

    public static MLReader<ReluConvexEstimator> read() { return ReluModelReader.paramsOnly(ReluConvexEstimator.class); }

    public static ReluConvexEstimator load(String path) { return read().load(path); }
}
