package org.relulearn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code train convex --gates-from baseline --margin-gates}: the gate lines, gates.csv, and the refused combinations. */
class TrainConvexGatesCommandTest {
    @org.junit.jupiter.api.BeforeAll
    static void sharedSession() { org.relulearn.spark.SparkTestSession.get(); }

    @Test
    void baselineGatesWithMarginsAreUsedAndWritten(@TempDir Path tmp) throws Exception {
        CliRun r = CliRun.of(new String[] {"train", "convex", "-d", "3", "-k", "2", "-n", "300", "--patterns", "6", "--weight-decay", "0.5",
                "--loss", "bce", "--adversarial-eps", "0.05", "--max-iter", "40", "--no-baseline", "--baseline-steps", "30",
                "--baseline-width", "5", "--gates-from", "baseline+sampled", "--margin-gates", "-o", tmp.resolve("g").toString()});
        assertEquals(0, r.exit(), r.err() + r.out());
        assertTrue(r.out().contains("gates: first layer of an Adam network (width 5, 30 steps), 5 gates + 6 sampled"), r.out());
        assertTrue(r.out().contains("gate margin ascent, 100 steps"), r.out());
        String line = TrainConvexCommandTest.line(r.out(), "convex: margin-aware gates at eps 0.05");
        assertTrue(line.contains("of 11 candidates have a positive robust margin"), r.out());
        assertTrue(r.out().contains("robust: certified objective"), r.out());
        String json = Files.readString(tmp.resolve("g").resolve("results.json"));
        assertTrue(json.contains("\"from\" : \"baseline+sampled\"") || json.contains("\"from\":\"baseline+sampled\""), json);
        int rows = Files.readAllLines(tmp.resolve("g").resolve("gates.csv")).size();
        assertTrue(rows >= 1 && rows <= 11, "gates.csv holds the kept gates: " + rows);
    }

    @Test
    void conflictingGateOptionsFailWithExitCodeTwo(@TempDir Path tmp) throws Exception {
        String[] tiny = TrainConvexCommandTest.TINY;
        CliRun noEps = CliRun.of(TrainConvexCommandTest.with(tiny, "--margin-gates"));
        assertEquals(2, noEps.exit());
        assertTrue(noEps.err().contains("--adversarial-eps > 0"), noEps.err());
        CliRun unknown = CliRun.of(TrainConvexCommandTest.with(tiny, "--gates-from", "random"));
        assertEquals(2, unknown.exit());
        assertTrue(unknown.err().contains("--gates-from") && unknown.err().contains("baseline+sampled"), unknown.err());
        Path file = tmp.resolve("g.csv");
        Files.writeString(file, "1,0,0,0\n0,1,0,0\n");
        CliRun both = CliRun.of(TrainConvexCommandTest.with(tiny, "--gates", file.toString(), "--gates-from", "baseline"));
        assertEquals(2, both.exit());
        assertTrue(both.err().contains("drop one of them"), both.err());
    }
}
