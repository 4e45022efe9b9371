package org.relulearn.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.relulearn.algo.convex.ConvexResult;
import org.relulearn.data.Block;
import org.relulearn.data.SyntheticSource;

/**
 * The convex suite's reference: the same constrained program solved by cvxopt's interior-point cone QP (a Python
 * script kept with the test resources, not part of the product), on the driver's machine, for small programs. It
 * writes the synthetic rows (regenerated from their source: a benchmark's data, never a user's) and the sampled gates
 * to a temporary directory, runs the script, and reports its optimum p*, iterations and solver seconds beside each
 * Java solver's objective, as (objective - p*) / p*.
 */
final class ReferenceSolve {
    private ReferenceSolve() {}

    /** The first of {@code python3}, {@code /usr/bin/python3} that imports cvxopt and numpy, when the script exists; else null. */
    static String python(String script) {
        if (!Files.isRegularFile(Path.of(script))) return null;
        for (String candidate : List.of("python3", "/usr/bin/python3")) {
            try {
                Process p = new ProcessBuilder(candidate, "-c", "import cvxopt, numpy").redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                if (p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0) return candidate;
            } catch (IOException e) {
                // not installed under this name: try the next
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
        return null;
    }

    static Map<String, Object> run(PrintStream console, String python, String script, SyntheticSource src, List<ConvexResult> solved,
                                   double beta) {
        ConvexResult first = solved.get(0);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("solver", "reference (cvxopt coneqp)");
        m.put("n", src.numRows());
        m.put("patterns", first.patterns());
        m.put("beta", beta);
        Path dir = null;
        try {
            dir = Files.createTempDirectory("relulearn-convex-reference");
            Path rows = dir.resolve("rows.csv"), gates = dir.resolve("gates.csv");
            writeRows(src, rows);
            writeGates(first, gates);
            Process p = new ProcessBuilder(python, script, rows.toString(), gates.toString(), Double.toString(beta)).start();
            byte[] out = p.getInputStream().readAllBytes();
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(1, TimeUnit.HOURS) || p.exitValue() != 0) {
                console.printf("  reference: %s failed: %s%n", script, err.strip());
                m.put("error", err.strip());
                return m;
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> got = new ObjectMapper().readValue(out, Map.class);
            double pStar = ((Number) got.get("objective")).doubleValue();
            m.putAll(got);
            StringBuilder diffs = new StringBuilder();
            Map<String, Object> rel = new LinkedHashMap<>();
            for (ConvexResult r : solved) {
                double d = (r.networkObjective() - pStar) / Math.abs(pStar);
                rel.put(r.route(), d);
                diffs.append(String.format("%s%s %.2e", diffs.length() == 0 ? "" : ", ", r.route(), d));
            }
            m.put("relativeDifference", rel);
            console.printf("  reference: cvxopt coneqp on the same program: p* = %.7g (%s), %d iterations, %.2f s solver time; "
                            + "(network objective - p*) / p*: %s%n", pStar, got.get("status"), ((Number) got.get("iterations")).intValue(),
                    ((Number) got.get("seconds")).doubleValue(), diffs);
            return m;
        } catch (IOException e) {
            console.printf("  reference: not run (%s)%n", e.getMessage());
            m.put("error", String.valueOf(e.getMessage()));
            return m;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            m.put("error", "interrupted");
            return m;
        } finally {
            if (dir != null) deleteQuietly(dir);
        }
    }

    private static void writeRows(SyntheticSource src, Path file) throws IOException {
        int d = src.d();
        try (Writer w = Files.newBufferedWriter(file)) {
            StringBuilder header = new StringBuilder();
            for (int j = 0; j < d; j++) header.append('x').append(j).append(',');
            w.write(header.append("y\n").toString());
            SyntheticSource.Workspace ws = src.newWorkspace();
            for (long b = 0; b < src.numBlocks(); b++) {
                Block blk = src.fill(b, src.newBlock(), ws);
                for (int r = 0; r < blk.rows(); r++) {
                    StringBuilder line = new StringBuilder();
                    for (int j = 0; j < d; j++) line.append(Double.toString(blk.x()[r * d + j])).append(',');
                    w.write(line.append(Double.toString(blk.y()[r * blk.m()])).append('\n').toString());
                }
            }
        }
    }

    private static void writeGates(ConvexResult r, Path file) throws IOException {
        if (!r.bias()) throw new IOException("the reference script expects a bias column");
        try (Writer w = Files.newBufferedWriter(file)) {
            double[] g = r.gates();
            for (int i = 0; i < r.patterns(); i++) {
                StringBuilder line = new StringBuilder();
                for (int j = 0; j < r.dp(); j++) line.append(j == 0 ? "" : ",").append(Double.toString(g[i * r.dp() + j]));
                w.write(line.append('\n').toString());
            }
        }
    }

    private static void deleteQuietly(Path dir) {
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) Files.deleteIfExists(f);
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // a temporary directory left behind is harmless
        }
    }
}
