package org.relulearn.spark;

import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * One shared local session for the test JVM (UI off, loopback only). Its master is
 * {@code local[2,2]} -- two cores, and a failed task is retried once -- so retry tests can inject a
 * failure; surefire also sets the system property {@code spark.master=local[2,2]}, so a session
 * created first by a CLI test (which goes through {@link Sessions}) is the same kind of session.
 * A session stopped by some test is replaced on the next {@link #get()}.
 */
public final class SparkTestSession {
    /** The master used when no spark.master system property is set. */
    public static final String MASTER = "local[2,2]";

    private static SparkSession spark;

    private SparkTestSession() {}

    public static synchronized SparkSession get() {
        if (spark == null || spark.sparkContext().isStopped()) {
            spark = Sessions.getOrCreate("relulearn-test", MASTER, Map.of(
                    "spark.ui.enabled", "false",
                    "spark.sql.shuffle.partitions", "4"));
        }
        return spark;
    }
}
