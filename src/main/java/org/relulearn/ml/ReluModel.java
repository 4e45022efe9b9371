package org.relulearn.ml;

import org.apache.spark.ml.Model;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;

/**
 * Base of relulearn's Spark ML models: the {@link ReluParams} (the training params are kept so a
 * saved model records how it was trained), setters for the params that affect {@code transform}
 * (featuresCol, predictionCol, blockSizeMB), and persistence of params plus the model's arrays
 * ({@link #modelArrays()}) by {@link ReluModelWriter}.
 *
 * <p>A subclass implements {@code copy} as {@code copyValues(new Sub(uid(), arrays...), extra).setParent(parent())}
 * (a model cannot be default-copied: its data is not a param), provides a public static
 * {@code read()} returning a {@link ReluModelReader} (so Spark's PipelineModel can load it by reflection)
 * and a static {@code load(path)}.
 *
 * @param <M> the concrete model type (returned by the setters)
 */
public abstract class ReluModel<M extends ReluModel<M>> extends Model<M> implements ReluParams, MLWritable {
    private static final long serialVersionUID = 1L;

    private final String uid;
    private final SharedParamFields shared;

    protected ReluModel(String uid) {
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

    /** This model as its concrete type (for fluent setters). */
    @SuppressWarnings("unchecked")
    protected final M self() { return (M) this; }

    public M setFeaturesCol(String value) { set(featuresCol(), value); return self(); }
    public M setPredictionCol(String value) { set(predictionCol(), value); return self(); }
    /** Rows per block in {@code transform} follow from this budget. */
    public M setBlockSizeMB(double value) { set(blockSizeMB(), value); return self(); }

    /** The model's numbers, as named arrays with shapes: what {@code data/} holds. */
    public abstract ModelArrays modelArrays();

    /** Writes {@code metadata/} (class, uid, params) and {@code data/} (the {@link #modelArrays()}). */
    @Override
    public MLWriter write() { return new ReluModelWriter(this, modelArrays()); }
}
