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
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.relulearn.report.Json;
import org.relulearn.spark.SparkTestSession;

/**
 * Smoke tests of the command line through {@link ReluLearn#execute}: exit codes (0 success, 2 bad
 * input with a message naming cause and fix), the run directory's files and its atomic creation,
 * and option defaults from --config files.
 */
class CliTest {
    @TempDir
    Path tmp;

    /** Exit code and captured output of one CLI call. */
    record Run(int exit, String out, String err) {
        String both() { return out + "\n" + err; }
    }

    @BeforeAll
    static void sharedSession() {
        // The CLI reuses the test JVM's session (spark.master=local[2,2] comes from surefire).
        SparkTestSession.get();
    }

    private static Run run(String... args) {
        CliRun r = CliRun.of(args);
        return new Run(r.exit(), r.out(), r.err());
    }

    /**
     * Small, fast moment-run arguments writing to {@code out}; {@code overrides} are option/value
     * pairs (or lone flags) that replace or extend the defaults.
     */
    private static String[] moments(Path out, String... overrides) {
        Map<String, String> opts = new LinkedHashMap<>();
        opts.put("--samples", "5000");
        opts.put("--dim", "3");
        opts.put("--hidden", "2");
        opts.put("--partitions", "2");
        opts.put("--progress-seconds", "0");
        opts.put("--out", out.toString());
        for (int i = 0; i < overrides.length; i++) {
            boolean flag = i + 1 == overrides.length || overrides[i + 1].startsWith("--");
            opts.put(overrides[i], flag ? null : overrides[++i]);
        }
        List<String> args = new ArrayList<>(List.of("moments"));
        opts.forEach((k, v) -> {
            args.add(k);
            if (v != null) args.add(v);
        });
        return args.toArray(new String[0]);
    }

    private static List<String> listNames(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static void assertUserError(Run r, String... fragments) {
        assertEquals(2, r.exit(), "exit code of a bad-input run; output:\n" + r.both());
        for (String f : fragments) assertTrue(r.err().contains(f), "stderr lacks '" + f + "':\n" + r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace without --verbose:\n" + r.err());
    }

    @Test
    void infoPrintsTheEnvironment() {
        Run r = run("info");
        assertEquals(0, r.exit(), r.both());
        assertTrue(r.out().contains("spark") && r.out().contains(SparkTestSession.get().version()), r.out());
        assertTrue(r.out().contains("blasLevel3"), r.out());
    }

    @Test
    void momentsWritesItsRunDirectoryAtomically() throws IOException {
        Path out = tmp.resolve("run");
        Run r = run(moments(out));
        assertEquals(0, r.exit(), r.both());
        assertTrue(r.out().contains("output: " + out.toAbsolutePath()), r.out());
        assertEquals(List.of("_SUCCESS", "metrics.jsonl", "params.json", "results.json", "truth.json"), listNames(out),
                "the run files, and the _SUCCESS marker written after the rename");
        assertEquals(List.of("run"), listNames(tmp), "no temporary directory is left beside the output");

        Map<String, Object> params = Json.readMap(out.resolve("params.json"));
        assertEquals(5000, ((Number) params.get("samples")).intValue());
        assertEquals(3, ((Number) params.get("dim")).intValue());
        Map<String, Object> truth = Json.readMap(out.resolve("truth.json"));
        assertEquals(3, ((Number) truth.get("d")).intValue());
        Map<String, Object> results = Json.readMap(out.resolve("results.json"));
        @SuppressWarnings("unchecked")
        Map<String, Object> mo = (Map<String, Object>) results.get("moments");
        assertEquals(5000, ((Number) mo.get("n")).intValue());
        assertTrue(results.containsKey("linearPart"), results.keySet().toString());
        // JSON Lines: one complete object per line
        List<String> metrics = Files.readAllLines(out.resolve("metrics.jsonl"));
        assertEquals(1, metrics.size(), "one record for one pass: " + metrics);
        Map<?, ?> record = Json.mapper().readValue(metrics.get(0), Map.class);
        assertEquals("moments", record.get("pass"));
        assertEquals(5000, ((Number) record.get("rows")).intValue());
    }

    @Test
    void badInputExitsWithTwoAndAMessageNamingCauseAndFix() throws IOException {
        Path out = tmp.resolve("bad");
        assertUserError(run(moments(out, "--distribution", "nosuch")), "unknown distribution 'nosuch'", "gaussian");
        assertUserError(run(moments(out, "--dim", "0")), "--dim must be >= 1");
        assertUserError(run(moments(out, "--distribution", "student-t:nu=x")), "not a number");
        assertUserError(run(moments(out, "--samples", "0")), "--samples must be >= 1");
        assertUserError(run(moments(out, "--teacher", "tree")), "unknown --teacher 'tree'");
        assertUserError(run(moments(out, "--dim", "three")), "--dim");   // picocli's own parse error
        assertFalse(Files.exists(out), "a failed run leaves no output directory");
        assertEquals(List.of(), listNames(tmp), "a failed run leaves no temporary directory");
    }

    @Test
    void existingOrUnwritableOutputIsRefusedUnlessOverwriteIsGiven() throws IOException {
        Path out = tmp.resolve("existing");
        Files.createDirectories(out);
        Files.writeString(out.resolve("old.txt"), "from an earlier run");
        assertUserError(run(moments(out)), "already exists", "--overwrite");
        assertTrue(Files.exists(out.resolve("old.txt")), "the existing directory is left alone");

        Run again = run(moments(out, "--overwrite"));
        assertEquals(0, again.exit(), again.both());
        assertFalse(Files.exists(out.resolve("old.txt")), "--overwrite replaces the directory");
        assertTrue(Files.exists(out.resolve("results.json")));

        Path file = tmp.resolve("a-file");
        Files.writeString(file, "not a directory");
        assertUserError(run(moments(file.resolve("run"))), "writable --out");
        assertUserError(run(moments(file)), "already exists");
        assertUserError(run(moments(file, "--overwrite")), "not a directory");
        assertEquals(List.of("a-file", "existing"), listNames(tmp), "no temporary directories left");
    }

    @Test
    void badConfigFilesExitWithTwo() throws IOException {
        Path out = tmp.resolve("never");
        assertUserError(run("moments", "--config", tmp.resolve("missing.yaml").toString(), "--out", out.toString()),
                "missing.yaml", "does not exist");
        Path malformed = Files.writeString(tmp.resolve("malformed.yaml"), "samples: [1, 2\ndim: {\n");
        assertUserError(run("moments", "--config", malformed.toString(), "--out", out.toString()), "cannot parse config file");
        Path list = Files.writeString(tmp.resolve("list.yml"), "- samples\n- dim\n");
        assertUserError(run("moments", "--config=" + list, "--out", out.toString()), "must be a YAML mapping");
        Path badValue = Files.writeString(tmp.resolve("bad.properties"), "dim = three\n");
        assertUserError(run("moments", "--config", badValue.toString(), "--out", out.toString()), "three");
        Path typo = Files.writeString(tmp.resolve("typo.yaml"), "dim: 5\nsampels: 1000\n");
        assertUserError(run("moments", "--config", typo.toString(), "--out", out.toString()), "config key 'sampels' names no option");
        Path badPrefix = Files.writeString(tmp.resolve("prefix.properties"), "momnets.samples = 1000\n");
        assertUserError(run("moments", "--config", badPrefix.toString(), "--out", out.toString()), "'momnets' is not a command");
        assertFalse(Files.exists(out));
    }

    @Test
    void configFilesSetDefaultsAndTheCommandLineWins() throws IOException {
        Path props = Files.writeString(tmp.resolve("run.properties"), String.join("\n",
                "# defaults for every command",
                "samples = 4000",
                "dim = 5",
                "seed = 17",
                "hidden = 2",
                "moments.samples = 3000",
                "progress-seconds = 0",
                ""));
        Path outP = tmp.resolve("from-properties");
        Run r = run("moments", "--config", props.toString(), "--dim", "3", "--out", outP.toString());
        assertEquals(0, r.exit(), r.both());
        Map<String, Object> p = Json.readMap(outP.resolve("params.json"));
        assertEquals(3000, ((Number) p.get("samples")).intValue(), "moments.samples wins over samples");
        assertEquals(3, ((Number) p.get("dim")).intValue(), "the command line wins over the file");
        assertEquals(17, ((Number) p.get("seed")).intValue(), "the file sets the default");

        Path yaml = Files.writeString(tmp.resolve("run.yaml"), String.join("\n",
                "dim: 4",
                "seed: 23",
                "hidden: 2",
                "progress-seconds: 0",
                "distribution: laplace",
                "moments:",
                "  samples: 2500",
                ""));
        Path outY = tmp.resolve("from-yaml");
        Run y = run("moments", "--config", yaml.toString(), "--seed", "5", "--out", outY.toString());
        assertEquals(0, y.exit(), y.both());
        Map<String, Object> q = Json.readMap(outY.resolve("params.json"));
        assertEquals(2500, ((Number) q.get("samples")).intValue(), "nested command section");
        assertEquals(4, ((Number) q.get("dim")).intValue());
        assertEquals(5, ((Number) q.get("seed")).intValue(), "the command line wins over the file");
        assertEquals("laplace", q.get("distribution"));
        Map<String, Object> truth = Json.readMap(outY.resolve("truth.json"));
        assertEquals(2500, ((Number) truth.get("numRows")).intValue());
        assertEquals(5, ((Number) truth.get("seed")).intValue());
    }

    @Test
    @Tag("slow")
    void demoRunsOnASmallSample() throws IOException {
        Path out = tmp.resolve("demo");
        Run r = run("demo", "--samples", "20000", "--dim", "5", "--progress-seconds", "0", "--out", out.toString());
        assertEquals(0, r.exit(), r.both());
        assertTrue(r.out().contains("relulearn demo"), r.out());
        assertTrue(r.out().contains("N=20,000"), "the demo honours --samples:\n" + r.out());
        assertTrue(Files.exists(out.resolve("results.json")));
        assertEquals(List.of("demo"), listNames(tmp));
    }
}
