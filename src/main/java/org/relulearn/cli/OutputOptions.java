package org.relulearn.cli;

import org.relulearn.report.RunOutput;
import picocli.CommandLine.Option;

/** Where a run writes its output directory. */
public class OutputOptions {
    @Option(names = {"-o", "--out"}, paramLabel = "DIR",
            description = "Output directory (built under a temporary name, renamed when complete, then marked with _SUCCESS)."
                    + " A path (default file system) or a URI: hdfs://, s3a://, abfs://, file://.")
    public String out;

    @Option(names = "--overwrite", defaultValue = "false", description = "Replace an existing output directory.")
    public boolean overwrite;

    /** Opens the output, defaulting to runs/<command>-<timestamp>. */
    public RunOutput open(String command) {
        String dir = out != null ? out : "runs/" + command + "-" + java.time.LocalDateTime.now()
                .format(java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        return RunOutput.create(dir, overwrite);
    }
}
