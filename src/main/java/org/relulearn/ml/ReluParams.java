package org.relulearn.ml;

import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.util.Identifiable;

/**
 * The params every relulearn Estimator and Model shares: seed, maxIter, tol, blockSizeMB,
 * aggregationDepth, featuresCol, labelCol, predictionCol.
 *
 * <p>Spark's shared-param traits ({@code HasMaxIter}, ...) are {@code private[ml]} and cannot be
 * mixed into Java classes, so this interface plays their role: it declares the typed accessors (Spark
 * finds params by reflection on public no-argument methods returning a {@code Param}), implements the
 * getters once, and defines each param's name, doc, validator and default in one place through the
 * static factories below. {@link ReluEstimator} and {@link ReluModel} hold the param objects (a
 * param's parent must be its owner's uid, so every stage creates its own) and add the setters.
 *
 * <p>Defaults: seed 1, maxIter 100, tol 1e-6, blockSizeMB 1.0, aggregationDepth 2, featuresCol
 * "features", labelCol "label", predictionCol "prediction".
 */
public interface ReluParams extends Params {
    long DEFAULT_SEED = 1L;
    int DEFAULT_MAX_ITER = 100;
    double DEFAULT_TOL = 1e-6;
    double DEFAULT_BLOCK_SIZE_MB = 1.0;
    int DEFAULT_AGGREGATION_DEPTH = 2;
    String DEFAULT_FEATURES_COL = "features";
    String DEFAULT_LABEL_COL = "label";
    String DEFAULT_PREDICTION_COL = "prediction";

    /** Seed of every random choice of the algorithm (initialisation, sampling). */
    LongParam seed();

    /** Maximum number of iterations (passes of the outer loop), at least 1. */
    IntParam maxIter();

    /** Convergence tolerance, at least 0; its exact meaning is the algorithm's. */
    DoubleParam tol();

    /** Byte budget of one block of rows, in MiB (MLlib's maxBlockSizeInMB), greater than 0. */
    DoubleParam blockSizeMB();

    /** Depth of the treeAggregate that combines partial sums, at least 1. */
    IntParam aggregationDepth();

    /** Input column of feature vectors. */
    Param<String> featuresCol();

    /** Input column of labels. */
    Param<String> labelCol();

    /** Output column of predictions. */
    Param<String> predictionCol();

    default long getSeed() { return (Long) $(seed()); }

    default int getMaxIter() { return (Integer) $(maxIter()); }

    default double getTol() { return (Double) $(tol()); }

    default double getBlockSizeMB() { return (Double) $(blockSizeMB()); }

    default int getAggregationDepth() { return (Integer) $(aggregationDepth()); }

    default String getFeaturesCol() { return $(featuresCol()); }

    default String getLabelCol() { return $(labelCol()); }

    default String getPredictionCol() { return $(predictionCol()); }

    /** {@link #getBlockSizeMB()} in bytes. */
    default long blockSizeBytes() { return (long) (getBlockSizeMB() * 1024 * 1024); }

    // ---- definitions: one place for each param's name, doc and validator ----

    static LongParam seedParam(Identifiable owner) {
        return new LongParam(owner, "seed", "random seed (any long)", ParamChecks.anyLong("seed"));
    }

    static IntParam maxIterParam(Identifiable owner) {
        return new IntParam(owner, "maxIter", "maximum number of iterations (>= 1)", ParamChecks.intAtLeast("maxIter", 1));
    }

    static DoubleParam tolParam(Identifiable owner) {
        return new DoubleParam(owner, "tol", "convergence tolerance of the iterations (>= 0)",
                ParamChecks.nonNegativeFinite("tol"));
    }

    static DoubleParam blockSizeMBParam(Identifiable owner) {
        return new DoubleParam(owner, "blockSizeMB",
                "maximum memory of one block of stacked rows, in MiB (> 0); larger blocks mean fewer, bigger BLAS calls",
                ParamChecks.positiveFinite("blockSizeMB"));
    }

    static IntParam aggregationDepthParam(Identifiable owner) {
        return new IntParam(owner, "aggregationDepth", "depth of treeAggregate (>= 1)",
                ParamChecks.intAtLeast("aggregationDepth", 1));
    }

    static Param<String> featuresColParam(Identifiable owner) {
        return new Param<>(owner, "featuresCol", "features column name (vectors)", ParamChecks.columnName("featuresCol"));
    }

    static Param<String> labelColParam(Identifiable owner) {
        return new Param<>(owner, "labelCol", "label column name (double, or vector for several outputs)",
                ParamChecks.columnName("labelCol"));
    }

    static Param<String> predictionColParam(Identifiable owner) {
        return new Param<>(owner, "predictionCol", "prediction column name", ParamChecks.columnName("predictionCol"));
    }

    /** Sets the documented defaults on an owner whose param objects already exist. */
    static void setSharedDefaults(ReluParams owner) {
        owner.setDefault(owner.seed(), DEFAULT_SEED);
        owner.setDefault(owner.maxIter(), DEFAULT_MAX_ITER);
        owner.setDefault(owner.tol(), DEFAULT_TOL);
        owner.setDefault(owner.blockSizeMB(), DEFAULT_BLOCK_SIZE_MB);
        owner.setDefault(owner.aggregationDepth(), DEFAULT_AGGREGATION_DEPTH);
        owner.setDefault(owner.featuresCol(), DEFAULT_FEATURES_COL);
        owner.setDefault(owner.labelCol(), DEFAULT_LABEL_COL);
        owner.setDefault(owner.predictionCol(), DEFAULT_PREDICTION_COL);
    }
}
