package org.relulearn.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.attribute.AttributeGroup;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeArrayData;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.relulearn.data.Block;
import org.relulearn.error.UserInputException;

/**
 * The Parquet reader (Catalyst rows, VectorUDT read through its struct) gives, bit for bit, the
 * blocks a reference built here from the rows themselves gives: files in path order, rows in file
 * order, blocks of {@code rowsPerBlock} rows cut from each file's start, each block's firstRow its
 * first row's place in the data set. For dense vectors (with their size in the column metadata),
 * a mix of sparse and dense vectors, arrays of numbers, and several outputs (a vector label column),
 * in 1 and 7 files; and with files cut into several tasks and several files in one task, every row
 * at its place. Bad rows are reported with their file and 0-based row in it.
 */
class ParquetColumnarReadTest {
    static final int D = 5, N = 2100, ROWS_PER_BLOCK = 64;
    /** Rows per file for 7 files: uneven, so blocks end inside and at the end of files. */
    static final int[] SEVEN = {250, 410, 90, 333, 500, 177, 340};

    @TempDir Path tmp;

    enum Layout {
        DENSE(1), SPARSE_AND_DENSE(1), ARRAY(1), SEVERAL_OUTPUTS(3);

        final int m;

        Layout(int m) { this.m = m; }
    }

    /** The rows: features X[i*D + j], labels Y[i*m + k]. */
    record Rows(Layout layout, double[] x, double[] y) implements Serializable {
        int m() { return layout.m; }
    }

    static Rows rows(Layout layout) {
        Random rnd = new Random(31 + layout.ordinal());
        int m = layout.m;
        double[] x = new double[N * D], y = new double[N * m];
        for (int i = 0; i < N; i++) {
            for (int j = 0; j < D; j++) x[i * D + j] = rnd.nextGaussian() * (j + 1);
            // a signed zero must survive a dense vector (a sparse one holds no zeros: its gaps read as +0.0)
            if (i % 11 == 0 && !(layout == Layout.SPARSE_AND_DENSE && sparse(i))) x[i * D] = -0.0;
            if (layout == Layout.SPARSE_AND_DENSE && sparse(i)) {
                for (int j = 0; j < D; j++) if (i % 7 == 0 || (i + j) % 2 == 0) x[i * D + j] = 0.0;
            }
            for (int k = 0; k < m; k++) y[i * m + k] = rnd.nextGaussian();
            if (m > 1 && i % 5 == 0) y[i * m + 1] = 0.0;            // written as a sparse label vector
        }
        return new Rows(layout, x, y);
    }

    static boolean sparse(int i) { return i % 3 == 0 || i % 7 == 0; }

    static StructType schema(Layout layout) {
        return switch (layout) {
            case DENSE -> new StructType().add(new AttributeGroup("features", D).toStructField()).add("label", DataTypes.DoubleType);
            case SPARSE_AND_DENSE -> new StructType().add("features", SQLDataTypes.VectorType()).add("label", DataTypes.DoubleType);
            case ARRAY -> new StructType().add("features", DataTypes.createArrayType(DataTypes.DoubleType)).add("label", DataTypes.DoubleType);
            case SEVERAL_OUTPUTS -> new StructType().add("features", SQLDataTypes.VectorType()).add("labels", SQLDataTypes.VectorType());
        };
    }

    static Row row(Rows r, int i) {
        double[] xi = Arrays.copyOfRange(r.x(), i * D, (i + 1) * D);
        Object features = switch (r.layout()) {
            case ARRAY -> Arrays.stream(xi).boxed().toArray(Double[]::new);
            case SPARSE_AND_DENSE -> sparse(i) ? Vectors.dense(xi).toSparse() : Vectors.dense(xi);
            default -> Vectors.dense(xi);
        };
        int m = r.m();
        if (m == 1) return RowFactory.create(features, r.y()[i]);
        Vector labels = Vectors.dense(Arrays.copyOfRange(r.y(), i * m, (i + 1) * m));
        return RowFactory.create(features, i % 5 == 0 ? labels.toSparse() : labels);
    }

    /**
     * Writes the rows as one file per entry of {@code perFile} (that many rows each, in order), in one
     * Spark job whose task f writes file f: part-0000f-..., so the files' path order is the row order.
     * {@code rowGroupBytes} > 0 asks the Parquet writer for row groups of about that size (so Spark
     * can cut a file into several tasks).
     */
    Path write(Rows r, int[] perFile, long rowGroupBytes) {
        SparkSession spark = SparkTestSession.get();
        Path dir = tmp.resolve(r.layout() + "-" + perFile.length + "-" + rowGroupBytes);
        int[] starts = new int[perFile.length + 1];
        for (int f = 0; f < perFile.length; f++) starts[f + 1] = starts[f] + perFile[f];
        assertEquals(N, starts[perFile.length]);
        List<Integer> files = IntStream.range(0, perFile.length).boxed().toList();
        JavaRDD<Row> rows = JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(files, files.size())
                .flatMap(f -> IntStream.range(starts[f], starts[f + 1]).mapToObj(i -> row(r, i)).iterator());
        var writer = spark.createDataFrame(rows, schema(r.layout())).write();
        if (rowGroupBytes > 0) writer = writer.option("parquet.block.size", rowGroupBytes);
        writer.parquet(dir.toString());
        return dir;
    }

    /** The reference: each file cut into blocks of ROWS_PER_BLOCK rows from its start, numbered by place. */
    static List<Block> reference(Rows r, int[] perFile) {
        int m = r.m();
        List<Block> blocks = new ArrayList<>();
        int fileStart = 0;
        for (int count : perFile) {
            for (int s = 0; s < count; s += ROWS_PER_BLOCK) {
                int rows = Math.min(ROWS_PER_BLOCK, count - s), g = fileStart + s;
                blocks.add(Block.wrap(D, m, rows, g, Arrays.copyOfRange(r.x(), g * D, (g + rows) * D),
                        Arrays.copyOfRange(r.y(), g * m, (g + rows) * m)));
            }
            fileStart += count;
        }
        return blocks;
    }

    static SparkBlockData read(Path dir, Rows r) {
        FileSources.Options opt = FileSources.Options.defaults().withFormat(FileSources.Format.PARQUET)
                .withBlockBytes(8L * (D + r.m()) * ROWS_PER_BLOCK);
        if (r.m() > 1) opt = opt.withLabelCol("labels");
        return FileSources.read(SparkTestSession.get(), dir.toString(), opt);
    }

    static long[] bits(double[] a) { return Arrays.stream(a).mapToLong(Double::doubleToRawLongBits).toArray(); }

    static Stream<Arguments> layoutsAndFileCounts() {
        return Stream.of(Layout.values()).flatMap(l -> Stream.of(Arguments.of(l, 1), Arguments.of(l, 7)));
    }

    @ParameterizedTest(name = "{0} in {1} file(s)")
    @MethodSource("layoutsAndFileCounts")
    void theBlocksAreTheReferenceBlocksBitForBit(Layout layout, int files) {
        Rows r = rows(layout);
        int[] perFile = files == 1 ? new int[] {N} : SEVEN;
        SparkBlockData data = read(write(r, perFile, 0), r);
        try {
            assertEquals(D, data.d());
            assertEquals(r.m(), data.m());
            assertEquals(N, data.numRows());
            List<Block> got = new ArrayList<>(data.blocks().collect());
            got.sort(Comparator.comparingLong(Block::firstRow));
            List<Block> want = reference(r, perFile);
            assertEquals(want.size(), got.size(), "blocks");
            for (int b = 0; b < want.size(); b++) {
                Block w = want.get(b), g = got.get(b);
                String at = layout + ", " + files + " file(s), block " + b;
                assertEquals(w.firstRow(), g.firstRow(), at);
                assertEquals(w.rows(), g.rows(), at);
                assertArrayEquals(bits(w.x()), bits(Arrays.copyOf(g.x(), g.rows() * D)), at + ": features");
                assertArrayEquals(bits(w.y()), bits(Arrays.copyOf(g.y(), g.rows() * r.m())), at + ": labels");
            }
        } finally {
            data.blocks().unpersist(false);
        }
    }

    @Test
    void filesCutIntoSeveralTasksAndTasksOfSeveralFilesStillPutEveryRowAtItsPlace() {
        SparkSession spark = SparkTestSession.get();
        Rows r = rows(Layout.SPARSE_AND_DENSE);
        Path dir = write(r, SEVEN, 4096);
        // Small splits cut each file at its row groups; a zero open cost packs pieces of several files into one task.
        String[] keys = {"spark.sql.files.maxPartitionBytes", "spark.sql.files.openCostInBytes"};
        String[] before = {spark.conf().get(keys[0]), spark.conf().get(keys[1])};
        spark.conf().set(keys[0], "6000");
        spark.conf().set(keys[1], "0");
        SparkBlockData data;
        try {
            data = read(dir, r);
        } finally {
            for (int k = 0; k < keys.length; k++) spark.conf().set(keys[k], before[k]);
        }
        try {
            assertEquals(N, data.numRows());
            assertTrue(data.blocks().getNumPartitions() > SEVEN.length,
                    "the files should be read in more tasks than files, got " + data.blocks().getNumPartitions());
            boolean[] seen = new boolean[N];
            for (Block b : data.blocks().collect()) {
                assertTrue(b.rows() <= ROWS_PER_BLOCK);
                for (int k = 0; k < b.rows(); k++) {
                    int g = Math.toIntExact(b.firstRow() + k);
                    assertTrue(!seen[g], "row " + g + " twice");
                    seen[g] = true;
                    assertArrayEquals(bits(Arrays.copyOfRange(r.x(), g * D, (g + 1) * D)),
                            bits(Arrays.copyOfRange(b.x(), k * D, (k + 1) * D)), "row " + g);
                    assertEquals(Double.doubleToRawLongBits(r.y()[g]), Double.doubleToRawLongBits(b.y()[k]), "label of row " + g);
                }
            }
        } finally {
            data.blocks().unpersist(false);
        }
    }

    @Test
    void aBadRowInTheFifthOfSevenFilesIsNamedByFileAndRow() {
        Rows r = rows(Layout.DENSE);
        int bad = SEVEN[0] + SEVEN[1] + SEVEN[2] + SEVEN[3] + 13;
        r.x()[bad * D + 2] = Double.NaN;
        String message = assertThrows(UserInputException.class, () -> read(write(r, SEVEN, 0), r)).getMessage();
        assertTrue(message.matches(".*/part-00004-[^/ ]*\\.parquet row 13 \\(0-based, in that file\\).*"), message);
        assertTrue(message.contains("'features'[2]: value NaN is not finite"), message);
    }

    // ---- malformed vectors, straight through the packer (Spark's writers cannot write them) ----

    static InternalRow vectorRow(byte type, Integer size, int[] indices, double[] values, long index) {
        InternalRow vector = new GenericInternalRow(new Object[] {type, size,
                indices == null ? null : UnsafeArrayData.fromPrimitiveArray(indices), UnsafeArrayData.fromPrimitiveArray(values)});
        return new GenericInternalRow(new Object[] {vector, 1.0, index, UTF8String.fromString("file:/data/part-00003.parquet")});
    }

    static String packError(InternalRow row) {
        Iterator<InternalRow> rows = List.of(row).iterator();
        ParquetInput.Packer p = new ParquetInput.Packer(rows, 3, 1, 8, ParquetInput.Kind.VECTOR, ParquetInput.Kind.SCALAR,
                "features", "label", "the first row", "", true, "/data", 0);
        return assertThrows(UserInputException.class, p::hasNext).getMessage();
    }

    @Test
    void malformedSparseVectorsAreRejectedWithFileAndRow() {
        String where = "file:/data/part-00003.parquet row 7 (0-based, in that file)";
        String unsorted = packError(vectorRow((byte) 0, 3, new int[] {2, 1}, new double[] {1, 2}, 7));
        assertTrue(unsorted.startsWith(where) && unsorted.contains("sparse index 1 at position 1"), unsorted);
        String outOfRange = packError(vectorRow((byte) 0, 3, new int[] {0, 3}, new double[] {1, 2}, 7));
        assertTrue(outOfRange.contains("sparse index 3") && outOfRange.contains("[0, 3)"), outOfRange);
        String lengths = packError(vectorRow((byte) 0, 3, new int[] {0}, new double[] {1, 2}, 7));
        assertTrue(lengths.contains("1 indices but 2 values"), lengths);
        String size = packError(vectorRow((byte) 0, 4, new int[] {0}, new double[] {1}, 7));
        assertTrue(size.startsWith(where) && size.contains("wrong dimension") && size.contains("4 values"), size);
        String type = packError(vectorRow((byte) 5, null, null, new double[] {1, 2, 3}, 7));
        assertTrue(type.contains("vector type 5"), type);
    }
}
