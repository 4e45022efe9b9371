package org.relulearn.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.relulearn.algo.gate.GatePilotAggregator;
import org.relulearn.algo.gate.PilotStatistics;
import org.relulearn.data.Block;
import org.relulearn.engine.InMemoryData;
import org.relulearn.engine.LocalPassRunner;

/**
 * Row identity for file data: every row of a CSV or Parquet data set gets its place in the data set
 * (files by path, rows in file order) as its global index, whatever the number of files, the split
 * size or the partitioning; so the gate's median-of-means pilot and mini-batches drawn from the file
 * equal those of the same rows held in memory with their true indices.
 */
class FileRowIdentityTest {
    @TempDir
    static Path tmp;

    static final int D = 4, N = 24_000;
    static double[] X = new double[N * D], Y = new double[N];

    @BeforeAll
    static void rows() {
        SparkTestSession.get();
        Random rnd = new Random(77);
        for (int i = 0; i < N; i++) {
            // a heavy-ish, non-stationary law: the second half is scaled up, so median-of-means groups must be right
            double s = i < N / 2 ? 1 : 2.5;
            for (int j = 0; j < D; j++) X[i * D + j] = s * rnd.nextGaussian() * (j + 1) / D;
            Y[i] = rnd.nextGaussian();
        }
    }

    static Path csv(int files) throws Exception {
        Path dir = tmp.resolve("csv" + files);
        Files.createDirectories(dir);
        int per = (N + files - 1) / files;
        for (int f = 0; f < files; f++) {
            try (BufferedWriter w = Files.newBufferedWriter(dir.resolve(String.format("part-%05d.csv", f)))) {
                w.write("x0,x1,x2,x3,y\n");
                for (int i = f * per; i < Math.min(N, (f + 1) * per); i++) {
                    StringBuilder sb = new StringBuilder();
                    for (int j = 0; j < D; j++) sb.append(String.format(Locale.ROOT, "%.17g,", X[i * D + j]));
                    w.write(sb.append(String.format(Locale.ROOT, "%.17g%n", Y[i])).toString());
                }
            }
        }
        return dir;
    }

    static Path parquet(int files) {
        SparkSession spark = SparkTestSession.get();
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < N; i++) rows.add(RowFactory.create(Vectors.dense(java.util.Arrays.copyOfRange(X, i * D, i * D + D)), Y[i]));
        StructType schema = new StructType().add("features", new VectorUDT()).add("label", DataTypes.DoubleType);
        Path dir = tmp.resolve("parquet" + files);
        spark.createDataFrame(JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(rows, files), schema)
                .write().parquet(dir.toString());
        return dir;
    }

    static SparkBlockData read(Path p, FileSources.Format f, long splitBytes) {
        return FileSources.read(SparkTestSession.get(), p.toString(),
                FileSources.Options.defaults().withFormat(f).withBlockBytes(8 * 1024).withMaxSplitBytes(splitBytes));
    }

    /** Every row sits at its true global index. */
    static void assertRowsAtTheirIndex(SparkBlockData data) {
        assertEquals(N, data.numRows());
        List<Block> blocks = data.blocks().collect();
        boolean[] seen = new boolean[N];
        for (Block b : blocks) {
            for (int r = 0; r < b.rows(); r++) {
                long id = b.firstRow() + r;
                assertTrue(id >= 0 && id < N && !seen[(int) id], "row id " + id + " out of range or repeated");
                seen[(int) id] = true;
                for (int j = 0; j < D; j++) assertEquals(X[(int) id * D + j], b.x()[r * D + j], 0.0, "row " + id);
                assertEquals(Y[(int) id], b.y()[r], 0.0);
            }
        }
    }

    static InMemoryData reference() {
        List<Block> blocks = new ArrayList<>();
        for (int f = 0; f < N; f += 1000) {
            blocks.add(Block.wrap(D, 1, 1000, f, java.util.Arrays.copyOfRange(X, f * D, (f + 1000) * D),
                    java.util.Arrays.copyOfRange(Y, f, f + 1000)));
        }
        return new InMemoryData(D, 1, blocks);
    }

    @Test
    void csvAndParquetRowsGetTheirPlaceInTheDataSetWithOneThreeAndSevenPartitions() throws Exception {
        PilotStatistics ref = new LocalPassRunner().aggregate(reference(), () -> new GatePilotAggregator(D, N), "pilot").result();
        GatePilotAggregator refSample = new LocalPassRunner().aggregateSample(reference(), 512, 3, 11, () -> new GatePilotAggregator(D, 512),
                "sample");
        SparkPassRunner runner = new SparkPassRunner(SparkTestSession.get(), SparkPassRunner.RunnerOptions.defaults());
        List<String> seen = new ArrayList<>();
        for (int files : new int[] {1, 3, 7}) {
            List<SparkBlockData> sets = new ArrayList<>();
            sets.add(read(csv(files), FileSources.Format.CSV, 0));
            sets.add(read(csv(files), FileSources.Format.CSV, 64 * 1024));   // several splits per file
            sets.add(read(parquet(files), FileSources.Format.PARQUET, 0));
            for (SparkBlockData data : sets) {
                try {
                    assertRowsAtTheirIndex(data);
                    PilotStatistics p = runner.aggregate(data, () -> new GatePilotAggregator(D, N), "pilot").result();
                    seen.add(String.format("%s files=%d partitions=%d m4=%.6g", data.describe(), files, data.blocks().getNumPartitions(), p.m4()));
                    assertEquals(ref.m4(), p.m4(), 1e-9 * ref.m4(), "median-of-means m4 on " + data.describe());
                    assertEquals(ref.lambdaMin(), p.lambdaMin(), 1e-9 * ref.lambdaMax());
                    GatePilotAggregator s = runner.aggregateSample(data, 512, 3, 11, () -> new GatePilotAggregator(D, 512), "sample");
                    assertArrayEquals(new double[] {refSample.result().lambdaMin(), refSample.result().lambdaMax()},
                            new double[] {s.result().lambdaMin(), s.result().lambdaMax()}, 1e-9, "mini-batch on " + data.describe());
                } finally {
                    data.blocks().unpersist(false);
                }
            }
        }
        System.out.println("[row identity] " + seen);
    }
}
