package org.relulearn.ml;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.util.List;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Loads what {@link ReluModelWriter} saved: checks the saved class, builds the instance with the
 * saved uid (and, for a model, the arrays of {@code data/}) through a factory, then restores the
 * saved default and explicit params.
 *
 * <p>Concrete classes expose it as {@code public static MLReader<X> read()}, the static method Spark's
 * PipelineModel looks up by reflection to load a stage.
 *
 * @param <T> the stage type it loads
 */
public class ReluModelReader<T extends Params> extends MLReader<T> {

    /** Builds an instance from a saved uid and the saved arrays (null for a params-only stage). */
    @FunctionalInterface
    public interface Factory<T> {
        T create(String uid, ModelArrays arrays);
    }

    private final Class<T> type;
    private final Factory<T> factory;
    private final boolean hasData;

    private ReluModelReader(Class<T> type, Factory<T> factory, boolean hasData) {
        this.type = type;
        this.factory = factory;
        this.hasData = hasData;
    }

    /** A reader for a model: {@code data/} is required and handed to {@code factory}. */
    public static <T extends Params> ReluModelReader<T> forModel(Class<T> type, Factory<T> factory) {
        return new ReluModelReader<>(type, factory, true);
    }

    /** A reader for a stage without data (an estimator), built by its public (String uid) constructor. */
    public static <T extends Params> ReluModelReader<T> paramsOnly(Class<T> type) {
        Constructor<T> constructor;
        try {
            constructor = type.getConstructor(String.class);
        } catch (NoSuchMethodException e) {
            throw new IllegalArgumentException(type.getName() + " needs a public constructor taking the uid (String) to be loaded", e);
        }
        return new ReluModelReader<>(type, (uid, arrays) -> {
            try {
                return constructor.newInstance(uid);
            } catch (InvocationTargetException e) {
                throw new IllegalStateException("cannot create " + type.getName() + ": " + e.getCause(), e.getCause());
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot create " + type.getName() + ": " + e, e);
            }
        }, false);
    }

    @Override
    public T load(String path) {
        SparkSession spark = sparkSession();
        ModelMetadata metadata = ModelMetadata.load(spark, path).requireClass(type, path);
        ModelArrays arrays = hasData ? loadData(spark, new Path(path, "data").toString()) : null;
        T instance;
        try {
            instance = factory.create(metadata.uid(), arrays);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("model at " + path + " has invalid data: " + e.getMessage(), e);
        }
        metadata.applyParams(instance, path);
        return instance;
    }

    /** Reads the one-row Parquet file of {@link ReluModelWriter#DATA_SCHEMA} back into arrays. */
    public static ModelArrays loadData(SparkSession spark, String dir) {
        List<Row> rows;
        try {
            Dataset<Row> df = spark.read().parquet(dir);
            rows = df.select("arrays").limit(2).collectAsList();
        } catch (Exception e) {
            throw new IllegalArgumentException("cannot read model data at " + dir + " (" + e.getMessage()
                    + "); the model directory is incomplete or was not written by relulearn", e);
        }
        if (rows.size() != 1) {
            throw new IllegalArgumentException("model data at " + dir + " must hold exactly one row, found "
                    + (rows.isEmpty() ? "none" : "several") + "; save the model again");
        }
        ModelArrays arrays = new ModelArrays();
        List<Row> entries = rows.get(0).getList(0);
        for (Row e : entries) {
            List<Integer> shapeList = e.getList(e.fieldIndex("shape"));
            List<Double> valueList = e.getList(e.fieldIndex("values"));
            int[] shape = new int[shapeList.size()];
            for (int i = 0; i < shape.length; i++) shape[i] = shapeList.get(i);
            double[] values = new double[valueList.size()];
            for (int i = 0; i < values.length; i++) values[i] = valueList.get(i);
            arrays.put(e.getString(e.fieldIndex("name")), values, shape);
        }
        return arrays;
    }
}
