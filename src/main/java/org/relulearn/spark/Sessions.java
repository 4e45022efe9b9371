package org.relulearn.spark;

import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/** Builds the SparkSession: a master given by spark-submit (or the cluster) wins over the default. */
public final class Sessions {
    private Sessions() {}

    /**
     * @param defaultMaster used only when no {@code spark.master} is configured (spark-submit sets it)
     * @param extra         further Spark settings (from --conf or a config file)
     */
    public static SparkSession getOrCreate(String appName, String defaultMaster, Map<String, String> extra) {
        SparkConf conf = new SparkConf();
        if (!conf.contains("spark.master")) conf.setMaster(defaultMaster == null ? "local[*]" : defaultMaster);
        conf.setAppName(appName);
        conf.setIfMissing("spark.ui.showConsoleProgress", "false");
        String master = conf.get("spark.master");
        if (master.startsWith("local")) {
            // Embedded local runs stay on loopback and do not need a web UI unless asked for.
            conf.setIfMissing("spark.driver.host", "127.0.0.1");
            conf.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
            conf.setIfMissing("spark.ui.enabled", "false");
        }
        extra.forEach(conf::set);
        return SparkSession.builder().config(conf).getOrCreate();
    }
}
