package org.relulearn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.relulearn.error.UserInputException;
import org.relulearn.report.Json;
import org.relulearn.spark.SparkTestSession;

class GenerateCommandTest {
    @TempDir Path tmp;

    @BeforeAll
    static void session() {
        SparkTestSession.get();   // the commands reuse the shared local[2] session
    }

    /** Runs the CLI, returning the exit code and what it printed to stderr. */
    private static Object[] run(String... args) {
        PrintStream oldErr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = ReluLearn.execute(args);
            return new Object[] {code, err.toString(StandardCharsets.UTF_8)};
        } finally {
            System.setErr(oldErr);
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void generateWritesDataAndTruthThatMomentsReadsBack() throws IOException {
        Path gen = tmp.resolve("gen");
        Object[] g = run("generate", "--master", "local[2]", "--samples", "20000", "--dim", "5", "--hidden", "3",
                "--outputs", "2", "--partitions", "3", "--block-size-mb", "0.1", "--out", gen.toString());
        assertEquals(0, g[0], (String) g[1]);
        Map<String, Object> truth = Json.readMap(gen.resolve("truth.json"));
        assertEquals(5, ((Number) truth.get("d")).intValue());
        assertEquals(2, ((Number) truth.get("m")).intValue());
        assertEquals(20000, ((Number) truth.get("numRows")).intValue());
        assertTrue(truth.containsKey("teacher"));
        assertTrue(((Map<String, Object>) truth.get("exact")).containsKey("secondMomentX"));
        assertTrue(Files.exists(gen.resolve("params.json")));
        try (Stream<Path> s = Files.list(gen.resolve("data"))) {
            assertEquals(3, s.filter(p -> p.getFileName().toString().endsWith(".parquet")).count());
        }
        try (Stream<Path> s = Files.list(tmp)) {   // no temporary directory left behind
            assertEquals(List.of("gen"), s.map(p -> p.getFileName().toString()).toList());
        }

        Path mo = tmp.resolve("mo");
        Object[] r = run("moments", "--master", "local[2]", "--input", gen.toString(), "--out", mo.toString());
        assertEquals(0, r[0], (String) r[1]);
        Map<String, Object> results = Json.readMap(mo.resolve("results.json"));
        Map<String, Object> vsTruth = (Map<String, Object>) results.get("truth");
        double secondErr = ((Number) vsTruth.get("secondMomentRelError")).doubleValue();
        double linearErr = ((Number) vsTruth.get("linearPartRelError")).doubleValue();
        assertTrue(secondErr > 0 && secondErr < 0.05, "second moment error " + secondErr);
        assertTrue(linearErr > 0 && linearErr < 0.2, "linear part error " + linearErr);
        assertEquals(20000, ((Number) ((Map<String, Object>) results.get("moments")).get("n")).intValue());
        assertTrue(Files.exists(mo.resolve("truth.json")));
    }

    @Test
    @SuppressWarnings("unchecked")
    void generateCsvAndUnlabeledDataReadBack() {
        Path gen = tmp.resolve("gen-csv");
        Object[] g = run("generate", "--master", "local[2]", "--samples", "5000", "--dim", "3", "--teacher", "none",
                "--format", "csv", "--out", gen.toString());
        assertEquals(0, g[0], (String) g[1]);
        Path mo = tmp.resolve("mo-csv");
        Object[] r = run("moments", "--master", "local[2]", "--input", gen.toString(), "--out", mo.toString());
        assertEquals(0, r[0], (String) r[1]);
        Map<String, Object> moments = (Map<String, Object>) Json.readMap(mo.resolve("results.json")).get("moments");
        assertEquals(0, ((Number) moments.get("m")).intValue());
        assertEquals(5000, ((Number) moments.get("n")).intValue());
    }

    @Test
    void malformedCsvGivesExitCode2WithTheMessage() throws IOException {
        Path bad = tmp.resolve("bad.csv");
        Files.writeString(bad, "x0,x1,y\n1,2,3\n4,oops,6\n");
        Object[] r = run("moments", "--master", "local[2]", "--input", bad.toString(), "--out", tmp.resolve("o").toString());
        assertEquals(2, r[0], (String) r[1]);
        String err = (String) r[1];
        assertTrue(err.contains("error: ") && err.contains("bad.csv line 3, column x1: non-numeric cell 'oops'"), err);
        assertTrue(Files.notExists(tmp.resolve("o")));
    }

    @Test
    void syntheticOptionsAreRefusedWithInput() throws IOException {
        Path ok = tmp.resolve("ok.csv");
        Files.writeString(ok, "x0,y\n1,2\n");
        Object[] r = run("moments", "--input", ok.toString(), "--dim", "4", "--out", tmp.resolve("o").toString());
        assertEquals(2, r[0]);
        assertTrue(((String) r[1]).contains("--dim describes synthetic data"), (String) r[1]);
    }

    @Test
    void taskFailureKnownOnlyAsTextIsStillAUserError() {
        // What Spark's driver sees when a task's exception could not be shipped: only its text.
        Exception wrapped = new RuntimeException("Job aborted due to stage failure: Task 0 in stage 3.0 failed 1 times,"
                + " most recent failure: Lost task 0.0 (TID 3) (127.0.0.1 executor driver): "
                + "org.relulearn.error.UserInputException: f.csv line 3, column x1: bad cell\n\tat org.relulearn.X.y(X.java:1)\n"
                + "\nDriver stacktrace:\n\tat org.apache.spark...");
        Throwable user = ReluLearn.userCause(wrapped);
        assertTrue(user instanceof UserInputException);
        assertEquals("f.csv line 3, column x1: bad cell", user.getMessage());
        assertEquals(null, ReluLearn.userCause(new RuntimeException("something else")));
    }
}
