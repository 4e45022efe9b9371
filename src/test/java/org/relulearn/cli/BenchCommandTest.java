package org.relulearn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.relulearn.spark.SparkTestSession;

/** Runs the bench at toy sizes: it must complete, check itself and report all five cases (no timing asserts). */
class BenchCommandTest {

    @Test
    @SuppressWarnings("unchecked")
    void tinyBenchWritesAllFiveCasesAndPassesItsOwnChecks(@TempDir Path tmp) throws Exception {
        SparkTestSession.get();
        Path out = tmp.resolve("bench");
        int code = ReluLearn.execute("bench", "--dims", "5", "--samples", "20000", "--repeats", "1", "--master", "local[2]",
                "--no-warmup", "--scaling", "--scaling-dim", "3", "--max-samples", "1e6", "-o", out.toString());
        assertEquals(0, code);
        Map<String, Object> results = BenchCommand.readResults(out);
        List<Map<String, Object>> dims = (List<Map<String, Object>>) results.get("dims");
        assertEquals(1, dims.size());
        Map<String, Object> d5 = dims.get(0);
        assertEquals(5, d5.get("d"));
        assertEquals(20000, ((Number) d5.get("N")).intValue());
        Map<String, Object> cases = (Map<String, Object>) d5.get("cases");
        assertEquals(List.of("a", "b", "c", "d", "e"), List.copyOf(cases.keySet()));
        for (Object c : cases.values()) {
            Map<String, Object> m = (Map<String, Object>) c;
            assertTrue(((Number) m.get("seconds")).doubleValue() > 0, "every case is timed: " + m);
            assertTrue(((Number) m.get("cpuNsPerSample")).doubleValue() > 0, "every case has a CPU cost: " + m);
            assertTrue(((Number) m.get("peakHeapMiB")).doubleValue() > 0, "every case has a peak heap: " + m);
        }
        Map<String, Object> checks = (Map<String, Object>) d5.get("checks");
        assertTrue(((Number) checks.get("cachedVsMllibRelDiff")).doubleValue() <= 1e-9);
        Map<String, Object> blocks = (Map<String, Object>) ((Map<String, Object>) d5.get("cache")).get("blocks");
        assertEquals(true, blocks.get("allInMemory"));
        Map<String, Object> scaling = (Map<String, Object>) results.get("scaling");
        assertEquals(1, ((List<?>) scaling.get("points")).size());
        for (Object c : cases.values()) {
            Map<String, Object> m = (Map<String, Object>) c;
            assertEquals(1, ((List<?>) m.get("passSeconds")).size(), "one timed pass (--repeats 1): " + m);
            assertEquals(0.0, ((Number) m.get("spread")).doubleValue(), "a single pass has no spread: " + m);
        }
        String md = Files.readString(out.resolve("bench.md"));
        assertTrue(md.contains("| d | N | case | seconds | samples/s | samples/s per core | CPU ns/sample | peak heap MiB | busy |"), md);
        assertTrue(md.contains("| N | seconds | samples/s | wall ns per sample per core | CPU ns/sample | peak heap MiB | busy |"), md);
        assertTrue(md.contains("(e) MLlib RowMatrix.computeGramianMatrix"), md);
        assertTrue(md.contains("relulearn bench --dims 5"), md);
    }

    @Test
    void badSampleCountsAreUserErrors(@TempDir Path tmp) {
        assertEquals(2, ReluLearn.execute("bench", "--dims", "5,6", "--samples", "1,2,3", "-o", tmp.resolve("x").toString()));
        assertEquals(2, ReluLearn.execute("bench", "--dims", "5", "--samples", "1.5e3x", "-o", tmp.resolve("y").toString()));
        assertEquals(2, ReluLearn.execute("bench", "--dims", "0", "-o", tmp.resolve("z").toString()));
    }
}
