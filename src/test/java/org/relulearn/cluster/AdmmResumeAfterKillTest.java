package org.relulearn.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.relulearn.cli.ReluLearn;
import org.relulearn.report.Json;
import org.relulearn.report.TrainingCheckpoint;

/**
 * Kill the driver of an ADMM run ({@code train convex}) mid-way -- a separate JVM running the CLI,
 * killed with SIGKILL once its checkpoint passed iteration 15 of 40 (a checkpoint every 5
 * iterations: the driver state in checkpoint.json, the per-row duals nu as one file per partition
 * under rows-after-K) -- then {@code --resume} its checkpoint directory: the final model (gates,
 * groups, mapped network), every figure of results.json and the iteration history equal those of an
 * uninterrupted run, and the killed run left no output directory.
 *
 * <p>Tagged {@code cluster} (a multi-process test, run in the integration-test phase).
 */
@Tag("cluster")
class AdmmResumeAfterKillTest {
    @TempDir
    Path tmp;

    private static final int KILL_AFTER = 15;

    private static final List<String> ARGS = List.of("train", "convex", "-d", "5", "-k", "3", "-n", "2000", "--noise", "0.1",
            "--patterns", "16", "--weight-decay", "0.5", "--max-iter", "40", "--tol", "1e-12", "--rho-adapt", "10", "--no-baseline",
            "--partitions", "2", "--block-size-mb", "0.01", "--deterministic", "--seed", "9", "--progress-seconds", "0",
            "--checkpoint-every", "5");

    @Test
    void aKilledDriverResumesToTheSameModel() throws Exception {
        Path ckpt = tmp.resolve("admm.ckpt");
        Path killedOut = tmp.resolve("admm-run");
        List<String> cmd = new ArrayList<>(org.relulearn.cli.DriverJvm.command(ARGS));
        cmd.addAll(List.of("--master", "local[2]", "--checkpoint-dir", ckpt.toString(), "--out", killedOut.toString()));
        Path log = tmp.resolve("driver.log");
        long t0 = System.nanoTime();
        Process driver = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long killedAt = -1;
        try {
            for (int i = 0; i < 15_000 && driver.isAlive(); i++) {
                Path f = ckpt.resolve(TrainingCheckpoint.FILE);
                if (Files.exists(f)) {
                    long it = ((Number) Json.readMap(f).get("iteration")).longValue();
                    if (it >= KILL_AFTER) {
                        killedAt = it;
                        driver.destroyForcibly();   // SIGKILL: no shutdown hook, no cleanup
                        break;
                    }
                }
                Thread.sleep(20);
            }
            assertTrue(killedAt >= KILL_AFTER, "the driver ended before its checkpoint passed iteration " + KILL_AFTER + " (exit "
                    + (driver.isAlive() ? "none" : driver.exitValue()) + "):\n" + Scripts.tail(log));
            assertTrue(driver.waitFor(30, TimeUnit.SECONDS));
        } finally {
            driver.destroyForcibly();
        }
        assertTrue(killedAt < 40, "killed mid-way");
        System.out.printf("ADMM resume test: driver killed after its checkpoint at iteration %d, %.1f s after launch%n", killedAt,
                (System.nanoTime() - t0) / 1e9);
        assertFalse(Files.exists(killedOut), "a killed run leaves no output directory");
        String rowsDir = (String) ((Map<?, ?>) Json.readMap(ckpt.resolve(TrainingCheckpoint.FILE)).get("state")).get("rowState");
        assertEquals("rows-after-" + killedAt, rowsDir);
        try (Stream<Path> parts = Files.list(ckpt.resolve(rowsDir))) {
            assertEquals(List.of("part-00000", "part-00001"), parts.map(p -> p.getFileName().toString()).sorted().toList(),
                    "the row duals of the checkpoint: one file per partition");
        }

        // Resume into the same --out (the killed run's temporary directory is cleaned up), and a reference run.
        List<String> resume = new ArrayList<>(ARGS);
        resume.addAll(List.of("--resume", ckpt.toString(), "--out", killedOut.toString()));
        long t1 = System.nanoTime();
        assertEquals(0, ReluLearn.execute(resume.toArray(new String[0])), "resumed run");
        double resumeSecs = (System.nanoTime() - t1) / 1e9;
        Path whole = tmp.resolve("uninterrupted");
        List<String> ref = new ArrayList<>(ARGS);
        ref.addAll(List.of("--out", whole.toString()));
        assertEquals(0, ReluLearn.execute(ref.toArray(new String[0])), "uninterrupted run");
        System.out.printf("ADMM resume test: the resumed run took %.1f s%n", resumeSecs);

        assertEquals(withoutTimings(Json.readMap(whole.resolve("results.json"))), withoutTimings(Json.readMap(killedOut.resolve("results.json"))));
        assertEquals(Files.readString(whole.resolve("gates.csv")), Files.readString(killedOut.resolve("gates.csv")));
        assertEquals(withoutSecondsColumn(whole.resolve("history.csv")), withoutSecondsColumn(killedOut.resolve("history.csv")));
        @SuppressWarnings("unchecked")
        Map<String, Object> fit = (Map<String, Object>) Json.readMap(killedOut.resolve("results.json")).get("fit");
        assertEquals(40, ((Number) fit.get("iterations")).intValue());
        try (Stream<Path> s = Files.list(tmp)) {
            List<String> names = s.map(p -> p.getFileName().toString()).sorted().toList();
            assertEquals(List.of("admm-run", "admm.ckpt", "driver.log", "uninterrupted"), names, "no temporary directory is left");
        }
        try (Stream<Path> s = Files.list(ckpt)) {
            List<String> names = s.map(p -> p.getFileName().toString()).sorted().toList();
            assertEquals(new java.util.TreeSet<>(List.of("checkpoint.json", "rows-after-" + killedAt, "rows-after-35")).stream().toList(), names,
                    "the last checkpoint's rows and the ones the run resumed from; no temporary files");
        }
    }

    /** results.json without wall-clock figures (seconds, seconds per iteration). */
    @SuppressWarnings("unchecked")
    static Object withoutTimings(Object v) {
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> r = new LinkedHashMap<>();
            m.forEach((k, x) -> {
                String key = (String) k;
                if (!key.equals("seconds") && !key.equals("secondsPerIteration") && !key.equals("samplesPerSecond")) {
                    r.put(key, withoutTimings(x));
                }
            });
            return r;
        }
        if (v instanceof List<?> l) return l.stream().map(AdmmResumeAfterKillTest::withoutTimings).toList();
        return v;
    }

    private static List<String> withoutSecondsColumn(Path csv) throws java.io.IOException {
        return Files.readAllLines(csv).stream().map(line -> line.substring(0, line.lastIndexOf(','))).toList();
    }
}
