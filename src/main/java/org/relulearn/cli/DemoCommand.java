package org.relulearn.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.relulearn.data.SyntheticSource;
import org.relulearn.engine.SyntheticData;
import org.relulearn.report.RunOutput;
import org.relulearn.spark.SparkPassRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The demo: draws a teacher, streams a large synthetic sample set (10 million samples by default,
 * never materialised) and runs every algorithm relulearn has, printing recovered-vs-true figures.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Draw a teacher, stream 10 million synthetic samples, run every algorithm, print recovered vs true.")
public final class DemoCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin SyntheticOptions data;
    @Mixin EngineOptions engine;
    @Mixin OutputOptions output;

    @Override
    public Integer call() {
        data.defaults("network", 10_000_000L);
        try (RunOutput out = output.open("demo")) {
            SyntheticSource src = data.source(engine.blockBytes());
            System.out.println("relulearn demo");
            System.out.printf("  data: %s, N=%,d samples in blocks of %,d rows (generated where they are used)%n",
                    src.distribution().describe(), src.numRows(), src.rowsPerBlock());
            System.out.printf("  teacher: %s%n", src.teacher() == null ? "none" : src.teacher().describe().get("type")
                    + (data.teacherKind().equals("network") ? " with k=" + data.k + " hidden units, m=" + data.m + " output(s)" : ""));
            SparkSession spark = engine.session("relulearn demo");
            SparkPassRunner runner = engine.runner(spark);
            out.writeJson("params.json", CommandParams.of(spec));
            out.writeJson("truth.json", src.describe());
            Map<String, Object> results = new LinkedHashMap<>();
            System.out.println();
            System.out.println("[1] moment estimation (one distributed pass)");
            results.put("moments", MomentsCommand.run(runner, new SyntheticData(src), src, out));
            out.writeJson("results.json", results);
            System.out.println();
            System.out.println("output: " + out.commit());
            return 0;
        }
    }
}
