package org.relulearn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.relulearn.report.Json;
import org.relulearn.spark.SparkTestSession;

/** {@code relulearn train hermite} on synthetic data: m printed, recovery reported, bad input exits 2. */
class TrainHermiteCommandTest {
    @TempDir
    Path tmp;

    @BeforeAll
    static void sharedSession() { SparkTestSession.get(); }

    @Test
    @SuppressWarnings("unchecked")
    void fitsTheSpecTeacherAndReportsRecovery() throws Exception {
        Path dir = tmp.resolve("run");
        CliRun r = CliRun.of("train", "hermite", "-d", "8", "-n", "250000", "--teacher-biases", "0.2,-0.7,1.1", "--partitions", "2",
                "--held-out", "10000", "--out", dir.toString());
        assertEquals(0, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("m = 3 (auto)"), r.out());
        assertTrue(r.out().contains("recovery: parameter error"), r.out());
        Map<String, Object> res = Json.mapper().readValue(Files.readAllBytes(dir.resolve("results.json")), Map.class);
        Map<String, Object> rec = (Map<String, Object>) res.get("recovery");
        assertEquals(3, ((Number) rec.get("orientationsRight")).intValue(), r.out());
        assertTrue(((Number) rec.get("minAbsCosine")).doubleValue() > 0.99, r.out());
    }

    @Test
    void badInputExitsWithTwoAndAMessage() {
        CliRun shifted = CliRun.of("train", "hermite", "-d", "6", "-n", "50000", "--distribution", "shifted-gaussian", "--partitions", "2",
                "--out", tmp.resolve("bad").toString());
        assertEquals(2, shifted.exit(), shifted.out() + shifted.err());
        assertTrue(shifted.err().contains("not standard normal"), shifted.err());
        CliRun faithful = CliRun.of("train", "hermite", "-d", "6", "-n", "50000", "--faithful", "--out", tmp.resolve("f").toString());
        assertEquals(2, faithful.exit());
        assertTrue(faithful.err().contains("--fit-hidden"), faithful.err());
        CliRun tooMany = CliRun.of("train", "hermite", "-d", "3", "-n", "50000", "--fit-hidden", "4", "--teacher-biases", "0,1",
                "--partitions", "2", "--out", tmp.resolve("m").toString());
        assertEquals(2, tooMany.exit());
        assertTrue(tooMany.err().contains("m <= d"), tooMany.err());
    }

    @Test
    void readsGeneratedFilesWithInput() {
        Path gen = tmp.resolve("gen");
        CliRun g = CliRun.of("generate", "--samples", "50000", "--dim", "5", "--hidden", "2", "--outputs", "1", "--bias-scale", "0.5",
                "--seed", "3", "--partitions", "2", "--out", gen.toString());
        assertEquals(0, g.exit(), g.out() + g.err());
        CliRun r = CliRun.of("train", "hermite", "--input", gen.toString(), "--fit-hidden", "2",
                "--out", tmp.resolve("fromfiles").toString());
        assertEquals(0, r.exit(), r.out() + r.err());
        // a tenth of the rows (by a hash of each row) is held out for the held-out error
        assertTrue(r.out().contains("held out)") && r.out().contains("d=5 m=2") && r.out().contains("  held out: n = "), r.out());
        CliRun all = CliRun.of("train", "hermite", "--input", gen.toString(), "--fit-hidden", "2", "--held-out-fraction", "0",
                "--out", tmp.resolve("allrows").toString());
        assertEquals(0, all.exit(), all.out() + all.err());
        assertTrue(all.out().contains("hermite fit: N=50,000 d=5 m=2"), all.out());
    }

    @Test
    void demoStepRecoversTheBiasedNetwork() throws Exception {
        org.relulearn.data.SyntheticSource demo = new org.relulearn.data.SyntheticSource(org.relulearn.data.Distributions.parse("gaussian", 20),
                null, null, 400_000, 1, 0, 4096);
        try (org.relulearn.report.RunOutput out = org.relulearn.report.RunOutput.create(tmp.resolve("demo"), false)) {
            Map<String, Object> m = DemoCommand.hermite(new org.relulearn.spark.SparkPassRunner(SparkTestSession.get(),
                    org.relulearn.spark.SparkPassRunner.RunnerOptions.defaults().withPartitions(2)), demo, out);
            assertTrue(((Number) m.get("minSignedCosine")).doubleValue() > 0.99, m.toString());
        }
    }
}
