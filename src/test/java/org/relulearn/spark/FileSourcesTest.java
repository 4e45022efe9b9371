package org.relulearn.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.relulearn.algo.moments.MomentAggregator;
import org.relulearn.algo.moments.Moments;
import org.relulearn.error.UserInputException;
import org.relulearn.data.Block;
import org.relulearn.data.ProductDistribution;
import org.relulearn.data.ScalarLaw;
import org.relulearn.data.SyntheticSource;
import org.relulearn.data.Teachers;
import org.relulearn.engine.Data;
import org.relulearn.engine.InMemoryData;
import org.relulearn.engine.LocalPassRunner;
import org.relulearn.engine.SyntheticData;

class FileSourcesTest {
    private static final int N = 20_000;

    @TempDir Path tmp;

    private static SparkSession spark() { return SparkTestSession.get(); }

    private static SyntheticSource source(int d, int m) {
        return new SyntheticSource(ProductDistribution.iid(new ScalarLaw.Gaussian(0, 1), d),
                Teachers.randomNetwork(d, 3, m, 11, true, 0, 0), null, N, 5, 0, 1000);
    }

    private static Moments sparkMoments(Data data) {
        int d = data.d(), m = data.m();
        return new SparkPassRunner(spark(), SparkPassRunner.RunnerOptions.defaults())
                .aggregate(data, () -> new MomentAggregator(d, m), "test: moments").result();
    }

    private static Moments localMoments(Data data) {
        int d = data.d(), m = data.m();
        return new LocalPassRunner().aggregate(data, () -> new MomentAggregator(d, m), "local").result();
    }

    /** Every moment agrees to {@code rel} relative to the largest entry of its array. */
    private static void assertMomentsClose(Moments expected, Moments actual, double rel) {
        assertEquals(expected.n(), actual.n(), "rows");
        assertEquals(expected.d(), actual.d(), "d");
        assertEquals(expected.m(), actual.m(), "m");
        double[][] e = {expected.meanX(), expected.secondX(), expected.crossYX(), expected.meanY(), expected.secondY()};
        double[][] a = {actual.meanX(), actual.secondX(), actual.crossYX(), actual.meanY(), actual.secondY()};
        for (int k = 0; k < e.length; k++) {
            double scale = 0;
            for (double v : e[k]) scale = Math.max(scale, Math.abs(v));
            for (int i = 0; i < e[k].length; i++) {
                assertEquals(e[k][i], a[k][i], rel * Math.max(scale, 1e-300), "moment array " + k + " entry " + i);
            }
        }
    }

    private static SparkBlockData read(Path p, FileSources.Options opt) {
        return FileSources.read(spark(), p.toString(), opt);
    }

    private static String readError(Path p, FileSources.Options opt) {
        UserInputException e = assertThrows(UserInputException.class, () -> read(p, opt));
        assertNotNull(e.getMessage());
        return e.getMessage();
    }

    private static void assertContains(String message, String... parts) {
        for (String part : parts) {
            assertTrue(message.contains(part), "expected '" + part + "' in: " + message);
        }
    }

    private Path write(String name, String content) throws IOException {
        Path f = tmp.resolve(name);
        Files.createDirectories(f.getParent());
        Files.writeString(f, content);
        return f;
    }

    // ---- round trips: generate, read back, same moments as the stream ----

    @Test
    void parquetRoundTripGivesTheStreamMoments() {
        SyntheticSource src = source(6, 2);
        Path dir = tmp.resolve("pq");
        SyntheticWriter.write(spark(), src, FileSources.Format.PARQUET, dir.toUri().toString(), 3);
        SparkBlockData data = read(dir, FileSources.Options.defaults().withBlockBytes(8L * 8 * 700));
        try {
            assertEquals(6, data.d());
            assertEquals(2, data.m());
            assertEquals(N, data.numRows());
            assertEquals(StorageLevel.MEMORY_AND_DISK(), data.blocks().getStorageLevel());
            assertTrue(data.blocks().name().contains("parquet"), data.blocks().name());
            assertEquals(Block.rowsForBudget(6, 2, 8L * 8 * 700), data.blocks().first().capacity());
            assertMomentsClose(localMoments(new SyntheticData(src)), sparkMoments(data), 1e-9);
        } finally {
            data.blocks().unpersist(false);
        }
    }

    @Test
    void csvRoundTripGivesTheStreamMomentsAlsoWhenFilesAreSplit() {
        SyntheticSource src = source(5, 1);
        Path dir = tmp.resolve("csv");
        SyntheticWriter.write(spark(), src, FileSources.Format.CSV, dir.toUri().toString(), 2);
        Moments stream = localMoments(new SyntheticData(src));
        // Small splits: most tasks start mid-file and must fetch their file's header themselves.
        for (long split : new long[] {0, 200_000}) {
            SparkBlockData data = read(dir, FileSources.Options.defaults().withMaxSplitBytes(split));
            try {
                assertEquals(5, data.d());
                assertEquals(1, data.m());
                if (split > 0) assertTrue(data.blocks().getNumPartitions() > 4, "partitions " + data.blocks().getNumPartitions());
                assertMomentsClose(stream, sparkMoments(data), 1e-9);
            } finally {
                data.blocks().unpersist(false);
            }
        }
    }

    @Test
    void libsvmWrittenByHandIsReadSparselyWithInferredOrGivenDimension() throws IOException {
        SyntheticSource src = source(7, 1);
        // The file omits small entries; the expected data has them as zeros.
        List<Block> blocks = new ArrayList<>();
        Path file = tmp.resolve("svm/data.libsvm");
        Files.createDirectories(file.getParent());
        SyntheticSource.Workspace ws = src.newWorkspace();
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (long b = 0; b < src.numBlocks(); b++) {
                Block blk = src.fill(b, src.newBlock(), ws).compactCopy();
                double[] x = blk.x();
                for (int r = 0; r < blk.rows(); r++) {
                    StringBuilder line = new StringBuilder().append(blk.y()[r]);
                    for (int j = 0; j < 7; j++) {
                        if (Math.abs(x[r * 7 + j]) < 0.4 && j != 6) {
                            x[r * 7 + j] = 0;
                        } else {
                            line.append(' ').append(j + 1).append(':').append(x[r * 7 + j]);
                        }
                    }
                    w.write(line.append('\n').toString());
                }
                blocks.add(blk);
            }
        }
        Moments expected = localMoments(new InMemoryData(7, 1, blocks));
        for (int numFeatures : new int[] {0, 7}) {
            SparkBlockData data = read(file.getParent(), FileSources.Options.defaults().withNumFeatures(numFeatures));
            try {
                assertEquals(7, data.d());
                assertMomentsClose(expected, sparkMoments(data), 1e-9);
            } finally {
                data.blocks().unpersist(false);
            }
        }
    }

    @Test
    void libsvmWrittenBySparkRoundTrips() {
        SyntheticSource src = source(4, 1);
        Path dir = tmp.resolve("svm-spark");
        SyntheticWriter.write(spark(), src, FileSources.Format.LIBSVM, dir.toUri().toString(), 2);
        SparkBlockData data = read(dir, FileSources.Options.defaults());
        try {
            assertMomentsClose(localMoments(new SyntheticData(src)), sparkMoments(data), 1e-9);
        } finally {
            data.blocks().unpersist(false);
        }
    }

    // ---- malformed CSV ----

    @Test
    void csvNaNIsRejectedWithFileLineAndColumn() throws IOException {
        Path f = write("nan.csv", "x0,x1,y\n1,2,3\n4,NaN,6\n");
        assertContains(readError(f, FileSources.Options.defaults()), "nan.csv line 3", "column x1", "NaN", "not finite");
    }

    @Test
    void csvInfinityIsRejected() throws IOException {
        Path f = write("inf.csv", "y,x0\n1,2\n3,4\n\n5,-Infinity\n");
        assertContains(readError(f, FileSources.Options.defaults()), "inf.csv line 5", "column x0", "-Infinity", "not finite");
    }

    @Test
    void csvRaggedRowIsRejected() throws IOException {
        Path f = write("ragged.csv", "x0,x1,y\n1,2,3\n4,5\n");
        assertContains(readError(f, FileSources.Options.defaults()), "ragged.csv line 3", "ragged row", "2 fields", "header has 3");
    }

    @Test
    void csvMissingHeaderIsRejected() throws IOException {
        Path f = write("noheader.csv", "1,2,3\n4,5,6\n");
        assertContains(readError(f, FileSources.Options.defaults()), "noheader.csv line 1", "missing header", "x0", "add one");
    }

    @Test
    void csvWrongDimensionIsRejected() throws IOException {
        Path f = write("dim.csv", "x0,x1,y\n1,2,3\n");
        assertContains(readError(f, FileSources.Options.defaults().withNumFeatures(3)), "dim.csv", "wrong dimension",
                "2 feature columns", "3 were expected");
    }

    @Test
    void csvFilesWithDifferentDimensionsAreRejected() throws IOException {
        write("two/a.csv", "x0,x1,y\n1,2,3\n");
        write("two/b.csv", "x0,y\n1,3\n");
        assertContains(readError(tmp.resolve("two"), FileSources.Options.defaults()), "b.csv", "wrong dimension",
                "1 feature columns", "a.csv");
    }

    @Test
    void csvEmptyFileIsRejected() throws IOException {
        Path f = write("empty.csv", "");
        assertContains(readError(f, FileSources.Options.defaults()), "empty.csv is empty", "header");
        // An empty file next to good ones holds no rows and is skipped (Spark drops empty splits).
        write("mixed/a.csv", "x0,y\n1,2\n");
        write("mixed/b.csv", "");
        SparkBlockData data = read(tmp.resolve("mixed"), FileSources.Options.defaults());
        assertEquals(1, data.numRows());
        data.blocks().unpersist(false);
    }

    @Test
    void csvHeaderOnlyIsAnEmptyDataSet() throws IOException {
        Path f = write("headeronly.csv", "x0,x1,y\n");
        assertContains(readError(f, FileSources.Options.defaults()), "no data rows", "empty data set");
    }

    @Test
    void csvNonNumericCellIsRejected() throws IOException {
        Path f = write("text.csv", "x0,x1,y\n1,2,3\n4,five,6\n");
        assertContains(readError(f, FileSources.Options.defaults()), "text.csv line 3", "column x1", "non-numeric", "'five'");
    }

    @Test
    void csvMissingLabelColumnIsRejectedUnlessUnlabeled() throws IOException {
        Path f = write("nolabel.csv", "x0,x1\n1,2\n");
        assertContains(readError(f, FileSources.Options.defaults()), "nolabel.csv", "missing label column", "--label-col none");
        SparkBlockData data = read(f, FileSources.Options.defaults().withLabelCol(FileSources.NO_LABEL));
        assertEquals(0, data.m());
        assertEquals(1, data.numRows());
        data.blocks().unpersist(false);
    }

    @Test
    void csvUnknownColumnIsRejected() throws IOException {
        Path f = write("extra.csv", "x0,id,y\n1,2,3\n");
        assertContains(readError(f, FileSources.Options.defaults()), "unexpected column 'id'");
    }

    @Test
    void csvErrorInALaterSplitReportsTheTrueLineNumber() throws IOException {
        StringBuilder sb = new StringBuilder("y,x0,x1\n");
        for (int line = 2; line <= 6001; line++) {
            sb.append(line == 4321 ? "1.0,0.25,oops" : line + ".5,0.125,-3e-2").append('\n');
        }
        Path f = write("long.csv", sb.toString());
        String msg = readError(f, FileSources.Options.defaults().withMaxSplitBytes(8_000));
        assertContains(msg, "long.csv line 4321", "column x1", "'oops'");
    }

    @Test
    void csvColumnsMayComeInAnyOrderPerFile() throws IOException {
        write("order/a.csv", "x0,x1,y\n1,2,3\n");
        write("order/b.csv", "y,x1,x0\n3,2,1\n");
        SparkBlockData data = read(tmp.resolve("order"), FileSources.Options.defaults());
        Moments mo = sparkMoments(data);
        assertEquals(2, mo.n());
        assertEquals(1.0, mo.meanX()[0], 0);
        assertEquals(2.0, mo.meanX()[1], 0);
        assertEquals(3.0, mo.meanY()[0], 0);
        data.blocks().unpersist(false);
    }

    // ---- malformed Parquet ----

    private Path parquet(String name, StructType schema, List<Row> rows) {
        Path dir = tmp.resolve(name);
        spark().createDataFrame(rows, schema).coalesce(1).write().parquet(dir.toUri().toString());
        return dir;
    }

    private static StructType vectorAndLabel() {
        return new StructType().add("features", SQLDataTypes.VectorType()).add("label", DataTypes.DoubleType);
    }

    @Test
    void parquetNaNIsRejectedWithFileAndRow() {
        Path dir = parquet("pq-nan", vectorAndLabel(), List.of(
                RowFactory.create(Vectors.dense(1, 2), 1.0),
                RowFactory.create(Vectors.dense(3, Double.NaN), 2.0)));
        assertContains(readError(dir, FileSources.Options.defaults()), "part-", "row 1 (0-based, in that file)", "'features'[1]", "NaN", "not finite");
    }

    @Test
    void parquetInfiniteLabelIsRejected() {
        Path dir = parquet("pq-inf", vectorAndLabel(), List.of(
                RowFactory.create(Vectors.sparse(3, new int[] {1}, new double[] {2}), Double.POSITIVE_INFINITY)));
        assertContains(readError(dir, FileSources.Options.defaults()), "row 0", "'label'", "Infinity", "not finite");
    }

    @Test
    void parquetWrongDimensionIsRejected() {
        Path dir = parquet("pq-dim", vectorAndLabel(), List.of(
                RowFactory.create(Vectors.dense(1, 2), 1.0),
                RowFactory.create(Vectors.dense(1, 2, 3), 2.0)));
        assertContains(readError(dir, FileSources.Options.defaults()), "row 1", "wrong dimension", "3 values", "first row gives 2");
        assertContains(readError(dir, FileSources.Options.defaults().withNumFeatures(3)), "row 0", "wrong dimension", "2 values");
    }

    @Test
    void parquetMissingLabelColumnIsRejected() {
        Path dir = parquet("pq-nolabel", new StructType().add("features", SQLDataTypes.VectorType()),
                List.of(RowFactory.create(Vectors.dense(1, 2))));
        assertContains(readError(dir, FileSources.Options.defaults()), "missing label column", "'label'", "'labels'", "--label-col none");
        assertContains(readError(dir, FileSources.Options.defaults().withFeaturesCol("x")), "no features column 'x'", "--features-col");
    }

    @Test
    void parquetEmptyDataSetIsRejected() {
        Path dir = parquet("pq-empty", vectorAndLabel(), List.of());
        assertContains(readError(dir, FileSources.Options.defaults()), "no data rows", "empty data set");
    }

    @Test
    void parquetNumericArraysAndIntegerLabelsAreAccepted() {
        StructType schema = new StructType().add("f", DataTypes.createArrayType(DataTypes.DoubleType)).add("target", DataTypes.IntegerType);
        Path dir = parquet("pq-array", schema, List.of(
                RowFactory.create(new Double[] {1.0, 2.0}, 1), RowFactory.create(new Double[] {3.0, 4.0}, 3)));
        SparkBlockData data = read(dir, FileSources.Options.defaults().withFeaturesCol("f").withLabelCol("target"));
        Moments mo = sparkMoments(data);
        assertEquals(2.0, mo.meanX()[0], 0);
        assertEquals(2.0, mo.meanY()[0], 0);
        data.blocks().unpersist(false);
    }

    // ---- malformed LibSVM ----

    @Test
    void libsvmErrorsNameTheLine() throws IOException {
        FileSources.Options opt = FileSources.Options.defaults();
        assertContains(readError(write("a.libsvm", "1 1:2 3:4\n2 3:1 2:5\n"), opt), "a.libsvm line 2", "ascending");
        assertContains(readError(write("b.libsvm", "1 0:2\n"), opt), "b.libsvm line 1", "1-based");
        assertContains(readError(write("c.libsvm", "1 1:2\n# comment\n\n1 1:x\n"), opt), "c.libsvm line 4", "non-numeric", "'x'");
        assertContains(readError(write("d.libsvm", "NaN 1:2\n"), opt), "d.libsvm line 1", "label", "not finite");
        assertContains(readError(write("e.libsvm", "1 1:2 5:1\n"), opt.withNumFeatures(3)), "e.libsvm line 1", "wrong dimension",
                "index 5", "d=3");
        assertContains(readError(write("f.libsvm", "1 1:2 3\n"), opt), "f.libsvm line 1", "'3' is not index:value");
        assertContains(readError(write("g.libsvm", "\n\n"), opt), "empty data set");
    }

    // ---- paths and formats ----

    @Test
    void missingPathAndUnknownFormatAreExplained() throws IOException {
        assertContains(readError(tmp.resolve("nope"), FileSources.Options.defaults()), "does not exist");
        assertContains(readError(write("data.txt", "1 1:2\n"), FileSources.Options.defaults()), "cannot tell the format", "--format");
        SparkBlockData data = read(tmp.resolve("data.txt"), FileSources.Options.defaults().withFormat(FileSources.Format.LIBSVM));
        assertEquals(1, data.numRows());
        data.blocks().unpersist(false);
    }

    @Test
    void aGeneratedDirectoryIsReadFromItsDataFolder() throws IOException {
        write("gen/truth.json", "{}");
        write("gen/data/part-0.csv", "x0,y\n1,2\n");
        FileSources.Resolved r = FileSources.resolve(spark(), tmp.resolve("gen").toString());
        assertTrue(r.dataPath().endsWith("gen/data"), r.dataPath());
        assertTrue(r.truthFile().endsWith("gen/truth.json"), r.truthFile());
        SparkBlockData data = read(tmp.resolve("gen"), FileSources.Options.defaults());
        assertEquals(1, data.numRows());
        data.blocks().unpersist(false);
    }
}
