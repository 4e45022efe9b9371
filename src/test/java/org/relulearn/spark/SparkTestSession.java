package org.relulearn.spark;

import java.util.Map;
import org.apache.spark.sql.SparkSession;

/** One shared local[2] session for the test JVM (UI off, loopback only). */
public final class SparkTestSession {
    private static SparkSession spark;

    private SparkTestSession() {}

    public static synchronized SparkSession get() {
        if (spark == null) {
            spark = Sessions.getOrCreate("relulearn-test", "local[2]", Map.of(
                    "spark.ui.enabled", "false",
                    "spark.sql.shuffle.partitions", "4"));
        }
        return spark;
    }
}
