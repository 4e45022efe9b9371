package org.relulearn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.relulearn.spark.SparkTestSession;

/**
 * The bench suites: each runs end to end at toy sizes in local mode, prints its table with the expected columns
 * and records finite, positive figures (no timing thresholds); --suite and the suites' options are checked
 * before anything runs.
 */
class BenchSuitesTest {

    // ---------------------------------------------------------------- each suite end to end

    // The engine suite's end-to-end run is BenchCommandTest's (its five cases, its checks, the scaling table).

    @Test
    @SuppressWarnings("unchecked")
    void gateSuiteReportsDistributedAndStreamingRates(@TempDir Path tmp) {
        CliRun run = bench(tmp, "--suite", "gate", "--gate-batches", "2000", "--gate-streaming-iterations", "300", "--no-warmup");
        assertTrue(run.out().contains("| b | iterations | s/iteration | samples/s | per core | per core / kernel limit |"), run.out());
        Map<String, Object> gate = (Map<String, Object>) results(tmp).get("gate");
        assertPositive(gate, "kernelLimitSamplesPerSecondPerCore", "perIterationOverheadMs", "streamingIterationsPerSecond", "streamingSeconds");
        List<Map<String, Object>> rows = (List<Map<String, Object>>) gate.get("distributed");
        assertEquals(1, rows.size());
        assertPositive(rows.get(0), "secondsPerIteration", "samplesPerSecond", "samplesPerSecondPerCore", "ratioToKernelLimit");
    }

    @Test
    @SuppressWarnings("unchecked")
    void tensorGdSuiteReportsPassThroughputAndErrorAgainstN(@TempDir Path tmp) {
        CliRun run = bench(tmp, "--suite", "tensor-gd", "--tgd-dims", "10", "--tgd-pass-rows", "20000", "--tgd-samples", "20000",
                "--repeats", "1", "--no-warmup");
        assertTrue(run.out().contains("| d | K | rows | pass 1 (stats) | pass 2 (P2) | pass 3 (m4proj + Q) | pass 3 (alpha + Q) | GD iteration |"),
                run.out());
        assertTrue(run.out().contains("| n | init error | final error | iterations | wall s (fit) |"), run.out());
        Map<String, Object> tgd = (Map<String, Object>) results(tmp).get("tensor-gd");
        List<Map<String, Object>> thr = (List<Map<String, Object>>) tgd.get("throughput");
        assertEquals(1, thr.size());
        assertPositive(thr.get(0), "pass1PerCore", "pass2PerCore", "pass3M4projPerCore", "pass3AlphaPerCore", "gdIterationPerCore");
        List<Map<String, Object>> err = (List<Map<String, Object>>) tgd.get("errorVsN");
        assertEquals(1, err.size());
        assertPositive(err.get(0), "initError", "finalError", "iterations", "seconds");
    }

    @Test
    @SuppressWarnings("unchecked")
    void hermiteSuiteReportsPassThroughputAndParameterError(@TempDir Path tmp) {
        CliRun run = bench(tmp, "--suite", "hermite", "--hermite-dims", "8", "--hermite-samples", "20000", "--hermite-error-samples", "20000",
                "--hermite-polish", "5", "--no-warmup");
        assertTrue(run.out().contains("| d | m | N | stats | order 2 | contractions | coefficients | fit wall s | min abs cos |"), run.out());
        assertTrue(run.out().contains("| n | tensor-only error | min signed cos | wall s | polished error | polish passes | wall s |"), run.out());
        Map<String, Object> hermite = (Map<String, Object>) results(tmp).get("hermite");
        List<Map<String, Object>> thr = (List<Map<String, Object>>) hermite.get("throughput");
        assertEquals(1, thr.size(), "only d = 8: " + thr);
        assertPositive((Map<String, Object>) thr.get(0).get("samplesPerSecondPerCore"), "stats", "order2", "contractions", "coefficients");
        assertPositive(thr.get(0), "fitSeconds", "minAbsCosine");
        Map<String, Object> err = ((List<Map<String, Object>>) hermite.get("errorVsN")).get(0);
        assertPositive(err, "tensorOnlyError", "tensorOnlySeconds", "polishedError", "polishedSeconds");
    }

    @Test
    @SuppressWarnings("unchecked")
    void convexSuiteReportsEachSolverAgainstAdam(@TempDir Path tmp) {
        CliRun run = bench(tmp, "--suite", "convex", "--convex-rows", "300", "--convex-dim", "2", "--convex-patterns", "4",
                "--convex-iterations", "40", "--convex-sgd-steps", "20", "--convex-solvers", "admm,ipm", "--convex-reference", "none");
        assertTrue(run.out().contains("  n | d | P | route | rho (u = v) | setup s | s/iteration | iterations | final rel. gap"), run.out());
        List<Map<String, Object>> runs = (List<Map<String, Object>>) ((Map<String, Object>) results(tmp).get("convex")).get("runs");
        assertEquals(List.of("admm", "ipm"), runs.stream().map(r -> r.get("solver")).toList());
        for (Map<String, Object> r : runs) assertPositive(r, "secondsPerIteration", "iterations", "networkObjective", "adamBestObjective", "adamSeconds");
    }

    /** Where python3 imports cvxopt (Debian python3-cvxopt), the reference solves the same program: the certified fit is within its gap of p*. */
    @Test
    @SuppressWarnings("unchecked")
    void convexSuiteReferenceSolvesTheSameProgramWhereCvxoptIsInstalled(@TempDir Path tmp) {
        String script = "src/test/resources/convex-reference/ipm_reference.py";
        org.junit.jupiter.api.Assumptions.assumeTrue(ReferenceSolve.python(script) != null, "no python3 with cvxopt and numpy here");
        CliRun run = bench(tmp, "--suite", "convex", "--convex-rows", "150", "--convex-dim", "2", "--convex-patterns", "6",
                "--convex-iterations", "300", "--convex-sgd-steps", "5", "--convex-solvers", "ipm", "--no-warmup");
        List<Map<String, Object>> runs = (List<Map<String, Object>>) ((Map<String, Object>) results(tmp).get("convex")).get("runs");
        assertEquals(List.of("ipm", "reference (cvxopt coneqp)"), runs.stream().map(r -> r.get("solver")).toList(), run.out());
        Map<String, Object> ref = runs.get(1);
        assertEquals("optimal", ref.get("status"), run.out());
        double diff = ((Number) ((Map<String, Object>) ref.get("relativeDifference")).get("interior point")).doubleValue();
        assertTrue(diff >= -1e-6 && diff <= 1e-4, "the certified network is within the 1e-4 gap of cvxopt's optimum: " + diff);
    }

    /** Heavier: Adam's 500 steps and MLlib's seven validation fits are Spark jobs whatever the data size. */
    @Test
    @Tag("slow")
    @SuppressWarnings("unchecked")
    void tabularSuiteScoresTheThreeFitsOnCsvFiles(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("sets");
        writeCsv(dir.resolve("relu/train/data.csv"), 120, 1);
        writeCsv(dir.resolve("relu/test/data.csv"), 40, 2);
        CliRun run = bench(tmp, "--suite", "tabular", "--tabular-dir", dir.toString(), "--tabular-sets", "relu", "--tabular-adam-steps", "20");
        assertTrue(run.out().contains("  data set | n train / test | d | task | convex metric (s) [beta, units] | Adam metric (s) | MLlib metric (s)"),
                run.out());
        List<Map<String, Object>> sets = (List<Map<String, Object>>) ((Map<String, Object>) results(tmp).get("tabular")).get("sets");
        Map<String, Object> relu = sets.get(0);
        assertEquals("R^2", relu.get("metric"));
        assertEquals(120, num(relu.get("trainRows")));
        for (String fit : List.of("convex", "adam", "mllibRidge")) {
            Map<String, Object> m = (Map<String, Object>) relu.get(fit);
            assertPositive(m, "metric", "seconds");
        }
    }

    // ---------------------------------------------------------------- choosing suites and their options

    @Test
    void anUnknownSuiteListsTheKnownOnes(@TempDir Path tmp) {
        CliRun run = CliRun.of("bench", "--suite", "gat", "-o", tmp.resolve("out").toString());
        assertEquals(2, run.exit(), run.err());
        assertTrue(run.err().contains("unknown --suite 'gat'"), run.err());
        for (String name : List.of("engine", "gate", "tensor-gd", "hermite", "convex", "tabular", "all")) {
            assertTrue(run.err().contains("\n  " + name + " "), "lists " + name + ": " + run.err());
        }
        assertFalse(Files.exists(tmp.resolve("out")), "nothing written for a bad command");
    }

    @Test
    void anotherSuitesOptionIsAnErrorNamingOptionAndSuite(@TempDir Path tmp) {
        CliRun run = CliRun.of("bench", "--suite", "gate", "--convex-rows", "10", "-o", tmp.resolve("out").toString());
        assertEquals(2, run.exit(), run.err());
        assertTrue(run.err().contains("--convex-rows belongs to the convex suite"), run.err());
        assertTrue(run.err().contains("--suite convex"), "names the fix: " + run.err());

        CliRun engineOption = CliRun.of("bench", "--suite", "hermite", "-n", "1000", "-o", tmp.resolve("out2").toString());
        assertEquals(2, engineOption.exit());
        assertTrue(engineOption.err().contains("--samples belongs to the engine suite"), engineOption.err());
    }

    @Test
    void allDoesNotRunTabularSoItsOptionsAreErrorsThere(@TempDir Path tmp) {
        CliRun run = CliRun.of("bench", "--suite", "all", "--tabular-sets", "diabetes", "-o", tmp.resolve("out").toString());
        assertEquals(2, run.exit(), run.err());
        assertTrue(run.err().contains("--tabular-sets belongs to the tabular suite"), run.err());
    }

    @Test
    void aSharedOptionNoRunningSuiteReadsIsAnError(@TempDir Path tmp) {
        CliRun repeats = CliRun.of("bench", "--suite", "convex", "--repeats", "5", "-o", tmp.resolve("a").toString());
        assertEquals(2, repeats.exit(), repeats.err());
        assertTrue(repeats.err().contains("--repeats is read only by the engine, tensor-gd, parquet suite(s)"), repeats.err());
        CliRun seed = CliRun.of("bench", "--suite", "gate", "--seed", "3", "-o", tmp.resolve("b").toString());
        assertEquals(2, seed.exit());
        assertTrue(seed.err().contains("--seed is read only by the engine, hermite, parquet suite(s)"), seed.err());
        CliRun warmup = CliRun.of("bench", "--suite", "tabular", "--no-warmup", "-o", tmp.resolve("c").toString());
        assertEquals(2, warmup.exit());
        assertTrue(warmup.err().contains("--warmup is read only by"), warmup.err());
    }

    @Test
    void badSuiteOptionValuesAreUserErrorsBeforeSparkStarts(@TempDir Path tmp) {
        assertEquals(2, CliRun.of("bench", "--suite", "tensor-gd", "--tgd-dims", "50", "-o", tmp.resolve("a").toString()).exit());
        assertEquals(2, CliRun.of("bench", "--suite", "hermite", "--hermite-dims", "9", "-o", tmp.resolve("b").toString()).exit());
        assertEquals(2, CliRun.of("bench", "--suite", "gate", "--gate-batches", "0", "-o", tmp.resolve("c").toString()).exit());
        assertEquals(2, CliRun.of("bench", "--repeats", "0", "-o", tmp.resolve("d").toString()).exit());
    }

    @Test
    void everySuiteHasAUniqueNameAndItsOptionsAppearInTheHelp() {
        CliRun help = CliRun.of("bench", "--help");
        assertEquals(0, help.exit());
        Set<String> names = new HashSet<>();
        List<String> listed = new ArrayList<>();
        for (var make : BenchCommand.SUITES) {
            BenchSuite s = make.get();
            assertTrue(names.add(s.name()), "unique: " + s.name());
            assertFalse(s.description().isBlank());
            assertTrue(BenchCommand.SHARED_OPTIONS.containsAll(s.sharedOptions()), s.name() + ": " + s.sharedOptions());
            listed.add(s.name());
        }
        String text = help.out().replaceAll("\\s+", " ");
        assertTrue(text.contains("The suite to run: " + String.join(", ", listed) + ", all"), "--suite lists every suite: " + text);
        for (String option : List.of("--dims", "--gate-batches", "--tgd-dims", "--hermite-dims", "--convex-rows", "--tabular-dir")) {
            assertTrue(help.out().contains(option), option + " in the help");
        }
    }

    // ---------------------------------------------------------------- helpers

    private static CliRun bench(Path tmp, String... args) {
        SparkTestSession.get();
        List<String> all = new ArrayList<>(List.of("bench", "--master", "local[2]", "--partitions", "2", "-o", tmp.resolve("out").toString()));
        all.addAll(List.of(args));
        CliRun run = CliRun.of(all.toArray(String[]::new));
        assertEquals(0, run.exit(), run.err());
        return run;
    }

    /** y = 2 relu(x0 + x1) - x2 + noise 0.1, x standard normal: a regression set a ReLU network and a linear model both fit in part. */
    private static void writeCsv(Path file, int rows, long seed) throws java.io.IOException {
        java.util.Random rng = new java.util.Random(seed);
        StringBuilder sb = new StringBuilder("x0,x1,x2,y\n");
        for (int i = 0; i < rows; i++) {
            double x0 = rng.nextGaussian(), x1 = rng.nextGaussian(), x2 = rng.nextGaussian();
            double y = 2 * Math.max(0, x0 + x1) - x2 + 0.1 * rng.nextGaussian();
            sb.append(String.format(java.util.Locale.ROOT, "%.6f,%.6f,%.6f,%.6f%n", x0, x1, x2, y));
        }
        Files.createDirectories(file.getParent());
        Files.writeString(file, sb.toString());
    }

    private static Map<String, Object> results(Path tmp) { return BenchCommand.readResults(tmp.resolve("out")); }

    private static void assertPositive(Map<String, Object> m, String... keys) {
        for (String k : keys) {
            double v = num(m.get(k));
            assertTrue(Double.isFinite(v) && v > 0, k + " is a finite positive figure: " + m);
        }
    }

    private static double num(Object v) { return ((Number) v).doubleValue(); }
}
