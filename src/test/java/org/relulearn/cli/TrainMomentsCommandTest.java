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

/** {@code relulearn train moments} on synthetic data: certificates printed, recovery reported, failures exit 2. */
class TrainMomentsCommandTest {
    @TempDir
    Path tmp;

    @BeforeAll
    static void sharedSession() { SparkTestSession.get(); }

    @Test
    @SuppressWarnings("unchecked")
    void fitsASyntheticNetworkAndReportsCertificatesAndRecovery() throws Exception {
        Path dir = tmp.resolve("run");
        CliRun r = CliRun.of("train", "moments", "-d", "6", "-k", "3", "-m", "4", "-n", "1000000", "--noise", "0.1",
                "--partitions", "2", "--out", dir.toString());
        assertEquals(0, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("certificates: symmetry"), r.out());
        assertTrue(r.out().contains("recovery: eW"), r.out());
        Map<String, Object> res = Json.mapper().readValue(Files.readAllBytes(dir.resolve("results.json")), Map.class);
        double ew = ((Number) ((Map<String, Object>) res.get("recovery")).get("eW")).doubleValue();
        System.out.println(r.out());
        assertTrue(ew < 0.1, "eW = " + ew);
        assertEquals(3, ((Number) ((Map<String, Object>) res.get("fit")).get("k")).intValue(), "k chosen from the gap of B");
    }

    @Test
    void asymmetricInputExitsWithTheSymmetryMessage() {
        CliRun r = CliRun.of("train", "moments", "-d", "6", "-k", "3", "-m", "4", "-n", "50000", "--distribution", "shifted-gaussian",
                "--partitions", "2", "--out", tmp.resolve("bad").toString());
        assertEquals(2, r.exit(), r.out() + r.err());
        assertTrue(r.err().contains("not symmetric"), r.err());
    }

    @Test
    @SuppressWarnings("unchecked")
    void fileInputHoldsOutRowsAndReportsRecoveryFromTruthJson() throws Exception {
        Path data = tmp.resolve("data");
        CliRun g = CliRun.of("generate", "-d", "6", "-k", "3", "-m", "4", "-n", "400000", "--noise", "0.1",
                "--format", "parquet", "--partitions", "2", "--out", data.toString());
        assertEquals(0, g.exit(), g.out() + g.err());
        Path dir = tmp.resolve("fit");
        CliRun r = CliRun.of("train", "moments", "--input", data.toString(), "--fit-hidden", "3", "--held-out-fraction", "0.2",
                "--out", dir.toString());
        assertEquals(0, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("held out)"), r.out());
        assertTrue(!r.out().contains("in-sample"), "the certificate must be out of sample: " + r.out());
        Map<String, Object> res = Json.mapper().readValue(Files.readAllBytes(dir.resolve("results.json")), Map.class);
        Map<String, Object> fit = (Map<String, Object>) res.get("fit");
        long n = ((Number) fit.get("n")).longValue();
        assertTrue(n > 300_000 && n < 340_000, "about 80% of 400000 rows train: " + n);
        double ew = ((Number) ((Map<String, Object>) res.get("recovery")).get("eW")).doubleValue();
        assertTrue(ew < 0.2, "eW = " + ew);

        CliRun bad = CliRun.of("train", "moments", "--input", data.toString(), "--fit-hidden", "3", "--held-out-fraction", "1.5",
                "--out", tmp.resolve("bad").toString());
        assertEquals(2, bad.exit(), bad.out() + bad.err());
        assertTrue(bad.err().contains("--held-out-fraction"), bad.err());
    }
}
