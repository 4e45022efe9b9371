package org.relulearn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.relulearn.report.Json;
import org.relulearn.spark.SparkTestSession;

/** {@code relulearn train tensor-gd}: a synthetic fit with its outputs, the Gaussian-input check, bad input exits 2. */
class TrainTensorGdCommandTest {
    @TempDir
    Path tmp;

    @BeforeAll
    static void sharedSession() { SparkTestSession.get(); }

    @Test
    @SuppressWarnings("unchecked")
    void fitsASyntheticNetworkAndWritesTheLossCurve() throws Exception {
        Path dir = tmp.resolve("run");
        CliRun r = CliRun.of("train", "tensor-gd", "-d", "6", "-k", "3", "-n", "30000", "--iterations", "40", "--power-iterations", "3",
                "--partitions", "2", "--out", dir.toString());
        assertEquals(0, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("initial matched error"), r.out());
        assertTrue(r.out().contains("final matched error"), r.out());
        Map<String, Object> res = Json.mapper().readValue(Files.readAllBytes(dir.resolve("results.json")), Map.class);
        Map<String, Object> fit = (Map<String, Object>) res.get("fit");
        Map<String, Object> gd = (Map<String, Object>) fit.get("gd");
        assertEquals(40, ((List<?>) gd.get("trace")).size());
        double initErr = ((Number) ((Map<String, Object>) fit.get("init")).get("matchedError")).doubleValue();
        double finalErr = ((Number) gd.get("finalMatchedError")).doubleValue();
        assertTrue(finalErr < initErr && initErr < 0.5, "init " + initErr + " final " + finalErr);
    }

    @Test
    void badInputExitsWithCodeTwo() {
        CliRun r = CliRun.of("train", "tensor-gd", "-d", "6", "-k", "7", "-n", "30000", "--out", tmp.resolve("a").toString());
        assertEquals(2, r.exit(), r.out() + r.err());
        assertTrue(r.err().contains("exceeds -d"), r.err());
        r = CliRun.of("train", "tensor-gd", "-d", "6", "-k", "3", "-n", "30000", "--variant", "cubic", "--out", tmp.resolve("b").toString());
        assertEquals(2, r.exit(), r.out() + r.err());
        assertTrue(r.err().contains("--variant"), r.err());
        r = CliRun.of("train", "tensor-gd", "-d", "6", "-k", "3", "-n", "30000", "--init", "random", "--partitions", "2",
                "--out", tmp.resolve("c").toString());
        assertEquals(2, r.exit(), r.out() + r.err());
        assertTrue(r.err().contains("known output weights"), r.err());
    }

    @Test
    void nonGaussianInputsWarnAndFailWhenStrict() {
        CliRun r = CliRun.of("train", "tensor-gd", "-d", "6", "-k", "3", "-n", "30000", "--distribution", "uniform:a=1.7320508",
                "--init-only", "--partitions", "2", "--out", tmp.resolve("w").toString());
        // uniform on [-sqrt 3, sqrt 3] has mean 0 and covariance I: the check passes, as it should (it tests two moments only)
        assertEquals(0, r.exit(), r.out() + r.err());
        r = CliRun.of("train", "tensor-gd", "-d", "6", "-k", "3", "-n", "30000", "--distribution", "laplace",
                "--init-only", "--partitions", "2", "--out", tmp.resolve("x").toString());
        assertEquals(0, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("do not look standard normal"), r.out());
        r = CliRun.of("train", "tensor-gd", "-d", "6", "-k", "3", "-n", "30000", "--distribution", "laplace", "--strict",
                "--init-only", "--partitions", "2", "--out", tmp.resolve("y").toString());
        assertEquals(2, r.exit(), r.out() + r.err());
        assertTrue(r.err().contains("--strict"), r.err());
    }
}
