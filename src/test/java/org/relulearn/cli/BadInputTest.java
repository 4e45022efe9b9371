package org.relulearn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.relulearn.spark.SparkTestSession;

/**
 * The bad-input table of docs/clusters.md, one case per row: files, options, data, checkpoints and
 * clusters. Every case exits with code 2, prints one error line naming the cause (the fragment
 * given) and no stack trace, and leaves neither the output directory nor a temporary directory
 * behind. {@code {tmp}} in an argument is the case's own temporary directory, {@code {out}} its
 * output directory.
 */
class BadInputTest {
    @TempDir
    Path tmp;

    @BeforeAll
    static void sharedSession() {
        SparkTestSession.get();
    }

    /** One row of the table: the command, files it needs, and a fragment of the expected message. */
    record Case(String name, List<String> args, Consumer<Path> setup, String expected) {
        @Override
        public String toString() { return name; }
    }

    private static final List<String> GATE = List.of("train", "gate", "--dim", "3", "--iterations", "5", "--pilot-samples", "2000",
            "--progress-seconds", "0");
    private static final List<String> MOMENTS = List.of("moments", "--samples", "2000", "--dim", "3", "--hidden", "1",
            "--progress-seconds", "0");
    private static final List<String> MOMENTS_ON_FILES = List.of("moments", "--progress-seconds", "0");
    private static final List<String> CONVEX = List.of("train", "convex", "-d", "3", "-k", "2", "-n", "300", "--patterns", "12",
            "--max-iter", "5", "--no-baseline", "--progress-seconds", "0");
    private static final List<String> TENSOR_GD = List.of("train", "tensor-gd", "-d", "4", "-k", "2", "-n", "2000", "--iterations", "5",
            "--progress-seconds", "0");

    private static Case convex(String name, String expected, Consumer<Path> setup, String... extra) {
        return new Case(name, merge(CONVEX, extra), setup, expected);
    }

    private static Case tensorGd(String name, String expected, Consumer<Path> setup, String... extra) {
        return new Case(name, merge(TENSOR_GD, extra), setup, expected);
    }

    /** A valid checkpoint of {@code algorithm} in tmp/ck, written with other settings than any case's. */
    private static Consumer<Path> checkpointOf(String algorithm) {
        return d -> org.relulearn.report.TrainingCheckpoint.writer(d.resolve("ck"), algorithm,
                java.util.Map.of("options", java.util.Map.of("maxIter", 99))).write(4, java.util.Map.of());
    }

    private static Case gate(String name, String expected, String... extra) {
        return gate(name, expected, d -> { }, extra);
    }

    private static Case gate(String name, String expected, Consumer<Path> setup, String... extra) {
        return new Case(name, merge(GATE, extra), setup, expected);
    }

    /** The base arguments with each option of {@code extra} replacing the base's value (flags added). */
    private static List<String> merge(List<String> base, String... extra) {
        List<String> a = new ArrayList<>(base);
        for (int i = 0; i < extra.length; i++) {
            boolean flag = i + 1 == extra.length || (extra[i + 1].startsWith("--") && !extra[i + 1].matches("--?\\d.*"));
            int at = a.indexOf(extra[i]);
            if (!flag && at >= 0 && extra[i].startsWith("--")) {
                a.set(at + 1, extra[++i]);
            } else {
                a.add(extra[i]);
                if (!flag) a.add(extra[++i]);
            }
        }
        return a;
    }

    private static Case input(String name, String expected, Consumer<Path> setup, String... extra) {
        return new Case(name, merge(MOMENTS_ON_FILES, extra), setup, expected);
    }

    private static Case moments(String name, String expected, String... extra) {
        return moments(name, expected, d -> { }, extra);
    }

    private static Case moments(String name, String expected, Consumer<Path> setup, String... extra) {
        return new Case(name, merge(MOMENTS, extra), setup, expected);
    }

    private static Consumer<Path> file(String name, String content) {
        return d -> write(d.resolve(name), content);
    }

    private static void write(Path p, String content) {
        try {
            Files.createDirectories(p.getParent());
            Files.writeString(p, content);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static Stream<Arguments> cases() {
        List<Case> c = List.of(
                // options
                moments("dimension zero", "--dim must be >= 1", "--dim", "0"),
                moments("dimension not a number", "Invalid value for option '--dim'", "--dim", "three"),
                moments("no samples", "--samples must be >= 1", "--samples", "0"),
                moments("unknown distribution", "unknown distribution 'nosuch'", "--distribution", "nosuch"),
                moments("distribution parameter not a number", "not a number", "--distribution", "student-t:nu=x"),
                moments("unknown teacher", "unknown --teacher 'tree'", "--teacher", "tree"),
                moments("unknown option", "Unknown option: '--frobnicate'", "--frobnicate"),
                moments("block size zero", "--block-size-mb must be in (0, 1024]", "--block-size-mb", "0"),
                moments("negative partitions", "--partitions must be >= 0", "--partitions", "-1"),
                moments("aggregation depth zero", "--aggregation-depth must be >= 1", "--aggregation-depth", "0"),
                gate("batch zero", "mini-batch size b must be >= 1", "--batch", "0"),
                gate("no iterations", "iterations T must be >= 1", "--iterations", "0"),
                gate("negative step size", "step size eta must be a finite number > 0", "--eta", "-1"),
                gate("unknown step mode", "unknown step mode 'fast'", "--step-mode", "fast"),
                gate("unknown mode", "unknown mode 'turbo'", "--mode", "turbo"),
                gate("unknown update", "adam", "--update", "adam"),
                gate("evaluation interval zero", "evaluation interval must be >= 1", "--eval-every", "0"),
                gate("pilot too small", "pilot samples must be >= 2", "--pilot-samples", "1"),
                gate("negative tolerance", "tolerance must be >= 0", "--tol", "-1"),
                gate("gate with a network teacher", "train gate needs one label per row", "--teacher", "network", "--hidden", "2",
                        "--outputs", "2"),
                // files
                gate("start file missing", "does not exist: check the path", "--init", "{tmp}/missing.csv"),
                gate("start file of the wrong length", "has 2 values but d = 3", file("w1.csv", "1,2\n"), "--init", "{tmp}/w1.csv"),
                gate("start file not numeric", "'abc' is not a number", file("w1.csv", "1,abc,3\n"), "--init", "{tmp}/w1.csv"),
                moments("config file missing", "does not exist", "--config", "{tmp}/missing.yaml"),
                moments("config file malformed", "cannot parse config file", file("bad.yaml", "samples: [1, 2\ndim: {\n"),
                        "--config", "{tmp}/bad.yaml"),
                moments("config file not a mapping", "must be a YAML mapping", file("list.yaml", "- samples\n- dim\n"),
                        "--config", "{tmp}/list.yaml"),
                // data
                input("input path missing", "does not exist: check --input", d -> { }, "--input", "{tmp}/nothing"),
                input("input directory empty", "holds no data files", d -> mkdir(d.resolve("empty")), "--input", "{tmp}/empty"),
                input("unknown input format", "unknown format 'xls'", file("d.csv", "x0,x1,x2,y\n1,2,3,4\n"),
                        "--input", "{tmp}/d.csv", "--format", "xls"),
                input("CSV value not numeric", "not a number", file("d.csv", "x0,x1,x2,y\n1,2,3,4\n1,zz,3,4\n"),
                        "--input", "{tmp}/d.csv"),
                input("CSV ragged row", "ragged row", file("d.csv", "x0,x1,x2,y\n1,2,3,4\n1,2,3\n"), "--input", "{tmp}/d.csv"),
                input("CSV without a header", "is empty: a CSV input file needs a header line", file("d.csv", ""),
                        "--input", "{tmp}/d.csv"),
                input("LibSVM index out of order", "comes after index", file("d.libsvm", "1 1:0.5 3:1 2:2\n"),
                        "--input", "{tmp}/d.libsvm"),
                input("LibSVM label not numeric", "the label 'abc'", file("d.libsvm", "abc 1:0.5 2:1\n"),
                        "--input", "{tmp}/d.libsvm"),
                // outputs
                moments("output exists", "already exists: choose another --out or add --overwrite", d -> mkdir(d.resolve("out")),
                        "--out", "{out}"),
                moments("output under a file", "choose a writable --out", file("afile", "x"), "--out", "{tmp}/afile/run"),
                moments("output without write permission", "choose a writable --out", "--out", "/proc/relulearn-run"),
                // checkpoints
                gate("checkpoint interval zero", "--checkpoint-every must be >= 1", "--checkpoint-dir", "{tmp}/ck",
                        "--checkpoint-every", "0"),
                gate("checkpoint directory inside the output", "choose a --checkpoint-dir outside --out",
                        "--checkpoint-dir", "{out}/ck"),
                gate("resume from a missing directory", "is not a directory: give the --checkpoint-dir", "--resume", "{tmp}/none"),
                gate("resume from a directory without checkpoint", "no checkpoint in", d -> mkdir(d.resolve("ck")),
                        "--resume", "{tmp}/ck"),
                gate("resume from a corrupt checkpoint", "it is corrupt or unreadable", file("ck/checkpoint.json", "{\"format\": "),
                        "--resume", "{tmp}/ck"),
                gate("checkpoints with --compare-sgd", "--compare-sgd cannot be combined", "--compare-sgd",
                        "--checkpoint-dir", "{tmp}/ck"),
                convex("ADMM: resume from a missing directory", "is not a directory: give the --checkpoint-dir", d -> { },
                        "--resume", "{tmp}/none"),
                convex("ADMM: resume from another algorithm's checkpoint", "was written by 'gate', not 'admm'", checkpointOf("gate"),
                        "--resume", "{tmp}/ck"),
                convex("ADMM: resume with other settings", "was written by a run with other settings", checkpointOf("admm"),
                        "--resume", "{tmp}/ck"),
                convex("ADMM: checkpoints with --solver scp", "apply to --solver admm only", d -> { }, "--solver", "scp",
                        "--checkpoint-dir", "{tmp}/ck"),
                tensorGd("tensor-gd: resume from a corrupt checkpoint", "it is corrupt or unreadable",
                        file("ck/checkpoint.json", "{\"format\": "), "--resume", "{tmp}/ck"),
                tensorGd("tensor-gd: resume with other settings", "was written by a run with other settings", checkpointOf("tensor-gd"),
                        "--resume", "{tmp}/ck"),
                // clusters
                moments("unreachable master", "cannot reach the Spark master spark://127.0.0.1:1", "--conf",
                        "spark.master=spark://127.0.0.1:1"),
                moments("malformed master", "unknown Spark master 'cluster42'", "--conf", "spark.master=cluster42"),
                moments("master without a port", "is not of the form spark://host:port", "--conf", "spark.master=spark://127.0.0.1"));
        return c.stream().map(Arguments::of);
    }

    private static void mkdir(Path p) {
        try {
            Files.createDirectories(p);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void badInputExitsWithTwoAndNamesTheCause(Case c) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("case"));
        Path out = dir.resolve("out");
        c.setup().accept(dir);
        boolean outExisted = Files.exists(out);
        List<String> args = new ArrayList<>();
        for (String a : c.args()) args.add(a.replace("{tmp}", dir.toString()).replace("{out}", out.toString()));
        if (!args.contains("--out")) args.addAll(List.of("--out", out.toString()));
        List<String> before = names(dir);

        CliRun r = CliRun.of(args.toArray(new String[0]));
        String err = r.err().strip();
        System.out.println("bad input | " + c.name() + " | " + r.exit() + " | " + err.lines().findFirst().orElse(""));
        assertEquals(2, r.exit(), "exit code; stdout:\n" + r.out() + "\nstderr:\n" + r.err());
        assertTrue(err.contains(c.expected()), "stderr lacks '" + c.expected() + "':\n" + err);
        assertFalse(err.contains("\tat "), "no stack trace without --verbose:\n" + err);
        assertEquals(outExisted, Files.exists(out), "no output directory is created");
        List<String> after = names(dir);
        after.removeIf(n -> n.equals("ck") && !before.contains("ck") && isEmptyDir(dir.resolve("ck")));
        assertEquals(before, after, "no temporary or partial files are left");
    }

    private static boolean isEmptyDir(Path p) {
        try (Stream<Path> s = Files.list(p)) {
            return s.findAny().isEmpty();
        } catch (IOException e) {
            return false;
        }
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return new ArrayList<>(s.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }
}
