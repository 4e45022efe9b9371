package org.relulearn.cli;

import org.relulearn.error.UserInputException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.relulearn.report.Json;
import org.relulearn.spark.FileSources;
import org.relulearn.spark.SparkBlockData;
import picocli.CommandLine.Option;

/**
 * Data from files instead of a synthetic stream: {@code --input PATH} (a file, a directory, a
 * glob, or a directory written by {@code relulearn generate}) read by {@link FileSources} into
 * cached blocks. For a generated directory its truth.json supplies the expected dimension, says
 * whether the data is labeled, and gives the exact moments to report errors against.
 */
public class InputOptions {
    @Option(names = "--input", paramLabel = "PATH",
            description = "Read the data from files (Parquet, CSV with a header, LibSVM; a file, directory or glob,"
                    + " or a directory written by 'generate') instead of generating it.")
    public String input;

    @Option(names = "--format", paramLabel = "FORMAT", description = "parquet, csv or libsvm (default: from the file names).")
    public String format;

    @Option(names = "--features-col", paramLabel = "NAME",
            description = "Parquet: the features vector column (default features). CSV: the feature-name prefix (default x: x0..x{d-1}).")
    public String featuresCol;

    @Option(names = "--label-col", paramLabel = "NAME",
            description = "Parquet: the label column (default label, else labels). CSV: the label name (default y: y or y0..y{m-1})."
                    + " 'none' reads unlabeled data.")
    public String labelCol;

    @Option(names = "--num-features", paramLabel = "D", defaultValue = "0",
            description = "LibSVM: the dimension d (default: the largest index in the data, one extra pass)."
                    + " Parquet/CSV: the expected d, checked.")
    public int numFeatures;

    /** The command this mixin is part of (to see which options the user gave). */
    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    public boolean present() { return input != null; }

    /**
     * Options that describe generated data (every option of {@link SyntheticOptions} except the seed,
     * which also seeds the fit's own draws, every option whose help begins "Synthetic", and
     * --partitions) have no effect on file input: given with --input they are an error naming the
     * option and what to use instead.
     */
    void refuseSyntheticOnlyOptions() {
        if (mixee == null || mixee.commandLine() == null) return;
        ParseResult parsed = mixee.commandLine().getParseResult();
        if (parsed == null) return;
        for (OptionSpec o : parsed.matchedOptions()) {
            if (!syntheticOnly(o)) continue;
            String name = o.longestName();
            String hint = switch (name) {
                case "--beta" -> mixee.findOption("--weight-decay") != null
                        ? "--beta is the poisoning probability for synthetic data; the weight decay is --weight-decay"
                        : "--beta is the poisoning probability of synthetic data; a file's labels are used as they are";
                case "--dim" -> "a file's dimension comes from the file (check it with --num-features)";
                case "--samples" -> "every row of the file is used (write a smaller file to use fewer)";
                case "--partitions" -> "file data keep one partition per file split, and results do not depend on the"
                        + " partitioning (rows are numbered by their place in the data set); write more or fewer files to change it";
                default -> "it describes generated data";
            };
            throw new UserInputException(name + " describes synthetic data and has no effect with --input: remove it ("
                    + hint + ")");
        }
    }

    private static boolean syntheticOnly(OptionSpec o) {
        if ("--partitions".equals(o.longestName())) return true;
        if ("--seed".equals(o.longestName())) return false;
        if (o.userObject() instanceof java.lang.reflect.Field f && f.getDeclaringClass() == SyntheticOptions.class) return true;
        String[] desc = o.description();
        return desc.length > 0 && desc[0].startsWith("Synthetic");
    }

    /** The data and, for a generated directory, what its truth.json says. */
    public record Loaded(SparkBlockData data, Map<String, Object> truthJson, KnownTruth truth) {
        /** The one-hidden-layer teacher truth.json describes, or null (no truth.json, or another teacher). */
        @SuppressWarnings("unchecked")
        public org.relulearn.data.OneHiddenLayerNetwork networkTeacher() {
            if (truthJson == null || !(truthJson.get("teacher") instanceof Map<?, ?> t)
                    || !"one-hidden-layer".equals(t.get("type"))) {
                return null;
            }
            try {
                return org.relulearn.data.OneHiddenLayerNetwork.fromDescription((Map<String, Object>) t);
            } catch (RuntimeException e) {
                throw new UserInputException("the teacher in truth.json is malformed (" + e.getMessage()
                        + "); regenerate the directory with relulearn generate or remove its truth.json");
            }
        }
    }

    public FileSources.Options options(long blockBytes) {
        return new FileSources.Options(format == null ? null : FileSources.Format.parse(format), featuresCol, labelCol,
                numFeatures, blockBytes, 0);
    }

    /** Reads the input into cached blocks (every row checked). */
    public Loaded load(SparkSession spark, long blockBytes) {
        refuseSyntheticOnlyOptions();
        FileSources.Options opt = options(blockBytes);
        FileSources.Resolved where = FileSources.resolve(spark, input);
        Map<String, Object> truthJson = null;
        KnownTruth truth = null;
        if (where.truthFile() != null) {
            truthJson = readJson(spark, where.truthFile());
            truth = KnownTruth.fromJson(truthJson, where.truthFile());
            // A generated directory knows its shape: check d against it, and read unlabeled data as such.
            if (opt.numFeatures() == 0 && truthJson.get("d") instanceof Number n) opt = opt.withNumFeatures(n.intValue());
            if (opt.labelCol() == null && truthJson.get("m") instanceof Number n && n.intValue() == 0) {
                opt = opt.withLabelCol(FileSources.NO_LABEL);
            }
        }
        return new Loaded(FileSources.read(spark, input, opt), truthJson, truth);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> readJson(SparkSession spark, String file) {
        Path p = new Path(file);
        try (InputStream in = p.getFileSystem(spark.sparkContext().hadoopConfiguration()).open(p)) {
            return Json.mapper().readValue(in, Map.class);
        } catch (IOException e) {
            throw new UserInputException("cannot read " + file + " (" + e.getMessage() + "): fix or remove it", e);
        }
    }
}
