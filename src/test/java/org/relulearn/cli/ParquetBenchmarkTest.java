package org.relulearn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.relulearn.spark.SparkTestSession;

/**
 * {@code bench --suite parquet} at a toy size: it writes the files, times every case, passes its own
 * agreement checks (the same rows give the same moments in every case; MLlib's mean and variance agree)
 * and deletes the files it wrote. No timing is asserted.
 */
class ParquetBenchmarkTest {

    @Test
    @SuppressWarnings("unchecked")
    void tinyParquetSuiteTimesEveryCaseChecksItselfAndCleansUp(@TempDir Path tmp) throws Exception {
        SparkTestSession.get();
        Path out = tmp.resolve("bench");
        CliRun run = CliRun.of("bench", "--suite", "parquet", "--parquet-dim", "6", "--parquet-samples", "3000", "--parquet-files", "3",
                "--repeats", "1", "--no-warmup", "--block-size-mb", "0.01", "--master", "local[2]", "-o", out.toString());
        assertEquals(0, run.exit(), run.err());
        Map<String, Object> pq = (Map<String, Object>) BenchCommand.readResults(out).get("parquet");
        assertEquals(6, ((Number) pq.get("d")).intValue());
        assertEquals(3000, ((Number) pq.get("N")).intValue());
        assertEquals(3, ((Number) pq.get("files")).intValue());
        Map<String, Object> cases = (Map<String, Object>) pq.get("cases");
        assertEquals(List.of("a", "a'", "b", "c", "d", "e"), List.copyOf(cases.keySet()));
        for (Object c : cases.values()) {
            Map<String, Object> m = (Map<String, Object>) c;
            assertTrue(((Number) m.get("seconds")).doubleValue() > 0, "every case is timed: " + m);
            assertTrue(((Number) m.get("cpuNsPerSample")).doubleValue() > 0, "every case has a CPU cost: " + m);
        }
        Map<String, Object> checks = (Map<String, Object>) pq.get("checks");
        for (String k : new String[] {"a'VsA", "bVsA", "cVsA", "eVsA"}) {
            assertTrue(((Number) checks.get(k)).doubleValue() <= ParquetBenchmark.SAME_ROWS_TOLERANCE, k + ": " + checks);
        }
        assertTrue(((Number) checks.get("mllibVarianceVsA")).doubleValue() <= ParquetBenchmark.MLLIB_TOLERANCE, checks.toString());
        String md = Files.readString(out.resolve("bench.md"));
        assertTrue(md.contains("(a)/(c) samples/s"), md);
        assertFalse(Files.exists(out.resolve("parquet-data")), "the bench's Parquet files are deleted");
    }

    @Test
    void aParquetDimensionBelowOneIsAUserError(@TempDir Path tmp) {
        CliRun run = CliRun.of("bench", "--suite", "parquet", "--parquet-dim", "0", "--master", "local[2]", "-o", tmp.resolve("x").toString());
        assertEquals(2, run.exit());
        assertTrue(run.err().contains("--parquet-dim must be >= 1"), run.err());
    }
}
