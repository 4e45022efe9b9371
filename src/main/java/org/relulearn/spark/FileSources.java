package org.relulearn.spark;

import scala.Tuple2;
import java.util.Map;
import java.util.List;
import java.util.HashMap;
import java.util.Collections;
import java.util.ArrayList;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.Locale;
import java.util.function.Supplier;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapreduce.lib.input.FileInputFormat;
import org.apache.hadoop.mapreduce.lib.input.TextInputFormat;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaNewHadoopRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.relulearn.error.UserInputException;
import org.relulearn.data.Block;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads Parquet, CSV and LibSVM files into cached blocks ({@link SparkBlockData}): the rows of each
 * partition are parsed on the executors straight into {@link Block}s of
 * {@link Block#rowsForBudget} rows, the block RDD is persisted MEMORY_AND_DISK under a readable
 * name, and one counting pass materialises it, so every malformed row is reported at read time.
 * Nothing but the row count, and at most one row to learn a Parquet dimension, reaches the driver.
 *
 * <p>Conventions:
 * <ul>
 *   <li>Parquet (MLlib's): a {@code features} vector column (dense or sparse) and a numeric
 *       {@code label} column or a vector {@code labels} column; names via {@link Options}.</li>
 *   <li>CSV: a header line in every file naming features {@code x0..x{d-1}} and the label
 *       {@code y} or labels {@code y0..y{m-1}}, in any order ({@code featuresCol} and
 *       {@code labelCol} change the prefix {@code x} and the name {@code y}).</li>
 *   <li>LibSVM: {@code label index:value ...}, 1-based ascending indices; d is
 *       {@code numFeatures} if given, else the largest index in the data, found by one extra
 *       pass (an aggregate of one int per partition).</li>
 * </ul>
 * A label column named {@code none} reads unlabeled data (m = 0). A directory written by
 * {@code relulearn generate} (a {@code truth.json} beside a {@code data/} directory) is read from
 * its {@code data/}. Bad input raises a {@link UserInputException} that names the file, the row
 * and the column, and the fix: for text formats the row is the 1-based line number in the file
 * (see {@link TextSplit} for how it is found when a file is read in several splits), for Parquet
 * the 0-based row index within the file ({@code _metadata.row_index}). Such an error raised in a
 * task reaches the driver wrapped by Spark; {@code read} rethrows it as a UserInputException
 * carrying the same message. Hidden files (names starting with '.' or '_') are skipped; an empty
 * file among others holds no rows and is skipped too (Spark drops empty splits), while a single
 * empty file, or input with no rows at all, is an error.
 */
public final class FileSources {
    /** Where {@code generate} puts the data inside its output directory. */
    public static final String GENERATED_DATA_DIR = "data";
    /** The ground-truth description {@code generate} writes beside the data. */
    public static final String TRUTH_FILE = "truth.json";
    /** The label-column value that means "unlabeled data". */
    public static final String NO_LABEL = "none";
    public static final String DEFAULT_FEATURES_COL = "features";
    public static final String DEFAULT_LABEL_COL = "label";
    public static final String DEFAULT_LABELS_COL = "labels";
    public static final String DEFAULT_CSV_FEATURE_PREFIX = "x";
    public static final String DEFAULT_CSV_LABEL = "y";

    private static final Logger LOG = LoggerFactory.getLogger(FileSources.class);
    private static final long MIN_SPLIT_BYTES = 4L << 20;

    private FileSources() {}

    /** The file formats. */
    public enum Format {
        PARQUET, CSV, LIBSVM;

        public static Format parse(String s) {
            return switch (s.trim().toLowerCase(Locale.ROOT)) {
                case "parquet" -> PARQUET;
                case "csv" -> CSV;
                case "libsvm", "svmlight" -> LIBSVM;
                default -> throw new UserInputException("unknown format '" + s + "': use parquet, csv or libsvm");
            };
        }

        /** The format a file name implies (compression suffixes ignored), or null. */
        public static Format ofFileName(String name) {
            String n = name.toLowerCase(Locale.ROOT);
            for (String z : new String[] {".gz", ".bz2", ".deflate", ".zst", ".lz4", ".snappy", ".xz"}) {
                if (n.endsWith(z) && !n.endsWith(".parquet" + z)) {
                    n = n.substring(0, n.length() - z.length());
                    break;
                }
            }
            if (n.endsWith(".parquet")) return PARQUET;
            if (n.endsWith(".csv")) return CSV;
            if (n.endsWith(".libsvm") || n.endsWith(".svm") || n.endsWith(".svmlight")) return LIBSVM;
            return null;
        }

        public String lower() { return name().toLowerCase(Locale.ROOT); }
    }

    /**
     * How to read.
     *
     * @param format        null: from the file names
     * @param featuresCol   Parquet: the features column; CSV: the feature-name prefix; null: default
     * @param labelCol      Parquet: the label column; CSV: the label name; {@code none}: unlabeled; null: default
     * @param numFeatures   LibSVM: the dimension (0: the largest index in the data); Parquet and CSV:
     *                      the expected dimension, checked (0: any)
     * @param blockBytes    byte budget of one block (rows per block from {@link Block#rowsForBudget})
     * @param maxSplitBytes text formats: largest byte range one task reads (0: automatic, at least
     *                      4 MiB and about two tasks per core)
     */
    public record Options(Format format, String featuresCol, String labelCol, int numFeatures, long blockBytes,
                          long maxSplitBytes) {
        public Options {
            if (numFeatures < 0) throw new UserInputException("--num-features must be >= 1 (or 0 = from the data), got " + numFeatures);
            if (blockBytes < 1) throw new IllegalArgumentException("block byte budget must be >= 1, got " + blockBytes);
            if (maxSplitBytes < 0) throw new IllegalArgumentException("split size must be >= 0, got " + maxSplitBytes);
            if (featuresCol != null && featuresCol.isBlank()) throw new UserInputException("--features-col must not be empty");
            if (labelCol != null && labelCol.isBlank()) throw new UserInputException("--label-col must not be empty");
        }

        public static Options defaults() { return new Options(null, null, null, 0, 1L << 20, 0); }

        public Options withFormat(Format f) { return new Options(f, featuresCol, labelCol, numFeatures, blockBytes, maxSplitBytes); }
        public Options withFeaturesCol(String c) { return new Options(format, c, labelCol, numFeatures, blockBytes, maxSplitBytes); }
        public Options withLabelCol(String c) { return new Options(format, featuresCol, c, numFeatures, blockBytes, maxSplitBytes); }
        public Options withNumFeatures(int n) { return new Options(format, featuresCol, labelCol, n, blockBytes, maxSplitBytes); }
        public Options withBlockBytes(long b) { return new Options(format, featuresCol, labelCol, numFeatures, b, maxSplitBytes); }
        public Options withMaxSplitBytes(long b) { return new Options(format, featuresCol, labelCol, numFeatures, blockBytes, b); }
    }

    /** What a path resolves to: the data path to read, its first data file, and the bytes in all. */
    public record Resolved(String dataPath, String firstFile, long totalBytes, String truthFile) {}

    /**
     * Resolves {@code path} (a file, a directory or a glob): a generated directory to its data/,
     * and finds the first data file (skipping hidden names starting with '.' or '_', such as
     * _SUCCESS and checksum files).
     *
     * @throws UserInputException if nothing exists there or no data file is found
     */
    public static Resolved resolve(SparkSession spark, String path) {
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        // a malformed URI or a scheme without a file system: a UserInputException naming cause and fix
        org.relulearn.fs.DataPath.of(path.contains("*") || path.contains("?") || path.contains("{") ? parentOfGlob(path) : path,
                conf, "--input");
        try {
            Path p = new Path(path);
            FileSystem fs = p.getFileSystem(conf);
            FileStatus[] matches = fs.globStatus(p);
            if (matches == null || matches.length == 0) {
                throw new UserInputException("input path " + path + " does not exist: check --input");
            }
            String truth = null;
            if (matches.length == 1 && matches[0].isDirectory()) {
                Path dir = matches[0].getPath();
                Path t = new Path(dir, TRUTH_FILE), data = new Path(dir, GENERATED_DATA_DIR);
                if (fs.exists(t) && fs.exists(data) && fs.getFileStatus(data).isDirectory()) {
                    org.relulearn.fs.DataPath.of(dir.toString(), conf, "--input").requirePublished("input");
                    truth = t.toString();
                    p = data;
                    matches = new FileStatus[] {fs.getFileStatus(data)};
                }
            }
            Arrays.sort(matches, Comparator.comparing(s -> s.getPath().toString()));
            String first = null;
            long bytes = 0;
            for (FileStatus s : matches) {
                bytes += fs.getContentSummary(s.getPath()).getLength();
                if (first == null) {
                    Path f = firstDataFile(fs, s);
                    if (f != null) first = f.toString();
                }
            }
            if (first == null) {
                throw new UserInputException("input " + path + " holds no data files (only hidden files such as _SUCCESS,"
                        + " or nothing): check --input");
            }
            return new Resolved(p.toString(), first, bytes, truth);
        } catch (IOException e) {
            throw org.relulearn.fs.DataPath.error("input " + path, "cannot list it", e, "check --input");
        }
    }

    /** The part of a glob before its first wildcard (for checking its scheme and authority). */
    private static String parentOfGlob(String glob) {
        int i = 0;
        while (i < glob.length() && "*?{[".indexOf(glob.charAt(i)) < 0) i++;
        int slash = glob.lastIndexOf('/', i);
        return slash <= 0 ? (slash == 0 ? "/" : ".") : glob.substring(0, slash);
    }

    /** The first non-hidden file in name order, searching directories breadth-first. */
    private static Path firstDataFile(FileSystem fs, FileStatus start) throws IOException {
        Deque<FileStatus> queue = new ArrayDeque<>();
        queue.add(start);
        while (!queue.isEmpty()) {
            FileStatus s = queue.poll();
            if (!s.isDirectory()) {
                if (s == start || !hidden(s.getPath())) return s.getPath();
                continue;
            }
            FileStatus[] children = fs.listStatus(s.getPath(), q -> !hidden(q));
            Arrays.sort(children, Comparator.comparing(c -> c.getPath().getName()));
            for (FileStatus c : children) if (!c.isDirectory()) return c.getPath();
            queue.addAll(Arrays.asList(children));
        }
        return null;
    }

    private static boolean hidden(Path p) {
        String n = p.getName();
        return n.startsWith(".") || n.startsWith("_");
    }

    /**
     * Reads {@code path} into cached blocks.
     *
     * @throws UserInputException for a missing path, an unknown format, or malformed data (file,
     *                            row, column and fix in the message)
     */
    public static SparkBlockData read(SparkSession spark, String path, Options opt) {
        Parsed p = parse(spark, path, opt);
        return cache(p.blocks(), p.d(), p.m(), p.what(), path);
    }

    /** Blocks straight from the files and their shape (see {@link #scan}). */
    public record Scan(JavaRDD<Block> blocks, int d, int m, String describe) {}

    /**
     * The blocks of {@code path} as a pass reads them from the files: not cached, so every pass reads
     * and checks the files again, and not numbered (a block's firstRow counts from the start of its
     * run of rows in one file, not in the data set), and the rows not counted. For one pass of a
     * statistic that ignores row identity, such as a sum over rows, and for measuring what reading
     * costs; training reads with {@link #read}. Only the shape (and at most one row of a Parquet
     * input whose dimension is not recorded) is read here.
     */
    public static Scan scan(SparkSession spark, String path, Options opt) {
        Parsed p = parse(spark, path, opt);
        return new Scan(p.blocks().map(Tuple2::_2), p.d(), p.m(), p.what() + ", read from the files on every pass");
    }

    /** Parsed (not yet cached or numbered) blocks, with their runs. */
    private record Parsed(JavaRDD<Tuple2<RowRun, Block>> blocks, int d, int m, String what) {}

    private static Parsed parse(SparkSession spark, String path, Options opt) {
        Resolved r = resolve(spark, path);
        Format format = opt.format();
        if (format == null) {
            format = Format.ofFileName(r.firstFile());
            if (format == null) {
                throw new UserInputException("cannot tell the format of " + r.firstFile()
                        + " from its name (expected .parquet, .csv or .libsvm): pass --format parquet, csv or libsvm");
            }
        }
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        String data = r.dataPath();
        JavaRDD<Tuple2<RowRun, Block>> blocks;
        int d, m;
        switch (format) {
            case PARQUET -> {
                ParquetInput.Result res = ParquetInput.read(spark, data, opt.featuresCol(), opt.labelCol(), opt.numFeatures(),
                        opt.blockBytes());
                d = res.d();
                m = res.m();
                blocks = res.blocks();
            }
            case CSV -> {
                String prefix = opt.featuresCol() != null ? opt.featuresCol() : DEFAULT_CSV_FEATURE_PREFIX;
                String label = opt.labelCol() != null ? opt.labelCol() : DEFAULT_CSV_LABEL;
                HadoopConf conf = new HadoopConf(jobConf(spark, r, opt));
                byte[] headerLine = TextSplit.firstLine(conf, new Path(r.firstFile()));
                if (headerLine == null) {
                    throw new UserInputException(r.firstFile() + " is empty: a CSV input file needs a header line ("
                            + prefix + "0," + prefix + "1,...) and data rows: remove the file or fill it");
                }
                CsvHeader header = CsvHeader.parse(headerLine, r.firstFile(), prefix, label);
                d = header.d;
                m = header.m;
                if (opt.numFeatures() > 0 && d != opt.numFeatures()) {
                    throw new UserInputException(r.firstFile() + ": wrong dimension: the header (" + header.describe() + ") has "
                            + d + " feature columns but " + opt.numFeatures() + " were expected: check the input or --num-features");
                }
                blocks = CsvInput.blocks(textLines(jsc, data, conf), conf, d, m, "the first file " + r.firstFile(),
                        prefix, label, Block.rowsForBudget(d, m, opt.blockBytes()));
            }
            case LIBSVM -> {
                HadoopConf conf = new HadoopConf(jobConf(spark, r, opt));
                JavaNewHadoopRDD<LongWritable, Text> lines = textLines(jsc, data, conf);
                String dimOrigin;
                if (opt.numFeatures() > 0) {
                    d = opt.numFeatures();
                    dimOrigin = "--num-features";
                } else {
                    d = withDescription(spark.sparkContext(), "relulearn: largest LibSVM index in " + data,
                            () -> LibSvmInput.maxIndex(lines, conf));
                    if (d == 0) {
                        throw new UserInputException("input " + path + " lists no features (or no rows): an empty data set;"
                                + " check the input, or give --num-features for all-zero data");
                    }
                    dimOrigin = "the largest index in the data";
                }
                m = NO_LABEL.equals(opt.labelCol()) ? 0 : 1;
                blocks = LibSvmInput.blocks(lines, conf, d, m, dimOrigin, Block.rowsForBudget(d, m, opt.blockBytes()));
            }
            default -> throw new IllegalStateException("unhandled format " + format);
        }
        return new Parsed(blocks, d, m, format.lower() + " " + data);
    }

    /** Hadoop settings for text input: recursive listing and the split size. */
    private static Configuration jobConf(SparkSession spark, Resolved r, Options opt) {
        Configuration job = new Configuration(spark.sparkContext().hadoopConfiguration());
        long split = opt.maxSplitBytes() > 0 ? opt.maxSplitBytes()
                : Math.max(MIN_SPLIT_BYTES, r.totalBytes() / Math.max(1, 2L * spark.sparkContext().defaultParallelism()) + 1);
        job.setBoolean(FileInputFormat.INPUT_DIR_RECURSIVE, true);
        job.setLong(FileInputFormat.SPLIT_MAXSIZE, split);
        job.setLong(FileInputFormat.SPLIT_MINSIZE, 1);
        return job;
    }

    private static JavaNewHadoopRDD<LongWritable, Text> textLines(JavaSparkContext jsc, String path, HadoopConf conf) {
        return (JavaNewHadoopRDD<LongWritable, Text>) jsc.newAPIHadoopFile(path, TextInputFormat.class, LongWritable.class,
                Text.class, conf.get());
    }

    /**
     * Blocks from a DataFrame in MLlib's layout (what a Spark ML estimator's fit receives), cached
     * and checked like a file: {@code labelCol} a numeric column (or a vector column for several
     * outputs), {@code features} a vector column.
     */
    public static SparkBlockData fromDataFrame(Dataset<Row> df, String featuresCol, String labelCol, long blockBytes) {
        ParquetInput.Result res = ParquetInput.fromFrame(df, "the training DataFrame", featuresCol, labelCol, 0, blockBytes);
        return cache(res.blocks(), res.d(), res.m(), "DataFrame", "the training DataFrame");
    }

    /**
     * Persists and counts the blocks (the count runs every row through its checks), then gives each
     * block its global row index: the rows of every {@link RowRun} are counted in the same pass, the
     * runs sorted into the data set's order (files by path, runs by start) and each run's offset is
     * the rows before it. The renumbered blocks share the parsed arrays; they are persisted and the
     * parsed copy released. Only one (run, count) pair per run reaches the driver.
     */
    private static SparkBlockData cache(JavaRDD<Tuple2<RowRun, Block>> parsed, int d, int m, String what, String path) {
        parsed.persist(StorageLevel.MEMORY_AND_DISK());
        long t0 = System.nanoTime();
        Map<RowRun, Long> runRows;
        try {
            runRows = withDescription(parsed.context(), "relulearn: reading " + what,
                    () -> parsed.mapToPair(t -> new Tuple2<>(t._1(), (long) t._2().rows())).reduceByKey(Long::sum).collectAsMap());
        } catch (Exception e) {
            parsed.unpersist(false);
            throw e;
        }
        List<RowRun> order = new ArrayList<>(runRows.keySet());
        Collections.sort(order);
        HashMap<RowRun, Long> offsets = new HashMap<>();
        long n = 0;
        for (RowRun r : order) {
            offsets.put(r, n);
            n += runRows.get(r);
        }
        if (n == 0) {
            parsed.unpersist(false);
            throw emptyDataSet(path);
        }
        JavaRDD<Block> blocks = parsed.map(t -> {
            Block b = t._2();
            return Block.wrap(b.d(), b.m(), b.rows(), offsets.get(t._1()) + b.firstRow(), b.x(), b.y());
        });
        blocks.setName("relulearn blocks: " + what + " (d=" + d + ", m=" + m + ")");
        blocks.persist(StorageLevel.MEMORY_AND_DISK());
        long check = withDescription(blocks.context(), "relulearn: numbering the rows of " + what,
                () -> blocks.map(b -> (long) b.rows()).fold(0L, Long::sum));
        parsed.unpersist(false);
        if (check != n) throw new IllegalStateException("row count changed while numbering rows: " + n + " then " + check);
        double secs = (System.nanoTime() - t0) / 1e9;
        LOG.info(String.format("read %s: %,d rows (d=%d, m=%d) in %d runs into %d cached partitions in %.2f s (%,.0f rows/s)",
                what, n, d, m, order.size(), blocks.getNumPartitions(), secs, n / secs));
        return new SparkBlockData(blocks, d, m, n, what + ", N=" + n);
    }

    static UserInputException emptyDataSet(String path) {
        return new UserInputException("input " + path + " holds no data rows (an empty data set): check --input"
                + " (CSV files need rows after the header)");
    }

    /** Runs a Spark action under a job description, turning a task's UserInputException back into one. */
    private static <T> T withDescription(SparkContext sc, String description, Supplier<T> action) {
        sc.setJobDescription(description);
        try {
            return unwrapUserErrors(action);
        } finally {
            sc.setJobDescription(null);
        }
    }

    /**
     * Runs a Spark action; if it fails because a task raised a UserInputException (Spark wraps it
     * in a SparkException, sometimes only as text), rethrows that error with its message.
     */
    static <T> T unwrapUserErrors(Supplier<T> action) {
        try {
            return action.get();
        } catch (UserInputException e) {
            throw e;
        } catch (Exception e) {   // SparkException is checked in Java's eyes but thrown undeclared
            UserInputException u = UserInputException.findIn(e);
            if (u != null) throw new UserInputException(u.getMessage(), e);
            throw e;
        }
    }
}
