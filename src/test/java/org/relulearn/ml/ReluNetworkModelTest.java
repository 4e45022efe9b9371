package org.relulearn.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.ml.attribute.AttributeGroup;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.relulearn.spark.SparkTestSession;

/** ReluNetworkModel.transform against a naive loop computation of A relu(W x + b). */
class ReluNetworkModelTest {
    private static final int D = 4;
    private static final int K = 3;
    private static final int M = 2;

    private static double[] randomArray(Random rnd, int n) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) a[i] = rnd.nextGaussian();
        return a;
    }

    /** y = A relu(W x + b), by plain loops over row-major W (k x d) and A (m x k). */
    static double[] naive(double[] w, double[] b, double[] a, int d, int k, int m, double[] x) {
        double[] h = new double[k];
        for (int j = 0; j < k; j++) {
            double s = b[j];
            for (int i = 0; i < d; i++) s += w[j * d + i] * x[i];
            h[j] = Math.max(s, 0);
        }
        double[] y = new double[m];
        for (int o = 0; o < m; o++) for (int j = 0; j < k; j++) y[o] += a[o * k + j] * h[j];
        return y;
    }

    private static void assertClose(double[] expected, double[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            double tol = 1e-12 * Math.max(1, Math.abs(expected[i]));
            assertEquals(expected[i], actual[i], tol, what + "[" + i + "]");
        }
    }

    /** Rows (id, features): dense and sparse vectors, some with every hidden unit inactive, one null. */
    private static Dataset<Row> data(SparkSession spark, Random rnd, int n, int d) {
        List<Row> rows = new ArrayList<>();
        for (int r = 0; r < n; r++) {
            double[] x = randomArray(rnd, d);
            Vector v = r % 3 == 0 ? Vectors.dense(x).toSparse() : Vectors.dense(x);
            if (r % 5 == 0) v = Vectors.sparse(d, new int[] {r % d}, new double[] {x[0]});
            rows.add(RowFactory.create((long) r, v));
        }
        rows.add(RowFactory.create((long) n, null));
        StructType schema = new StructType().add("id", DataTypes.LongType, false).add("features", SQLDataTypes.VectorType(), true);
        return spark.createDataFrame(rows, schema).repartition(3);
    }

    @Test
    void vectorPredictionsEqualTheNaiveComputationForEveryBlockSize() {
        SparkSession spark = SparkTestSession.get();
        Random rnd = new Random(7);
        double[] w = randomArray(rnd, K * D);
        double[] b = randomArray(rnd, K);
        double[] a = randomArray(rnd, M * K);
        ReluNetworkModel model = new ReluNetworkModel(D, K, M, w, b, a);
        Dataset<Row> df = data(spark, rnd, 300, D).cache();

        // 1e-6 MiB: one row per block; 0.001 MiB: 14 rows per block (blocks straddle the data); 1 MiB: one block per partition.
        for (double mb : new double[] {1e-6, 0.001, 1.0}) {
            Dataset<Row> out = model.setBlockSizeMB(mb).transform(df);
            assertEquals(List.of("id", "features", "prediction"), List.of(out.schema().fieldNames()));
            assertEquals(SQLDataTypes.VectorType(), out.schema().apply("prediction").dataType());
            List<Row> rows = out.collectAsList();
            assertEquals(301, rows.size());
            int nulls = 0;
            for (Row row : rows) {
                if (row.isNullAt(1)) {
                    assertTrue(row.isNullAt(2), "null features give a null prediction");
                    nulls++;
                    continue;
                }
                double[] x = ((Vector) row.get(1)).toArray();
                double[] got = ((Vector) row.get(2)).toArray();
                assertClose(naive(w, b, a, D, K, M, x), got, "row " + row.getLong(0) + " at " + mb + " MiB");
            }
            assertEquals(1, nulls);
        }
        df.unpersist();
    }

    @Test
    void gatePredictsADoubleColumnAndKeepsOtherColumns() {
        SparkSession spark = SparkTestSession.get();
        Random rnd = new Random(11);
        double[] w = randomArray(rnd, D);
        ReluNetworkModel gate = ReluNetworkModel.gate(w, 0.3).setPredictionCol("yhat");
        assertEquals(1, gate.hiddenUnits());
        assertEquals(1, gate.outputDim());
        Dataset<Row> out = gate.transform(data(spark, rnd, 50, D));
        assertEquals(DataTypes.DoubleType, out.schema().apply("yhat").dataType());
        int active = 0;
        for (Row row : out.collectAsList()) {
            if (row.isNullAt(1)) {
                assertNull(row.get(2));
                continue;
            }
            double[] x = ((Vector) row.get(1)).toArray();
            double dot = 0.3;
            for (int i = 0; i < D; i++) dot += w[i] * x[i];
            assertEquals(Math.max(dot, 0), row.getDouble(2), 1e-12);
            if (dot > 0) active++;
            assertArrayEquals(new double[] {Math.max(dot, 0)}, gate.predict((Vector) row.get(1)), 1e-12);
        }
        assertTrue(active > 5 && active < 45, "both sides of the hinge are exercised, active=" + active);
    }

    @Test
    void outputSchemaDeclaresTheVectorSize() {
        ReluNetworkModel model = new ReluNetworkModel(2, 1, 3, new double[] {1, 1}, null, new double[] {1, 2, 3});
        StructType in = new StructType().add("features", SQLDataTypes.VectorType());
        StructType out = model.transformSchema(in);
        assertEquals(3, AttributeGroup.fromStructField(out.apply("prediction")).size());
        // The transformed DataFrame carries the same schema.
        SparkSession spark = SparkTestSession.get();
        Dataset<Row> df = spark.createDataFrame(List.of(RowFactory.create(Vectors.dense(1, -2))), in);
        Row row = model.transform(df).first();
        assertArrayEquals(new double[] {0, 0, 0}, ((Vector) row.get(1)).toArray());
        assertEquals(3, AttributeGroup.fromStructField(model.transform(df).schema().apply("prediction")).size());
    }

    @Test
    void badInputIsRejectedWithAClearMessage() {
        ReluNetworkModel model = ReluNetworkModel.gate(new double[] {1, 2, 3}, 0);
        StructType ok = new StructType().add("features", SQLDataTypes.VectorType());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> model.transformSchema(new StructType().add("x", SQLDataTypes.VectorType())));
        assertTrue(missing.getMessage().contains("'features' not found (columns: x)"), missing.getMessage());
        IllegalArgumentException type = assertThrows(IllegalArgumentException.class,
                () -> model.transformSchema(new StructType().add("features", DataTypes.DoubleType)));
        assertTrue(type.getMessage().contains("type double, expected vectors"), type.getMessage());
        IllegalArgumentException exists = assertThrows(IllegalArgumentException.class,
                () -> model.transformSchema(ok.add("prediction", DataTypes.DoubleType)));
        assertTrue(exists.getMessage().contains("'prediction' already exists"), exists.getMessage());
        IllegalArgumentException declared = assertThrows(IllegalArgumentException.class,
                () -> model.transformSchema(new StructType().add(new AttributeGroup("features", 5).toStructField())));
        assertTrue(declared.getMessage().contains("size 5 but the model has d = 3"), declared.getMessage());

        // The label check used by estimators: numbers or vectors only.
        Schemas.requireLabelColumn(new StructType().add("label", DataTypes.FloatType), "label", "labelCol");
        Schemas.requireLabelColumn(new StructType().add("label", SQLDataTypes.VectorType()), "label", "labelCol");
        IllegalArgumentException label = assertThrows(IllegalArgumentException.class,
                () -> Schemas.requireLabelColumn(new StructType().add("label", DataTypes.StringType), "label", "labelCol"));
        assertTrue(label.getMessage().contains("labelCol column 'label' has type string"), label.getMessage());

        // A wrong-sized vector is found on the executors; the cause names both sizes.
        SparkSession spark = SparkTestSession.get();
        Dataset<Row> df = spark.createDataFrame(List.of(RowFactory.create(Vectors.dense(1, 2))), ok);
        Exception e = assertThrows(Exception.class, () -> model.transform(df).collectAsList());
        Throwable t = e;
        while (t != null && !(t instanceof IllegalArgumentException)) t = t.getCause();
        assertTrue(t != null && t.getMessage().contains("size 2 but the model has d = 3"), String.valueOf(e));
        assertThrows(IllegalArgumentException.class, () -> model.predict(Vectors.dense(1, 2)));
    }

    @Test
    void constructorAndArraysRejectInconsistentShapes() {
        assertThrows(IllegalArgumentException.class, () -> new ReluNetworkModel(2, 2, 1, new double[3], null, new double[2]));
        assertThrows(IllegalArgumentException.class,
                () -> new ReluNetworkModel(1, 1, 1, new double[] {Double.NaN}, null, new double[] {1}));
        ModelArrays bad = new ModelArrays().put("W", new double[6], 2, 3).put("b", new double[2], 2).put("A", new double[3], 1, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ReluNetworkModel.fromArrays("u", bad));
        assertTrue(e.getMessage().contains("'A' has shape [1, 3], expected [1, 2]"), e.getMessage());
        ReluNetworkModel fromTeacher = ReluNetworkModel.of(new ReluNetworkModel(2, 1, 1, new double[] {1, 2}, null, new double[] {3}).toNetwork());
        assertArrayEquals(new double[] {9}, fromTeacher.predict(Vectors.dense(1, 1)), 0);
    }
}
