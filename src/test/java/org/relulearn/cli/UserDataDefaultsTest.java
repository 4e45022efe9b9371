package org.relulearn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
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
 * matched error <= 1e-2 with K chosen by the command; hermite min |cos| >= 0.99; convex: the network's
 * objective, computed here from the saved weights, within 1e-4 of the program's optimum (every neuron follows
 * one of the gates used, so the objective is a feasible point's; the lower bound is the certificate of the same
 * program solved without Spark to a relative gap of 1e-9).
 */
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
    static Rows convexRows() {
        Random rnd = new Random(505);
        double[][] q = UserFiles.orthogonal(CD * 2, rnd);
        double[][] w = new double[3][CD];
        for (double[] row : w) for (int i = 0; i < CD; i++) row[i] = rnd.nextGaussian();
        double[] a = {1.0, -0.7, 0.8}, b = {0.2, -0.1, 0.0};
        int n = 400;
        double[][] x = new double[n][], y = new double[n][1];
        for (int r = 0; r < n; r++) {
            x[r] = java.util.Arrays.copyOf(UserFiles.rotatedLaplaceUniform(q, rnd), CD);
            double s = 0.1 * rnd.nextGaussian();
            for (int j = 0; j < 3; j++) s += a[j] * UserFiles.relu(UserFiles.dot(w[j], x[r]) + b[j]);
            y[r][0] = s;
        }
        return new Rows(x, y);
    }

    /** 1/2 sum (f(x) - y)^2 + beta/2 (||W||^2 + ||b||^2 + ||a||^2) of the network in results.json, on the rows. */
    @SuppressWarnings("unchecked")
    static double networkObjective(Map<String, Object> net, Rows rows, double beta) {
        double[][] w = matrix(net.get("W"));
        double[] b = vector(net.get("b"));
        double[] a = matrix(net.get("A"))[0];
        double loss = 0, decay = 0;
        for (int r = 0; r < rows.x().length; r++) {
            double f = 0;
            for (int j = 0; j < w.length; j++) f += a[j] * UserFiles.relu(UserFiles.dot(w[j], rows.x()[r]) + b[j]);
            loss += 0.5 * Math.pow(f - rows.y()[r][0], 2);
        }
        for (int j = 0; j < w.length; j++) decay += UserFiles.dot(w[j], w[j]) + b[j] * b[j] + a[j] * a[j];
        return loss + beta / 2 * decay;
    }

    /**
     * A certified lower bound on the sampled program's optimum over {@code gates}: the same program solved in memory (no
     * Spark, one block) to a relative gap of 1e-9. (A bound from the CLI network's residual alone, by weak duality with
     * exact cone maxima, is useless at the default beta = 1e-3: the residual of a 1e-5-optimal network is far from dual
     * feasible, which gives 0.66 relative.)
     */
    static double[] convexReference(Rows rows, double[] gates, double beta) {
        int n = rows.x().length;
        double[] x = new double[n * CD], y = new double[n];
        for (int r = 0; r < n; r++) {
            System.arraycopy(rows.x()[r], 0, x, r * CD, CD);
            y[r] = rows.y()[r][0];
        }
        org.relulearn.engine.InMemoryData data = new org.relulearn.engine.InMemoryData(CD, 1,
                List.of(org.relulearn.data.Block.wrap(CD, 1, n, 0, x, y)));
        org.relulearn.algo.convex.ConvexResult r = org.relulearn.algo.convex.ConvexTrainer.fit(new org.relulearn.engine.LocalPassRunner(), data,
                org.relulearn.algo.convex.ConvexOptions.defaults().withBeta(beta).withGates(gates).withGapTol(1e-9).withMaxIter(400)
                        .withSolver(org.relulearn.algo.convex.ConvexOptions.Solver.IPM));
        assertTrue(r.converged(), "the reference certifies its optimum: " + r.stopReason());
        System.out.printf("[user data] convex reference: %d Newton steps, objective %.12g, certificate %.12g%n", r.iterations(),
                r.objective(), r.lowerBound());
        return new double[] {r.lowerBound(), r.objective()};
    }

    /** Every neuron of the network switches on exactly the rows of one of the gates (so its objective is a feasible point's, >= p*). */
    static void assertNeuronsFollowTheGates(Map<String, Object> net, Rows rows, double[] gates) {
        int dp = CD + 1, p = gates.length / dp;
        double[][] w = matrix(net.get("W"));
        double[] b = vector(net.get("b"));
        for (int j = 0; j < w.length; j++) {
            boolean found = false;
            for (int i = 0; i < p && !found; i++) {
                boolean same = true;
                for (int r = 0; r < rows.x().length && same; r++) {
                    double hx = gates[i * dp + CD];
                    for (int c = 0; c < CD; c++) hx += gates[i * dp + c] * rows.x()[r][c];
                    same = (UserFiles.dot(w[j], rows.x()[r]) + b[j] >= 0) == (hx >= 0);
                }
                found = same;
            }
            assertTrue(found, "neuron " + j + " follows none of the gates' patterns");
        }
    }

    static double[] convexReference;

    @ParameterizedTest(name = "convex, {0}, {1} file(s)")
    @CsvSource({"CSV, 1", "CSV, 7", "PARQUET, 1", "PARQUET, 7"})
    @SuppressWarnings("unchecked")
    void convexReachesTheProgramsOptimumWithinOneInTenThousand(String format, int nfiles) throws Exception {
        Rows rows = convexRows();
        Path data = files("convex", rows, format, nfiles);
        Map<String, Object> res = train("convex", data);
        Map<String, Object> fit = (Map<String, Object>) res.get("fit");
        assertEquals(Boolean.TRUE, fit.get("converged"), "stopped on the certificate: " + fit.get("stopReason"));
        double beta = ((Number) ((Map<String, Object>) res.get("options")).get("beta")).doubleValue();
        Map<String, Object> net = (Map<String, Object>) fit.get("network");
        double objective = networkObjective(net, rows, beta);
        double[] gates = Files.readAllLines(tmp.resolve("out").resolve("gates.csv")).stream().filter(l -> !l.startsWith("#"))
                .flatMap(l -> java.util.Arrays.stream(l.split(","))).mapToDouble(Double::parseDouble).toArray();
        assertNeuronsFollowTheGates(net, rows, gates);
        if (convexReference == null) convexReference = convexReference(rows, gates, beta);
        double lb = convexReference[0], rel = (objective - lb) / objective;
        System.out.printf("[user data figure] convex %s x%d: network objective %.10g, certified optimum in [%.10g, %.10g], relative gap %.3g (%s)%n",
                format, nfiles, objective, lb, convexReference[1], rel, fit.get("route"));
        assertEquals(((Number) fit.get("networkObjective")).doubleValue(), objective, 1e-9 * objective, "the reported objective is the network's");
        assertTrue(rel >= 0 && rel <= 1e-4, "network objective " + objective + ", lower bound " + lb + ": not within 1e-4 of the optimum");
    }
}
