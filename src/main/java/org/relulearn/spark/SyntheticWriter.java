package org.relulearn.spark;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.attribute.AttributeGroup;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.relulearn.error.UserInputException;
import org.relulearn.data.Block;
import org.relulearn.data.SyntheticSource;
import org.relulearn.engine.BlockRanges;

/**
 * Writes a synthetic data set to files with Spark's DataFrame writer, generating it on the
 * executors: P partition slots are parallelised, slot p generates its contiguous range of blocks
 * (the same ranges as a synthetic pass) into one reused buffer and turns each row into a Row. The
 * files hold exactly the rows of the stream, so a pass over them gives the stream's moments
 * (up to summation order). Layouts are the ones {@link FileSources} reads:
 * <ul>
 *   <li>Parquet: {@code features} (ML vector, its size in the ML attribute metadata), then
 *       {@code label} (double, m = 1) or {@code labels} (vector, m > 1); no label column for m = 0.</li>
 *   <li>CSV: header {@code x0..x{d-1}}, then {@code y} or {@code y0..y{m-1}}; doubles in Java's
 *       shortest round-trip form, so the text reads back to the same bits.</li>
 *   <li>LibSVM (m = 1 only): Spark's libsvm writer, every feature listed.</li>
 * </ul>
 */
public final class SyntheticWriter {
    private SyntheticWriter() {}

    /**
     * Writes {@code src} to the directory {@code dir} (which must not exist) in {@code partitions}
     * files (at most one per block).
     */
    public static void write(SparkSession spark, SyntheticSource src, FileSources.Format format, String dir, int partitions) {
        int d = src.d(), m = src.m();
        if (format == FileSources.Format.LIBSVM && m != 1) {
            throw new UserInputException("LibSVM holds exactly one label per row but this data set has m=" + m
                    + ": use --format parquet or csv, or a teacher with one output");
        }
        StructType schema = schema(format, d, m);
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        long nb = src.numBlocks();
        int p = (int) Math.max(1, Math.min(partitions, nb));
        List<Integer> slots = IntStream.range(0, p).boxed().toList();
        JavaRDD<Row> rows = jsc.parallelize(slots, p).mapPartitionsWithIndex((idx, ignored) ->
                new Rows(src, BlockRanges.first(nb, p, idx), BlockRanges.end(nb, p, idx), format), true);
        Dataset<Row> df = spark.createDataFrame(rows, schema);
        DataFrameWriter<Row> w = df.write().mode(SaveMode.ErrorIfExists);
        spark.sparkContext().setJobDescription("relulearn generate: writing " + src.numRows() + " rows as " + format.lower());
        try {
            FileSources.unwrapUserErrors(() -> {
                switch (format) {
                    case PARQUET -> w.parquet(dir);
                    case CSV -> w.option("header", "true").csv(dir);
                    case LIBSVM -> w.format("libsvm").save(dir);
                    default -> throw new IllegalStateException("unhandled format " + format);
                }
                return null;
            });
        } finally {
            spark.sparkContext().setJobDescription(null);
        }
    }

    /** The columns for a format (see the class comment). */
    static StructType schema(FileSources.Format format, int d, int m) {
        List<StructField> fields = new ArrayList<>();
        if (format == FileSources.Format.CSV) {
            for (int j = 0; j < d; j++) fields.add(DataTypes.createStructField(FileSources.DEFAULT_CSV_FEATURE_PREFIX + j, DataTypes.DoubleType, false));
            if (m == 1) fields.add(DataTypes.createStructField(FileSources.DEFAULT_CSV_LABEL, DataTypes.DoubleType, false));
            for (int i = 0; m > 1 && i < m; i++) fields.add(DataTypes.createStructField(FileSources.DEFAULT_CSV_LABEL + i, DataTypes.DoubleType, false));
            return DataTypes.createStructType(fields);
        }
        StructField features = new AttributeGroup(FileSources.DEFAULT_FEATURES_COL, d).toStructField();
        if (format == FileSources.Format.LIBSVM) {
            // Spark's libsvm writer wants exactly (label double, features vector), in that order.
            fields.add(DataTypes.createStructField(FileSources.DEFAULT_LABEL_COL, DataTypes.DoubleType, false));
            fields.add(features);
            return DataTypes.createStructType(fields);
        }
        fields.add(features);
        if (m == 1) fields.add(DataTypes.createStructField(FileSources.DEFAULT_LABEL_COL, DataTypes.DoubleType, false));
        if (m > 1) fields.add(new AttributeGroup(FileSources.DEFAULT_LABELS_COL, m).toStructField());
        return DataTypes.createStructType(fields);
    }

    /** The rows of blocks [first, end), generated block by block into one buffer. */
    private static final class Rows implements Iterator<Row> {
        private final SyntheticSource src;
        private final FileSources.Format format;
        private final Block buf;
        private final SyntheticSource.Workspace ws;
        private final int d, m;
        private long nextBlock;
        private final long end;
        private int r;

        Rows(SyntheticSource src, long first, long end, FileSources.Format format) {
            this.src = src;
            this.format = format;
            this.buf = src.newBlock();
            this.ws = src.newWorkspace();
            this.d = src.d();
            this.m = src.m();
            this.nextBlock = first;
            this.end = end;
        }

        @Override
        public boolean hasNext() {
            while (r >= buf.rows() && nextBlock < end) {
                src.fill(nextBlock++, buf, ws);
                r = 0;
            }
            return r < buf.rows();
        }

        @Override
        public Row next() {
            if (!hasNext()) throw new NoSuchElementException();
            double[] x = buf.x(), y = buf.y();
            int xo = r * d, yo = r * m;
            r++;
            return switch (format) {
                case CSV -> {
                    Object[] cells = new Object[d + m];
                    for (int j = 0; j < d; j++) cells[j] = x[xo + j];
                    for (int i = 0; i < m; i++) cells[d + i] = y[yo + i];
                    yield RowFactory.create(cells);
                }
                case LIBSVM -> RowFactory.create(y[yo], Vectors.dense(Arrays.copyOfRange(x, xo, xo + d)));
                case PARQUET -> {
                    Object features = Vectors.dense(Arrays.copyOfRange(x, xo, xo + d));
                    if (m == 0) yield RowFactory.create(features);
                    if (m == 1) yield RowFactory.create(features, y[yo]);
                    yield RowFactory.create(features, Vectors.dense(Arrays.copyOfRange(y, yo, yo + m)));
                }
            };
        }
    }
}
