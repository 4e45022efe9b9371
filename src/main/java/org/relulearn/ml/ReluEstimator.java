package org.relulearn.ml;

import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.relulearn.spark.FileSources;
import org.relulearn.spark.SparkBlockData;
import org.relulearn.spark.SparkPassRunner;

/**
 * Base of relulearn's Spark ML estimators: the {@link ReluParams} with setters that return the
 * concrete estimator (E), {@link #copy} by {@code defaultCopy}, and params-only persistence
 * ({@code metadata/} alone, read back with {@link ReluModelReader#paramsOnly}).
 *
 * <p>A subclass must have a public constructor taking the uid (String): {@code defaultCopy} and the
 * reader create instances through it. It implements {@code fit} and {@code transformSchema}, and
 * builds its model with {@code copyValues(model, ParamMap.empty()).setParent(this)} so the model
 * records the params it was trained with.
 *
 * @param <E> the concrete estimator type (returned by the setters)
 * @param <M> the model type it fits
 */
public abstract class ReluEstimator<E extends ReluEstimator<E, M>, M extends Model<M>> extends Estimator<M>
        implements ReluParams, MLWritable {
    private static final long serialVersionUID = 1L;

    private final String uid;
    private final SharedParamFields shared;

    protected ReluEstimator(String uid) {
        if (uid == null || uid.isBlank()) throw new IllegalArgumentException("uid must be a non-empty string");
        this.uid = uid;
        this.shared = new SharedParamFields(this);
        ReluParams.setSharedDefaults(this);
    }

    @Override public String uid() { return uid; }

    @Override public final LongParam seed() { return shared.seed; }
    @Override public final IntParam maxIter() { return shared.maxIter; }
    @Override public final DoubleParam tol() { return shared.tol; }
    @Override public final DoubleParam blockSizeMB() { return shared.blockSizeMB; }
    @Override public final IntParam aggregationDepth() { return shared.aggregationDepth; }
    @Override public final Param<String> featuresCol() { return shared.featuresCol; }
    @Override public final Param<String> labelCol() { return shared.labelCol; }
    @Override public final Param<String> predictionCol() { return shared.predictionCol; }

    /** This estimator as its concrete type (for fluent setters). */
    @SuppressWarnings("unchecked")
    protected final E self() { return (E) this; }

    public E setSeed(long value) { set(seed(), value); return self(); }
    public E setMaxIter(int value) { set(maxIter(), value); return self(); }
    public E setTol(double value) { set(tol(), value); return self(); }
    public E setBlockSizeMB(double value) { set(blockSizeMB(), value); return self(); }
    public E setAggregationDepth(int value) { set(aggregationDepth(), value); return self(); }
    public E setFeaturesCol(String value) { set(featuresCol(), value); return self(); }
    public E setLabelCol(String value) { set(labelCol(), value); return self(); }
    public E setPredictionCol(String value) { set(predictionCol(), value); return self(); }

    /** A copy with the same uid and params, {@code extra} applied on top. */
    @Override
    public E copy(ParamMap extra) { return defaultCopy(extra); }

    /** Writes {@code metadata/} (class, uid, params); an estimator has no {@code data/}. */
    @Override
    public MLWriter write() { return new ReluModelWriter(this, null); }

    /** A fit over the DataFrame's rows as cached blocks, with a Spark pass runner (blocks released after). */
    @FunctionalInterface
    protected interface BlockFit<R> {
        R fit(SparkPassRunner runner, SparkBlockData data);
    }

    /**
     * The output schema of a one-output estimator: checks a vector features column, a numeric label
     * column and a free prediction column, and appends the prediction as a double.
     */
    protected StructType scalarPredictionSchema(StructType schema) {
        Schemas.requireVectorColumn(schema, getFeaturesCol(), "featuresCol", -1);
        Schemas.requireLabelColumn(schema, getLabelCol(), "labelCol");
        Schemas.requireAbsent(schema, getPredictionCol(), "predictionCol");
        return schema.add(DataTypes.createStructField(getPredictionCol(),
                DataTypes.DoubleType, true));
    }

    /**
     * Reads {@code dataset}'s featuresCol/labelCol into cached blocks (checked like a file), runs
     * {@code fit} with a runner of this estimator's aggregationDepth, and unpersists the blocks.
     */
    @SuppressWarnings("unchecked")
    protected <R> R fitOnBlocks(Dataset<?> dataset, BlockFit<R> fit) {
        SparkBlockData data = FileSources.fromDataFrame(
                (Dataset<Row>) dataset, getFeaturesCol(), getLabelCol(), blockSizeBytes());
        try {
            return fit.fit(new SparkPassRunner(dataset.sparkSession(),
                    new SparkPassRunner.RunnerOptions(0, getAggregationDepth(), false, 10_000)), data);
        } finally {
            data.blocks().unpersist(false);
        }
    }
}
