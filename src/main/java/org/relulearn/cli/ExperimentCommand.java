package org.relulearn.cli;

import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.DoubleFunction;
import org.apache.spark.sql.SparkSession;
import org.relulearn.error.UserInputException;
import org.relulearn.experiment.Experiment;
import org.relulearn.experiment.Experiments;
import org.relulearn.report.ExperimentReport;
import org.relulearn.report.ResultTables;
import org.relulearn.report.RunOutput;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code relulearn experiment <name> [--scale S] [--out DIR]}: runs one study and writes report.md
 * (plots embedded), results.json, CSV and Parquet tables and PNG + SVG plots into the output
 * directory (built under a temporary name, renamed when complete). {@code experiment list} prints
 * the studies.
 */
@Command(name = "experiment", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run one experiment (or 'list'): tables, plots and a Markdown report with the theory beside the measurement."})
public final class ExperimentCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin EngineOptions engine;
    @Mixin OutputOptions output;

    @Parameters(index = "0", paramLabel = "NAME", description = "Experiment name, or 'list'.")
    String name;

    @Option(names = "--scale", defaultValue = "1",
            description = "Multiply the sample counts (up to 1000; 1 = the papers' scale, finishes in minutes on 2 cores). Default: ${DEFAULT-VALUE}.")
    double scale;

    @Override
    public Integer call() {
        if (name.equals("list")) {
            for (Map.Entry<String, DoubleFunction<Experiment>> e : Experiments.all().entrySet()) {
                System.out.printf("  %-16s %s%n", e.getKey(), e.getValue().apply(1).summary());
            }
            return 0;
        }
        Experiment ex;
        try {
            ex = Experiments.create(name, scale);
        } catch (IllegalArgumentException e) {
            throw new UserInputException(e.getMessage());
        }
        try (RunOutput out = output.open("experiment-" + name)) {
            SparkSession spark = engine.session("relulearn experiment " + name);
            out.writeJson("params.json", CommandParams.of(spec));
            System.out.printf("experiment %s (scale %s): %s%n", name, scale, ex.summary());
            ExperimentReport rep = ex.run(engine.runner(spark));
            rep.setting("scale", scale);
            rep.write(out.dir(), (t, p) -> ResultTables.writeParquet(spark, t, out.location(out.dir().relativize(p).toString()).uri()));
            for (ExperimentReport.Check c : rep.checks()) {
                System.out.printf("  %s %s: measured %.4g, expected %s%n", c.passed() ? "[ok]  " : "[MISS]", c.name(), c.measured(),
                        c.expected());
            }
            System.out.printf("%d of %d checks matched; %.1f s%n", rep.checks().size() - rep.failedChecks(), rep.checks().size(),
                    rep.seconds());
            System.out.println("report: " + out.commit().resolve("report.md"));
            return 0;
        }
    }
}
