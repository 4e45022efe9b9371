package org.relulearn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivilegedExceptionAction;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.hadoop.security.UserGroupInformation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.relulearn.report.Json;
import org.relulearn.spark.SparkTestSession;

/**
 * Every path of a run on a real distributed file system: a MiniDFSCluster (namenode and one
 * datanode on loopback, started by the test) and only hdfs:// URIs. generate writes its data from
 * the executors; each training family (gate, moments, tensor-gd, hermite, convex) reads it and
 * saves its output and model there; the gate and ADMM checkpoints (ADMM's per-row state written by
 * the executors) go there too. A driver JVM running ADMM is killed with SIGKILL after a checkpoint,
 * and {@code --resume} of that hdfs:// checkpoint ends with the same results as an uninterrupted
 * run; {@code evaluate} loads a saved model back from HDFS. A malformed URI, a scheme without a
 * file system and a permission error each end with exit 2 and a message naming cause and fix.
 *
 * <p>Tagged {@code cluster}: runs in the integration-test phase of {@code mvn verify}, in its own
 * JVM. Alone: {@code mvn -o test-compile surefire:test@cluster-test -Dtest=HdfsRunTest}.
 */
@Tag("cluster")
class HdfsRunTest {
    @TempDir
    static Path tmp;

    private static MiniDFSCluster dfs;
    private static FileSystem fs;
    private static String hdfs;

    @BeforeAll
    static void startHdfs() throws IOException {
        long t0 = System.nanoTime();
        Configuration conf = new Configuration();
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, tmp.resolve("dfs").toString());
        conf.set("dfs.namenode.rpc-bind-host", "127.0.0.1");
        conf.set("dfs.namenode.http-address", "127.0.0.1:0");
        conf.set("dfs.datanode.address", "127.0.0.1:0");
        conf.set("dfs.datanode.http.address", "127.0.0.1:0");
        conf.set("dfs.datanode.ipc.address", "127.0.0.1:0");
        conf.setBoolean("dfs.permissions.enabled", true);
        dfs = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
        dfs.waitActive();
        fs = dfs.getFileSystem();
        hdfs = fs.getUri().toString();   // hdfs://localhost:<port>
        fs.mkdirs(new org.apache.hadoop.fs.Path("/runs"));
        fs.setPermission(new org.apache.hadoop.fs.Path("/runs"), new FsPermission((short) 0777));
        SparkTestSession.get();
        System.out.printf("HdfsRunTest: HDFS at %s after %.1f s%n", hdfs, (System.nanoTime() - t0) / 1e9);
    }

    @AfterAll
    static void stopHdfs() {
        if (dfs != null) dfs.shutdown();
    }

    private static String at(String name) { return hdfs + "/runs/" + name; }

    private static Map<String, Object> readJson(String uri) throws IOException {
        try (InputStream in = fs.open(new org.apache.hadoop.fs.Path(uri))) {
            return Json.mapper().readValue(in, Json.mapper().getTypeFactory().constructMapType(Map.class, String.class, Object.class));
        }
    }

    private static boolean exists(String uri) throws IOException { return fs.exists(new org.apache.hadoop.fs.Path(uri)); }

    private static List<String> names(String uri) throws IOException {
        return Arrays.stream(fs.listStatus(new org.apache.hadoop.fs.Path(uri))).map(FileStatus::getPath)
                .map(org.apache.hadoop.fs.Path::getName).sorted().toList();
    }

    private static CliRun ok(String... args) {
        long t0 = System.nanoTime();
        CliRun r = CliRun.of(args);
        assertEquals(0, r.exit(), String.join(" ", args) + "\n" + r.out() + r.err());
        System.out.printf("HdfsRunTest: %s %s: %.1f s%n", args[0], args.length > 1 && !args[1].startsWith("-") ? args[1] : "",
                (System.nanoTime() - t0) / 1e9);
        return r;
    }

    private static String[] args(List<String> base, String... more) {
        List<String> a = new ArrayList<>(base);
        a.addAll(List.of(more));
        return a.toArray(new String[0]);
    }

    private static final List<String> CONVEX = List.of("train", "convex", "--patterns", "12", "--weight-decay",
            "0.5", "--max-iter", "40", "--tol", "1e-12", "--rho-adapt", "10", "--no-baseline",
            "--block-size-mb", "0.01", "--deterministic", "--progress-seconds", "0", "--checkpoint-every", "5");

    @Test
    void generateTrainCheckpointKillResumeSaveAndLoadAllOnHdfs() throws Exception {
        long t0 = System.nanoTime();
        String gen = at("gen");
        ok("generate", "--samples", "4000", "--dim", "4", "--hidden", "2", "--outputs", "1", "--partitions", "2", "--seed", "5",
                "--out", gen);
        assertEquals(List.of("_SUCCESS", "data", "metrics.jsonl", "params.json", "truth.json"), names(gen));
        assertEquals(List.of("gen"), names(hdfs + "/runs"), "no temporary directory is left");
        assertEquals(4, ((Number) readJson(gen + "/truth.json").get("d")).intValue());

        // each family once, reading hdfs:// and writing its output and model there
        ok("train", "moments", "--input", gen, "--fit-hidden", "1", "--out", at("moments"));   // k <= m = 1 for moments
        ok("train", "tensor-gd", "--input", gen, "-k", "2", "--iterations", "20", "--out", at("tensor-gd"));
        ok("train", "hermite", "--input", gen, "--fit-hidden", "2", "--out", at("hermite"));
        List<String> gate = List.of("train", "gate", "--input", gen, "--iterations", "60", "--batch", "32", "--pilot-samples", "500",
                "--checkpoint-every", "25");
        ok(args(gate, "--checkpoint-dir", at("gate.ckpt"), "--out", at("gate")));
        assertEquals(50, ((Number) readJson(at("gate.ckpt") + "/checkpoint.json").get("iteration")).intValue());
        assertEquals(List.of("checkpoint.json"), names(at("gate.ckpt")), "one checkpoint file, no temporary names");
        CliRun resumedGate = ok(args(gate, "--resume", at("gate.ckpt"), "--out", at("gate-resumed")));
        assertTrue(resumedGate.out().contains("resuming from the checkpoint after iteration 50"), resumedGate.out());
        assertEquals(ResumeCommandsTest.withoutTimings(readJson(at("gate") + "/results.json")),
                ResumeCommandsTest.withoutTimings(readJson(at("gate-resumed") + "/results.json")));
        for (String family : List.of("moments", "tensor-gd", "hermite", "gate")) {
            assertTrue(exists(at(family) + "/_SUCCESS") && exists(at(family) + "/results.json")
                    && exists(at(family) + "/model/metadata") && exists(at(family) + "/model/relulearn.json"), family);
        }

        // ADMM: an uninterrupted run, and a driver JVM killed after a checkpoint, resumed from hdfs://
        String whole = at("convex");
        ok(args(CONVEX, "--input", gen, "--out", whole));
        String ckpt = at("convex.ckpt");
        long killedAt = runAndKill(args(CONVEX, "--input", gen, "--master", "local[2]", "--checkpoint-dir", ckpt,
                "--out", at("convex-killed")), ckpt + "/checkpoint.json", 15);
        assertFalse(exists(at("convex-killed")), "a killed run publishes no output directory");
        String rows = (String) ((Map<?, ?>) readJson(ckpt + "/checkpoint.json").get("state")).get("rowState");
        assertEquals("rows-after-" + killedAt, rows);
        List<String> parts = names(ckpt + "/" + rows);   // one file per partition of the input (its file splits)
        assertTrue(!parts.isEmpty() && parts.stream().allMatch(n -> n.matches("part-\\d{5}")),
                "the row duals, written by the executors, no temporary names: " + parts);
        CliRun resumed = ok(args(CONVEX, "--input", gen, "--resume", ckpt, "--out", at("convex-killed")));
        assertTrue(resumed.out().contains("resuming at iteration " + (killedAt + 1)), resumed.out());
        assertEquals(ResumeCommandsTest.withoutTimings(readJson(whole + "/results.json")),
                ResumeCommandsTest.withoutTimings(readJson(at("convex-killed") + "/results.json")));
        try (InputStream a = fs.open(new org.apache.hadoop.fs.Path(whole + "/gates.csv"));
             InputStream b = fs.open(new org.apache.hadoop.fs.Path(at("convex-killed") + "/gates.csv"))) {
            assertTrue(Arrays.equals(a.readAllBytes(), b.readAllBytes()), "the same gates");
        }

        // load a saved model back from HDFS
        CliRun ev = ok("evaluate", "--model", at("convex-killed"), "--input", gen, "--out", at("eval"));
        assertTrue(ev.out().contains("model: " + at("convex-killed") + "/model"), ev.out());
        assertTrue(readJson(at("eval") + "/results.json").containsKey("mse"));
        System.out.printf("HdfsRunTest: the whole flow took %.1f s%n", (System.nanoTime() - t0) / 1e9);
    }

    /** Runs the CLI in a separate JVM and kills it (SIGKILL) once the checkpoint on HDFS passed {@code after}. */
    private static long runAndKill(String[] cliArgs, String checkpoint, int after) throws Exception {
        List<String> cmd = new ArrayList<>(DriverJvm.command(List.of(cliArgs)));
        Path log = tmp.resolve("driver.log");
        long t0 = System.nanoTime();
        Process driver = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long killedAt = -1;
        try {
            for (int i = 0; i < 6_000 && driver.isAlive(); i++) {
                if (exists(checkpoint)) {
                    long it = ((Number) readJson(checkpoint).get("iteration")).longValue();
                    if (it >= after) {
                        killedAt = it;
                        driver.destroyForcibly();
                        break;
                    }
                }
                Thread.sleep(50);
            }
            String tail = Files.exists(log) ? String.join("\n", Files.readAllLines(log).stream()
                    .skip(Math.max(0, Files.readAllLines(log).size() - 40)).toList()) : "";
            assertTrue(killedAt >= after, "the driver ended before its checkpoint passed iteration " + after + ":\n" + tail);
            assertTrue(driver.waitFor(30, TimeUnit.SECONDS));
        } finally {
            driver.destroyForcibly();
        }
        System.out.printf("HdfsRunTest: driver killed after its checkpoint at iteration %d, %.1f s after launch%n", killedAt,
                (System.nanoTime() - t0) / 1e9);
        return killedAt;
    }

    @Test
    void badUriMissingSchemeAndPermissionAreUserErrors() throws Exception {
        CliRun bad = CliRun.of("generate", "--samples", "100", "--dim", "2", "--out", "hdfs://[bad/x");
        assertEquals(2, bad.exit(), bad.out() + bad.err());
        assertTrue(bad.err().contains("is not a valid path or URI") && bad.err().contains("hdfs://namenode:8020"), bad.err());

        CliRun scheme = CliRun.of("generate", "--samples", "100", "--dim", "2", "--out", "nosuchfs://bucket/x");
        assertEquals(2, scheme.exit(), scheme.out() + scheme.err());
        assertTrue(scheme.err().contains("no file system for scheme 'nosuchfs'") && scheme.err().contains("on the classpath"),
                scheme.err());

        CliRun s3 = CliRun.of("train", "moments", "--input", "s3a://bucket/data", "--fit-hidden", "2", "--out", at("never"));
        assertEquals(2, s3.exit(), s3.out() + s3.err());
        assertTrue(s3.err().contains("scheme 's3a'") && s3.err().contains("hadoop-aws"), s3.err());

        // a directory only its owner (the superuser) may enter; the run is another user's
        fs.mkdirs(new org.apache.hadoop.fs.Path("/locked"));
        fs.setPermission(new org.apache.hadoop.fs.Path("/locked"), new FsPermission((short) 0700));
        UserGroupInformation alice = UserGroupInformation.createRemoteUser("alice");
        CliRun denied = alice.doAs((PrivilegedExceptionAction<CliRun>) () ->
                CliRun.of("generate", "--samples", "100", "--dim", "2", "--out", hdfs + "/locked/gen"));
        assertEquals(2, denied.exit(), denied.out() + denied.err());
        assertTrue(denied.err().contains("permission denied") && denied.err().contains("grant the user 'alice'")
                && denied.err().contains("--out"), denied.err());
        CliRun ckDenied = alice.doAs((PrivilegedExceptionAction<CliRun>) () ->
                CliRun.of(args(CONVEX, "-d", "3", "-k", "2", "-n", "200", "--checkpoint-dir", hdfs + "/locked/ck", "--out", at("never2"))));
        assertEquals(2, ckDenied.exit(), ckDenied.out() + ckDenied.err());
        assertTrue(ckDenied.err().contains("permission denied") && ckDenied.err().contains("--checkpoint-dir"), ckDenied.err());
        assertFalse(exists(at("never")) || exists(at("never2")));
    }
}
