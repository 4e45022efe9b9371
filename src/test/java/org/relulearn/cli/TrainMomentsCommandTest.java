package org.relulearn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
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

    private static synchronized String[] run(String... args) {
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int exit;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            exit = ReluLearn.execute(args);
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        return new String[] {Integer.toString(exit), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)};
    }

    @Test
    @SuppressWarnings("unchecked")
    void fitsASyntheticNetworkAndReportsCertificatesAndRecovery() throws Exception {
        Path dir = tmp.resolve("run");
        String[] r = run("train", "moments", "-d", "6", "-k", "3", "-m", "4", "-n", "1000000", "--noise", "0.1",
                "--partitions", "2", "--out", dir.toString());
        assertEquals("0", r[0], r[1] + r[2]);
        assertTrue(r[1].contains("certificates: symmetry"), r[1]);
        assertTrue(r[1].contains("recovery: eW"), r[1]);
        Map<String, Object> res = Json.mapper().readValue(Files.readAllBytes(dir.resolve("results.json")), Map.class);
        double ew = ((Number) ((Map<String, Object>) res.get("recovery")).get("eW")).doubleValue();
        System.out.println(r[1]);
        assertTrue(ew < 0.1, "eW = " + ew);
        assertEquals(3, ((Number) ((Map<String, Object>) res.get("fit")).get("k")).intValue(), "k chosen from the gap of B");
    }

    @Test
    void asymmetricInputExitsWithTheSymmetryMessage() {
        String[] r = run("train", "moments", "-d", "6", "-k", "3", "-m", "4", "-n", "50000", "--distribution", "shifted-gaussian",
                "--partitions", "2", "--out", tmp.resolve("bad").toString());
        assertEquals("2", r[0], r[1] + r[2]);
        assertTrue(r[2].contains("not symmetric"), r[2]);
    }
}
