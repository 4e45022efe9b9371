package org.relulearn.cli;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The command line of a relulearn driver in its own JVM, for tests that kill it and resume. */
public final class DriverJvm {
    private DriverJvm() {}

    /** java, the test JVM's own flags (heap, Spark's --add-opens list), the test class path, ReluLearn and {@code args}. */
    public static List<String> command(List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("-X") || a.startsWith("--add-") || a.startsWith("-XX:") || a.startsWith("-Dio.netty")
                    || a.startsWith("-Djdk.reflect")) cmd.add(a);
        }
        cmd.addAll(List.of("-cp", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
                "org.relulearn.cli.ReluLearn"));
        cmd.addAll(args);
        return cmd;
    }
}
