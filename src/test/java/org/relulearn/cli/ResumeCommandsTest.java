package org.relulearn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.relulearn.report.Json;
import org.relulearn.spark.SparkTestSession;

/**
 * {@code --checkpoint-dir} / {@code --resume} of {@code train convex} (ADMM) and
 * {@code train tensor-gd} through the CLI on the shared local Spark session: a run resumed from the
 * last checkpoint another run left writes the same results (apart from wall-clock times) as that
 * uninterrupted run; a resume with other partitions, a missing or a corrupt row state is refused
 * with exit 2 and the fix. (The SIGKILL test of a driver JVM is cluster.AdmmResumeAfterKillTest.)
 */
class ResumeCommandsTest {
    @TempDir
    Path tmp;

    @BeforeAll
    static void sharedSession() { SparkTestSession.get(); }

    private static final List<String> CONVEX = List.of("train", "convex", "-d", "3", "-k", "2", "-n", "600", "--noise", "0.1",
            "--patterns", "12", "--weight-decay", "0.5", "--max-iter", "12", "--tol", "1e-12", "--rho-adapt", "3", "--no-baseline",
            "--partitions", "3", "--block-size-mb", "0.002", "--deterministic", "--progress-seconds", "0", "--checkpoint-every", "4");

    private static String[] args(List<String> base, String... more) {
        List<String> a = new ArrayList<>(base);
        a.addAll(List.of(more));
        return a.toArray(new String[0]);
    }

    @Test
    void convexResumesToTheSameResultsAndRefusesAMismatchedRowState() throws IOException {
        Path ck = tmp.resolve("ck");
        CliRun whole = CliRun.of(args(CONVEX, "--checkpoint-dir", ck.toString(), "--out", tmp.resolve("a").toString()));
        assertEquals(0, whole.exit(), whole.err());
        Map<String, Object> cp = Json.readMap(ck.resolve("checkpoint.json"));
        assertEquals(8, ((Number) cp.get("iteration")).intValue(), "the last checkpoint before the cap of 12");
        Path rows = ck.resolve("rows-after-8");
        try (Stream<Path> s = Files.list(ck)) {
            assertEquals(List.of("checkpoint.json", "rows-after-8"), s.map(p -> p.getFileName().toString()).sorted().toList(),
                    "superseded row states are removed");
        }

        CliRun resumed = CliRun.of(args(CONVEX, "--resume", ck.toString(), "--out", tmp.resolve("b").toString()));
        assertEquals(0, resumed.exit(), resumed.err());
        assertTrue(resumed.out().contains("resuming at iteration 9"), resumed.out());
        assertEquals(withoutTimings(Json.readMap(tmp.resolve("a/results.json"))), withoutTimings(Json.readMap(tmp.resolve("b/results.json"))));
        assertEquals(Files.readString(tmp.resolve("a/gates.csv")), Files.readString(tmp.resolve("b/gates.csv")));

        List<String> twoPartitions = new ArrayList<>(CONVEX);
        twoPartitions.set(twoPartitions.indexOf("--partitions") + 1, "2");
        CliRun other = CliRun.of(args(twoPartitions, "--resume", ck.toString(), "--out", tmp.resolve("c").toString()));
        assertEquals(2, other.exit());
        assertTrue(other.err().contains("partitions: 3 in the checkpoint, 2 now") && other.err().contains("resume with the same options"),
                other.err());

        byte[] part = Files.readAllBytes(rows.resolve("part-00001"));
        Files.writeString(rows.resolve("part-00001"), "not a row state");
        CliRun corrupt = CliRun.of(args(CONVEX, "--resume", ck.toString(), "--out", tmp.resolve("d").toString()));
        assertEquals(2, corrupt.exit(), corrupt.err());
        assertTrue(corrupt.err().contains("part-00001") && corrupt.err().contains("corrupt; start the run again without --resume"),
                corrupt.err());
        Files.write(rows.resolve("part-00001"), part);

        Files.delete(rows.resolve("part-00002"));
        CliRun incomplete = CliRun.of(args(CONVEX, "--resume", ck.toString(), "--out", tmp.resolve("e").toString()));
        assertEquals(2, incomplete.exit(), incomplete.err());
        assertTrue(incomplete.err().contains("has no file for partition 2 of 3"), incomplete.err());

        Files.delete(rows.resolve("part-00000"));
        Files.delete(rows.resolve("part-00001"));
        Files.delete(rows);
        CliRun missing = CliRun.of(args(CONVEX, "--resume", ck.toString(), "--out", tmp.resolve("f").toString()));
        assertEquals(2, missing.exit(), missing.err());
        assertTrue(missing.err().contains("which is missing") && missing.err().contains("without --resume"), missing.err());
        for (String name : List.of("c", "d", "e", "f")) assertFalse(Files.exists(tmp.resolve(name)), "no output for a refused resume");
    }

    @Test
    void tensorGdResumesWithoutPhaseOneToTheSameResults() throws IOException {
        List<String> base = List.of("train", "tensor-gd", "-d", "5", "-k", "2", "-n", "20000", "--noise", "0.1", "--iterations", "23",
                "--tol", "0", "--power-iterations", "3", "--partitions", "2", "--block-size-mb", "0.1", "--deterministic", "--progress-seconds", "0",
                "--checkpoint-every", "5");
        Path ck = tmp.resolve("ck");
        CliRun whole = CliRun.of(args(base, "--checkpoint-dir", ck.toString(), "--out", tmp.resolve("a").toString()));
        assertEquals(0, whole.exit(), whole.err());
        assertEquals(20, ((Number) Json.readMap(ck.resolve("checkpoint.json")).get("iteration")).intValue());

        CliRun resumed = CliRun.of(args(base, "--resume", ck.toString(), "--out", tmp.resolve("b").toString()));
        assertEquals(0, resumed.exit(), resumed.err());
        assertTrue(resumed.out().contains("Phase I is not repeated"), resumed.out());
        assertEquals(withoutTimings(Json.readMap(tmp.resolve("a/results.json"))), withoutTimings(Json.readMap(tmp.resolve("b/results.json"))));

        List<String> longer = new ArrayList<>(base);
        longer.set(longer.indexOf("--iterations") + 1, "30");
        CliRun other = CliRun.of(args(longer, "--resume", ck.toString(), "--out", tmp.resolve("c").toString()));
        assertEquals(2, other.exit());
        assertTrue(other.err().contains("other settings") && other.err().contains("options.iterations: 23 in the checkpoint, 30 now"), other.err());
    }

    /** Results without wall-clock figures (any key mentioning seconds). */
    static Object withoutTimings(Object v) {
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> r = new LinkedHashMap<>();
            m.forEach((k, x) -> {
                String key = String.valueOf(k).toLowerCase(java.util.Locale.ROOT);
                if (!key.contains("second")) r.put(String.valueOf(k), withoutTimings(x));
            });
            return r;
        }
        if (v instanceof List<?> l) return l.stream().map(ResumeCommandsTest::withoutTimings).toList();
        return v;
    }
}
