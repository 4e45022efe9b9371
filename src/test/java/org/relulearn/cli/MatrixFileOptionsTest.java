package org.relulearn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --covariance, --mixing, --noise-covariance and --gates read through the Hadoop FileSystem API (file:// here; HDFS: HdfsRunTest). */
class MatrixFileOptionsTest {
    @TempDir
    Path tmp;

    @Test
    void matrixFilesAreReadFromUrisAndBadOnesAreUserErrors() throws Exception {
        Path cov = tmp.resolve("cov.csv");
        Files.writeString(cov, "2,0.5\n0.5,1\n");
        CliRun ok = CliRun.of("generate", "--samples", "2000", "--dim", "2", "--hidden", "1", "--covariance", cov.toUri().toString(),
                "--out", tmp.resolve("gen").toString());
        assertEquals(0, ok.exit(), ok.out() + ok.err());

        CliRun missing = CliRun.of("generate", "--samples", "100", "--dim", "2", "--mixing", "file://" + tmp.resolve("none.csv"),
                "--out", tmp.resolve("never").toString());
        assertEquals(2, missing.exit(), missing.out() + missing.err());
        assertTrue(missing.err().contains("matrix file " + tmp.resolve("none.csv") + " does not exist"), missing.err());

        CliRun scheme = CliRun.of("generate", "--samples", "100", "--dim", "2", "--noise-covariance", "nosuchfs://x/cov.csv",
                "--out", tmp.resolve("never2").toString());
        assertEquals(2, scheme.exit(), scheme.out() + scheme.err());
        assertTrue(scheme.err().contains("--noise-covariance nosuchfs://x/cov.csv: no file system for scheme 'nosuchfs'"), scheme.err());
        assertTrue(!Files.exists(tmp.resolve("never")) && !Files.exists(tmp.resolve("never2")));
    }
}
