package org.relulearn.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.relulearn.cli.ReluLearn;
import org.relulearn.report.Json;

/**
 * A real Spark standalone cluster on 127.0.0.1 -- a master and two workers, each its own JVM,
 * started by {@code submit/start-cluster} with authentication and a per-cluster secret -- and
 * {@code submit/submit-standalone} submissions of moments and gate fits in client and cluster deploy
 * mode. Each result equals the same command's run in local mode (deterministic aggregation, fixed
 * partitions: bit for bit, timings aside), also when one executor JVM is killed mid-job; submissions
 * without the secret are refused; {@code submit/stop-cluster} leaves no process behind.
 *
 * <p>Tagged {@code cluster}: surefire runs it in the integration-test phase (it submits the packaged
 * target/relulearn.jar). Alone: {@code mvn verify -Dtest=StandaloneClusterTest -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@Tag("cluster")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StandaloneClusterTest {
    private static Path base;
    private static Path state;
    private static Path logs;
    private static Path runs;
    private static final List<Long> DAEMON_PIDS = new ArrayList<>();

    @BeforeAll
    static void startCluster() throws Exception {
        base = Files.createTempDirectory("relulearn-cluster");
        state = base.resolve("state");
        logs = Files.createDirectories(base.resolve("logs"));
        runs = Files.createDirectories(base.resolve("runs"));
        long t0 = System.nanoTime();
        Scripts.Result r = Scripts.run(logs, "start-cluster", 180, "start-cluster", "--dir", state.toString(),
                "--workers", "2", "--cores", "3", "--memory", "3g");
        assertEquals(0, r.exit(), "start-cluster failed:\n" + r.output());
        System.out.printf("standalone test: cluster started in %.1f s: %s%n", (System.nanoTime() - t0) / 1e9, r.output().strip());
        for (String f : List.of("master.pid", "worker1.pid", "worker2.pid")) {
            DAEMON_PIDS.add(Long.parseLong(Files.readString(state.resolve(f)).strip()));
        }
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (state == null) return;
        Scripts.Result r = Scripts.run(logs, "stop-cluster", 120, "stop-cluster", "--dir", state.toString());
        assertEquals(0, r.exit(), "stop-cluster failed:\n" + r.output());
        for (long pid : DAEMON_PIDS) {
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "daemon " + pid + " still runs");
        }
        assertEquals(List.of(), processesIn(state), "executor or driver JVMs left in " + state);
        assertFalse(Files.exists(state.resolve("secret")), "stop-cluster deletes the secret");
    }

    @Test
    @Order(1)
    void theSecretIsPrivateAndASubmissionWithoutItIsRefused() throws Exception {
        Path secret = state.resolve("secret");
        assertEquals(EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
                Files.getPosixFilePermissions(secret), "the secret file is 0600");
        String url = Files.readString(state.resolve("master-url")).strip();
        assertTrue(url.startsWith("spark://127.0.0.1:"), url);

        // No secret at all (spark.authenticate off): the master's SASL handshake refuses the connection.
        Path noSecretOut = runs.resolve("no-secret");
        Scripts.Result none = Scripts.start(logs, "submit-no-secret", "submit-standalone", List.of("--master", url,
                "--deploy-mode", "cluster", "--", "moments", "--samples", "1000", "--dim", "3", "--out", noSecretOut.toString()),
                Map.of()).await(180);
        assertNotEquals(0, none.exit(), none.output());
        assertTrue(none.output().contains("Expected SaslMessage"), "refused by authentication:\n" + Scripts.tail(none.log()));
        assertFalse(Files.exists(noSecretOut), "a refused submission writes no output");

        // A wrong secret: the digest does not match.
        Path wrong = Files.writeString(base.resolve("wrong-secret"), "0123456789abcdef");
        Files.setPosixFilePermissions(wrong, EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
        Path wrongOut = runs.resolve("wrong-secret");
        Scripts.Result bad = Scripts.start(logs, "submit-wrong-secret", "submit-standalone", List.of("--master", url,
                "--secret-file", wrong.toString(), "--deploy-mode", "cluster", "--", "moments", "--samples", "1000",
                "--dim", "3", "--out", wrongOut.toString()), Map.of()).await(180);
        assertNotEquals(0, bad.exit(), bad.output());
        assertTrue(bad.output().contains("SaslException"), "refused by authentication:\n" + Scripts.tail(bad.log()));
        assertFalse(Files.exists(wrongOut));
    }

    @Test
    @Order(2)
    void momentsInClientModeSurvivesAKilledExecutorAndEqualsLocalMode() throws Exception {
        List<String> args = List.of("moments", "--samples", "400000", "--dim", "8", "--hidden", "3", "--partitions", "8",
                "--deterministic", "--seed", "11", "--progress-seconds", "0");
        Path local = runLocal(args, "moments-local");
        Path out = runs.resolve("moments-client-killed");
        long t0 = System.nanoTime();
        Scripts.Running submit = submit("moments-client-killed", "client", 2, args, out);

        // Kill the first executor seen running a task: mid-job by construction.
        Path killedDir = null;
        long killedPid = -1;
        for (int i = 0; i < 2400 && killedDir == null && submit.process().isAlive(); i++) {
            for (Path exec : executorDirs()) {
                Path stderr = exec.resolve("stderr");
                if (Files.exists(stderr) && Files.readString(stderr, StandardCharsets.ISO_8859_1).contains("Running task")) {
                    Optional<Long> pid = processesIn(exec).stream().findFirst();
                    if (pid.isPresent()) {
                        killedPid = pid.get();
                        ProcessHandle.of(killedPid).ifPresent(ProcessHandle::destroyForcibly);
                        killedDir = exec;
                        break;
                    }
                }
            }
            Thread.sleep(50);
        }
        assertTrue(killedDir != null, "no executor was seen running a task; log:\n" + Scripts.tail(submit.log()));
        Scripts.Result r = submit.await(400);
        assertEquals(0, r.exit(), "the job survives the lost executor; log:\n" + Scripts.tail(r.log()));
        System.out.printf("standalone test: moments, client mode, executor %s (pid %d) killed: %.1f s%n",
                base.relativize(killedDir), killedPid, (System.nanoTime() - t0) / 1e9);
        long pid = killedPid;
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
        // The master saw the executor fail (and offered the application a replacement).
        String lost = killedDir.getParent().getFileName() + "/" + killedDir.getFileName();
        String masterLog = Files.readString(state.resolve("master.log"), StandardCharsets.ISO_8859_1);
        assertTrue(masterLog.contains("Removing executor " + lost + " because it is"), "master log lacks the loss of " + lost);
        assertTrue(masterLog.contains("Launching executor " + killedDir.getParent().getFileName() + "/2 "),
                "master log lacks the replacement executor:\n" + masterLog);
        assertSameResults(local, out);
    }

    @Test
    @Order(3)
    void clusterAndClientModeFitsOfBothAlgorithmsEqualLocalMode() throws Exception {
        List<String> moments = List.of("moments", "--samples", "50000", "--dim", "5", "--hidden", "2", "--partitions", "4",
                "--deterministic", "--seed", "3", "--progress-seconds", "0");
        List<String> gate = List.of("train", "gate", "--dim", "10", "--iterations", "300", "--pilot-samples", "20000",
                "--partitions", "4", "--deterministic", "--seed", "5", "--progress-seconds", "0");
        Path momentsLocal = runLocal(moments, "moments-local-2");
        Path gateLocal = runLocal(gate, "gate-local");
        long t0 = System.nanoTime();
        // Three applications at once: the cluster has 6 cores (each cluster-mode driver takes one).
        Scripts.Running mc = submit("moments-cluster", "cluster", 1, moments, runs.resolve("moments-cluster"));
        Scripts.Running gc = submit("gate-cluster", "cluster", 1, gate, runs.resolve("gate-cluster"));
        Scripts.Running gl = submit("gate-client", "client", 1, gate, runs.resolve("gate-client"));
        for (Scripts.Running p : List.of(mc, gc, gl)) {
            Scripts.Result r = p.await(400);
            assertEquals(0, r.exit(), p.label() + " failed; log:\n" + Scripts.tail(r.log()));
        }
        System.out.printf("standalone test: moments (cluster mode), gate (cluster and client mode) concurrently: %.1f s%n",
                (System.nanoTime() - t0) / 1e9);
        assertSameResults(momentsLocal, runs.resolve("moments-cluster"));
        assertSameResults(gateLocal, runs.resolve("gate-cluster"));
        assertSameResults(gateLocal, runs.resolve("gate-client"));
        assertEquals(Files.readString(gateLocal.resolve("trajectory.csv")), Files.readString(runs.resolve("gate-cluster/trajectory.csv")));
        // The cluster-mode drivers ran in Worker-launched JVMs, not here.
        try (Stream<Path> s = Files.list(state.resolve("work1")); Stream<Path> t = Files.list(state.resolve("work2"))) {
            long drivers = Stream.concat(s, t).filter(p -> p.getFileName().toString().startsWith("driver-")).count();
            assertTrue(drivers >= 2, "two cluster-mode drivers were launched by the workers");
        }
        assertSecretNowhere();
    }

    /** The secret appears in no log of the cluster, of a driver or executor, and in no run output. */
    private static void assertSecretNowhere() throws IOException {
        String secret = Files.readString(state.resolve("secret")).strip();
        assertTrue(secret.length() >= 32);
        try (Stream<Path> s = Files.walk(base)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                if (p.equals(state.resolve("secret")) || p.getFileName().toString().endsWith(".jar")) continue;
                assertFalse(Files.readString(p, StandardCharsets.ISO_8859_1).contains(secret), "the secret leaked into " + p);
            }
        }
    }

    private static Scripts.Running submit(String label, String mode, int cores, List<String> args, Path out) throws IOException {
        List<String> all = new ArrayList<>(List.of("--dir", state.toString(), "--deploy-mode", mode, "--driver-memory", "768m",
                "--executor-memory", "640m", "--total-executor-cores", Integer.toString(cores), "--conf", "spark.executor.cores=1",
                "--"));
        all.addAll(args);
        all.addAll(List.of("--out", out.toString()));
        return Scripts.start(logs, label, "submit-standalone", all, Map.of());
    }

    /** The same command in this JVM on the local test session (local[2,2]). */
    private static Path runLocal(List<String> args, String name) {
        Path out = runs.resolve(name);
        List<String> all = new ArrayList<>(args);
        all.addAll(List.of("--out", out.toString()));
        assertEquals(0, ReluLearn.execute(all.toArray(new String[0])), "local run " + all);
        return out;
    }

    /** results.json (and the run's parameters) equal, apart from wall-clock figures. */
    static void assertSameResults(Path expected, Path actual) throws IOException {
        assertEquals(withoutTimings(Json.readMap(expected.resolve("results.json"))),
                withoutTimings(Json.readMap(actual.resolve("results.json"))), "results of " + actual + " vs " + expected);
        Map<String, Object> pe = Json.readMap(expected.resolve("params.json")), pa = Json.readMap(actual.resolve("params.json"));
        pe.remove("out");
        pa.remove("out");
        assertEquals(pe, pa);
    }

    @SuppressWarnings("unchecked")
    static Object withoutTimings(Object v) {
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> r = new LinkedHashMap<>();
            m.forEach((k, x) -> {
                String key = (String) k;
                if (!key.equals("seconds") && !key.equals("samplesPerSecond")) r.put(key, withoutTimings(x));
            });
            return r;
        }
        if (v instanceof List<?> l) return l.stream().map(StandaloneClusterTest::withoutTimings).toList();
        return v;
    }

    /** Executor working directories of every application: state/work{1,2}/app-* /<executor id>. */
    private static List<Path> executorDirs() throws IOException {
        List<Path> dirs = new ArrayList<>();
        for (String w : List.of("work1", "work2")) {
            Path work = state.resolve(w);
            if (!Files.isDirectory(work)) continue;
            try (Stream<Path> apps = Files.list(work)) {
                for (Path app : apps.filter(p -> p.getFileName().toString().startsWith("app-")).toList()) {
                    try (Stream<Path> execs = Files.list(app)) {
                        dirs.addAll(execs.filter(Files::isDirectory).toList());
                    }
                }
            }
        }
        return dirs;
    }

    /** PIDs of processes whose working directory is {@code dir} or below it. */
    static List<Long> processesIn(Path dir) {
        String prefix = dir.toAbsolutePath().toString();
        List<Long> pids = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(q -> q.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    String cwd = Files.readSymbolicLink(p.resolve("cwd")).toString();
                    if (cwd.equals(prefix) || cwd.startsWith(prefix + "/")) pids.add(Long.parseLong(p.getFileName().toString()));
                } catch (IOException | SecurityException ignored) {
                    // a process that ended meanwhile, or one we may not inspect: not ours
                }
            }
        } catch (IOException e) {
            throw new AssertionError("cannot list /proc", e);
        }
        return pids;
    }
}
