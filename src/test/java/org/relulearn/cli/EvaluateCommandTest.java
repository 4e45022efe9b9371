package org.relulearn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.relulearn.ml.ReluNetworkModel;
import org.relulearn.report.Json;
import org.relulearn.spark.SparkTestSession;

/**
 * The evaluate story: a train run saves its network under OUT/model, reports train, held-out and
 * --test-input metrics in results.json, and {@code relulearn evaluate} scores the saved model on
 * any labeled file with the same figures.
 */
class EvaluateCommandTest {
    @TempDir
    Path tmp;

    @BeforeAll
    static void sharedSession() { SparkTestSession.get(); }

    @SuppressWarnings("unchecked")
    static Map<String, Object> results(Path dir) throws Exception {
        return Json.mapper().readValue(Files.readAllBytes(dir.resolve("results.json")), Map.class);
    }

    static double num(Map<String, Object> m, String... path) {
        Object o = m;
        for (String p : path) o = ((Map<?, ?>) o).get(p);
        return ((Number) o).doubleValue();
    }

    @Test
    @SuppressWarnings("unchecked")
    void trainSavesTheModelReportsTestMetricsAndEvaluateScoresItTheSame() throws Exception {
        Path train = tmp.resolve("train"), test = tmp.resolve("test");
        for (Path p : new Path[] {train, test}) {
            CliRun g = CliRun.of("generate", "-d", "6", "-k", "3", "-m", "4", "-n", "200000", "--noise", "0.1", "--format", "csv",
                    "--stream", p == train ? "0" : "1", "--out", p.toString());
            assertEquals(0, g.exit(), g.out() + g.err());
        }
        Path fit = tmp.resolve("fit");
        CliRun r = CliRun.of("train", "moments", "--input", train.toString(), "--fit-hidden", "3", "--test-input", test.toString(),
                "--out", fit.toString());
        assertEquals(0, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("  test: n = 200,000: MSE"), r.out());
        Map<String, Object> ev = (Map<String, Object>) results(fit).get("evaluation");
        assertEquals("regression", ev.get("task"));
        double testMse = num(ev, "test", "mse"), testR2 = num(ev, "test", "r2");
        // noise 0.1 per output: the best possible MSE is 0.01; a right fit is close to it
        assertTrue(testMse > 0.009 && testMse < 0.02, "test MSE " + testMse);
        assertTrue(testR2 > 0.9, "test R^2 " + testR2);
        assertTrue(num(ev, "train", "rows") + num(ev, "heldOut", "rows") == 200_000, ev.toString());
        assertFalse(ev.get("test").toString().contains("accuracy"), "a regression reports no accuracy: " + ev);

        ReluNetworkModel model = ReluNetworkModel.load(fit.resolve("model").toUri().toString());
        assertEquals(6, model.inputDim());
        assertEquals(4, model.outputDim());

        Path scored = tmp.resolve("scored");
        CliRun e = CliRun.of("evaluate", "--model", fit.toString(), "--input", test.toString(), "--out", scored.toString());
        assertEquals(0, e.exit(), e.out() + e.err());
        assertEquals(testMse, num(results(scored), "mse"), 1e-12 * testMse, e.out());
        assertEquals(testR2, num(results(scored), "r2"), 1e-12, e.out());
    }

    @Test
    void evaluateRefusesDataOfAnotherShapeAndADirectoryWithoutAModel() throws Exception {
        Path train = tmp.resolve("train");
        assertEquals(0, CliRun.of("generate", "-d", "3", "-k", "2", "-m", "2", "-n", "20000", "--format", "csv", "--out", train.toString()).exit());
        Path fit = tmp.resolve("fit");
        CliRun r = CliRun.of("train", "moments", "--input", train.toString(), "--fit-hidden", "2", "--out", fit.toString());
        assertEquals(0, r.exit(), r.out() + r.err());
        Path other = tmp.resolve("other");
        assertEquals(0, CliRun.of("generate", "-d", "5", "-k", "2", "-m", "2", "-n", "1000", "--format", "csv", "--out", other.toString()).exit());
        CliRun bad = CliRun.of("evaluate", "--model", fit.toString(), "--input", other.toString());
        assertEquals(2, bad.exit(), bad.out() + bad.err());
        assertTrue(bad.err().contains("d = 3") && bad.err().contains("d = 5"), bad.err());
        CliRun none = CliRun.of("evaluate", "--model", tmp.toString(), "--input", other.toString());
        assertEquals(2, none.exit(), none.out() + none.err());
        assertTrue(none.err().contains("holds no saved model"), none.err());
    }
}
