package org.relulearn.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.relulearn.linalg.Blas;
import picocli.CommandLine.Command;

/** Prints the environment relulearn runs in: versions, BLAS/LAPACK backends, cores, memory. */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Print the active BLAS/LAPACK backends, Spark and Java versions, cores and memory.")
public final class InfoCommand implements Callable<Integer> {

    public static Map<String, Object> environment() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("relulearn", new ReluLearn.Version().getVersion()[0]);
        m.put("spark", org.apache.spark.package$.MODULE$.SPARK_VERSION());
        m.put("scala", scala.util.Properties.versionNumberString());
        m.put("java", System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")");
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put("maxHeapMiB", Runtime.getRuntime().maxMemory() / (1024 * 1024));
        m.put("blasLevel3", Blas.native3().getClass().getName());
        m.put("blasLevel1", Blas.java().getClass().getName());
        m.put("lapack", Blas.lapack().getClass().getName());
        m.put("nativeBlas", Blas.nativeLoaded() ? "loaded (libblas.so.3)"
                : "not loaded: install libopenblas0-pthread for 4-7x faster level-3 BLAS (submit/setup does it as root)");
        String threads = System.getenv("OPENBLAS_NUM_THREADS");
        m.put("openblasThreads", threads == null ? "(default)" : threads);
        return m;
    }

    @Override
    public Integer call() {
        environment().forEach((k, v) -> System.out.printf("%-16s %s%n", k, v));
        return 0;
    }
}
