package org.relulearn.cli;

import java.io.BufferedWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Data sets as a user brings them: rows drawn here (java.util.Random, laws the product does not
 * know), written as CSV (x0..x{d-1}, y or y0..y{m-1}) or Parquet (features vector, label or labels
 * vector) into one or several files.
 */
final class UserFiles {
    private UserFiles() {}

    /** n rows: x (n x d) and y (n x m). */
    /** Rows of features and labels, and (when the law knows it) the noiseless label. */
    record Rows(double[][] x, double[][] y, double[][] clean) {
        Rows(double[][] x, double[][] y) { this(x, y, null); }
        int d() { return x[0].length; }
        int m() { return y[0].length; }
    }

    enum Format { CSV, PARQUET }

    /** Writes the rows into {@code files} files (contiguous chunks, in order) under dir; returns dir. */
    static Path write(Path dir, Rows rows, Format format, int files) throws Exception {
        Files.createDirectories(dir);
        int n = rows.x().length;
        for (int f = 0; f < files; f++) {
            int from = (int) ((long) n * f / files), to = (int) ((long) n * (f + 1) / files);
            if (format == Format.CSV) writeCsv(dir.resolve(String.format("part-%05d.csv", f)), rows, from, to);
            else writeParquet(dir, rows, from, to);
        }
        return dir;
    }

    private static void writeCsv(Path file, Rows rows, int from, int to) throws Exception {
        int d = rows.d(), m = rows.m();
        try (BufferedWriter out = Files.newBufferedWriter(file)) {
            StringBuilder h = new StringBuilder();
            for (int i = 0; i < d; i++) h.append('x').append(i).append(',');
            for (int o = 0; o < m; o++) h.append(m == 1 ? "y" : "y" + o).append(o < m - 1 ? "," : "\n");
            out.write(h.toString());
            StringBuilder line = new StringBuilder();
            for (int r = from; r < to; r++) {
                line.setLength(0);
                for (int i = 0; i < d; i++) line.append(rows.x()[r][i]).append(',');
                for (int o = 0; o < m; o++) line.append(rows.y()[r][o]).append(o < m - 1 ? ',' : '\n');
                out.write(line.toString());
            }
        }
    }

    private static void writeParquet(Path dir, Rows rows, int from, int to) {
        SparkSession spark = org.relulearn.spark.SparkTestSession.get();
        boolean one = rows.m() == 1;
        StructType schema = new StructType(new StructField[] {
                new StructField("features", SQLDataTypes.VectorType(), false, org.apache.spark.sql.types.Metadata.empty()),
                new StructField(one ? "label" : "labels", one ? DataTypes.DoubleType : SQLDataTypes.VectorType(), false,
                        org.apache.spark.sql.types.Metadata.empty())});
        List<Row> list = new ArrayList<>(to - from);
        for (int r = from; r < to; r++) {
            list.add(RowFactory.create(Vectors.dense(rows.x()[r]), one ? (Object) rows.y()[r][0] : Vectors.dense(rows.y()[r])));
        }
        spark.createDataFrame(list, schema).coalesce(1).write().mode("append").parquet(dir.toUri().toString());
    }

    /** A d x d orthogonal matrix (Gram-Schmidt of a Gaussian matrix), row-major. */
    static double[][] orthogonal(int d, Random rnd) {
        double[][] q = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) q[i][j] = rnd.nextGaussian();
            for (int k = 0; k < i; k++) {
                double dot = 0;
                for (int j = 0; j < d; j++) dot += q[i][j] * q[k][j];
                for (int j = 0; j < d; j++) q[i][j] -= dot * q[k][j];
            }
            double s = 0;
            for (int j = 0; j < d; j++) s += q[i][j] * q[i][j];
            s = Math.sqrt(s);
            for (int j = 0; j < d; j++) q[i][j] /= s;
        }
        return q;
    }

    /**
     * x = Q u with u_1..u_{d/2} Laplace and the rest uniform, both of unit variance: a rotated product of
     * two different symmetric laws.
     */
    static double[] rotatedLaplaceUniform(double[][] q, Random rnd) {
        int d = q.length;
        double[] u = new double[d], x = new double[d];
        for (int i = 0; i < d; i++) {
            if (i < d / 2) {
                double e = -Math.log(1 - rnd.nextDouble()) / Math.sqrt(2);   // Laplace(0, 1/sqrt 2): variance 1
                u[i] = rnd.nextBoolean() ? e : -e;
            } else {
                u[i] = (2 * rnd.nextDouble() - 1) * Math.sqrt(3);             // U(-sqrt 3, sqrt 3): variance 1
            }
        }
        for (int i = 0; i < d; i++) for (int j = 0; j < d; j++) x[i] += q[i][j] * u[j];
        return x;
    }

    /** x = s z, z ~ N(0, I), s = 0.6 or 1.4 with probability 1/2 each: a Gaussian scale mixture (symmetric, heavy-tailed). */
    static double[] gaussianScaleMixture(int d, Random rnd) {
        double s = rnd.nextBoolean() ? 0.6 : 1.4;
        double[] x = new double[d];
        for (int i = 0; i < d; i++) x[i] = s * rnd.nextGaussian();
        return x;
    }

    static double relu(double t) { return t > 0 ? t : 0; }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }

    /** All permutations of 0..k-1. */
    static List<int[]> permutations(int k) {
        List<int[]> out = new ArrayList<>();
        permute(java.util.stream.IntStream.range(0, k).toArray(), 0, out);
        return out;
    }

    private static void permute(int[] a, int from, List<int[]> out) {
        if (from == a.length) {
            out.add(a.clone());
            return;
        }
        for (int i = from; i < a.length; i++) {
            int t = a[from]; a[from] = a[i]; a[i] = t;
            permute(a, from + 1, out);
            t = a[from]; a[from] = a[i]; a[i] = t;
        }
    }
}
