package org.relulearn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.relulearn.report.Json;
import org.relulearn.spark.SparkTestSession;

/**
 * {@code train hermite --polish N --checkpoint-dir / --resume} through the CLI on the shared local
 * Spark session: a run resumed from the last checkpoint writes the same results.json (apart from
 * wall-clock times) as the uninterrupted run without repeating the tensor passes; other settings, a
 * corrupt checkpoint and checkpoints without a polish are refused with exit 2 and the fix.
 */
class HermiteResumeCommandTest {
    @TempDir
    Path tmp;

    @BeforeAll
    static void sharedSession() { SparkTestSession.get(); }

    private static final List<String> BASE = List.of("train", "hermite", "-d", "6", "-n", "30000", "--teacher-biases", "0,1,-0.5",
            "--fit-hidden", "3", "--held-out", "2000", "--polish", "12", "--partitions", "2", "--deterministic", "--checkpoint-every", "5");

    private static String[] args(List<String> base, String... more) {
        List<String> a = new ArrayList<>(base);
        a.addAll(List.of(more));
        return a.toArray(new String[0]);
    }

    @Test
    void polishResumesToTheSameResultsAndRefusesBadResumes() throws IOException {
        Path ck = tmp.resolve("ck");
        CliRun whole = CliRun.of(args(BASE, "--checkpoint-dir", ck.toString(), "--out", tmp.resolve("a").toString()));
        assertEquals(0, whole.exit(), whole.out() + whole.err());
        assertEquals(10, ((Number) Json.readMap(ck.resolve("checkpoint.json")).get("iteration")).intValue(),
                "the last checkpoint before the 12 polish passes end");

        CliRun resumed = CliRun.of(args(BASE, "--resume", ck.toString(), "--out", tmp.resolve("b").toString()));
        assertEquals(0, resumed.exit(), resumed.out() + resumed.err());
        assertTrue(resumed.out().contains("after polish iteration 10") && resumed.out().contains("tensor passes are not repeated"),
                resumed.out());
        assertEquals(ResumeCommandsTest.withoutTimings(Json.readMap(tmp.resolve("a/results.json"))),
                ResumeCommandsTest.withoutTimings(Json.readMap(tmp.resolve("b/results.json"))));

        List<String> otherStep = new ArrayList<>(BASE);
        otherStep.addAll(List.of("--polish-step", "0.1"));
        CliRun other = CliRun.of(args(otherStep, "--resume", ck.toString(), "--out", tmp.resolve("c").toString()));
        assertEquals(2, other.exit(), other.out() + other.err());
        assertTrue(other.err().contains("options.polishStep: 0.2 in the checkpoint, 0.1 now") && other.err().contains("resume with the same options"),
                other.err());

        List<String> noPolish = new ArrayList<>(BASE);
        noPolish.set(noPolish.indexOf("--polish") + 1, "0");
        CliRun none = CliRun.of(args(noPolish, "--checkpoint-dir", tmp.resolve("ck2").toString(), "--out", tmp.resolve("d").toString()));
        assertEquals(2, none.exit(), none.out() + none.err());
        assertTrue(none.err().contains("--polish N > 0"), none.err());

        Files.writeString(ck.resolve("checkpoint.json"), "{ not json");
        CliRun corrupt = CliRun.of(args(BASE, "--resume", ck.toString(), "--out", tmp.resolve("e").toString()));
        assertEquals(2, corrupt.exit(), corrupt.out() + corrupt.err());
        assertTrue(corrupt.err().contains("corrupt") && corrupt.err().contains("without --resume"), corrupt.err());

        CliRun missing = CliRun.of(args(BASE, "--resume", tmp.resolve("nothing").toString(), "--out", tmp.resolve("f").toString()));
        assertEquals(2, missing.exit(), missing.out() + missing.err());
        assertTrue(missing.err().contains("not a directory"), missing.err());
        for (String name : List.of("c", "d", "e", "f")) assertFalse(Files.exists(tmp.resolve(name)), "no output for a refused run");
    }
}
