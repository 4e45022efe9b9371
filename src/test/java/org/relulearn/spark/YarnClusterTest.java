package org.relulearn.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.server.MiniYARNCluster;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.relulearn.algo.gate.GateOptions;
import org.relulearn.algo.gate.GateResult;
import org.relulearn.algo.moments.MomentsResult;
import org.relulearn.cli.ReluLearn;
import org.relulearn.engine.LocalPassRunner;
import org.relulearn.report.Json;

/**
 * relulearn on YARN (MiniYARNCluster: one resource manager, one node manager, on 127.0.0.1): a
 * cluster-mode spark-submit of {@code relulearn moments} (driver in the application master) gives
 * the local-mode results, and in client mode (a session with master yarn) the moments and gate fits
 * on two executor containers equal the local runner bit for bit (deterministic aggregation). With
 * HDFS (MiniDFSCluster) as fs.defaultFS, cluster-mode generate and train convex read and write
 * plain paths on HDFS: data, checkpoints with the executors' row state, output and model.
 *
 * <p>Only in the {@code -Pspark35-yarn} build (Spark 3.5.6: spark-yarn 4.x is not on Maven Central),
 * tagged {@code yarn}: {@code mvn -Pspark35-yarn verify}.
 */
@Tag("yarn")
class YarnClusterTest {
    private static MiniYARNCluster yarn;
    private static MiniDFSCluster dfs;
    private static Map<String, String> hadoopConf;
    private static Path tmp;

    @BeforeAll
    static void startYarn() throws Exception {
        tmp = Files.createTempDirectory("relulearn-yarn");
        YarnConfiguration conf = new YarnConfiguration();
        String q = "yarn.scheduler.capacity.root.";
        conf.set(q + "queues", "default");
        conf.set(q + "default.capacity", "100");
        conf.set(q + "default.maximum-capacity", "100");
        conf.set(q + "default.user-limit-factor", "1");
        conf.set(q + "default.state", "RUNNING");
        conf.set(q + "default.acl_submit_applications", "*");
        conf.set(q + "default.acl_administer_queue", "*");
        conf.set("yarn.scheduler.capacity.node-locality-delay", "-1");
        conf.setBoolean("yarn.nodemanager.vmem-check-enabled", false);
        conf.setBoolean("yarn.nodemanager.pmem-check-enabled", false);
        conf.setBoolean("yarn.nodemanager.disk-health-checker.enable", false);
        conf.setInt("yarn.scheduler.minimum-allocation-mb", 256);
        conf.set("yarn.resourcemanager.bind-host", "127.0.0.1");
        conf.set("yarn.nodemanager.bind-host", "127.0.0.1");
        // HDFS beside YARN, as on a real cluster: fs.defaultFS of the configuration the containers get
        Configuration hdfsConf = new Configuration();
        hdfsConf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, tmp.resolve("dfs").toString());
        hdfsConf.set("dfs.namenode.rpc-bind-host", "127.0.0.1");
        hdfsConf.set("dfs.namenode.http-address", "127.0.0.1:0");
        hdfsConf.set("dfs.datanode.address", "127.0.0.1:0");
        hdfsConf.set("dfs.datanode.http.address", "127.0.0.1:0");
        hdfsConf.set("dfs.datanode.ipc.address", "127.0.0.1:0");
        dfs = new MiniDFSCluster.Builder(hdfsConf).numDataNodes(1).build();
        dfs.waitActive();
        conf.set("fs.defaultFS", dfs.getFileSystem().getUri().toString());
        yarn = new MiniYARNCluster("relulearn", 1, 1, 1);
        yarn.init(conf);
        yarn.start();
        for (int i = 0; i < 600 && yarn.getConfig().get(YarnConfiguration.RM_ADDRESS).endsWith(":0"); i++) Thread.sleep(100);
        Configuration live = yarn.getConfig();
        assertFalse(live.get(YarnConfiguration.RM_ADDRESS).endsWith(":0"), "the resource manager did not start");
        // spark-submit in cluster mode reads YARN_CONF_DIR (set by surefire to target/yarn-conf)
        File confDir = new File(System.getenv("YARN_CONF_DIR"));
        confDir.mkdirs();
        try (OutputStream out = Files.newOutputStream(confDir.toPath().resolve("yarn-site.xml"))) {
            live.writeXml(out);
        }
        hadoopConf = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, String> e : live) hadoopConf.put(e.getKey(), e.getValue());
    }

    @AfterAll
    static void stopYarn() {
        if (yarn != null) yarn.stop();
        if (dfs != null) dfs.shutdown();
    }

    private static String testClassPath() {
        return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    }

    /** Settings shared by both deploy modes: small containers, classpath from this JVM, no jar upload. */
    private static List<String> sparkConf() {
        String anyJar = List.of(testClassPath().split(File.pathSeparator)).stream().filter(s -> s.endsWith(".jar")).findFirst()
                .orElseThrow();
        List<String> c = new ArrayList<>(List.of(
                "spark.yarn.jars=local:" + anyJar,
                "spark.driver.extraClassPath=" + testClassPath(),
                "spark.yarn.am.extraClassPath=" + testClassPath(),
                "spark.executor.extraClassPath=" + testClassPath(),
                "spark.executor.instances=2", "spark.executor.cores=1", "spark.executor.memory=512m",
                "spark.driver.memory=512m", "spark.yarn.am.memory=512m", "spark.ui.enabled=false",
                "spark.driver.host=127.0.0.1"));
        hadoopConf.forEach((k, v) -> c.add("spark.hadoop." + k + "=" + v));
        return c;
    }

    @Test
    void clusterModeSubmissionAndClientModeFitsEqualLocalMode() throws Exception {
        List<String> moments = List.of("moments", "--samples", "50000", "--dim", "5", "--hidden", "2", "--partitions", "4",
                "--deterministic", "--seed", "3", "--progress-seconds", "0");
        // 1. the local reference (then stop that session: the client-mode test below needs its own)
        Path local = tmp.resolve("local");
        List<String> l = new ArrayList<>(moments);
        l.addAll(List.of("--out", local.toString()));
        assertEquals(0, ReluLearn.execute(l.toArray(new String[0])));
        SparkSession.active().stop();

        // 2. cluster mode: spark-submit with the driver in the YARN application master
        Path clusterOut = tmp.resolve("cluster");
        List<String> submit = new ArrayList<>(List.of("--master", "yarn", "--deploy-mode", "cluster",
                "--class", "org.relulearn.cli.ReluLearn"));
        for (String c : sparkConf()) submit.addAll(List.of("--conf", c));
        submit.add(Path.of("target", "relulearn.jar").toAbsolutePath().toString());
        submit.addAll(moments);
        submit.addAll(List.of("--out", clusterOut.toUri().toString()));   // file://: the default file system is HDFS here
        long t0 = System.nanoTime();
        org.apache.spark.deploy.SparkSubmit.main(submit.toArray(new String[0]));
        System.out.printf("yarn test: cluster-mode moments submission %.1f s%n", (System.nanoTime() - t0) / 1e9);
        assertTrue(Files.exists(clusterOut.resolve("results.json")), "the driver in the application master wrote " + clusterOut);
        Object expected = withoutTimings(Json.readMap(local.resolve("results.json")));
        assertEquals(expected, withoutTimings(Json.readMap(clusterOut.resolve("results.json"))));

        // 3. client mode: a session with master yarn, the fits against the local runner
        long t1 = System.nanoTime();
        SparkSession.Builder b = SparkSession.builder().master("yarn").appName("relulearn yarn client-mode test");
        for (String c : sparkConf()) b.config(c.substring(0, c.indexOf('=')), c.substring(c.indexOf('=') + 1));
        SparkSession spark = b.getOrCreate();
        try {
            JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            long driverPid = ProcessHandle.current().pid();
            List<Long> pids = jsc.parallelize(IntStream.range(0, 8).boxed().toList(), 8).map(i -> ProcessHandle.current().pid())
                    .distinct().collect();
            assertFalse(pids.contains(driverPid), "tasks ran in YARN containers, not here: " + pids);
            SparkPassRunner cluster = new SparkPassRunner(spark, SparkPassRunner.RunnerOptions.defaults().withPartitions(3)
                    .withDeterministic(true));
            MomentsResult mc = MomentsSparkEqualsLocalTest.fit(cluster);
            MomentsResult ml = MomentsSparkEqualsLocalTest.fit(new LocalPassRunner(3, LocalPassRunner.DEFAULT_DEPTH));
            assertArrayEquals(ml.w(), mc.w(), 0.0, "moments: W");
            assertArrayEquals(ml.a(), mc.a(), 0.0, "moments: A");
            GateResult gc = GateModesTest.run(cluster, GateOptions.Mode.DISTRIBUTED, 1, 97);
            GateResult gl = GateModesTest.run(new LocalPassRunner(3, LocalPassRunner.DEFAULT_DEPTH), GateOptions.Mode.DISTRIBUTED, 1, 97);
            assertArrayEquals(gl.w(), gc.w(), 0.0, "gate");
        } finally {
            spark.stop();
        }
        System.out.printf("yarn test: client-mode fits %.1f s%n", (System.nanoTime() - t1) / 1e9);
    }

    /**
     * Cluster mode with HDFS as the default file system: plain paths are HDFS paths. generate's
     * executors (YARN containers) write the data, then ADMM in the application master reads it,
     * checkpoints (the row state written by the executors) and publishes its output and model on
     * HDFS -- nothing on the containers' local disks.
     */
    @Test
    void clusterModeRunsReadAndWriteHdfs() throws Exception {
        FileSystem fs = dfs.getFileSystem();
        fs.mkdirs(new org.apache.hadoop.fs.Path("/runs"));
        List<String> base = new ArrayList<>(List.of("--master", "yarn", "--deploy-mode", "cluster", "--class", "org.relulearn.cli.ReluLearn"));
        for (String c : sparkConf()) base.addAll(List.of("--conf", c));
        base.add(Path.of("target", "relulearn.jar").toAbsolutePath().toString());
        long t0 = System.nanoTime();
        List<String> gen = new ArrayList<>(base);
        gen.addAll(List.of("generate", "--samples", "4000", "--dim", "4", "--hidden", "2", "--outputs", "1", "--partitions", "2",
                "--out", "/runs/gen"));
        org.apache.spark.deploy.SparkSubmit.main(gen.toArray(new String[0]));
        assertTrue(fs.exists(new org.apache.hadoop.fs.Path("/runs/gen/_SUCCESS")) && fs.exists(new org.apache.hadoop.fs.Path("/runs/gen/data")),
                "generate published /runs/gen on HDFS");
        List<String> convex = new ArrayList<>(base);
        convex.addAll(List.of("train", "convex", "--input", "/runs/gen", "--patterns", "12", "--weight-decay", "0.5", "--max-iter", "12",
                "--tol", "1e-12", "--no-baseline", "--deterministic", "--progress-seconds", "0", "--checkpoint-every", "5",
                "--checkpoint-dir", "/runs/cvx.ckpt", "--out", "/runs/cvx"));
        org.apache.spark.deploy.SparkSubmit.main(convex.toArray(new String[0]));
        System.out.printf("yarn test: generate and train convex on HDFS, cluster mode, %.1f s%n", (System.nanoTime() - t0) / 1e9);
        for (String f : List.of("/runs/cvx/_SUCCESS", "/runs/cvx/results.json", "/runs/cvx/model/metadata", "/runs/cvx.ckpt/checkpoint.json",
                "/runs/cvx.ckpt/rows-after-10/part-00000")) {
            assertTrue(fs.exists(new org.apache.hadoop.fs.Path(f)), f + " on HDFS");
        }
        try (java.io.InputStream in = fs.open(new org.apache.hadoop.fs.Path("/runs/cvx/results.json"))) {
            Map<?, ?> fit = (Map<?, ?>) Json.mapper().readValue(in, Map.class).get("fit");
            assertEquals(12, ((Number) fit.get("iterations")).intValue());
        }
    }

    @SuppressWarnings("unchecked")
    private static Object withoutTimings(Object v) {
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> r = new java.util.LinkedHashMap<>();
            m.forEach((k, x) -> {
                if (!"seconds".equals(k) && !"samplesPerSecond".equals(k)) r.put((String) k, withoutTimings(x));
            });
            return r;
        }
        if (v instanceof List<?> l) return l.stream().map(YarnClusterTest::withoutTimings).toList();
        return v;
    }
}
