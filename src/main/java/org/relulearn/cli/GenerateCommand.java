package org.relulearn.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.relulearn.data.SyntheticSource;
import org.relulearn.report.RunOutput;
import org.relulearn.spark.FileSources;
import org.relulearn.spark.SparkPassRunner;
import org.relulearn.spark.SyntheticWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Writes a synthetic data set to files, generated on the executors. The output directory holds
 * <pre>
 *   data/        the rows, written by Spark (part files; Parquet by default)
 *   truth.json   the generating law, teacher parameters, noise, seed (SyntheticSource.describe()),
 *                the exact moments ("exact": E[x], E[x x^T], linear part) and the file layout
 *   params.json  the options of this run
 * </pre>
 * It is built under a temporary name, renamed when complete and marked with _SUCCESS. {@code
 * relulearn moments --input DIR} reads it back and reports errors against the truth. The executors
 * write data/ themselves, so on a cluster --out must be on a shared file system (hdfs://, s3a://,
 * ...; a plain path means fs.defaultFS); a local path only suits local mode.
 */
@Command(name = "generate", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Write a synthetic data set (Parquet by default, CSV or LibSVM on request) with its ground truth (truth.json).")
public final class GenerateCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin SyntheticOptions data;
    @Mixin EngineOptions engine;
    @Mixin OutputOptions output;

    @Option(names = "--format", defaultValue = "parquet",
            description = "parquet, csv, or libsvm (one label only). Default: ${DEFAULT-VALUE}.")
    public String format;

    @Override
    public Integer call() {
        FileSources.Format fmt = FileSources.Format.parse(format);
        try (RunOutput out = output.open("generate")) {
            SyntheticSource src = data.source(engine.blockBytes());
            SparkSession spark = engine.session("relulearn generate");
            SparkPassRunner runner = engine.runner(spark);
            int partitions = runner.partitionsFor(src);
            String dataDir = out.location(FileSources.GENERATED_DATA_DIR).uri();
            long t0 = System.nanoTime();
            SyntheticWriter.write(spark, src, fmt, dataDir, partitions);
            double secs = (System.nanoTime() - t0) / 1e9;

            out.writeJson("params.json", CommandParams.of(spec));
            Map<String, Object> truth = new LinkedHashMap<>(src.describe());
            truth.put("exact", KnownTruth.of(src).toJson());
            Map<String, Object> files = new LinkedHashMap<>();
            files.put("dir", FileSources.GENERATED_DATA_DIR);
            files.put("format", fmt.lower());
            files.put("partitions", partitions);
            files.put("layout", switch (fmt) {
                case PARQUET -> "features: ML vector; " + (src.m() == 0 ? "no label" : src.m() == 1 ? "label: double" : "labels: ML vector");
                case CSV -> "header x0..x" + (src.d() - 1) + (src.m() == 0 ? "" : src.m() == 1 ? ", y" : ", y0..y" + (src.m() - 1));
                case LIBSVM -> "label index:value ... (1-based)";
            });
            truth.put("files", files);
            out.writeJson("truth.json", truth);
            out.metric(Map.of("pass", "generate", "rows", src.numRows(), "seconds", secs));
            System.out.printf("generated N=%,d rows (d=%d, m=%d) as %s in %d files, %.2f s (%,.0f rows/s)%n",
                    src.numRows(), src.d(), src.m(), fmt.lower(), partitions, secs, src.numRows() / secs);
            System.out.println("output: " + out.commit());
            return 0;
        }
    }
}
