package org.relulearn.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
 * Kill the driver of a gate run mid-way -- a separate JVM running the CLI, killed with SIGKILL after
 * its checkpoint passed iteration 1000 of 3000 (streaming mode: a Spark task per 100
 * iterations) -- then {@code --resume} its checkpoint directory: the
 * final model, trajectory and every other result equal those of an uninterrupted run, and the killed
 * run left no output directory (its temporary one is removed by the resumed run).
 *
 * <p>Tagged {@code cluster} (a multi-process test, run in the integration-test phase).
 */
@Tag("cluster")
class GateResumeAfterKillTest {
    @TempDir
    Path tmp;

    private static final List<String> ARGS = List.of("train", "gate", "--dim", "10", "--iterations", "3000", "--batch", "64",
            "--mode", "streaming", "--pilot-samples", "20000", "--partitions", "2", "--deterministic", "--seed", "9",
            "--init", "ones", "--beta", "0.3", "--theta", "0.5", "--adversary", "alternating", "--eval-every", "50",
            "--progress-seconds", "0", "--checkpoint-every", "100");

    @Test
    void aKilledDriverResumesToTheSameModel() throws Exception {
        Path ckpt = tmp.resolve("gate.ckpt");
        Path killedOut = tmp.resolve("gate-run");
        List<String> cmd = new ArrayList<>(org.relulearn.cli.DriverJvm.command(ARGS));
        cmd.addAll(List.of("--master", "local[2]", "--checkpoint-dir", ckpt.toString(), "--out", killedOut.toString()));
        Path log = tmp.resolve("driver.log");
        long t0 = System.nanoTime();
        Process driver = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long killedAt = -1;
        try {
            for (int i = 0; i < 3000 && driver.isAlive(); i++) {
                Path f = ckpt.resolve(TrainingCheckpoint.FILE);
                if (Files.exists(f)) {
                    long it = ((Number) Json.readMap(f).get("iteration")).longValue();
                    if (it >= 1000) {
                        killedAt = it;
                        driver.destroyForcibly();   // SIGKILL: no shutdown hook, no cleanup
                        break;
                    }
                }
                Thread.sleep(20);
            }
            assertTrue(killedAt >= 1000, "the driver ended before its checkpoint passed iteration 1000 (exit "
                    + (driver.isAlive() ? "none" : driver.exitValue()) + "):\n" + Scripts.tail(log));
            assertTrue(driver.waitFor(30, TimeUnit.SECONDS));
        } finally {
            driver.destroyForcibly();
        }
        assertTrue(killedAt < 3000, "killed mid-way");
        System.out.printf("resume test: driver killed after its checkpoint at iteration %d, %.1f s after launch%n", killedAt,
                (System.nanoTime() - t0) / 1e9);
        assertFalse(Files.exists(killedOut), "a killed run leaves no output directory");

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
        System.out.printf("resume test: the resumed run took %.1f s%n", resumeSecs);

        assertEquals(StandaloneClusterTest.withoutTimings(Json.readMap(whole.resolve("results.json"))),
                StandaloneClusterTest.withoutTimings(Json.readMap(killedOut.resolve("results.json"))));
        assertEquals(Files.readString(whole.resolve("trajectory.csv")), Files.readString(killedOut.resolve("trajectory.csv")));
        @SuppressWarnings("unchecked")
        List<Object> w = (List<Object>) ((Map<String, Object>) Json.readMap(killedOut.resolve("results.json")).get("tron")).get("w");
        assertEquals(10, w.size());
        try (Stream<Path> s = Files.list(tmp)) {
            List<String> names = s.map(p -> p.getFileName().toString()).sorted().toList();
            assertEquals(List.of("driver.log", "gate-run", "gate.ckpt", "uninterrupted"), names, "no temporary directory is left");
        }
    }
}
