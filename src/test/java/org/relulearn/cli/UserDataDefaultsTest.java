package org.relulearn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.relulearn.cli.UserFiles.Format;
import org.relulearn.cli.UserFiles.Rows;
import org.relulearn.report.Json;
import org.relulearn.spark.SparkTestSession;

/**
 * A user's own files with the defaults {@code --help} shows: every case draws its rows here from a law
 * the product has never been told about (a rotated product of Laplace and uniform coordinates, a
 * Gaussian scale mixture) or from a teacher drawn here, writes CSV or Parquet in 1 or 7 files, runs
 * {@code train <family> --input DIR} through the CLI with no tuning option, and checks the fit
 * against the truth computed here: gate ||w - w*|| <= 1e-6; moments eW, eA <= 0.1; tensor-gd
 * matched error <= 1e-2 with K chosen by the command; hermite min |cos| >= 0.99; convex (the gated program, its
 * weight decay chosen by cross-validation): its objective, recomputed here from the saved groups, gates and
 * standardisation, within 1e-4 of the optimum certified by the same program solved without Spark to 1e-9, the saved
 * ReLU network reproducing the gated model on every row, and on fresh rows an error to the teacher below a tenth of
 * the teacher's variance.
 */
@Tag("slow")
class UserDataDefaultsTest {
    @TempDir
    Path tmp;

    @BeforeAll
    static void sharedSession() { SparkTestSession.get(); }

    @SuppressWarnings("unchecked")
    private Map<String, Object> train(String family, Path data, String... extra) throws Exception {
        Path out = tmp.resolve("out");
        String[] args = new String[5 + extra.length];
        args[0] = "train";
        args[1] = family;
        args[2] = "--input";
        args[3] = data.toString();
        System.arraycopy(extra, 0, args, 4, extra.length);
        args[args.length - 1] = "--out=" + out;
        long t0 = System.nanoTime();
        CliRun r = CliRun.of(args);
        assertEquals(0, r.exit(), r.out() + r.err());
        System.out.printf("[user data] %s on %s: %.1f s%n%s%n", family, data.getFileName(), (System.nanoTime() - t0) / 1e9, r.out());
        return Json.mapper().readValue(Files.readAllBytes(out.resolve("results.json")), Map.class);
    }

    private Path files(String name, Rows rows, String format, int files) throws Exception {
        return UserFiles.write(tmp.resolve(name), rows, Format.valueOf(format), files);
    }

    @SuppressWarnings("unchecked")
    private static double[] vector(Object o) {
        return ((List<Number>) o).stream().mapToDouble(Number::doubleValue).toArray();
    }

    @SuppressWarnings("unchecked")
    private static double[][] matrix(Object o) {
        return ((List<List<Number>>) o).stream().map(r -> r.stream().mapToDouble(Number::doubleValue).toArray()).toArray(double[][]::new);
    }

    // ---- gate: y = relu(w*.x), x a rotated product of Laplace and uniform coordinates, d = 8

    static final double[] GATE_W = new double[8];
    static Rows gateRows() {
        Random rnd = new Random(101);
        double[][] q = UserFiles.orthogonal(8, rnd);
        for (int i = 0; i < 8; i++) GATE_W[i] = rnd.nextGaussian() / Math.sqrt(8);
        int n = 40_000;
        double[][] x = new double[n][], y = new double[n][1];
        for (int r = 0; r < n; r++) {
            x[r] = UserFiles.rotatedLaplaceUniform(q, rnd);
            y[r][0] = UserFiles.relu(UserFiles.dot(GATE_W, x[r]));
        }
        return new Rows(x, y);
    }

    @ParameterizedTest(name = "gate, {0}, {1} file(s)")
    @CsvSource({"CSV, 1", "CSV, 7", "PARQUET, 1", "PARQUET, 7"})
    @SuppressWarnings("unchecked")
    void gateReachesTheTeacherToOneInAMillion(String format, int nfiles) throws Exception {
        Path data = files("gate", gateRows(), format, nfiles);
        Map<String, Object> res = train("gate", data);
        double[] w = vector(((Map<String, Object>) res.get("tron")).get("w"));
        double err = 0;
        for (int i = 0; i < 8; i++) err += (w[i] - GATE_W[i]) * (w[i] - GATE_W[i]);
        System.out.printf("[user data figure] gate %s x%d: ||w - w*|| = %.3g%n", format, nfiles, Math.sqrt(err));
        assertTrue(Math.sqrt(err) <= 1e-6, "||w - w*|| = " + Math.sqrt(err));
    }

    // ---- moments: y = A relu(W x) + 0.05 noise, x a Gaussian scale mixture, d = 6, k = 3, l = 4

    static final int MD = 6, MK = 3, ML = 4;
    static final double[][] MW = new double[MK][MD], MA = new double[ML][MK];
    static Rows momentsRows() {
        Random rnd = new Random(202);
        for (int j = 0; j < MK; j++) {
            double s = 0;
            for (int i = 0; i < MD; i++) s += (MW[j][i] = rnd.nextGaussian()) * MW[j][i];
            for (int i = 0; i < MD; i++) MW[j][i] /= Math.sqrt(s);
        }
        for (int o = 0; o < ML; o++) for (int j = 0; j < MK; j++) MA[o][j] = rnd.nextGaussian();
        int n = 300_000;
        double[][] x = new double[n][], y = new double[n][ML];
        double[] h = new double[MK];
        for (int r = 0; r < n; r++) {
            x[r] = UserFiles.gaussianScaleMixture(MD, rnd);
            for (int j = 0; j < MK; j++) h[j] = UserFiles.relu(UserFiles.dot(MW[j], x[r]));
            for (int o = 0; o < ML; o++) y[r][o] = UserFiles.dot(MA[o], h) + 0.05 * rnd.nextGaussian();
        }
        return new Rows(x, y);
    }

    /** eW, eA after unit-norm rows of W (scale moved into A's columns) and the best permutation. */
    static double[] momentsErrors(double[] aHat, double[] wHat) {
        double[][] w = new double[MK][MD], a = new double[ML][MK];
        for (int j = 0; j < MK; j++) {
            double s = 0;
            for (int i = 0; i < MD; i++) s += wHat[j * MD + i] * wHat[j * MD + i];
            s = Math.sqrt(s);
            for (int i = 0; i < MD; i++) w[j][i] = wHat[j * MD + i] / s;
            for (int o = 0; o < ML; o++) a[o][j] = aHat[o * MK + j] * s;
        }
        double nw = MK, na = 0;
        for (double[] row : MA) for (double v : row) na += v * v;
        double[] best = {Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY};
        for (int[] p : UserFiles.permutations(MK)) {
            double ew = 0, ea = 0;
            for (int j = 0; j < MK; j++) {
                for (int i = 0; i < MD; i++) ew += Math.pow(w[p[j]][i] - MW[j][i], 2);
                for (int o = 0; o < ML; o++) ea += Math.pow(a[o][p[j]] - MA[o][j], 2);
            }
            if (ew < best[0] * best[0] * nw) best = new double[] {Math.sqrt(ew / nw), Math.sqrt(ea / na)};
        }
        return best;
    }

    @ParameterizedTest(name = "moments, {0}, {1} file(s)")
    @CsvSource({"CSV, 1", "CSV, 7", "PARQUET, 1", "PARQUET, 7"})
    @SuppressWarnings("unchecked")
    void momentsRecoversWAndAWithinATenth(String format, int nfiles) throws Exception {
        Path data = files("moments", momentsRows(), format, nfiles);
        Map<String, Object> fit = (Map<String, Object>) train("moments", data).get("fit");
        assertEquals(MK, ((Number) fit.get("k")).intValue(), "k chosen from the spectrum");
        double[] e = momentsErrors(vector(fit.get("A")), vector(fit.get("W")));
        System.out.printf("[user data figure] moments %s x%d: eW = %.3g, eA = %.3g%n", format, nfiles, e[0], e[1]);
        assertTrue(e[0] <= 0.1 && e[1] <= 0.1, "eW = " + e[0] + ", eA = " + e[1]);
    }

    // ---- tensor-gd: y = sum_j v_j relu(w_j . x) + 0.05 noise, Gaussian x (the family's model), d = 6, K = 3

    static final int TD = 6, TK = 3;
    static final double[] TV = {1.2, -0.9, 1.0};
    static final double[][] TW = new double[TK][TD];
    static Rows tensorRows() {
        Random rnd = new Random(303);
        for (int j = 0; j < TK; j++) for (int i = 0; i < TD; i++) TW[j][i] = (i == j ? 1 : 0) + 0.3 * rnd.nextGaussian() / Math.sqrt(TD);
        int n = 40_000;
        double[][] x = new double[n][TD], y = new double[n][1];
        for (int r = 0; r < n; r++) {
            for (int i = 0; i < TD; i++) x[r][i] = rnd.nextGaussian();
            double s = 0.05 * rnd.nextGaussian();
            for (int j = 0; j < TK; j++) s += TV[j] * UserFiles.relu(UserFiles.dot(TW[j], x[r]));
            y[r][0] = s;
        }
        return new Rows(x, y);
    }

    @ParameterizedTest(name = "tensor-gd, {0}, {1} file(s)")
    @CsvSource({"CSV, 1", "CSV, 7", "PARQUET, 1", "PARQUET, 7"})
    @SuppressWarnings("unchecked")
    void tensorGdChoosesKAndReachesTheTeacher(String format, int nfiles) throws Exception {
        Path data = files("tensor", tensorRows(), format, nfiles);
        Map<String, Object> fit = (Map<String, Object>) train("tensor-gd", data).get("fit");
        assertEquals(TK, ((Number) fit.get("k")).intValue(), "K chosen from the spectrum of P2");
        double[][] w = matrix(fit.get("W"));
        double best = Double.POSITIVE_INFINITY, norm = 0;
        for (int j = 0; j < TK; j++) for (int i = 0; i < TD; i++) norm += Math.pow(Math.abs(TV[j]) * TW[j][i], 2);
        for (int[] p : UserFiles.permutations(TK)) {
            double s = 0;
            for (int j = 0; j < TK; j++) for (int i = 0; i < TD; i++) s += Math.pow(w[p[j]][i] - Math.abs(TV[j]) * TW[j][i], 2);
            best = Math.min(best, Math.sqrt(s / norm));
        }
        System.out.printf("[user data figure] tensor-gd %s x%d: matched error %.3g%n", format, nfiles, best);
        assertTrue(best <= 1e-2, "matched error " + best);
    }

    // ---- hermite: y = sum_j a_j relu(w_j . x + b_j), Gaussian x, d = 6, 3 units with biases, noiseless

    static final int HD = 6, HK = 3;
    static final double[] HA = {1.1, -0.8, 1.3}, HB = {0.3, -0.5, 0.1};
    static final double[][] HW = new double[HK][HD];
    static Rows hermiteRows() {
        Random rnd = new Random(404);
        double[][] q = UserFiles.orthogonal(HD, rnd);
        for (int j = 0; j < HK; j++) {
            // well separated unit directions: rows of an orthogonal matrix, slightly mixed
            for (int i = 0; i < HD; i++) HW[j][i] = q[j][i] + 0.2 * q[(j + 1) % HK][i];
            double s = Math.sqrt(UserFiles.dot(HW[j], HW[j]));
            for (int i = 0; i < HD; i++) HW[j][i] /= s;
        }
        int n = 400_000;
        double[][] x = new double[n][HD], y = new double[n][1];
        for (int r = 0; r < n; r++) {
            for (int i = 0; i < HD; i++) x[r][i] = rnd.nextGaussian();
            double s = 0;
            for (int j = 0; j < HK; j++) s += HA[j] * UserFiles.relu(UserFiles.dot(HW[j], x[r]) + HB[j]);
            y[r][0] = s;
        }
        return new Rows(x, y);
    }

    @ParameterizedTest(name = "hermite, {0}, {1} file(s)")
    @CsvSource({"CSV, 1", "CSV, 7", "PARQUET, 1", "PARQUET, 7"})
    @SuppressWarnings("unchecked")
    void hermiteFindsEveryUnitDirection(String format, int nfiles) throws Exception {
        Path data = files("hermite", hermiteRows(), format, nfiles);
        Map<String, Object> fit = (Map<String, Object>) train("hermite", data).get("fit");
        double[][] w = matrix(fit.get("W"));
        assertTrue(w.length >= HK, "at least the 3 units: " + fit.get("units"));
        double minCos = 1;
        for (int j = 0; j < HK; j++) {
            double best = 0;
            for (double[] row : w) best = Math.max(best, Math.abs(UserFiles.dot(row, HW[j])) / Math.sqrt(UserFiles.dot(row, row)));
            minCos = Math.min(minCos, best);
        }
        System.out.printf("[user data figure] hermite %s x%d: min |cos| %.5f%n", format, nfiles, minCos);
        assertTrue(minCos >= 0.99, "min |cos| " + minCos);
    }

    // ---- convex: y = relu-network teacher + 0.1 noise, x a rotated product of Laplace and uniform coordinates, d = 4

    static final int CD = 4;
    static final double CONVEX_NOISE = 0.1;

    /** n rows of the law; the teacher and the rotation come from seed 505, the rows from {@code rowSeed}. */
    static Rows convexRows(int n, long rowSeed) {
        Random rnd = new Random(505);
        double[][] q = UserFiles.orthogonal(CD * 2, rnd);
        double[][] w = new double[3][CD];
        for (double[] row : w) for (int i = 0; i < CD; i++) row[i] = rnd.nextGaussian();
        double[] a = {1.0, -0.7, 0.8}, b = {0.2, -0.1, 0.0};
        Random rows = new Random(rowSeed);
        double[][] x = new double[n][], y = new double[n][1], clean = new double[n][1];
        for (int r = 0; r < n; r++) {
            x[r] = java.util.Arrays.copyOf(UserFiles.rotatedLaplaceUniform(q, rows), CD);
            double s = 0;
            for (int j = 0; j < 3; j++) s += a[j] * UserFiles.relu(UserFiles.dot(w[j], x[r]) + b[j]);
            clean[r][0] = s;
            y[r][0] = s + CONVEX_NOISE * rows.nextGaussian();
        }
        return new Rows(x, y, clean);
    }

    static double predict(Map<String, Object> net, double[] x) {
        double[][] w = matrix(net.get("W"));
        double[] b = vector(net.get("b"));
        double[] a = matrix(net.get("A"))[0];
        double f = 0;
        for (int j = 0; j < w.length; j++) f += a[j] * UserFiles.relu(UserFiles.dot(w[j], x) + b[j]);
        return f;
    }

    /** The gated program's certified optimum at {@code beta} over {@code gates}: solved in memory (no Spark, one block) to 1e-9. */
    static double convexReference(Rows rows, double[] gates, double beta) {
        int n = rows.x().length;
        double[] x = new double[n * CD], y = new double[n];
        for (int r = 0; r < n; r++) {
            System.arraycopy(rows.x()[r], 0, x, r * CD, CD);
            y[r] = rows.y()[r][0];
        }
        org.relulearn.engine.InMemoryData data = new org.relulearn.engine.InMemoryData(CD, 1,
                List.of(org.relulearn.data.Block.wrap(CD, 1, n, 0, x, y)));
        org.relulearn.algo.convex.GatedReluTrainer.Fit f = org.relulearn.algo.convex.GatedReluTrainer.fit(new org.relulearn.engine.LocalPassRunner(),
                data, org.relulearn.algo.convex.ConvexOptions.defaults().withBeta(beta).withGates(gates).withGapTol(1e-9).withMaxIter(100000),
                new org.relulearn.algo.convex.GatedReluTrainer.Settings(false, 5, 16, 1e-4, true, 7), null);
        assertTrue(f.result().converged(), "the reference certifies its optimum: " + f.result().stopReason());
        System.out.printf("[user data] convex reference: objective %.12g, certificate %.12g%n", f.result().objective(), f.result().lowerBound());
        return f.result().lowerBound();
    }

    static Double convexReference;

    @ParameterizedTest(name = "convex, {0}, {1} file(s)")
    @CsvSource({"CSV, 1", "CSV, 7", "PARQUET, 1", "PARQUET, 7"})
    @SuppressWarnings("unchecked")
    void convexSolvesTheGatedProgramWithinOneInTenThousandAndItsNetworkPredictsFreshRows(String format, int nfiles) throws Exception {
        Rows rows = convexRows(400, 506);
        Path data = files("convex", rows, format, nfiles);
        Map<String, Object> res = train("convex", data);
        Map<String, Object> fit = (Map<String, Object>) res.get("fit");
        assertEquals(Boolean.TRUE, fit.get("converged"), "stopped on the certificate: " + fit.get("stopReason"));
        Map<String, Object> gated = (Map<String, Object>) res.get("gated");
        assertNotNull(gated, "with defaults, a squared-loss fit is solved as the gated program");
        double beta = ((Number) gated.get("weightDecay")).doubleValue();
        double[] u = vector(gated.get("groups"));
        Map<String, Object> sc = (Map<String, Object>) gated.get("standardisation");
        double[] mu = vector(sc.get("featureMean")), sd = vector(sc.get("featureScale"));
        double muY = ((Number) sc.get("labelMean")).doubleValue(), sdY = ((Number) sc.get("labelScale")).doubleValue();
        Map<String, Object> net = (Map<String, Object>) fit.get("network");
        double[] gates = Files.readAllLines(tmp.resolve("out").resolve("gates.csv")).stream().filter(l -> !l.startsWith("#"))
                .flatMap(l -> java.util.Arrays.stream(l.split(","))).mapToDouble(Double::parseDouble).toArray();
        int dp = CD + 1, p = gates.length / dp;
        // The gated model, recomputed here from its groups, gates and standardisation; the saved ReLU network predicts the same.
        double loss = 0;
        for (int r = 0; r < rows.x().length; r++) {
            double[] xr = rows.x()[r];
            double pred = 0;
            for (int i = 0; i < p; i++) {
                double h = gates[i * dp + CD], z = u[i * dp + CD];
                for (int c = 0; c < CD; c++) {
                    h += gates[i * dp + c] * xr[c];
                    z += u[i * dp + c] * (xr[c] - mu[c]) / sd[c];
                }
                if (h >= 0) pred += z;
            }
            double f = predict(net, xr);
            assertEquals(pred * sdY + muY, f, 1e-6 * (1 + Math.abs(f)), "row " + r + ": the ReLU network reproduces the gated model");
            loss += 0.5 * Math.pow(pred - (rows.y()[r][0] - muY) / sdY, 2);
        }
        double penalty = 0;
        for (int i = 0; i < p; i++) {
            double s2 = 0;
            for (int c = 0; c < dp; c++) s2 += u[i * dp + c] * u[i * dp + c];
            penalty += Math.sqrt(s2);
        }
        double objective = loss + beta * penalty;
        assertEquals(((Number) fit.get("objective")).doubleValue(), objective, 1e-8 * objective, "the reported objective is the program's");
        if (convexReference == null) convexReference = convexReference(rows, gates, beta);
        double rel = (objective - convexReference) / objective;
        // Fresh rows of the same law: the network's error against the noiseless teacher.
        Rows fresh = convexRows(4000, 507);
        double err = 0, var = 0, mean = 0;
        for (double[] c : fresh.clean()) mean += c[0] / fresh.x().length;
        for (int r = 0; r < fresh.x().length; r++) {
            err += Math.pow(predict(net, fresh.x()[r]) - fresh.clean()[r][0], 2) / fresh.x().length;
            var += Math.pow(fresh.clean()[r][0] - mean, 2) / fresh.x().length;
        }
        System.out.printf("[user data figure] convex %s x%d: gated objective %.10g, certified optimum >= %.10g, relative gap %.3g;"
                + " weight decay %.4g chosen by cross-validation; fresh rows: MSE to the teacher %.4g (teacher variance %.4g, noise variance %.4g)%n",
                format, nfiles, objective, convexReference, rel, beta, err, var, CONVEX_NOISE * CONVEX_NOISE);
        assertTrue(rel >= -1e-12 && rel <= 1e-4, "objective " + objective + ", lower bound " + convexReference + ": not within 1e-4 of the optimum");
        // 400 noisy rows and sampled gates: the teacher's function learnt to within a tenth of its variance (measured: 3%).
        assertTrue(err <= 0.1 * var, "MSE to the teacher " + err + " against its variance " + var);
    }
}
