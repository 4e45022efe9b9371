package org.relulearn.spark;

import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/** Builds the SparkSession: a master given by spark-submit (or the cluster) wins over the default. */
public final class Sessions {
    private Sessions() {}

    static {
        installHadoopConfiguration();
    }

    /**
     * Lets {@link org.relulearn.fs.DataPath} resolve user paths with the active (or default) Spark
     * session's Hadoop configuration ({@code spark.hadoop.*}, credentials, fs.defaultFS).
     */
    public static void installHadoopConfiguration() {
        org.relulearn.fs.DataPath.setConfigurationSource(() -> {
            scala.Option<SparkSession> s = SparkSession.getActiveSession();
            if (s.isEmpty()) s = SparkSession.getDefaultSession();
            return s.isDefined() && !s.get().sparkContext().isStopped() ? s.get().sparkContext().hadoopConfiguration() : null;
        });
    }

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
        checkMaster(conf.get("spark.master"));
        adoptWorkerSecret(conf, System.getenv(WORKER_SECRET_ENV));
        return SparkSession.builder().config(conf).getOrCreate();
    }

    private static final java.util.regex.Pattern KNOWN_MASTER = java.util.regex.Pattern.compile(
            "local|local\\[(\\*|\\d+)(,\\d+)?]|local-cluster\\[\\d+, *\\d+, *\\d+]|yarn|k8s://.+|spark://.+");

    /**
     * Refuses a master URL Spark would not understand and, for a standalone master, one that does
     * not answer: Spark itself would retry registering for a minute and then fail with "All masters
     * are unresponsive", far from the cause.
     *
     * @throws IllegalArgumentException naming the URL and the fix
     */
    public static void checkMaster(String master) {
        if (!KNOWN_MASTER.matcher(master).matches()) {
            throw new IllegalArgumentException("unknown Spark master '" + master + "': use local[N], local-cluster[N,C,M],"
                    + " spark://host:port, yarn or k8s://https://host:port");
        }
        if (!master.startsWith("spark://")) return;
        String failure = null;
        for (String hostPort : master.substring("spark://".length()).split(",")) {
            int colon = hostPort.lastIndexOf(':');
            int port;
            try {
                port = colon < 0 ? -1 : Integer.parseInt(hostPort.substring(colon + 1));
            } catch (NumberFormatException e) {
                port = -1;
            }
            if (colon <= 0 || port < 1 || port > 65535) {
                throw new IllegalArgumentException("Spark master '" + master + "' is not of the form spark://host:port[,host:port]:"
                        + " fix --master");
            }
            try (java.net.Socket socket = new java.net.Socket()) {
                socket.connect(new java.net.InetSocketAddress(hostPort.substring(0, colon), port), 5000);
                return;   // one reachable master of a high-availability list is enough
            } catch (java.io.IOException e) {
                failure = hostPort + ": " + e.getMessage();
            }
        }
        throw new IllegalArgumentException("cannot reach the Spark master " + master + " (" + failure
                + "): start the cluster (submit/start-cluster) or fix --master");
    }

    /** The variable through which a standalone Worker hands the cluster secret to the JVMs it launches. */
    static final String WORKER_SECRET_ENV = "_SPARK_AUTH_SECRET";

    /**
     * A driver launched by a standalone Worker (cluster deploy mode) gets {@code spark.authenticate}
     * but not the secret in its configuration: the Worker strips the secret from the command line and
     * passes it in the environment instead, while Spark's driver-side check reads only the
     * configuration. Copy it over, in memory only (Spark redacts it in logs and the UI).
     */
    static void adoptWorkerSecret(SparkConf conf, String envSecret) {
        if (conf.getBoolean("spark.authenticate", false) && !conf.contains("spark.authenticate.secret")
                && !conf.contains("spark.authenticate.secret.file") && envSecret != null && !envSecret.isEmpty()) {
            conf.set("spark.authenticate.secret", envSecret);
        }
    }
}
