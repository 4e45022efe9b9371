package org.relulearn.algo.convex;

import java.util.Locale;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.relulearn.algo.baseline.AdversarialTraining;
import org.relulearn.algo.baseline.SgdReluTrainer;
import org.relulearn.algo.loss.ConvexLoss;
import org.relulearn.data.OneHiddenLayerNetwork;
import org.relulearn.data.SyntheticSource;
import org.relulearn.data.XorClusters;
import org.relulearn.engine.Data;
import org.relulearn.engine.LocalPassRunner;
import org.relulearn.engine.SyntheticData;

/**
 * The measurements behind the margin-aware gate choice (docs/convex.md), not a test: skipped unless
 * -Drelulearn.measure=true. XOR clusters as in convex-vs-sgd (d = 10, r = 2, sigma = 0.25, 400 rows, 2000 held-out),
 * width-47 Adam networks (plain and PGD-trained at each eps), robust hinge fits (beta 0.01) over gates from
 * -Dxsrc = sampled | sgd | pgd | pgd+sampled | pgd+sgd (suffix -r: after margin ascent), filtered or not, or with
 * -Dxma=true through GateChoice.marginAware; prints lines starting with EXPLORE.
 */
@org.junit.jupiter.api.condition.EnabledIfSystemProperty(named = "relulearn.measure", matches = "true")
class RobustGatesMeasurement {
    @Test
    void explore() {
        int d = Integer.getInteger("xd", 10);
        long n = Long.getLong("xn", 400);
        int width = Integer.getInteger("xw", 47);
        int iters = Integer.getInteger("xit", 300);
        LocalPassRunner runner = new LocalPassRunner(2);
        XorClusters law = XorClusters.standard(d, 2, 0.25);
        Data train = runner.cache(new SyntheticSource(law, null, null, n, 1, 0, 1024));
        Data test = new SyntheticData(new SyntheticSource(law, null, null, 2000, 1, 1, 1024));
        SgdReluTrainer.Options so = new SgdReluTrainer.Options(width, ConvexLoss.HINGE, 1e-2, 400, 64, 0.01, true, 1, 400);
        SgdReluTrainer.Result plain = SgdReluTrainer.fit(runner, train, so);
        ConvexOptions base = ConvexOptions.defaults().withLoss(ConvexLoss.HINGE).withBeta(1e-2).withPatterns(40).withSeed(1);
        String[] epsList = System.getProperty("xeps", "0.25,0.5,0.75").split(",");
        for (String es : epsList) {
            double eps = Double.parseDouble(es);
            SgdReluTrainer.Result pgd = SgdReluTrainer.fit(runner, train, so.withAdversarial(AdversarialTraining.PGD, eps, 7));
            report(runner, test, "SGD+PGD net", pgd.network(), eps);
            double[] sampled = ConvexTrainer.sampleGates(40, d + 1, 1);
            for (String src : System.getProperty("xsrc", "sampled,sgd,pgd,pgd+sampled,pgd+sgd").split(",")) {
                boolean ref = src.endsWith("-r");
                String key = ref ? src.substring(0, src.length() - 2) : src;
                double[] g = switch (key) {
                    case "sampled" -> sampled;
                    case "sgd" -> GateChoice.fromNetwork(plain.network(), true);
                    case "pgd" -> GateChoice.fromNetwork(pgd.network(), true);
                    case "pgd+sampled" -> GateChoice.concat(GateChoice.fromNetwork(pgd.network(), true), sampled);
                    default -> GateChoice.concat(GateChoice.fromNetwork(pgd.network(), true), GateChoice.fromNetwork(plain.network(), true));
                };
                if (ref) {
                    long tr = System.nanoTime();
                    g = GateChoice.refine(runner, train, g, true, Integer.getInteger("xsteps", 100), Double.parseDouble(System.getProperty("xtau", "0.02")),
                            Double.parseDouble(System.getProperty("xrate", "0.02")), line -> System.out.println("EXPLORE " + line));
                    System.out.printf("EXPLORE refine %.1fs%n", (System.nanoTime() - tr) / 1e9);
                }
                if (Boolean.getBoolean("xma")) {
                    GateChoice.Chosen c = GateChoice.marginAware(runner, train, g, true, eps, line -> System.out.println("EXPLORE " + line));
                    for (int i = 0; i < c.gates().length / (d + 1); i++) {
                        System.out.println("EXPLORE gate " + java.util.Arrays.toString(java.util.Arrays.stream(c.gates(), i * (d + 1), (i + 1) * (d + 1))
                                .map(v -> Math.round(v * 1000) / 1000.0).toArray()));
                    }
                    long t0 = System.nanoTime();
                    ConvexResult r = ConvexTrainer.fit(runner, train, base.withGates(c.gates()).withAdversarialEps(eps).withMaxIter(iters));
                    assertCertified(r);
                    System.out.printf(Locale.ROOT, "EXPLORE MA eps %.2f src %-12s P %d live %d steps %d cert %.4f certAcc %.3f %.1fs %s%n", eps, src, r.patterns(),
                            r.robust().liveGroups(), r.iterations(), r.robust().certifiedObjective(), r.robust().certifiedAccuracy(), (System.nanoTime() - t0) / 1e9, r.stopReason());
                    report(runner, test, "  MA robust " + src, r.network(), eps);
                    continue;
                }
                for (boolean filter : new boolean[] {false, true}) {
                    GateChoice.Margins m = GateChoice.measure(runner, train, g, true, eps);
                    double[] gates = m.ranked(filter);
                    long t0 = System.nanoTime();
                    ConvexResult r = ConvexTrainer.fit(runner, train, base.withGates(gates).withAdversarialEps(eps).withMaxIter(iters));
                    assertCertified(r);
                    double sec = (System.nanoTime() - t0) / 1e9;
                    double[] dist = m.distance().clone();
                    java.util.Arrays.sort(dist);
                    System.out.printf(Locale.ROOT, "EXPLORE eps %.2f src %-12s filter %-5b cand %d positive %d maxdist %.3f P %d live %d cert %.4f certAcc %.3f %.1fs%n",
                            eps, src, filter, m.size(), m.positive(), dist[dist.length - 1], r.patterns(), r.robust().liveGroups(),
                            r.robust().certifiedObjective(), r.robust().certifiedAccuracy(), sec);
                    report(runner, test, "  robust " + src, r.network(), eps);
                }
            }
        }
    }

    /** Whatever the gates, the repaired robust fit is certified: every cone holds and the figures are in range. */
    static void assertCertified(ConvexResult r) {
        RobustSummary s = r.robust();
        assertTrue(s.maxViolationAfterRepair() <= 1e-9, "cone violation after the repair " + s.maxViolationAfterRepair());
        assertTrue(s.certifiedAccuracy() >= 0 && s.certifiedAccuracy() <= s.cleanAccuracy() + 1e-12,
                "certified accuracy " + s.certifiedAccuracy() + " must not exceed clean " + s.cleanAccuracy());
        assertTrue(Double.isFinite(s.certifiedObjective()) && s.certifiedObjective() >= 0, "certified objective " + s.certifiedObjective());
    }

    static void report(LocalPassRunner runner, Data test, String what, OneHiddenLayerNetwork net, double eps) {
        AttackAggregator a = runner.aggregate(test, () -> new AttackAggregator(net, ConvexLoss.HINGE, eps, 20), "attack");
        System.out.printf(Locale.ROOT, "EXPLORE %s eps %.2f clean %.4f fgsm %.4f pgd %.4f%n", what, eps, a.cleanAccuracy(), a.fgsmAccuracy(), a.pgdAccuracy());
    }
}
