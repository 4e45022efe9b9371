package org.relulearn.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the project's {@code submit/*} scripts as separate processes, output to a log file. */
final class Scripts {
    /** The project root (surefire runs tests there). */
    static final Path ROOT = Path.of("").toAbsolutePath();

    private Scripts() {}

    /** A started script: its process and the file its stdout and stderr go to. */
    record Running(Process process, Path log, String label) {
        /** Waits (bounded) and returns the exit code; kills the process tree on timeout. */
        Result await(long seconds) throws IOException, InterruptedException {
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new AssertionError(label + " did not finish within " + seconds + " s; log " + log + ":\n" + tail(log));
            }
            return new Result(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8), log);
        }
    }

    record Result(int exit, String output, Path log) {}

    static Running start(Path logDir, String label, String script, List<String> args, Map<String, String> env) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("bash", ROOT.resolve("submit").resolve(script).toString()));
        cmd.addAll(args);
        Path log = logDir.resolve(label + ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(ROOT.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        // the jar was built by `mvn package` before this phase: the scripts must not start another build
        pb.environment().put("RELULEARN_NO_BUILD", "1");
        pb.environment().remove("SPARK_HOME");
        pb.environment().putAll(env);
        return new Running(pb.start(), log, label);
    }

    static Result run(Path logDir, String label, long seconds, String script, String... args) throws IOException, InterruptedException {
        return start(logDir, label, script, List.of(args), Map.of()).await(seconds);
    }

    static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }
}
