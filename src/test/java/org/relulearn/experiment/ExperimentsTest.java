package org.relulearn.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.relulearn.engine.LocalPassRunner;
import org.relulearn.report.ExperimentReport;

/**
 * Each experiment at a small scale: its numbers agree with the spec's reference values (the checks
 * it reports must pass), and its files -- CSV tables, PNG and SVG plots, report.md -- exist and are
 * non-empty.
 */
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
                100_000, 1_000_000, 1)).run(new LocalPassRunner(2));
        assertEquals(2, r.checks().size(), "eW at 1e6 against the spec, and the slope");
        assertEquals(0, r.failedChecks(), failed(r));
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
