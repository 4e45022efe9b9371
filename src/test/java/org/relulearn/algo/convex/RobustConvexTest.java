package org.relulearn.algo.convex;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.relulearn.algo.loss.ConvexLoss;
import org.relulearn.data.Block;
import org.relulearn.data.CounterRng;
import org.relulearn.data.OneHiddenLayerNetwork;
import org.relulearn.engine.InMemoryData;
import org.relulearn.engine.LocalPassRunner;

/**
 * Robust (adversarial) convex training, docs/convex.md, Design: exact cones after the repair, the
 * surrogate equal to the true network's worst case over the box vertices, eps = 0 equal to the ordinary
 * program, agreement with an independent driver-side solver, and better PGD robustness than the ordinary fit.
 */
class RobustConvexTest {

    /** n points in R^2 (rows of [x1, x2]) with labels by a ReLU rule, as a two-block in-memory data set. */
    static InMemoryData data(double[] x, double[] y) {
        int n = y.length, h = n / 2;
        return new InMemoryData(2, 1, List.of(Block.wrap(2, 1, h, 0, java.util.Arrays.copyOf(x, 2 * h), java.util.Arrays.copyOf(y, h)),
                Block.wrap(2, 1, n - h, h, java.util.Arrays.copyOfRange(x, 2 * h, 2 * n), java.util.Arrays.copyOfRange(y, h, n))));
    }

    /**
     * Linearly separable points with a gap: y = sign(x1) (as -1/+1 or 0/1), rows with |x1| &lt; gap dropped,
     * x2 Gaussian.
     */
    static double[][] separable(int n, ConvexLoss loss, double gap, long seed) {
        return separable(n, loss, gap, 0, seed);
    }

    /** The same with a fraction {@code flip} of the labels flipped (isolated wrong labels inside the other class). */
    static double[][] separable(int n, ConvexLoss loss, double gap, double flip, long seed) {
        CounterRng rng = new CounterRng(seed, 11, 0);
        double[] x = new double[2 * n], y = new double[n];
        for (int r = 0; r < n; ) {
            double a = 1.5 * rng.nextGaussian(), b = rng.nextGaussian();
            if (Math.abs(a) < gap) continue;
            x[2 * r] = a;
            x[2 * r + 1] = b;
            boolean pos = (a > 0) != (flip > 0 && rng.nextDouble() < flip);
            y[r] = pos ? 1 : (loss == ConvexLoss.BCE ? 0 : -1);
            r++;
        }
        return new double[][] {x, y};
    }

    /** XOR of four Gaussian blobs at (+-c, +-c) with standard deviation sd: y = sign(x1 x2) (as -1/+1 or 0/1). */
    static double[][] xorBlobs(int n, ConvexLoss loss, double c, double sd, long seed) {
        CounterRng rng = new CounterRng(seed, 13, 0);
        double[] x = new double[2 * n], y = new double[n];
        for (int r = 0; r < n; r++) {
            double s1 = (r & 1) == 0 ? 1 : -1, s2 = (r & 2) == 0 ? 1 : -1;
            x[2 * r] = s1 * c + sd * rng.nextGaussian();
            x[2 * r + 1] = s2 * c + sd * rng.nextGaussian();
            y[r] = s1 * s2 > 0 ? 1 : (loss == ConvexLoss.BCE ? 0 : -1);
        }
        return new double[][] {x, y};
    }

    static double[][] points(int n, ConvexLoss loss, long seed) {
        CounterRng rng = new CounterRng(seed, 7, 0);
        double[] x = new double[2 * n], y = new double[n];
        for (int r = 0; r < n; r++) {
            x[2 * r] = rng.nextGaussian();
            x[2 * r + 1] = rng.nextGaussian();
            double f = Math.max(0, x[2 * r] + 0.3) - Math.max(0, x[2 * r + 1] - 0.2) - 0.1;
            y[r] = switch (loss) {
                case SQUARED -> f + 0.1 * rng.nextGaussian();
                case HINGE -> f > 0 ? 1 : -1;
                case BCE -> f > 0 ? 1 : 0;
            };
        }
        return new double[][] {x, y};
    }

    /** Per row: yhat and g of the convex groups (patterns from the gates), in dense arithmetic. */
    static double[][] surrogate(ConvexResult r, double[] x, int n) {
        int p = r.patterns(), dp = r.dp(), d = 2;
        double[] u = r.groups(), gates = r.gates();
        double[] yhat = new double[n], g = new double[2 * n];
        for (int row = 0; row < n; row++) {
            double[] xr = {x[2 * row], x[2 * row + 1], 1};
            for (int i = 0; i < p; i++) {
                double z = 0;
                for (int j = 0; j < dp; j++) z += xr[j] * gates[i * dp + j];
                if (z < 0) continue;
                for (int j = 0; j < dp; j++) yhat[row] += xr[j] * (u[i * dp + j] - u[(p + i) * dp + j]);
                for (int j = 0; j < d; j++) g[2 * row + j] += u[i * dp + j] - u[(p + i) * dp + j];
            }
        }
        return new double[][] {yhat, g};
    }

    /** max over rows and nonzero groups of eps ||u~_g||_1 - (2 d_ri - 1) x_r . u_g. */
    static double coneViolation(ConvexResult r, double[] x, int n, double eps) {
        int p = r.patterns(), dp = r.dp();
        double[] u = r.groups(), gates = r.gates();
        double worst = Double.NEGATIVE_INFINITY;
        for (int g = 0; g < 2 * p; g++) {
            if (NetworkMapping.groupNorm(u, g, dp) == 0) continue;
            int i = g % p;
            double l1 = Math.abs(u[g * dp]) + Math.abs(u[g * dp + 1]);
            for (int row = 0; row < n; row++) {
                double[] xr = {x[2 * row], x[2 * row + 1], 1};
                double z = 0, xu = 0;
                for (int j = 0; j < dp; j++) {
                    z += xr[j] * gates[i * dp + j];
                    xu += xr[j] * u[g * dp + j];
                }
                double e = z >= 0 ? 1 : -1;
                worst = Math.max(worst, eps * l1 - e * xu);
            }
        }
        return worst;
    }

    @Test
    void robustFitSatisfiesTheConesAndItsSurrogateIsTheTrueWorstCase() {
        int n = 60;
        double eps = 0.1;
        for (ConvexLoss loss : ConvexLoss.values()) {
            double[][] xy = points(n, loss, 5);
            ConvexOptions o = ConvexOptions.defaults().withLoss(loss).withBeta(0.5).withPatterns(8).withMaxIter(1500)
                    .withAdversarialEps(eps);
            ConvexResult r = ConvexTrainer.fit(new LocalPassRunner(), data(xy[0], xy[1]), o, System.out::println);
            RobustSummary rs = r.robust();
            assertNotNull(rs);
            System.out.printf("%s: %s%n", loss, rs);
            double viol = coneViolation(r, xy[0], n, eps);
            assertTrue(viol <= 1e-6, loss + ": cone violation after repair " + viol);
            assertTrue(rs.liveGroups() > 0, loss + ": some groups live");
            double[][] s = surrogate(r, xy[0], n);
            OneHiddenLayerNetwork net = r.network();
            double total = 0;
            for (int row = 0; row < n; row++) {
                double l1 = eps * (Math.abs(s[1][2 * row]) + Math.abs(s[1][2 * row + 1]));
                double closed = loss.worstCase(s[0][row], xy[1][row], l1);
                double brute = Double.NEGATIVE_INFINITY;
                for (int mask = 0; mask < 4; mask++) {
                    double[] xv = {xy[0][2 * row] + ((mask & 1) == 0 ? -eps : eps), xy[0][2 * row + 1] + ((mask & 2) == 0 ? -eps : eps)};
                    brute = Math.max(brute, loss.value(predict(net, xv), xy[1][row]));
                }
                assertEquals(closed, brute, 1e-9 * Math.max(1, Math.abs(closed)), loss + " row " + row);
                total += closed;
            }
            assertEquals(rs.certifiedLoss(), total, 1e-8 * Math.max(1, total), loss + ": certified loss");
            double decay = NetworkMapping.weightDecay(net, 0.5);
            assertEquals(rs.certifiedObjective(), total + decay, 1e-8 * Math.max(1, total), loss + ": network's robust objective");
        }
    }

    @Test
    void atEpsZeroTheRobustSolverMatchesAdmmOnTheOrdinaryProgram() {
        int n = 60;
        double[][] xy = points(n, ConvexLoss.SQUARED, 9);
        ConvexOptions o = ConvexOptions.defaults().withBeta(0.5).withPatterns(8);
        ConvexResult admm = ConvexTrainer.fit(new LocalPassRunner(), data(xy[0], xy[1]), o.withMaxIter(4000).withTolerances(1e-9, 1e-9));
        ConvexResult rob = RobustConvexTrainer.fit(new LocalPassRunner(), data(xy[0], xy[1]), o.withGates(admm.gates()).withMaxIter(4000),
                System.out::println);
        System.out.printf("eps = 0: ADMM objective %.8f (network %.8f, cone violation %.2g), robust solver surrogate %.8f, certified %.8f%n",
                admm.objective(), admm.networkObjective(), admm.maxConeViolation(), rob.robust().surrogateObjective(),
                rob.robust().certifiedObjective());
        assertEquals(admm.networkObjective(), rob.robust().certifiedObjective(), 2e-3 * admm.networkObjective(), "certified vs ADMM");
        assertEquals(admm.networkObjective(), rob.robust().surrogateObjective(), 1e-3 * admm.networkObjective(), "surrogate vs ADMM");
        assertTrue(coneViolation(rob, xy[0], n, 0) <= 0, "exact cones at eps = 0");
    }

    @Test
    void hingeFitAgreesWithAnIndependentDenseAdmmOnTheLiftedProgram() {
        int n = 40;
        double eps = 0.1, beta = 0.5;
        double[][] xy = points(n, ConvexLoss.HINGE, 5);
        ConvexOptions o = ConvexOptions.defaults().withLoss(ConvexLoss.HINGE).withBeta(beta).withPatterns(6).withMaxIter(8000)
                .withAdversarialEps(eps);
        ConvexResult r = RobustConvexTrainer.fit(new LocalPassRunner(), data(xy[0], xy[1]), o, null);
        double[] u = RobustHingeReference.solve(xy[0], xy[1], n, 2, r.gates(), r.patterns(), eps, beta, REF_RHO, REF_ITERATIONS);
        double[] ref = RobustHingeReference.objective(u, xy[0], xy[1], n, 2, r.gates(), r.patterns(), eps, beta);
        double[] mine = RobustHingeReference.objective(r.groups(), xy[0], xy[1], n, 2, r.gates(), r.patterns(), eps, beta);
        System.out.printf("hinge eps = %.2f: robust solver certified %.6f (reference evaluation %.6f, violation %.2g), "
                + "dense reference %.6f (violation %.2g, live %d), robust solver live %d%n", eps, r.robust().certifiedObjective(), mine[0],
                mine[1], ref[0], ref[1], NetworkMapping.active(u, 3), r.activeNeurons());
        assertEquals(r.robust().certifiedObjective(), mine[0], 1e-9 * mine[0], "the two evaluations of the objective agree");
        assertTrue(mine[1] <= 0, "certified fit is feasible");
        assertTrue(ref[1] <= 1e-3, "reference nearly feasible: " + ref[1]);
        // The robust solver is feasible at eps, so it cannot beat the optimum (up to the reference's own error);
        // it solves the cones at eps (1 + 1e-2), which costs up to about half a percent here.
        assertTrue(mine[0] >= ref[0] * (1 - 1e-3), "certified objective below the reference optimum");
        assertEquals(ref[0], mine[0], 1e-2 * ref[0], "certified objective vs the dense reference");
    }

    static final double REF_RHO = 1;
    static final int REF_ITERATIONS = 20000;

    /**
     * Linearly separable data with a gap of 0.25 around x1 = 0 and 8% flipped labels; 16 sampled gates plus the
     * all-ones gate (0, 0, 1), the same for both fits. At eps = 0.2 the robust BCE fit must beat the ordinary
     * fit's PGD accuracy (measured: 0.915 vs 0.895); the hinge figures are printed (measured: robust 0.890,
     * ordinary 0.915 -- the robust hinge objective does not maximise robust accuracy; see docs/convex.md).
     */
    @Test
    void robustFitIsMoreRobustUnderPgdThanTheOrdinaryFit() {
        int n = 200;
        double eps = 0.2;
        double[] sampled = ConvexTrainer.sampleGates(16, 3, 1);
        double[] gates = java.util.Arrays.copyOf(sampled, sampled.length + 3);
        gates[sampled.length + 2] = 1;
        for (ConvexLoss loss : new ConvexLoss[] {ConvexLoss.BCE, ConvexLoss.HINGE}) {
            double[][] xy = separable(n, loss, 0.25, 0.08, 21);
            InMemoryData data = data(xy[0], xy[1]);
            ConvexOptions o = ConvexOptions.defaults().withLoss(loss).withBeta(0.2).withGates(gates);
            ConvexResult plain = ConvexTrainer.fit(new LocalPassRunner(), data, o.withMaxIter(1000));
            ConvexResult rob = ConvexTrainer.fit(new LocalPassRunner(), data, o.withMaxIter(3000).withAdversarialEps(eps));
            AttackAggregator ap = new LocalPassRunner().aggregate(data, () -> new AttackAggregator(plain.network(), loss, eps, 20), "plain");
            AttackAggregator ar = new LocalPassRunner().aggregate(data, () -> new AttackAggregator(rob.network(), loss, eps, 20), "robust");
            System.out.printf("%s eps %.2f: ordinary fit clean %.3f FGSM %.3f PGD %.3f (%d neurons); robust fit clean %.3f FGSM %.3f PGD %.3f "
                    + "(%d neurons, certified robust accuracy %.3f)%n", loss, eps, ap.cleanAccuracy(), ap.fgsmAccuracy(), ap.pgdAccuracy(),
                    plain.activeNeurons(), ar.cleanAccuracy(), ar.fgsmAccuracy(), ar.pgdAccuracy(), rob.activeNeurons(),
                    rob.robust().certifiedAccuracy());
            if (loss == ConvexLoss.BCE) {
                assertTrue(ar.pgdAccuracy() > ap.pgdAccuracy(), loss + ": PGD accuracy robust " + ar.pgdAccuracy() + " vs ordinary " + ap.pgdAccuracy());
            }
            // PGD finds no attack stronger than the exact worst case, so it cannot go below the certified accuracy.
            assertTrue(ar.pgdAccuracy() >= rob.robust().certifiedAccuracy() - 1e-12, loss + ": PGD below the certificate");
            assertEquals(rob.robust().certifiedAccuracy(), ar.pgdAccuracy(), 0.02, loss + ": PGD close to the certified accuracy");
        }
    }

    @Test
    void estimatorPassesTheRadiusAndTheOptionsRefuseNegativeRadii() {
        org.relulearn.ml.ReluConvexEstimator est = new org.relulearn.ml.ReluConvexEstimator().setAdversarialEps(0.1);
        assertEquals(0.1, est.options().adversarialEps(), 0.0);
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> est.setAdversarialEps(-0.1));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> ConvexOptions.defaults().withAdversarialEps(-1));
    }

    static double predict(OneHiddenLayerNetwork net, double[] x) {
        double[] w = net.weights(), b = net.biases(), a = net.outputWeights();
        double f = 0;
        for (int j = 0; j < net.hiddenUnits(); j++) {
            double h = b[j];
            for (int c = 0; c < x.length; c++) h += w[j * x.length + c] * x[c];
            if (h > 0) f += a[j] * h;
        }
        return f;
    }
}
