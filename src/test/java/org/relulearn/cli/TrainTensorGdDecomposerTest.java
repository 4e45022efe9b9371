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

/** {@code train tensor-gd --decomposer}: kcl runs and is recorded, --faithful selects it, bad values exit 2. */
class TrainTensorGdDecomposerTest {
    @TempDir
    Path tmp;

    @BeforeAll
    static void sharedSession() { SparkTestSession.get(); }

    @SuppressWarnings("unchecked")
    private Map<String, Object> fit(Path dir) throws Exception {
        Map<String, Object> res = Json.mapper().readValue(Files.readAllBytes(dir.resolve("results.json")), Map.class);
        return (Map<String, Object>) res.get("fit");
    }

    @SuppressWarnings("unchecked")
    private String decomposer(Path dir) throws Exception {
        return (String) ((Map<String, Object>) fit(dir).get("configuration")).get("decomposer");
    }

    @Test
    @SuppressWarnings("unchecked")
    void kclIsSelectableFaithfulPicksItAndItIsRecorded() throws Exception {
        Path a = tmp.resolve("kcl");
        CliRun r = CliRun.of("train", "tensor-gd", "-d", "6", "-k", "3", "-n", "60000", "--decomposer", "kcl", "--init-only",
                "--partitions", "2", "--out", a.toString());
        assertEquals(0, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("decomposer kcl"), r.out());
        assertEquals("kcl", decomposer(a));
        double initErr = ((Number) ((Map<String, Object>) fit(a).get("init")).get("matchedError")).doubleValue();
        assertTrue(initErr < 0.5, "kcl init error " + initErr);

        Path b = tmp.resolve("faithful");
        r = CliRun.of("train", "tensor-gd", "-d", "6", "-k", "3", "-n", "60000", "--faithful", "--init-only", "--partitions", "2",
                "--out", b.toString());
        assertEquals(0, r.exit(), r.out() + r.err());
        assertEquals("kcl", decomposer(b));

        Path c = tmp.resolve("faithful-jennrich");
        r = CliRun.of("train", "tensor-gd", "-d", "6", "-k", "3", "-n", "60000", "--faithful", "--decomposer", "jennrich", "--init-only",
                "--partitions", "2", "--out", c.toString());
        assertEquals(0, r.exit(), r.out() + r.err());
        assertEquals("jennrich", decomposer(c));

        r = CliRun.of("train", "tensor-gd", "-d", "6", "-k", "3", "-n", "60000", "--decomposer", "tucker", "--out", tmp.resolve("d").toString());
        assertEquals(2, r.exit(), r.out() + r.err());
        assertTrue(r.err().contains("--decomposer") && r.err().contains("kcl"), r.err());
    }
}
