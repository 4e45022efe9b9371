package org.relulearn.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.relulearn.error.UserInputException;
import org.relulearn.spark.Sessions;
import org.relulearn.spark.SparkPassRunner;
import picocli.CommandLine.Option;

/** Spark and engine options shared by every command that runs passes. */
public class EngineOptions {
    @Option(names = "--master", defaultValue = "local[*]",
            description = "Spark master when none is configured (spark-submit's --master wins). Default: ${DEFAULT-VALUE}.")
    public String master;

    @Option(names = "--conf", paramLabel = "KEY=VALUE", description = "A Spark setting (repeatable), e.g. --conf spark.executor.memory=2g.")
    public Map<String, String> sparkConf = new LinkedHashMap<>();

    @Option(names = "--partitions", defaultValue = "0",
            description = "Partitions of synthetic data (0 = 4 per core). Fix it for bit-identical results across machines.")
    public int partitions;

    @Option(names = "--aggregation-depth", defaultValue = "2", description = "treeAggregate depth. Default: ${DEFAULT-VALUE}.")
    public int aggregationDepth;

    @Option(names = "--deterministic", defaultValue = "false",
            description = "Merge partial sums in a fixed order by partition index: bit-identical results for given"
                    + " --partitions and --aggregation-depth.")
    public boolean deterministic;

    @Option(names = "--block-size-mb", defaultValue = "1.0",
            description = "Byte budget of one row block, in MiB (MLlib's maxBlockSizeInMB). Default: ${DEFAULT-VALUE}.")
    public double blockSizeMb;

    @Option(names = "--progress-seconds", defaultValue = "10", description = "Seconds between progress lines of a running pass.")
    public double progressSeconds;

    public long blockBytes() {
        if (!(blockSizeMb > 0) || blockSizeMb > 1024) {
            throw new UserInputException("--block-size-mb must be in (0, 1024], got " + blockSizeMb);
        }
        return (long) (blockSizeMb * 1024 * 1024);
    }

    public SparkSession session(String appName) {
        return Sessions.getOrCreate(appName, master, sparkConf);
    }

    public SparkPassRunner runner(SparkSession spark) {
        if (partitions < 0) throw new UserInputException("--partitions must be >= 0 (0 = automatic), got " + partitions);
        if (aggregationDepth < 1) throw new UserInputException("--aggregation-depth must be >= 1, got " + aggregationDepth);
        return new SparkPassRunner(spark, new SparkPassRunner.RunnerOptions(partitions, aggregationDepth, deterministic,
                (long) (progressSeconds * 1000)));
    }

    /**
     * The settings that fix a run's trajectory: the fit's options, the data description and how partial
     * sums are merged. A resumed run must match them ({@code TrainingCheckpoint} refuses otherwise).
     */
    Map<String, Object> checkpointConfig(Object options, Object source) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("options", options);
        c.put("data", source);
        c.put("partitions", partitions);
        c.put("aggregationDepth", aggregationDepth);
        c.put("deterministic", deterministic);
        return c;
    }
}
