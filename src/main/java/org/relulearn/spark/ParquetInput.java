package org.relulearn.spark;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.ml.attribute.AttributeGroup;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.rdd.InputFileBlockHolder;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.unsafe.types.UTF8String;
import org.relulearn.error.UserInputException;
import org.relulearn.data.Block;
import scala.Tuple2;

import static org.apache.spark.sql.functions.col;

/**
 * Parquet in MLlib's layout to blocks: a features column holding a Spark ML vector (dense or
 * sparse; an array of numbers is accepted too) and either a numeric {@code label} column (one
 * output) or a vector {@code labels} column (several outputs). The dimension comes from the
 * column's ML attribute metadata (which {@code generate} writes), else from --num-features, else
 * from the first row; every row is then checked against it.
 *
 * <p>Rows are read as Catalyst's internal rows ({@code queryExecution().toRdd()}: the rows Spark's
 * Parquet reader produces, one reused row object per task) and the vectors through the accessors of
 * VectorUDT's struct and of ArrayData, straight into the block's arrays: no Row, no Vector and no
 * array per row, which is what the Row API would cost (one Row, one vector, one double[] a row).
 * Messages name the file (Spark's {@code _metadata.file_path}) and the row's 0-based index in that
 * file ({@code _metadata.row_index}).
 */
final class ParquetInput {
    private ParquetInput() {}

    /** How a vector-valued column is stored. */
    enum Kind { VECTOR, ARRAY, SCALAR }

    /** The blocks and their shape. */
    record Result(JavaRDD<Tuple2<RowRun, Block>> blocks, int d, int m) {}

    static Result read(SparkSession spark, String path, String featuresCol, String labelCol, int expectedD, long blockBytes) {
        Dataset<Row> df;
        try {
            df = spark.read().parquet(path);
        } catch (Exception e) {   // AnalysisException is checked in Java's eyes but thrown undeclared
            throw new UserInputException("cannot read " + path + " as Parquet (" + firstLine(e.getMessage())
                    + "): check that it holds Parquet files, or pass --format csv/libsvm", e);
        }
        return fromFrame(df, path, featuresCol, labelCol, expectedD, blockBytes);
    }

    /**
     * Blocks from any DataFrame in MLlib's layout (a vector or array features column plus a numeric
     * label or vector labels column); {@code path} names the data in messages.
     */
    static Result fromFrame(Dataset<Row> df, String path, String featuresCol, String labelCol, int expectedD, long blockBytes) {
        StructType schema = df.schema();
        String fName = featuresCol != null ? featuresCol : FileSources.DEFAULT_FEATURES_COL;
        StructField features = field(schema, fName);
        if (features == null) {
            throw new UserInputException(path + ": no features column '" + fName + "' (columns: "
                    + String.join(", ", schema.fieldNames()) + "): name the vector column with --features-col");
        }
        Kind fKind = vectorKind(features);
        if (fKind == null) {
            throw new UserInputException(path + ": column '" + fName + "' has type " + features.dataType().simpleString()
                    + "; the features must be a Spark ML vector (or an array of numbers): pass the right --features-col");
        }
        StructField label = null;
        if (!FileSources.NO_LABEL.equals(labelCol)) {
            if (labelCol != null) {
                label = field(schema, labelCol);
            } else {
                label = field(schema, FileSources.DEFAULT_LABEL_COL);
                if (label == null) label = field(schema, FileSources.DEFAULT_LABELS_COL);
            }
            if (label == null) {
                String wanted = labelCol != null ? "'" + labelCol + "'"
                        : "'" + FileSources.DEFAULT_LABEL_COL + "' (a number) or '" + FileSources.DEFAULT_LABELS_COL + "' (a vector)";
                throw new UserInputException(path + ": missing label column: no column " + wanted + " (columns: "
                        + String.join(", ", schema.fieldNames()) + "); name it with --label-col NAME, or pass --label-col none for unlabeled data");
            }
        }
        Kind lKind = null;
        if (label != null) {
            lKind = label.dataType() instanceof NumericType ? Kind.SCALAR : vectorKind(label);
            if (lKind == null) {
                throw new UserInputException(path + ": label column '" + label.name() + "' has type "
                        + label.dataType().simpleString() + "; a label must be a number (one output) or a vector (several)");
            }
        }

        List<Column> cols = new ArrayList<>();
        cols.add(fKind == Kind.ARRAY ? col(features.name()).cast(DataTypes.createArrayType(DataTypes.DoubleType)).as("f") : col(features.name()).as("f"));
        if (label != null) {
            cols.add(switch (lKind) {
                case SCALAR -> col(label.name()).cast(DataTypes.DoubleType).as("l");
                case ARRAY -> col(label.name()).cast(DataTypes.createArrayType(DataTypes.DoubleType)).as("l");
                case VECTOR -> col(label.name()).as("l");
            });
        }
        Dataset<Row> selected = df.select(cols.toArray(new Column[0]));

        // Shape: metadata, else the expectation, else the first row.
        int metaD = fKind == Kind.VECTOR ? AttributeGroup.fromStructField(features).size() : -1;
        int metaM = lKind == Kind.SCALAR ? 1 : label == null ? 0 : lKind == Kind.VECTOR ? AttributeGroup.fromStructField(label).size() : -1;
        Row first = null;
        if ((metaD <= 0 && expectedD <= 0) || metaM < 0) {
            List<Row> head = FileSources.unwrapUserErrors(() -> selected.limit(1).collectAsList());
            if (head.isEmpty()) throw FileSources.emptyDataSet(path);
            first = head.get(0);
        }
        int d;
        String dOrigin;
        if (metaD > 0) {
            d = metaD;
            dOrigin = "the size recorded in the metadata of column '" + features.name() + "'";
            if (expectedD > 0 && expectedD != d) {
                throw new UserInputException(path + ": wrong dimension: column '" + features.name() + "' holds vectors of size "
                        + d + " (its metadata) but " + expectedD + " features were expected: check the input or --num-features");
            }
        } else if (expectedD > 0) {
            d = expectedD;
            dOrigin = "the expected dimension";
        } else {
            d = size(first, 0, "features", path);
            dOrigin = "the first row";
        }
        int m;
        String mOrigin;
        if (label == null) {
            m = 0;
            mOrigin = "";
        } else if (metaM > 0) {
            m = metaM;
            mOrigin = lKind == Kind.SCALAR ? "a numeric label column" : "the metadata of column '" + label.name() + "'";
        } else {
            m = size(first, 1, "labels", path);
            mOrigin = "the first row";
        }
        if (d < 1) throw new UserInputException(path + ": the feature vectors are empty (size 0): relulearn needs at least one feature");

        // Row index within the file, for messages; older Spark or other sources may not offer it.
        Dataset<Row> withIndex;
        boolean indexed;
        try {
            List<Column> all = new ArrayList<>(cols);
            all.add(col("_metadata.row_index").as("i"));
            all.add(col("_metadata.file_path").as("p"));
            withIndex = df.select(all.toArray(new Column[0]));
            indexed = true;
        } catch (Exception e) {
            withIndex = selected;
            indexed = false;
        }
        final boolean hasIndex = indexed;
        final int rowsPerBlock = Block.rowsForBudget(d, m, blockBytes);
        final Kind fk = fKind, lk = lKind;
        final String fCol = features.name(), lCol = label == null ? null : label.name();
        final String dFrom = dOrigin, mFrom = mOrigin;
        // Catalyst's rows, not the Row API: no Row and no Vector object per row (see the class comment).
        JavaRDD<InternalRow> rows = withIndex.queryExecution().toRdd().toJavaRDD();
        JavaRDD<Tuple2<RowRun, Block>> blocks = rows.mapPartitionsWithIndex((part, it) -> new Packer(it, d, m,
                rowsPerBlock, fk, lk, fCol, lCol, dFrom, mFrom, hasIndex, path, part), true);
        return new Result(blocks, d, m);
    }

    /**
     * Copies Catalyst rows into blocks and checks them. A row holds the features at field 0, the
     * label(s) at field 1 (if any), then the row's index in its file and the file's path. A vector
     * is VectorUDT's struct (type: 0 sparse, 1 dense; size; indices; values) and is read through
     * the struct's accessors, an array of numbers (cast to doubles) through ArrayData's.
     */
    static final class Packer extends RowPacker<InternalRow> {
        private static final byte SPARSE = 0, DENSE = 1;
        private final int d, m;
        private final Kind fKind, lKind;
        private final String fCol, lCol, dOrigin, mOrigin, path;
        private final int indexField, fileField;
        private final String partitionName;
        private long position;
        private String runFile;          // the last run's file, and the same path as Spark holds it
        private UTF8String runFileUtf8;

        Packer(Iterator<InternalRow> rows, int d, int m, int rowsPerBlock, Kind fKind, Kind lKind, String fCol, String lCol,
               String dOrigin, String mOrigin, boolean hasIndex, String path, int partition) {
            super(rows, d, m, rowsPerBlock);
            this.d = d;
            this.m = m;
            this.fKind = fKind;
            this.lKind = lKind;
            this.fCol = fCol;
            this.lCol = lCol;
            this.dOrigin = dOrigin;
            this.mOrigin = mOrigin;
            this.path = path;
            this.indexField = hasIndex ? (lKind != null ? 2 : 1) : -1;
            this.fileField = hasIndex ? indexField + 1 : -1;
            // without file metadata (a DataFrame from elsewhere) the row order is the frame's partition order
            this.partitionName = String.format("partition %09d", partition);
        }

        @Override
        String fileOf(InternalRow row) {
            return fileField >= 0 && !row.isNullAt(fileField) ? row.getUTF8String(fileField).toString() : partitionName;
        }

        @Override
        boolean fromFile(InternalRow row, String file) {
            if (fileField < 0 || row.isNullAt(fileField)) return file.equals(partitionName);
            if (!file.equals(runFile)) {           // once per run
                runFile = file;
                runFileUtf8 = UTF8String.fromString(file);
            }
            return runFileUtf8.equals(row.getUTF8String(fileField));
        }

        @Override
        long indexInFile(InternalRow row) {
            return indexField >= 0 && !row.isNullAt(indexField) ? row.getLong(indexField) : -1;
        }

        @Override
        InternalRow retain(InternalRow row) { return row.copy(); }

        @Override
        boolean parse(InternalRow row, double[] x, int xOff, double[] y, int yOff) {
            position++;
            copy(row, 0, fKind, fCol, x, xOff, d, dOrigin);
            if (lKind == Kind.SCALAR) {
                if (row.isNullAt(1)) throw error(row, "column '" + lCol + "' is null: every row needs a label");
                double v = row.getDouble(1);
                if (!Double.isFinite(v)) {
                    throw error(row, "column '" + lCol + "': value " + v + " is not finite (NaN or Inf); relulearn needs finite numbers: fix or remove that row");
                }
                y[yOff] = v;
            } else if (lKind != null) {
                copy(row, 1, lKind, lCol, y, yOff, m, mOrigin);
            }
            return true;
        }

        /** Field {@code field} (a vector or an array of n numbers) into {@code dst[off, off+n)}, checked. */
        private void copy(InternalRow row, int field, Kind kind, String name, double[] dst, int off, int n, String origin) {
            if (row.isNullAt(field)) throw error(row, "column '" + name + "' is null: every row needs a value");
            if (kind == Kind.ARRAY) {
                ArrayData a = row.getArray(field);
                int size = a.numElements();
                if (size != n) throw wrongSize(row, name, size, n, origin);
                for (int k = 0; k < n; k++) {
                    if (a.isNullAt(k)) throw error(row, "column '" + name + "'[" + k + "] is null: fix that row");
                    dst[off + k] = finite(row, name, k, a.getDouble(k));
                }
                return;
            }
            InternalRow v = row.getStruct(field, 4);
            if (v.isNullAt(0) || v.isNullAt(3)) throw malformed(row, name, "no type or no values");
            byte type = v.getByte(0);
            ArrayData values = v.getArray(3);
            int count = values.numElements();
            if (type == DENSE) {
                if (count != n) throw wrongSize(row, name, count, n, origin);
                for (int k = 0; k < n; k++) dst[off + k] = finite(row, name, k, values.getDouble(k));
            } else if (type == SPARSE) {
                if (v.isNullAt(1) || v.isNullAt(2)) throw malformed(row, name, "a sparse vector without size or indices");
                int size = v.getInt(1);
                if (size != n) throw wrongSize(row, name, size, n, origin);
                ArrayData indices = v.getArray(2);
                if (indices.numElements() != count) {
                    throw malformed(row, name, "a sparse vector with " + indices.numElements() + " indices but " + count + " values");
                }
                // The block's row is fresh (zero); only the listed entries are written.
                int previous = -1;
                for (int q = 0; q < count; q++) {
                    int j = indices.getInt(q);
                    if (j <= previous || j >= n) {
                        throw malformed(row, name, "sparse index " + j + " at position " + q + " is out of range [0, " + n
                                + ") or not above the index before it (" + previous + ")");
                    }
                    dst[off + j] = finite(row, name, j, values.getDouble(q));
                    previous = j;
                }
            } else {
                throw malformed(row, name, "vector type " + type + " (0 = sparse, 1 = dense)");
            }
        }

        private double finite(InternalRow row, String name, int k, double v) {
            if (!Double.isFinite(v)) {
                throw error(row, "column '" + name + "'[" + k + "]: value " + v
                        + " is not finite (NaN or Inf); relulearn needs finite numbers: fix or remove that row");
            }
            return v;
        }

        private UserInputException wrongSize(InternalRow row, String name, int size, int n, String origin) {
            return error(row, "wrong dimension: column '" + name + "' has " + size + " values but " + origin + " gives "
                    + n + ": every row needs vectors of the same size (check the input, or --num-features)");
        }

        private UserInputException malformed(InternalRow row, String name, String what) {
            return error(row, "column '" + name + "' holds a malformed ML vector (" + what
                    + "): rewrite the column with Spark ML's vector type (org.apache.spark.ml.linalg.Vectors)");
        }

        private UserInputException error(InternalRow row, String problem) {
            String where;
            if (indexField >= 0 && !row.isNullAt(indexField)) {
                where = file(row) + " row " + row.getLong(indexField) + " (0-based, in that file)";
            } else {
                where = file(row) + " row " + (position - 1) + " of its partition";
            }
            return new UserInputException(where + ": " + problem);
        }

        private String file(InternalRow row) {
            if (fileField >= 0 && !row.isNullAt(fileField)) return row.getUTF8String(fileField).toString();
            UTF8String f = InputFileBlockHolder.getInputFilePath();
            return f == null || f.numBytes() == 0 ? path : f.toString();
        }
    }

    private static StructField field(StructType schema, String name) {
        for (StructField f : schema.fields()) if (f.name().equals(name)) return f;
        return null;
    }

    private static Kind vectorKind(StructField f) {
        if (f.dataType() instanceof VectorUDT) return Kind.VECTOR;
        if (f.dataType() instanceof ArrayType a && a.elementType() instanceof NumericType) return Kind.ARRAY;
        return null;
    }

    /** The size of the vector or array in field {@code i} of the first row. */
    private static int size(Row first, int i, String what, String path) {
        if (first.isNullAt(i)) {
            throw new UserInputException(path + ": the first row's " + what + " are null: every row needs a value");
        }
        Object o = first.get(i);
        if (o instanceof Vector v) return v.size();
        if (o instanceof scala.collection.Seq<?> s) return s.size();
        return first.getList(i).size();
    }

    private static String firstLine(String s) {
        if (s == null) return "no details";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
