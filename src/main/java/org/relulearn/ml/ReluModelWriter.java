package org.relulearn.ml;

import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Saves a relulearn stage as a Spark ML model directory:
 *
 * <pre>
 * path/metadata/   one JSON line (see {@link ModelMetadata}): class, uid, timestamp, Spark version,
 *                  relulearn format, paramMap, defaultParamMap
 * path/data/       Parquet, one row with one column
 *                  arrays: array&lt;struct&lt;name: string, shape: array&lt;int&gt;, values: array&lt;double&gt;&gt;&gt;
 *                  (the {@link ModelArrays}, in order; absent for an estimator)
 * </pre>
 *
 * <p>Everything is written through Spark's data sources, so any Hadoop file system URI works (HDFS,
 * S3A, file:). {@link MLWriter#save} refuses an existing path unless {@code overwrite()} was called,
 * in which case it deletes the path first.
 */
public class ReluModelWriter extends MLWriter {
    /** Schema of the single row in {@code data/}. */
    public static final StructType DATA_SCHEMA = new StructType()
            .add("arrays", DataTypes.createArrayType(new StructType()
                    .add("name", DataTypes.StringType, false)
                    .add("shape", DataTypes.createArrayType(DataTypes.IntegerType, false), false)
                    .add("values", DataTypes.createArrayType(DataTypes.DoubleType, false), false), false), false);

    private final Params instance;
    private final ModelArrays arrays;

    /**
     * @param instance the stage whose class, uid and params go to {@code metadata/}
     * @param arrays   the model's numbers for {@code data/}, or null for a params-only stage
     */
    public ReluModelWriter(Params instance, ModelArrays arrays) {
        if (instance == null) throw new IllegalArgumentException("instance to save must not be null");
        this.instance = instance;
        this.arrays = arrays;
    }

    // Scala's "protected" compiles to public, so the override must be public.
    @Override
    public void saveImpl(String path) {
        SparkSession spark = sparkSession();
        ModelMetadata.save(spark, path, ModelMetadata.toJson(instance, spark.version()));
        if (arrays != null) saveData(spark, new Path(path, "data").toString(), arrays);
    }

    /** Writes {@code arrays} as the one-row Parquet file of {@link #DATA_SCHEMA}. */
    public static void saveData(SparkSession spark, String dir, ModelArrays arrays) {
        List<Row> entries = new ArrayList<>(arrays.size());
        for (ModelArrays.Entry e : arrays.entries()) {
            entries.add(RowFactory.create(e.name(), boxed(e.shape()), boxed(e.values())));
        }
        spark.createDataFrame(List.of(RowFactory.create(entries)), DATA_SCHEMA)
                .coalesce(1).write().parquet(dir);
    }

    private static List<Integer> boxed(int[] a) {
        List<Integer> out = new ArrayList<>(a.length);
        for (int v : a) out.add(v);
        return out;
    }

    private static List<Double> boxed(double[] a) {
        List<Double> out = new ArrayList<>(a.length);
        for (double v : a) out.add(v);
        return out;
    }
}
