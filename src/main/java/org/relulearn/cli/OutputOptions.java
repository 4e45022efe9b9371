package org.relulearn.cli;

import java.nio.file.Path;
import org.relulearn.report.RunOutput;
import picocli.CommandLine.Option;

/** Where a run writes its output directory. */
public class OutputOptions {
    @Option(names = {"-o", "--out"}, description = "Output directory (built under a temporary name, renamed when complete).")
    public Path out;

    @Option(names = "--overwrite", defaultValue = "false", description = "Replace an existing output directory.")
    public boolean overwrite;

    /** Opens the output, defaulting to runs/<command>-<timestamp>. */
    public RunOutput open(String command) {
        Path dir = out != null ? out : Path.of("runs", command + "-" + java.time.LocalDateTime.now()
                .format(java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        return RunOutput.create(dir, overwrite);
    }
}
