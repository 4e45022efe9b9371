package org.relulearn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.relulearn.report.Json;
import org.relulearn.spark.SparkTestSession;

/**
 * {@code train tensor-gd} on a user's CSV file with default options: a teacher drawn here with
 * java.util.Random (K = 4 units, mixed output signs, label noise), not by the product's generators;
 * the command must choose K = 4 itself and reach matched error <= 1e-2 (computed here, over all
 * assignments of fitted to true units).
 */
@Tag("slow")
class TrainTensorGdOnFileTest {
    @TempDir
    Path tmp;

    @BeforeAll
    static void sharedSession() { SparkTestSession.get(); }

    static final int D = 8, K = 4;

    /** Writes y = sum_j a_j relu(w_j . x) + 0.05 eps; returns W* in the fit's form (|a_j| w_j, row-major K x d). */
    static double[] writeCsv(Path file, long n, long seed) throws Exception {
        Random rnd = new Random(seed);
        double[] w = new double[K * D], a = {1.3, -0.8, 1.0, -1.1};
        for (int j = 0; j < K; j++) {
            for (int i = 0; i < D; i++) w[j * D + i] = rnd.nextGaussian() / Math.sqrt(D) + (i == j ? 1 : 0);
        }
        try (BufferedWriter out = Files.newBufferedWriter(file)) {
            StringBuilder h = new StringBuilder();
            for (int i = 0; i < D; i++) h.append('x').append(i).append(',');
            out.write(h.append("y\n").toString());
            double[] x = new double[D];
            for (long r = 0; r < n; r++) {
                StringBuilder line = new StringBuilder();
                for (int i = 0; i < D; i++) {
                    x[i] = rnd.nextGaussian();
                    line.append(String.format(Locale.ROOT, "%.17g,", x[i]));
                }
                double y = 0.05 * rnd.nextGaussian();
                for (int j = 0; j < K; j++) {
                    double z = 0;
                    for (int i = 0; i < D; i++) z += w[j * D + i] * x[i];
                    y += a[j] * Math.max(0, z);
                }
                out.write(line.append(String.format(Locale.ROOT, "%.17g%n", y)).toString());
            }
        }
        double[] truth = new double[K * D];
        for (int j = 0; j < K; j++) for (int i = 0; i < D; i++) truth[j * D + i] = Math.abs(a[j]) * w[j * D + i];
        return truth;
    }

    /** min over permutations of ||W - W* P||_F / ||W*||_F. */
    static double matchedError(double[][] w, double[] truth) {
        int[] perm = {0, 1, 2, 3};
        double best = Double.POSITIVE_INFINITY, norm = 0;
        for (double t : truth) norm += t * t;
        for (int[] p : permutations(perm, 0, new java.util.ArrayList<>())) {
            double s = 0;
            for (int j = 0; j < K; j++) for (int i = 0; i < D; i++) {
                double e = w[j][i] - truth[p[j] * D + i];
                s += e * e;
            }
            best = Math.min(best, Math.sqrt(s / norm));
        }
        return best;
    }

    private static List<int[]> permutations(int[] a, int from, List<int[]> out) {
        if (from == a.length) {
            out.add(a.clone());
            return out;
        }
        for (int i = from; i < a.length; i++) {
            int t = a[from]; a[from] = a[i]; a[i] = t;
            permutations(a, from + 1, out);
            t = a[from]; a[from] = a[i]; a[i] = t;
        }
        return out;
    }

    @Test
    @SuppressWarnings("unchecked")
    void defaultOptionsChooseKAndReachTheTeacherOnACsvFile() throws Exception {
        Path csv = tmp.resolve("data.csv");
        double[] truth = writeCsv(csv, 60_000, 2026);
        Path dir = tmp.resolve("run");
        CliRun r = CliRun.of("train", "tensor-gd", "--input", csv.toString(), "--format", "csv", "--out", dir.toString());
        assertEquals(0, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("K = 4 chosen from the spectrum"), r.out());
        Map<String, Object> fit = (Map<String, Object>) Json.mapper().readValue(Files.readAllBytes(dir.resolve("results.json")), Map.class)
                .get("fit");
        assertEquals(4, ((Number) fit.get("k")).intValue());
        assertEquals("auto", ((Map<String, Object>) fit.get("kChoice")).get("mode"));
        List<List<Number>> wl = (List<List<Number>>) fit.get("W");
        double[][] w = new double[K][D];
        for (int j = 0; j < K; j++) for (int i = 0; i < D; i++) w[j][i] = wl.get(j).get(i).doubleValue();
        double err = matchedError(w, truth);
        assertTrue(err <= 1e-2, "matched error " + err + "\n" + r.out());
    }

    @Test
    void helpShowsTheAutomaticDefault() {
        CliRun r = CliRun.of("train", "tensor-gd", "--help");
        assertTrue(r.out().contains("Default: auto"), r.out());
    }
}
