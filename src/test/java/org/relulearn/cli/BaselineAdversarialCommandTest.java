package org.relulearn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code train convex --baseline-adversarial fgsm|pgd}: an adversarially trained baseline, and the values that must fail with exit 2. */
class BaselineAdversarialCommandTest {
    @org.junit.jupiter.api.BeforeAll
    static void sharedSession() { org.relulearn.spark.SparkTestSession.get(); }

    static final String[] HINGE = {"train", "convex", "-d", "3", "-k", "2", "-n", "600", "--loss", "hinge", "--patterns", "12",
            "--weight-decay", "0.5", "--max-iter", "10", "--baseline-steps", "20", "--baseline-batch", "64"};

    @Test
    void pgdTrainedBaselineRunsAndIsEvaluatedAtTheSameRadius(@TempDir Path tmp) throws Exception {
        CliRun r = CliRun.of(TrainConvexCommandTest.with(HINGE, "--attack-eps", "0.1", "--pgd-steps", "5", "--baseline-adversarial", "pgd",
                "-o", tmp.resolve("a").toString()));
        assertEquals(0, r.exit(), r.err() + r.out());
        assertTrue(r.out().contains("pgd adversarial training at eps 0.1"), r.out());
        assertTrue(r.out().contains("baseline under l_inf attacks, eps = 0.1"), r.out());
        String results = Files.readString(tmp.resolve("a").resolve("results.json"));
        assertTrue(results.contains("\"adversarial\" : \"pgd\"") || results.contains("\"adversarial\":\"pgd\""), results);
    }

    @Test
    void badValuesFailWithExitCodeTwoAndTheFix() {
        CliRun bad = CliRun.of(TrainConvexCommandTest.with(HINGE, "--attack-eps", "0.1", "--baseline-adversarial", "pdg"));
        assertEquals(2, bad.exit(), bad.err());
        assertTrue(bad.err().contains("none, fgsm or pgd"), bad.err());
        CliRun noEps = CliRun.of(TrainConvexCommandTest.with(HINGE, "--baseline-adversarial", "fgsm"));
        assertEquals(2, noEps.exit(), noEps.err());
        assertTrue(noEps.err().contains("--attack-eps"), noEps.err());
        CliRun noBase = CliRun.of(TrainConvexCommandTest.with(HINGE, "--attack-eps", "0.1", "--baseline-adversarial", "fgsm", "--no-baseline"));
        assertEquals(2, noBase.exit(), noBase.err());
        assertTrue(noBase.err().contains("--no-baseline"), noBase.err());
        CliRun steps = CliRun.of(TrainConvexCommandTest.with(HINGE, "--attack-eps", "0.1", "--baseline-adversarial", "pgd", "--pgd-steps", "0"));
        assertEquals(2, steps.exit(), steps.err());
        assertTrue(steps.err().contains("--pgd-steps"), steps.err());
    }
}
