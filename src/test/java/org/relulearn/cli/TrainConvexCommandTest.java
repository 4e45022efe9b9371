package org.relulearn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code relulearn train convex}: a run with its outputs, the gate file round trip, and the inputs that must fail (docs/convex.md, Use). */
class TrainConvexCommandTest {
    @org.junit.jupiter.api.BeforeAll
    static void sharedSession() { org.relulearn.spark.SparkTestSession.get(); }

    static final String[] SMALL = {"train", "convex", "-d", "3", "-k", "2", "-n", "2000", "--noise", "0.1", "--patterns", "12",
            "--weight-decay", "0.5", "--solver", "admm", "--max-iter", "15", "--baseline-steps", "20", "--baseline-batch", "64"};
    /** For the failures: few rows, no baseline. */
    static final String[] TINY = {"train", "convex", "-d", "3", "-k", "2", "-n", "300", "--noise", "0.1", "--patterns", "12",
            "--weight-decay", "0.5", "--max-iter", "5", "--no-baseline"};

    static String[] with(String[] base, String... more) {
        String[] all = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }

    @Test
    void theDefaultSolverIsTheCertifiedGatedProgramAndAnAdmmOptionIsAnErrorWithGatedOrIpm(@TempDir Path tmp) throws Exception {
        String[] base = {"train", "convex", "-d", "3", "-k", "2", "-n", "300", "--noise", "0.1", "--patterns", "12", "--no-baseline"};
        CliRun r = CliRun.of(with(base, "-o", tmp.resolve("gated").toString()));
        assertEquals(0, r.exit(), r.err() + r.out());
        assertTrue(r.out().contains("convex gated: chose beta"), "weight decay auto walks the path: " + r.out());
        assertTrue(r.out().contains("certified lower bound"), r.out());
        assertTrue(r.out().contains("convex gated: decomposition step 1/"), "the minimum-norm decomposition is the default: " + r.out());
        assertTrue(r.out().contains("convex gated: minimum-norm decomposition in "), r.out());
        String results = Files.readString(tmp.resolve("gated").resolve("results.json"));
        assertTrue(results.contains("\"kind\" : \"min-norm\"") && results.contains("sumUnitNormsOfShift"), results);
        CliRun shift = CliRun.of(with(base, "--decomposition", "shift", "--weight-decay", "0.5", "-o", tmp.resolve("shift").toString()));
        assertEquals(0, shift.exit(), shift.err() + shift.out());
        assertTrue(!shift.out().contains("decomposition step"), "the shift decomposition needs no barrier passes: " + shift.out());
        assertTrue(Files.readString(tmp.resolve("shift").resolve("results.json")).contains("\"kind\" : \"shift\""));
        CliRun ipmDecomposition = CliRun.of(with(base, "--solver", "ipm", "--weight-decay", "1e-3", "--decomposition", "shift"));
        assertEquals(2, ipmDecomposition.exit(), ipmDecomposition.out());
        assertTrue(ipmDecomposition.err().contains("the solver here is ipm") && ipmDecomposition.err().contains("--solver gated"),
                ipmDecomposition.err());
        CliRun unknown = CliRun.of(with(base, "--decomposition", "smallest"));
        assertEquals(2, unknown.exit(), unknown.out());
        assertTrue(unknown.err().contains("use min-norm or shift"), unknown.err());
        CliRun ipm = CliRun.of(with(base, "--solver", "ipm", "--weight-decay", "1e-3", "-o", tmp.resolve("ipm").toString()));
        assertEquals(0, ipm.exit(), ipm.err() + ipm.out());
        assertTrue(ipm.out().contains("route interior point"), ipm.out());
        assertTrue(ipm.out().contains("certificate relative gap"), "stopped on the certificate: " + ipm.out());
        CliRun rho = CliRun.of(with(base, "--solver", "ipm", "--rho", "1"));
        assertEquals(2, rho.exit(), rho.out());
        assertTrue(rho.err().contains("--rho is an ADMM setting and has no effect with --solver ipm"), rho.err());
        CliRun gatedRho = CliRun.of(with(base, "--solver", "gated", "--rho", "1"));
        assertEquals(2, gatedRho.exit(), gatedRho.out());
        assertTrue(gatedRho.err().contains("--rho is an ADMM setting and has no effect with --solver gated"), gatedRho.err());
        CliRun hinge = CliRun.of(with(base, "--solver", "ipm", "--loss", "hinge"));
        assertEquals(2, hinge.exit(), hinge.out());
        assertTrue(hinge.err().contains("needs --solver admm"), hinge.err());
        CliRun gatedHinge = CliRun.of(with(base, "--solver", "gated", "--loss", "hinge"));
        assertEquals(2, gatedHinge.exit(), gatedHinge.out());
        assertTrue(gatedHinge.err().contains("--solver gated fits the squared loss"), gatedHinge.err());
        CliRun word = CliRun.of(with(base, "--weight-decay", "lots"));
        assertEquals(2, word.exit(), word.out());
        assertTrue(word.err().contains("neither a number nor auto"), word.err());
        CliRun auto = CliRun.of(with(base, "--rho", "1", "--max-iter", "5", "-o", tmp.resolve("admm").toString()));
        assertEquals(0, auto.exit(), auto.err() + auto.out());
        assertTrue(auto.out().contains("linear-solve route dense"), "an ADMM option makes auto choose ADMM: " + auto.out());
    }

    @Test
    void trainsComparesWithTheBaselineAndReplaysTheGatesFile(@TempDir Path tmp) throws Exception {
        CliRun r = CliRun.of(with(SMALL, "-o", tmp.resolve("a").toString()));
        assertEquals(0, r.exit(), r.err() + r.out());
        assertTrue(r.out().contains("linear-solve route dense"), r.out());
        assertTrue(r.out().contains("certificate: lower bound"), r.out());
        assertTrue(r.out().contains("baseline (Adam"), r.out());
        Path gates = tmp.resolve("a").resolve("gates.csv");
        assertTrue(Files.exists(tmp.resolve("a").resolve("results.json")));
        assertTrue(Files.readAllLines(tmp.resolve("a").resolve("history.csv")).size() > 10);
        CliRun again = CliRun.of(with(SMALL, "--gates", gates.toString(), "--no-baseline", "-o", tmp.resolve("b").toString()));
        assertEquals(0, again.exit(), again.err());
        String obj1 = line(r.out(), "objective "), obj2 = line(again.out(), "objective ");
        assertEquals(obj1, obj2, "the same patterns give the same fit");
    }

    @Test
    void robustTrainingPrintsTheRobustFiguresAndAttacksTheFit(@TempDir Path tmp) throws Exception {
        CliRun r = CliRun.of(new String[] {"train", "convex", "-d", "3", "-k", "2", "-n", "300", "--patterns", "8", "--weight-decay", "0.5",
                "--no-baseline", "--loss", "bce", "--adversarial-eps", "0.05", "--attack-eps", "0.05", "--max-iter", "60",
                "-o", tmp.resolve("r").toString()});
        assertEquals(0, r.exit(), r.err() + r.out());
        assertTrue(r.out().contains("robust: certified objective"), r.out());
        assertTrue(r.out().contains("surrogate objective"), r.out());
        assertTrue(r.out().contains("violation after repair 0"), r.out());
        assertTrue(r.out().contains("convex fit under l_inf attacks, eps = 0.05"), r.out());
        String json = Files.readString(tmp.resolve("r").resolve("results.json"));
        assertTrue(json.contains("\"robust\"") && json.contains("certifiedObjective") && json.contains("deadGroups"), json);
    }

    static String line(String out, String key) {
        for (String l : out.split("\n")) if (l.trim().startsWith(key)) return l.trim();
        return "";
    }

    @Test
    void badInputsFailWithExitCodeTwoAndAMessage(@TempDir Path tmp) throws Exception {
        CliRun neg = CliRun.of(with(TINY, "--weight-decay", "-1"));
        assertEquals(2, neg.exit());
        assertTrue(neg.err().contains("beta"), neg.err());
        CliRun rho = CliRun.of(with(TINY, "--rho", "0"));
        assertEquals(2, rho.exit());
        assertTrue(rho.err().contains("rho"), rho.err());
        CliRun step = CliRun.of(with(TINY, "--dual-step", "2"));
        assertEquals(2, step.exit());
        CliRun pat = CliRun.of(with(TINY, "--patterns", "0"));
        assertEquals(2, pat.exit());
        CliRun hinge = CliRun.of(with(TINY, "--loss", "hinge"));
        assertEquals(2, hinge.exit(), "noisy labels are not -1/+1");
        assertTrue(hinge.err().contains("row ") && hinge.err().contains("-1 or +1"), hinge.err());
        CliRun adv = CliRun.of(with(TINY, "--adversarial-eps", "-0.1"));
        assertEquals(2, adv.exit());
        assertTrue(adv.err().contains("--adversarial-eps"), adv.err());
        CliRun advScp = CliRun.of(with(TINY, "--adversarial-eps", "0.1", "--solver", "scp"));
        assertEquals(2, advScp.exit());
        Path bad = tmp.resolve("gates.csv");
        Files.writeString(bad, "1,2\n3,4\n");
        CliRun gates = CliRun.of(with(TINY, "--gates", bad.toString()));
        assertEquals(2, gates.exit());
        assertTrue(gates.err().contains("4 (3 features + the bias coordinate)"), gates.err());
        CliRun dense = CliRun.of(with(TINY, "--route", "dense", "--memory-cap-mb", "0.001"));
        assertEquals(2, dense.exit());
        assertTrue(dense.err().contains("--route cg"), dense.err());
    }
}
