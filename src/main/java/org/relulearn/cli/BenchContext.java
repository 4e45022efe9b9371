package org.relulearn.cli;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.relulearn.report.RunOutput;
import org.relulearn.spark.SparkPassRunner;

/**
 * What one suite of {@code relulearn bench} runs with: the Spark session and pass runner, the shared
 * options' values, the command's results (written as results.json) and a print stream whose lines go to
 * stdout and into the suite's section of bench.md.
 */
final class BenchContext {
    private final SparkSession spark;
    private final SparkPassRunner runner;
    private final long blockBytes;
    private final int repeats;
    private final boolean warmup;
    private final long seed;
    private final Map<String, Object> results;
    private final RunOutput output;
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final PrintStream out;
    private String markdown;

    BenchContext(SparkSession spark, SparkPassRunner runner, long blockBytes, int repeats, boolean warmup, long seed,
                 Map<String, Object> results, RunOutput output) {
        this.spark = spark;
        this.runner = runner;
        this.blockBytes = blockBytes;
        this.repeats = repeats;
        this.warmup = warmup;
        this.seed = seed;
        this.results = results;
        this.output = output;
        this.out = new PrintStream(new Tee(System.out, printed), true, StandardCharsets.UTF_8);
    }

    SparkSession spark() { return spark; }

    SparkPassRunner runner() { return runner; }

    int cores() { return runner.parallelism(); }

    /** Byte budget of one row block (--block-size-mb). */
    long blockBytes() { return blockBytes; }

    /** --repeats: timed runs per measurement, for suites that take it. */
    int repeats() { return repeats; }

    /** --[no-]warmup. */
    boolean warmup() { return warmup; }

    /** --seed. */
    long seed() { return seed; }

    /** Warm-up (unless --no-warmup), then the median of --repeats timed runs. */
    BenchTimer timer() { return new BenchTimer(warmup ? 1 : 0, repeats); }

    /** The command's results.json, shared by the suites of one run: a suite puts its figures under its name. */
    Map<String, Object> results() { return results; }

    /** Writes results.json as it stands (a long suite saves what it has after each case). */
    void saveResults() { output.writeJson("results.json", results); }

    RunOutput output() { return output; }

    /** Where the suite prints: stdout, and kept for bench.md. */
    PrintStream out() { return out; }

    /** Replaces what the suite printed as its section of bench.md. */
    void markdown(String text) { markdown = text; }

    /** The suite's section of bench.md: what it set with {@link #markdown(String)}, else what it printed. */
    String section() {
        out.flush();
        return markdown != null ? markdown : printed.toString(StandardCharsets.UTF_8);
    }

    /** Writes every byte to two streams. */
    private static final class Tee extends OutputStream {
        private final OutputStream a, b;

        Tee(OutputStream a, OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override public void write(int x) throws java.io.IOException { a.write(x); b.write(x); }

        @Override public void write(byte[] buf, int off, int len) throws java.io.IOException { a.write(buf, off, len); b.write(buf, off, len); }

        @Override public void flush() throws java.io.IOException { a.flush(); b.flush(); }
    }
}
