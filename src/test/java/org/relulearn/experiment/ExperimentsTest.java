package org.relulearn.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.relulearn.engine.LocalPassRunner;
import org.relulearn.report.ExperimentReport;

/**
 * Each experiment at a small scale: its numbers agree with the reference values of the docs (the checks
 * it reports must pass), and its files -- CSV tables, PNG and SVG plots, report.md -- exist and are
 * non-empty.
 */
@Tag("slow")
class ExperimentsTest {
    @TempDir
    Path tmp;

    private static String failed(ExperimentReport r) {
        return r.checks().stream().filter(c -> !c.passed())
                .map(c -> c.name() + ": measured " + c.measured() + ", expected " + c.expected()).collect(Collectors.joining("\n"));
    }

    private void assertWritten(ExperimentReport r) throws Exception {
        r.write(tmp, null);
        for (String f : List.of("report.md", "results.json")) assertTrue(Files.size(tmp.resolve(f)) > 200, f);
        for (var t : r.tables()) assertTrue(Files.size(tmp.resolve(t.name() + ".csv")) > 50, t.name());
        for (var f : r.figures()) {
            assertTrue(Files.size(tmp.resolve(f.name() + ".png")) > 5_000, f.name() + ".png");
            assertTrue(Files.readString(tmp.resolve(f.name() + ".svg")).contains("<svg"), f.name() + ".svg");
        }
        assertTrue(Files.readString(tmp.resolve("report.md")).contains("checks matched"));
    }

    @Test
    void gatePoisoningFloorsMatchTheReferenceGridAndAreLinearInTheta() throws Exception {
        ExperimentReport r = new GatePoisoningExperiment(new GatePoisoningExperiment.Settings(new int[] {0}, 100, 16, 3000, 1000,
                1, 100_000)).run(new LocalPassRunner(2));
        assertEquals(7, r.checks().size());
        assertEquals(0, r.failedChecks(), failed(r));
        assertEquals(2, r.figures().size());
        assertWritten(r);
    }

    @Test
    void gateMinibatchStepsStayWithinTheKappaStarBound() throws Exception {
        ExperimentReport r = new GateMinibatchExperiment(new GateMinibatchExperiment.Settings(List.of("gaussian"), 50,
                new int[] {1, 16, 64}, 20_000, 1, 100_000)).run(new LocalPassRunner(2));
        assertEquals(4, r.checks().size());
        assertEquals(0, r.failedChecks(), failed(r));
        assertWritten(r);
    }

    @Test
    void momentsErrorFallsLikeTheInverseSquareRootOfN() throws Exception {
        ExperimentReport r = new MomentsVsSamplesExperiment(new MomentsVsSamplesExperiment.Settings(List.of(0), 20, 4, 6, 0.1,
                100_000, 1_000_000, 1, 2)).run(new LocalPassRunner(2));
        assertEquals(2, r.checks().size(), "eW at 1e6 against the reference value, and the slope");
        assertEquals(4, r.tables().get(0).rows().size(), "two data seeds at each end of the rate check");
        assertTrue(r.checks().get(1).expected().contains("geometric means of 2 instances"), r.checks().get(1).expected());
        assertEquals(0, r.failedChecks(), failed(r));
        assertWritten(r);
    }

    /**
     * Grokking at a quarter of the reference simulation's size (n = 50, p = 5000, m = 50): after one step the net fits
     * almost every label, flipped ones included, at chance on clean test data; by step 200 it still
     * fits them all and the clean test accuracy is high. (The full-size run's checks are in the
     * README: 100% / 52.7% after step 1, 86.2% at step 500.)
     */
    @Test
    void xorClustersAreFirstOverfittedHarmfullyThenGrokked() throws Exception {
        ExperimentReport r = new XorGrokkingExperiment(new XorGrokkingExperiment.Settings(50, 5000, 50, 0.15, 30, 1e-6, 0.5, 200,
                2000, 1)).run(new LocalPassRunner(2));
        var t = r.tables().get(0);
        double[] step = t.doubles("step"), train = t.doubles("train_accuracy"), test = t.doubles("test_accuracy");
        double[] flipped = t.doubles("flipped_fit");
        int one = java.util.Arrays.binarySearch(step, 1), last = step.length - 1;
        assertTrue(train[one] >= 0.9, "train accuracy after step 1: " + train[one]);
        assertTrue(test[one] <= 0.6, "clean test accuracy after step 1 near chance: " + test[one]);
        assertEquals(1.0, train[last], "still fits every noisy label");
        assertEquals(1.0, flipped[last], "including the flipped ones");
        assertTrue(test[last] >= 0.85, "grokked: clean test accuracy " + test[last]);
        assertWritten(r);
    }

    @Test
    void sgdAndGdMinimaRespectTheirStabilityBoundsAndDistributedSharpnessIsExact() throws Exception {
        ExperimentReport r = new SgdSharpnessExperiment(new SgdSharpnessExperiment.Settings(20, 5, 50, 3, 0.3,
                new double[] {0.1, 0.4}, 1e-7, 500_000, 30_000, 2000, 1)).run(new LocalPassRunner(2));
        assertTrue(r.checks().size() >= 6, "distributed trace and lambda_max and a stability bound per converged run: " + r.checks());
        assertEquals(0, r.failedChecks(), failed(r));
        var t = r.tables().get(0);
        int sgd04 = -1;
        for (int i = 0; i < t.rows().size(); i++) {
            if ("sgd".equals(t.rows().get(i)[0]) && ((Double) t.rows().get(i)[1]) == 0.4) sgd04 = i;
        }
        Object[] row = t.rows().get(sgd04);
        assertTrue(!(Boolean) row[t.index("converged")] || (Double) row[t.index("trace_H")] <= 5.0,
                "SGD at eta = 0.4 either escapes (diverges) or finds Tr H <= 2/eta = 5");
        assertWritten(r);
    }

    @Test
    void tensorInitialisationThenGdConvergesLinearlyAndTheNoisyErrorFallsWithN() throws Exception {
        ExperimentReport r = new TensorGdExperiment(new TensorGdExperiment.Settings(10, 5, 2, 1, 100_000, 0.5,
                new long[] {10_000, 100_000}, 300, 1e-8)).run(new LocalPassRunner(2));
        assertEquals(6, r.checks().size(), r.checks().toString());
        assertEquals(0, r.failedChecks(), failed(r));
        assertWritten(r);
    }

    @Test
    void hermiteDirectionsOrientationsAndPolishedErrorMeetTheGates() throws Exception {
        ExperimentReport r = new HermiteExperiment(new HermiteExperiment.Settings(8, new long[] {50_000, 800_000}, 50_000, 200, 1))
                .run(new LocalPassRunner(2));
        assertEquals(5, r.checks().size(), r.checks().toString());
        assertEquals(0, r.failedChecks(), failed(r));
        assertWritten(r);
    }

    @Test
    void convexUpperBoundsFallWithSampledPatternsAndEveryCertificateIsBelowItsObjective() throws Exception {
        ExperimentReport r = new ConvexVsSgdExperiment(new ConvexVsSgdExperiment.Settings(60, 2, 0.1, 0.1, new int[] {5, 20, 80}, 300,
                300, 1)).run(new LocalPassRunner(2));
        assertTrue(r.checks().size() >= 4, r.checks().toString());
        assertEquals(0, r.failedChecks(), failed(r));
        assertWritten(r);
    }

    @Test
    void convexVsSgdAtLargerScaleKeepsTheWeightDecayPerRow() {
        ConvexVsSgdExperiment.Settings one = ConvexVsSgdExperiment.forScale(1).settings();
        ConvexVsSgdExperiment.Settings ten = ConvexVsSgdExperiment.forScale(10).settings();
        assertEquals(10 * one.n(), ten.n());
        assertEquals(one.beta() / one.n(), ten.beta() / ten.n(), 1e-15);
        assertEquals(one.adversarial().beta() / one.adversarial().n(), ten.adversarial().beta() / ten.adversarial().n(), 1e-15);
    }

    @Test
    void adversarialTrainingOfSgdRaisesPgdAccuracyAndTheAdversarialTableAndPlotsAreWritten() throws Exception {
        ExperimentReport r = new ExperimentReport(ConvexVsSgdExperiment.NAME, "adversarial section");
        ConvexAdversarialSection.run(new LocalPassRunner(2), new ConvexAdversarialSection.Settings(300, 600, 6, 2, 0.25,
                new double[] {0.5}, 24, 1e-2, 200, 300, 300, 64, 5, 10, 1), r);
        for (Object[] row : r.tables().get(0).rows()) System.out.println("adversarial section row: " + java.util.Arrays.toString(row));
        r.notes().forEach(n -> System.out.println("adversarial section note: " + n));
        for (ExperimentReport.Check c : r.checks()) {
            if (c.name().contains("SGD +") || c.name().contains("ordinary convex")) assertTrue(c.passed(), c.toString());
        }
        assertTrue(r.checks().size() >= 3, r.checks().toString());
        var table = r.tables().get(0);
        assertTrue(table.rows().size() >= 4, "convex, SGD, SGD + FGSM, SGD + PGD rows: " + table.rows().size());
        // Margin-aware gates: the robust convex network is not zero (measured: 4 live groups, clean 1.0, PGD 0.923).
        Object[] robustRow = table.rows().stream().filter(row -> "convex robust".equals(row[0])).findFirst().orElseThrow();
        assertTrue(((Number) robustRow[3]).intValue() > 0, "live groups of the robust convex fit: " + java.util.Arrays.toString(robustRow));
        assertTrue(((Number) robustRow[4]).doubleValue() >= 0.9, "clean accuracy of the robust convex fit: " + java.util.Arrays.toString(robustRow));
        assertWritten(r);
    }

    @Test
    void unknownNamesAndScalesAreRefusedWithTheList() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Experiments.create("gate-poison", 1));
        assertTrue(e.getMessage().contains("gate-poisoning"), e.getMessage());
        assertTrue(org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Experiments.create("gate-poisoning", 5000)).getMessage().contains("--scale"));
    }
}
