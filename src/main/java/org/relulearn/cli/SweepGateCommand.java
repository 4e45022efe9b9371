package org.relulearn.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.relulearn.algo.gate.GateSweep;
import org.relulearn.algo.gate.GateUpdate;
import org.relulearn.error.UserInputException;
import org.relulearn.report.RunOutput;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code relulearn sweep gate --grid FILE}: a grid of gate runs, one Spark task each, gathered into
 * {@code summary.parquet} / {@code summary.csv} (one row per run) and {@code trajectories.parquet} /
 * {@code trajectories.csv} (run, t, error on a log-spaced grid of t).
 *
 * <p>Grid file keys (YAML lists or comma-separated properties): {@code distributions}, {@code dim},
 * {@code attacks} (a list of "beta,theta" pairs) or {@code beta} x {@code theta}, {@code adversaries},
 * {@code batches}, {@code etas} ("auto" = eta*), {@code updates}, {@code seeds} (a list, or a count),
 * {@code iterations}, {@code tail}, {@code start} (ones|zeros), {@code pilot-samples}.
 */
@Command(name = "gate", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Sweep the gate over a grid (distributions x attacks x adversaries x b x eta x update x seed).")
public final class SweepGateCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin EngineOptions engine;
    @Mixin OutputOptions output;

    @Option(names = "--grid", required = true, description = "YAML or properties file describing the grid (see conf/gate-reference-grid.yaml).")
    Path grid;

    @Override
    public Integer call() {
        List<GateSweep.RunSpec> specs = parseGrid(ConfigFile.load(grid).values());
        try (RunOutput out = output.open("sweep-gate")) {
            SparkSession spark = engine.session("relulearn sweep gate");
            out.writeJson("params.json", CommandParams.of(spec));
            System.out.printf("sweep gate: %d runs as Spark tasks%n", specs.size());
            long t0 = System.nanoTime();
            List<GateSweep.RunSummary> results = GateSweep.run(engine.runner(spark), specs);
            double secs = (System.nanoTime() - t0) / 1e9;
            writeTables(spark, out, results);
            Map<String, Object> res = new LinkedHashMap<>();
            res.put("runs", results.size());
            res.put("seconds", secs);
            res.put("summary", results.stream().map(GateSweep.RunSummary::row).toList());
            out.writeJson("results.json", res);
            printMeans(results);
            System.out.printf("%d runs in %.1f s%n", results.size(), secs);
            System.out.println("output: " + out.commit());
            return 0;
        }
    }

    static List<GateSweep.RunSpec> parseGrid(Map<String, String> g) {
        Function<String, List<String>> list = k -> g.containsKey(k)
                ? Arrays.stream(g.get(k).split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList() : List.of();
        try {
            List<String> dists = list.apply("distributions");
            if (dists.isEmpty()) dists = List.of("gaussian");
            int d = Integer.parseInt(g.getOrDefault("dim", "100"));
            List<double[]> attacks = new ArrayList<>();
            if (g.containsKey("attacks")) {
                // YAML lists of "beta,theta" strings flatten to beta,theta,beta,theta,...
                List<String> flat = list.apply("attacks");
                if (flat.size() % 2 != 0) throw new UserInputException("grid 'attacks' must be beta,theta pairs");
                for (int i = 0; i < flat.size(); i += 2) {
                    attacks.add(new double[] {Double.parseDouble(flat.get(i)), Double.parseDouble(flat.get(i + 1))});
                }
            } else {
                List<String> betas = list.apply("beta"), thetas = list.apply("theta");
                for (String b : betas.isEmpty() ? List.of("0") : betas) {
                    for (String t : thetas.isEmpty() ? List.of("0") : thetas) {
                        attacks.add(new double[] {Double.parseDouble(b), Double.parseDouble(t)});
                    }
                }
            }
            List<String> adversaries = list.apply("adversaries");
            if (adversaries.isEmpty()) adversaries = List.of("alternating");
            List<Integer> batches = list.apply("batches").stream().map(Integer::parseInt).toList();
            if (batches.isEmpty()) batches = List.of(16);
            List<Double> etas = list.apply("etas").stream()
                    .map(s -> s.equalsIgnoreCase("auto") ? Double.NaN : Double.parseDouble(s)).toList();
            if (etas.isEmpty()) etas = List.of(Double.NaN);
            List<GateUpdate> updates = list.apply("updates").stream().map(GateUpdate::parse).toList();
            if (updates.isEmpty()) updates = List.of(GateUpdate.TRON);
            List<Long> seeds;
            List<String> seedList = list.apply("seeds");
            if (seedList.size() == 1 && !g.get("seeds").contains(",")) {
                long count = Long.parseLong(seedList.get(0));
                seeds = java.util.stream.LongStream.rangeClosed(1, count).boxed().toList();
            } else {
                seeds = seedList.isEmpty() ? List.of(1L) : seedList.stream().map(Long::parseLong).toList();
            }
            int iterations = Integer.parseInt(g.getOrDefault("iterations", "6000"));
            int tail = Integer.parseInt(g.getOrDefault("tail", String.valueOf(Math.max(1, iterations / 3))));
            boolean ones = !g.getOrDefault("start", "ones").equalsIgnoreCase("zeros");
            long pilot = Long.parseLong(g.getOrDefault("pilot-samples", "100000"));
            return GateSweep.expand(dists, d, attacks, adversaries, batches, etas, updates, seeds, iterations, tail, ones, pilot);
        } catch (NumberFormatException e) {
            throw new UserInputException("grid file has a value that is not a number (" + e.getMessage() + "): fix the grid file");
        }
    }

    private static void writeTables(SparkSession spark, RunOutput out, List<GateSweep.RunSummary> results) {
        StructType summary = new StructType(new StructField[] {
            DataTypes.createStructField("run", DataTypes.IntegerType, false),
            DataTypes.createStructField("distribution", DataTypes.StringType, false),
            DataTypes.createStructField("d", DataTypes.IntegerType, false),
            DataTypes.createStructField("beta", DataTypes.DoubleType, false),
            DataTypes.createStructField("theta", DataTypes.DoubleType, false),
            DataTypes.createStructField("adversary", DataTypes.StringType, false),
            DataTypes.createStructField("batch", DataTypes.IntegerType, false),
            DataTypes.createStructField("update", DataTypes.StringType, false),
            DataTypes.createStructField("seed", DataTypes.LongType, false),
            DataTypes.createStructField("eta", DataTypes.DoubleType, false),
            DataTypes.createStructField("kappa_star", DataTypes.DoubleType, false),
            DataTypes.createStructField("final_error", DataTypes.DoubleType, false),
            DataTypes.createStructField("floor_rms", DataTypes.DoubleType, false),
            DataTypes.createStructField("steps_to_1e6", DataTypes.IntegerType, false),
            DataTypes.createStructField("predicted_floor", DataTypes.DoubleType, false),
            DataTypes.createStructField("seconds", DataTypes.DoubleType, false)});
        List<Row> rows = new ArrayList<>();
        List<Row> traj = new ArrayList<>();
        for (GateSweep.RunSummary r : results) {
            GateSweep.RunSpec s = r.spec();
            rows.add(RowFactory.create(s.id(), s.distribution(), s.d(), s.beta(), s.theta(), s.adversary(), s.batch(),
                    s.update().name().toLowerCase(Locale.ROOT), s.seed(), r.eta(), r.kappaStar(), r.finalError(), r.floorRms(),
                    r.stepsTo1e6(), r.predictedFloor(), r.seconds()));
            for (int i = 0; i < r.t().length; i++) traj.add(RowFactory.create(s.id(), r.t()[i], r.error()[i]));
        }
        StructType trajectory = new StructType(new StructField[] {
            DataTypes.createStructField("run", DataTypes.IntegerType, false),
            DataTypes.createStructField("t", DataTypes.IntegerType, false),
            DataTypes.createStructField("error", DataTypes.DoubleType, false)});
        write(spark.createDataFrame(rows, summary), out, "summary");
        write(spark.createDataFrame(traj, trajectory), out, "trajectories");
    }

    private static void write(Dataset<Row> df, RunOutput out, String name) {
        df.coalesce(1).write().parquet(out.location(name + ".parquet").uri());
        df.coalesce(1).write().option("header", "true").csv(out.location(name + ".csv").uri());
    }

    /** Prints the mean floor per (distribution, beta, theta, update) over seeds. */
    private static void printMeans(List<GateSweep.RunSummary> results) {
        Map<String, double[]> acc = new LinkedHashMap<>();
        for (GateSweep.RunSummary r : results) {
            GateSweep.RunSpec s = r.spec();
            String key = String.format("%-22s beta=%-6s theta*=%-6s b=%-5d %s", s.distribution(), s.beta(), s.theta(), s.batch(),
                    s.update().name().toLowerCase(Locale.ROOT));
            double[] a = acc.computeIfAbsent(key, k -> new double[3]);
            a[0] += r.floorRms();
            a[1] += r.predictedFloor();
            a[2]++;
        }
        System.out.println("mean floor over seeds (rms of ||w_t - w*|| over the tail) vs theory:");
        acc.forEach((k, a) -> System.out.printf("  %s  floor=%.4g  theory=%.4g%n", k, a[0] / a[2], a[1] / a[2]));
    }
}
