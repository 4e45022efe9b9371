package org.relulearn.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.spark.sql.SparkSession;
import org.relulearn.error.UserInputException;
import org.relulearn.report.Json;
import org.relulearn.report.RunOutput;
import org.relulearn.spark.SparkPassRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.IModelTransformer;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/**
 * {@code relulearn bench --suite NAME|all}: runs benchmark suites ({@link BenchSuite}, listed in {@link #SUITES})
 * and writes results.json (every suite's figures), bench.md (every suite's tables) and params.json. Each suite's
 * own options are picocli mixins added to this command when it is built; an option of a suite that does not run,
 * or a shared option none of the running suites reads, is an error (it would have no effect).
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false, modelTransformer = BenchCommand.AddSuites.class,
        description = "Measure the moment pass (engine) and each family's passes and fits on synthetic or real data; write results.json and bench.md.")
public final class BenchCommand implements Callable<Integer> {
    /** The suites, in the order {@code --suite all} runs them. A new suite is its class and one line here. */
    static final List<Supplier<BenchSuite>> SUITES = List.of(
            EngineBenchmark::new,
            GateBenchmark::new,
            TensorGdBenchmark::new,
            HermiteBenchmark::new,
            ConvexBenchmark::new,
            TabularBenchmark::new,
            ParquetBenchmark::new);

    /** The options several suites may read; each suite names those it reads ({@link BenchSuite#sharedOptions()}). */
    static final List<String> SHARED_OPTIONS = List.of("--repeats", "--warmup", "--seed");

    @Spec CommandSpec spec;

    @Option(names = "--suite", defaultValue = "engine", completionCandidates = SuiteNames.class,
            description = "The suite to run: ${COMPLETION-CANDIDATES} (every suite that all runs: all but tabular); an unknown name"
                    + " lists what each measures. Default: ${DEFAULT-VALUE}.")
    String suite;

    @Option(names = "--repeats", defaultValue = "3",
            description = "Engine and tensor-gd suites: timed passes per case; the median is reported. Default: ${DEFAULT-VALUE}.")
    int repeats;

    @Option(names = "--warmup", defaultValue = "true", negatable = true, fallbackValue = "true",
            description = "Engine, gate, tensor-gd and hermite suites: run every case once, untimed, first (the engine on N/10 rows;"
                    + " JIT, Spark set-up). Default: ${DEFAULT-VALUE}.")
    boolean warmup;

    @Option(names = "--seed", defaultValue = "1", description = "Engine and hermite suites: seed of the data. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Mixin EngineOptions engine;
    @Mixin OutputOptions output;

    /** This command's suites, holding their parsed options (added by {@link AddSuites} when picocli builds the command). */
    private final List<BenchSuite> suites = new ArrayList<>();

    @Override
    public Integer call() {
        List<BenchSuite> selected = selected();
        checkOptionsHaveEffect(selected);
        if (repeats < 1) throw new UserInputException("--repeats must be >= 1, got " + repeats);
        for (BenchSuite s : selected) s.validate();
        long blockBytes = engine.blockBytes();

        try (RunOutput out = output.open("bench")) {
            SparkSession spark = engine.session("relulearn bench");
            SparkPassRunner runner = engine.runner(spark);
            int cores = runner.parallelism();
            String command = "relulearn " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
            out.writeJson("params.json", CommandParams.of(spec));

            Map<String, Object> results = new LinkedHashMap<>();
            results.put("command", command);
            results.put("environment", InfoCommand.environment());
            results.put("sparkMaster", runner.context().master());
            results.put("cores", cores);
            results.put("suites", selected.stream().map(BenchSuite::name).toList());
            results.put("repeats", repeats);
            results.put("statistic", "median of " + repeats + " timed passes; (b) and (d) passes alternate, as do (c) and (e)");
            results.put("warmup", warmup ? "each case run once untimed on N/10 rows before timing" : "none");
            results.put("peakHeap", "max of the JVM's used heap sampled every 5 ms during the case's timed passes, after a System.gc();"
                    + " includes uncollected garbage and, in local mode, the cached data: both caches are resident during (c) and (e)");
            System.out.printf("relulearn bench: %s, %d core(s), BLAS %s, OPENBLAS_NUM_THREADS=%s%n", runner.context().master(), cores,
                    org.relulearn.linalg.Blas.native3().getClass().getSimpleName(), System.getenv("OPENBLAS_NUM_THREADS"));

            List<String> sections = new ArrayList<>();
            for (BenchSuite s : selected) {
                BenchContext ctx = new BenchContext(spark, runner, blockBytes, repeats, warmup, seed, results, out);
                System.out.println();
                s.run(ctx);
                String section = ctx.section().strip();
                sections.add(selected.size() == 1 ? section : "## " + s.name() + "\n\n" + section);
                out.writeJson("results.json", results);
            }
            Files.writeString(out.file("bench.md"), String.join("\n\n", sections) + "\n");
            out.writeJson("results.json", results);
            System.out.println("output: " + out.commit());
            return 0;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot write the bench output: " + e.getMessage(), e);
        }
    }

    /** The suites --suite names: one by name, or every suite that {@code all} runs, in registry order. */
    private List<BenchSuite> selected() {
        String want = suite.trim().toLowerCase(Locale.ROOT);
        if (want.equals("all")) return suites.stream().filter(BenchSuite::inAll).toList();
        for (BenchSuite s : suites) if (s.name().equals(want)) return List.of(s);
        StringBuilder known = new StringBuilder();
        for (BenchSuite s : suites) known.append(String.format("%n  %-10s %s", s.name(), s.description()));
        known.append(String.format("%n  %-10s every suite above but %s", "all",
                suites.stream().filter(s -> !s.inAll()).map(BenchSuite::name).collect(Collectors.joining(", "))));
        throw new UserInputException("unknown --suite '" + suite + "': use one of" + known);
    }

    /**
     * An option set on the command line must change what runs: a suite's own option needs that suite, a shared
     * option needs a running suite that reads it.
     */
    private void checkOptionsHaveEffect(List<BenchSuite> selected) {
        ParseResult parsed = spec.commandLine().getParseResult();
        String running = selected.stream().map(BenchSuite::name).collect(Collectors.joining(", "));
        for (BenchSuite s : suites) {
            if (selected.contains(s)) continue;
            for (OptionSpec o : spec.mixins().get(mixinName(s)).options()) {
                if (parsed.hasMatchedOption(o)) {
                    throw new UserInputException(o.longestName() + " belongs to the " + s.name() + " suite, which --suite " + suite
                            + " does not run (it runs " + running + "): drop " + o.longestName() + " or use --suite " + s.name());
                }
            }
        }
        for (String name : SHARED_OPTIONS) {
            OptionSpec o = spec.findOption(name);
            if (!parsed.hasMatchedOption(o) || selected.stream().anyMatch(s -> s.sharedOptions().contains(name))) continue;
            String readers = suites.stream().filter(s -> s.sharedOptions().contains(name)).map(BenchSuite::name)
                    .collect(Collectors.joining(", "));
            throw new UserInputException(name + " is read only by the " + readers + " suite(s) and --suite " + suite
                    + " runs " + running + ": drop " + name + " or run one of those suites");
        }
    }

    /** A suite's mixin name: not a bare suite name, which could equal a field's (the {@code engine} options' is "engine"). */
    private static String mixinName(BenchSuite s) { return "suite " + s.name(); }

    /** Adds each suite of {@link #SUITES} to the command as a mixin, so its options parse into it. */
    static final class AddSuites implements IModelTransformer {
        @Override
        public CommandSpec transform(CommandSpec command) {
            BenchCommand bench = (BenchCommand) command.userObject();
            for (Supplier<BenchSuite> make : SUITES) {
                BenchSuite s = make.get();
                for (String name : s.sharedOptions()) {
                    if (!SHARED_OPTIONS.contains(name)) throw new IllegalStateException(s.name() + " names " + name + ", not a shared option");
                }
                bench.suites.add(s);
                command.addMixin(mixinName(s), CommandSpec.forAnnotatedObject(s));
            }
            return command;
        }
    }

    /** The names --suite takes, for its help text. */
    static final class SuiteNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            List<String> names = new ArrayList<>();
            for (Supplier<BenchSuite> make : SUITES) names.add(make.get().name());
            names.add("all");
            return names.iterator();
        }
    }

    /** Reads a results.json back (tests). */
    static Map<String, Object> readResults(Path dir) { return Json.readMap(dir.resolve("results.json")); }
}
