package org.relulearn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.relulearn.spark.SparkTestSession;

/** {@code relulearn experiment}: the list, one small run end to end on Spark, and refused names. */
@Tag("slow")
class ExperimentCommandTest {
    @TempDir
    Path tmp;

    @BeforeAll
    static void sharedSession() { SparkTestSession.get(); }

    @Test
    void listsTheExperimentsAndRunsOneIntoACompleteOutputDirectory() throws Exception {
        CliRun list = CliRun.of("experiment", "list");
        assertEquals(0, list.exit(), list.err());
        assertTrue(list.out().contains("gate-poisoning") && list.out().contains("moments-vs-n"), list.out());

        Path dir = tmp.resolve("exp");
        CliRun r = CliRun.of("experiment", "moments-vs-n", "--scale", "0.1", "--partitions", "2", "--out", dir.toString());
        assertEquals(0, r.exit(), r.out() + r.err());
        for (String f : new String[] {"report.md", "results.json", "errors.csv", "eW-vs-N.png", "eW-vs-N.svg", "params.json"}) {
            assertTrue(Files.size(dir.resolve(f)) > 100, f);
        }
        try (var parquet = Files.list(dir.resolve("errors.parquet"))) {
            assertTrue(parquet.anyMatch(p -> p.getFileName().toString().endsWith(".parquet")), "a Parquet part file");
        }
        assertTrue(Files.readString(dir.resolve("report.md")).contains("![Error of W against N](eW-vs-N.png)"));
    }

    @Test
    void anUnknownExperimentExitsWithTwoAndLeavesNoOutput() {
        Path dir = tmp.resolve("bad");
        CliRun r = CliRun.of("experiment", "grokking", "--out", dir.toString());
        assertEquals(2, r.exit(), r.out() + r.err());
        assertTrue(r.err().contains("unknown experiment"), r.err());
        assertFalse(Files.exists(dir));
    }
}
