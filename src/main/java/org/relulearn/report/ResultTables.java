package org.relulearn.report;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** Writes a {@link ResultTable} as Parquet (one file, column types from the first row). */
public final class ResultTables {
    private ResultTables() {}

    public static void writeParquet(SparkSession spark, ResultTable t, Path dir) { writeParquet(spark, t, dir.toString()); }

    /** Writes to {@code dir}, a path or URI on any file system Spark can write (hdfs://, s3a://, ...). */
    public static void writeParquet(SparkSession spark, ResultTable t, String dir) {
        List<String> cols = t.columns();
        StructField[] fields = new StructField[cols.size()];
        for (int c = 0; c < fields.length; c++) {
            Object sample = null;
            for (Object[] r : t.rows()) if (r[c] != null) { sample = r[c]; break; }
            fields[c] = DataTypes.createStructField(cols.get(c), type(sample), true);
        }
        List<Row> rows = new ArrayList<>();
        for (Object[] r : t.rows()) {
            Object[] v = new Object[r.length];
            for (int c = 0; c < r.length; c++) v[c] = convert(r[c], fields[c].dataType());
            rows.add(RowFactory.create(v));
        }
        spark.createDataFrame(rows, new StructType(fields)).coalesce(1).write().parquet(dir);
    }

    private static DataType type(Object sample) {
        if (sample instanceof Integer || sample instanceof Long) return DataTypes.LongType;
        if (sample instanceof Number) return DataTypes.DoubleType;
        if (sample instanceof Boolean) return DataTypes.BooleanType;
        return DataTypes.StringType;
    }

    private static Object convert(Object v, DataType t) {
        if (v == null) return null;
        if (t == DataTypes.LongType) return ((Number) v).longValue();
        if (t == DataTypes.DoubleType) return ((Number) v).doubleValue();
        if (t == DataTypes.BooleanType) return v;
        return String.valueOf(v);
    }
}
