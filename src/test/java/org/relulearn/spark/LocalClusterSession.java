package org.relulearn.spark;

import java.io.File;
import org.apache.spark.sql.SparkSession;

/**
 * One {@code local-cluster[2,1,1024]} session per test JVM -- a master and two workers in this JVM,
 * two executor JVMs forked by them -- shared by every test class tagged {@code multiprocess}
 * (surefire runs those in their own execution, hence their own JVM). Starting the cluster costs
 * seconds, so it is started once and stopped by Spark's shutdown hook.
 *
 * <p>Needs SPARK_HOME (surefire sets target/spark-home; an empty {@code jars/} folder passes Spark's
 * "is Spark built" check because the executors get the test classpath).
 */
public final class LocalClusterSession {
    private static SparkSession spark;

    private LocalClusterSession() {}

    public static synchronized SparkSession get() {
        if (spark != null && !spark.sparkContext().isStopped()) {
            return spark;
        }
        String sparkHome = System.getenv("SPARK_HOME");
        if (sparkHome == null) {
            throw new IllegalStateException("SPARK_HOME must be set (surefire sets it to target/spark-home)");
        }
        File jars = new File(sparkHome, "jars");
        if (!jars.isDirectory() && !jars.mkdirs()) {
            throw new IllegalStateException("cannot create " + jars);
        }
        String testClassPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        spark = SparkSession.builder()
                .master("local-cluster[2,1,1024]")
                .appName("relulearn local-cluster test")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.executor.extraClassPath", testClassPath)
                .config("spark.ui.enabled", "false")
                .getOrCreate();
        return spark;
    }
}
