package org.relulearn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;
import org.relulearn.linalg.Dense;

/**
 * Teachers label blocks exactly as a naive per-row loop does; label corruptions have the requested
 * law: additive noise its covariance, online poisoning its attack frequency, bound, pattern and
 * sign, label flips their frequency. Corruption is measured as (corrupted - clean) labels of the
 * same rows, which the counter-based source makes possible.
 */
class TeachersAndCorruptionTest {
    private static final double Z = 5;

    // ---- teachers ----

    /** A block of Gaussian rows with spare capacity (the teacher must use rows, not capacity). */
    private static Block gaussianBlock(int d, int m, int rows, long seed) {
        Block b = new Block(d, m, rows + 13);
        b.reset(rows, 0);
        CounterRng rng = new CounterRng(seed, 0, 0);
        for (int i = 0; i < rows * d; i++) b.x()[i] = rng.nextGaussian();
        for (int i = rows * m; i < b.y().length; i++) b.y()[i] = 12345;   // sentinel beyond the rows
        return b;
    }

    @Test
    void reluGateLabelsEqualANaiveLoop() {
        int d = 7, rows = 37;
        ReluGate gate = Teachers.randomGate(d, 3, false);
        Block b = gaussianBlock(d, 1, rows, 1);
        gate.label(b, new double[gate.scratchSize(rows)]);
        double[] w = gate.weights();
        int positive = 0;
        for (int r = 0; r < rows; r++) {
            double z = 0;
            for (int j = 0; j < d; j++) z += w[j] * b.x()[r * d + j];
            double expected = Math.max(0, z);
            assertEquals(expected, b.y()[r], 1e-12 * (1 + Math.abs(z)), "row " + r);
            if (expected > 0) positive++;
        }
        assertTrue(positive > 5 && positive < rows - 5, "both sides of the ReLU are exercised: " + positive);
        assertEquals(12345, b.y()[rows], 0, "labels beyond the block's rows are untouched");
    }

    @Test
    void networkLabelsEqualANaiveLoop() {
        int d = 7, k = 5, m = 3, rows = 41;
        OneHiddenLayerNetwork net = Teachers.randomNetwork(d, k, m, 9, false, 0, 0.5);
        assertTrue(Dense.norm(net.biases()) > 0);
        Block b = gaussianBlock(d, m, rows, 2);
        net.label(b, new double[net.scratchSize(rows)]);
        double[] w = net.weights(), bias = net.biases(), a = net.outputWeights();
        for (int r = 0; r < rows; r++) {
            double[] h = new double[k];
            for (int u = 0; u < k; u++) {
                double z = bias[u];
                for (int j = 0; j < d; j++) z += w[u * d + j] * b.x()[r * d + j];
                h[u] = Math.max(0, z);
            }
            for (int i = 0; i < m; i++) {
                double y = 0;
                for (int u = 0; u < k; u++) y += a[i * k + u] * h[u];
                assertEquals(y, b.y()[r * m + i], 1e-12 * (1 + Math.abs(y)), "row " + r + " output " + i);
            }
        }
        assertEquals(12345, b.y()[rows * m], 0, "labels beyond the block's rows are untouched");
    }

    @Test
    void sourceLabelsEqualTheTeacherOnEveryBlockIncludingTheShortLastOne() {
        int d = 4;
        ReluGate gate = Teachers.randomGate(d, 5, true);
        SyntheticSource src = new SyntheticSource(Distributions.parse("laplace", d), gate, null, 1050, 8, 0, 100);
        SyntheticSource.Workspace ws = src.newWorkspace();
        Block buf = src.newBlock();
        double[] w = gate.weights();
        for (long blk = 0; blk < src.numBlocks(); blk++) {
            src.fill(blk, buf, ws);
            assertEquals(blk == 10 ? 50 : 100, buf.rows());
            for (int r = 0; r < buf.rows(); r++) {
                double z = 0;
                for (int j = 0; j < d; j++) z += w[j] * buf.x()[r * d + j];
                assertEquals(Math.max(0, z), buf.y()[r], 1e-12 * (1 + Math.abs(z)));
            }
        }
    }

    @Test
    void randomTeachersHaveTheRequestedShape() {
        assertEquals(1, Dense.norm(Teachers.randomGate(9, 1, true).weights()), 1e-12);
        OneHiddenLayerNetwork unit = Teachers.randomNetwork(6, 4, 2, 1, true, 0, 0);
        for (int u = 0; u < 4; u++) {
            double s = 0;
            for (int j = 0; j < 6; j++) s += unit.weights()[u * 6 + j] * unit.weights()[u * 6 + j];
            assertEquals(1, s, 1e-12, "row " + u + " has unit norm");
        }
        assertArrayEquals(new double[4], unit.biases(), 0);
        // condition 10 with k = 3: singular values 1, 10^-1/2, 10^-1, i.e. eigenvalues of W W^T their squares
        OneHiddenLayerNetwork cond = Teachers.randomNetwork(6, 3, 1, 1, false, 10, 0);
        double[] w = cond.weights();
        double[] wwt = Dense.multiply(w, 3, 6, Dense.transpose(w, 3, 6), 3);
        double[] ev = Dense.symmetricEigen(wwt, 3).values();
        assertArrayEquals(new double[] {0.01, 0.1, 1}, ev, 1e-12);
        assertThrows(IllegalArgumentException.class, () -> Teachers.randomNetwork(3, 4, 1, 1, false, 10, 0));
        // the teacher depends on its seed only
        assertArrayEquals(Teachers.randomNetwork(6, 4, 2, 5, true, 0, 0.1).weights(),
                Teachers.randomNetwork(6, 4, 2, 5, true, 0, 0.1).weights(), 0);
    }

    // ---- corruption: (corrupted - clean) labels of the same rows ----

    /** Calls {@code visit(block of corrupted rows, block of clean rows)} for every block. */
    private static void compare(SyntheticSource corrupted, BiConsumer<Block, Block> visit) {
        SyntheticSource clean = new SyntheticSource(corrupted.distribution(), corrupted.teacher(), null,
                corrupted.numRows(), corrupted.seed(), corrupted.stream(), corrupted.rowsPerBlock());
        SyntheticSource.Workspace w1 = corrupted.newWorkspace(), w2 = clean.newWorkspace();
        Block b1 = corrupted.newBlock(), b2 = clean.newBlock();
        for (long b = 0; b < corrupted.numBlocks(); b++) {
            corrupted.fill(b, b1, w1);
            clean.fill(b, b2, w2);
            assertArrayEquals(b2.x(), b1.x(), 0, "corruption must not change the features");
            visit.accept(b1, b2);
        }
    }

    @Test
    void additiveNoiseHasTheRequestedCovariance() {
        // Sigma = L L^T with L = [[1,0,0],[0.6,0.4,0],[-0.2,0.3,0.5]]
        double[] sigma = {1, 0.6, -0.2, 0.6, 0.52, 0, -0.2, 0, 0.38};
        int m = 3, n = 100_000;
        AdditiveNoise noise = AdditiveNoise.withCovariance(m, sigma);
        assertArrayEquals(sigma, noise.covariance(), 0);
        SyntheticSource src = new SyntheticSource(Distributions.parse("gaussian", 4),
                Teachers.randomNetwork(4, 3, m, 2, true, 0, 0), noise, n, 5, 0, 1000);
        double[] sum = new double[m], cross = new double[m * m];
        compare(src, (noisy, clean) -> {
            for (int r = 0; r < noisy.rows(); r++) {
                for (int i = 0; i < m; i++) {
                    double ei = noisy.y()[r * m + i] - clean.y()[r * m + i];
                    sum[i] += ei;
                    for (int j = 0; j < m; j++) cross[i * m + j] += ei * (noisy.y()[r * m + j] - clean.y()[r * m + j]);
                }
            }
        });
        for (int i = 0; i < m; i++) {
            assertEquals(0, sum[i] / n, Z * Math.sqrt(sigma[i * m + i] / n), "noise mean " + i);
            for (int j = 0; j < m; j++) {
                // Var(e_i e_j) = S_ii S_jj + S_ij^2 for Gaussian e
                double var = sigma[i * m + i] * sigma[j * m + j] + sigma[i * m + j] * sigma[i * m + j];
                assertEquals(sigma[i * m + j], cross[i * m + j] / n, Z * Math.sqrt(var / n), "noise covariance " + i + "," + j);
            }
        }
        // isotropic noise: variance sigma^2
        AdditiveNoise iso = AdditiveNoise.isotropic(1, 0.3);
        double[] ss = new double[1];
        compare(new SyntheticSource(Distributions.parse("gaussian", 3), Teachers.randomGate(3, 1, true), iso, n, 6, 0, 1000),
                (noisy, clean) -> {
                    for (int r = 0; r < noisy.rows(); r++) ss[0] += Math.pow(noisy.y()[r] - clean.y()[r], 2);
                });
        assertEquals(0.09, ss[0] / n, Z * Math.sqrt(2 * 0.09 * 0.09 / n));
    }

    /** Attack statistics of poisoning: counts, bound, and per-row checks by the given rule. */
    private static long[] poisonStats(SyntheticSource src, double theta, PoisonRule rule) {
        long[] attackedAndPlus = new long[2];
        compare(src, (bad, clean) -> {
            int m = bad.m(), d = bad.d();
            for (int r = 0; r < bad.rows(); r++) {
                double xi = bad.y()[r * m] - clean.y()[r * m];
                for (int i = 1; i < m; i++) {
                    assertEquals(xi, bad.y()[r * m + i] - clean.y()[r * m + i], 1e-12, "every output gets the same xi");
                }
                assertTrue(Math.abs(xi) <= theta + 1e-12, "|xi| = " + Math.abs(xi) + " > theta");
                if (Math.abs(xi) > 1e-12) {
                    attackedAndPlus[0]++;
                    if (xi > 0) attackedAndPlus[1]++;
                    rule.check(bad.firstRow() + r, bad.x(), r * d, d, xi);
                }
            }
        });
        return attackedAndPlus;
    }

    @FunctionalInterface
    private interface PoisonRule {
        void check(long index, double[] x, int off, int d, double xi);
    }

    @Test
    void onlinePoisoningAttacksWithFrequencyBetaWithinThetaInThePatternOfItsAdversary() {
        int n = 100_000, d = 4;
        double beta = 0.2, theta = 0.5;
        ReluGate gate = Teachers.randomGate(d, 4, true);
        // alternating: -theta at even indices, +theta at odd ones
        SyntheticSource alt = new SyntheticSource(Distributions.parse("gaussian", d), gate,
                new OnlinePoisoning(beta, theta, new Adversary.Alternating()), n, 7, 0, 999);
        long[] s = poisonStats(alt, theta, (index, x, off, dd, xi) ->
                assertEquals((index & 1) == 0 ? -theta : theta, xi, 1e-12, "alternating sign at index " + index));
        assertEquals(beta, s[0] / (double) n, Z * Math.sqrt(beta * (1 - beta) / n), "attack frequency");
        assertEquals(0.5, s[1] / (double) s[0], Z * Math.sqrt(0.25 / s[0]), "alternating: half the attacks are positive");

        // aligned: xi = theta sign(sum_j x_j)
        SyntheticSource aligned = new SyntheticSource(Distributions.parse("gaussian", d), gate,
                new OnlinePoisoning(beta, theta, new Adversary.Aligned(null)), n, 7, 0, 999);
        long[] a = poisonStats(aligned, theta, (index, x, off, dd, xi) -> {
            double sum = 0;
            for (int j = 0; j < dd; j++) sum += x[off + j];
            assertEquals(Math.signum(sum) * theta, xi, 1e-12, "aligned sign at index " + index);
        });
        assertEquals(beta, a[0] / (double) n, Z * Math.sqrt(beta * (1 - beta) / n));

        // random sign: a fair coin, and two outputs get the same xi
        SyntheticSource random = new SyntheticSource(Distributions.parse("gaussian", d),
                Teachers.randomNetwork(d, 3, 2, 1, true, 0, 0),
                new OnlinePoisoning(beta, theta, new Adversary.RandomSign()), n, 7, 0, 999);
        long[] rs = poisonStats(random, theta, (index, x, off, dd, xi) -> assertEquals(theta, Math.abs(xi), 1e-12));
        assertEquals(beta, rs[0] / (double) n, Z * Math.sqrt(beta * (1 - beta) / n));
        assertEquals(0.5, rs[1] / (double) rs[0], Z * Math.sqrt(0.25 / rs[0]));

        // beta = 0 never attacks, beta = 1 always does
        assertEquals(0, poisonStats(new SyntheticSource(Distributions.parse("gaussian", d), gate,
                new OnlinePoisoning(0, theta, new Adversary.Alternating()), 5000, 7, 0, 999), theta, (i, x, o, dd, xi) -> { })[0]);
        assertEquals(5000, poisonStats(new SyntheticSource(Distributions.parse("gaussian", d), gate,
                new OnlinePoisoning(1, theta, new Adversary.Alternating()), 5000, 7, 0, 999), theta, (i, x, o, dd, xi) -> { })[0]);
    }

    /** An adversary that tries to exceed the bound, returns NaN at some rows, and records its context. */
    private record Greedy(double factor) implements Adversary {
        public double poison(double[] x, int off, int d, long index, double theta, CounterRng rng, AdversaryContext ctx) {
            if (index % 3 == 0) return Double.NaN;
            double iterateBias = ctx.iterate() == null ? 0 : ctx.iterate()[0];
            return (index % 3 == 1 ? factor : -factor) * theta + iterateBias;
        }
        public String describe() { return "greedy"; }
    }

    @Test
    void poisonIsClippedToThetaAndAnOnlineAdversarySeesTheIterate() {
        double theta = 0.25;
        ReluGate gate = Teachers.randomGate(3, 4, true);
        SyntheticSource src = new SyntheticSource(Distributions.parse("gaussian", 3), gate,
                new OnlinePoisoning(1.0, theta, new Greedy(10)), 300, 1, 0, 100);
        poisonStats(src, theta, (index, x, off, d, xi) -> {
            if (index % 3 == 0) throw new AssertionError("NaN poison must count as no attack, got " + xi);
            assertEquals(index % 3 == 1 ? theta : -theta, xi, 1e-12, "clipped at index " + index);
        });
        // Online: the mini-batch of iteration t, with the learner's iterate visible to the adversary.
        SyntheticSource small = new SyntheticSource(Distributions.parse("gaussian", 3), gate,
                new OnlinePoisoning(1.0, 100, new Greedy(0)), 300, 1, 0, 100);
        SyntheticSource clean = new SyntheticSource(small.distribution(), gate, null, 300, 1, 0, 100);
        Block online = small.fillRows(0, 30, small.newBlock(), small.newWorkspace(), new AdversaryContext(5, new double[] {0.125, 0, 0}));
        Block plain = clean.fillRows(0, 30, clean.newBlock(), clean.newWorkspace(), AdversaryContext.OFFLINE);
        for (int r = 1; r < 30; r++) {
            if (r % 3 != 0) assertEquals(0.125, online.y()[r] - plain.y()[r], 1e-12, "row " + r + " saw the iterate");
        }
    }

    @Test
    void labelFlipsHappenWithProbabilityEta() {
        int n = 100_000;
        double eta = 0.1;
        SyntheticSource xor = new SyntheticSource(Distributions.parse("xor", 3), null, new LabelFlips(eta), n, 3, 0, 1000);
        long[] flips = new long[1];
        compare(xor, (bad, clean) -> {
            for (int r = 0; r < bad.rows(); r++) {
                assertEquals(1, Math.abs(bad.y()[r]), 0);
                if (bad.y()[r] != clean.y()[r]) {
                    assertEquals(-clean.y()[r], bad.y()[r], 0);
                    flips[0]++;
                }
            }
        });
        assertEquals(eta, flips[0] / (double) n, Z * Math.sqrt(eta * (1 - eta) / n));
        // with several outputs a flip negates them all together (rows whose clean labels are all
        // zero, where every hidden unit is off, cannot show a flip and are not counted)
        SyntheticSource net = new SyntheticSource(Distributions.parse("gaussian", 3), Teachers.randomNetwork(3, 2, 2, 1, true, 0, 0),
                new LabelFlips(0.5), 2000, 3, 0, 100);
        long[] countedAndFlipped = new long[2];
        compare(net, (bad, clean) -> {
            for (int r = 0; r < bad.rows(); r++) {
                double c0 = clean.y()[2 * r], c1 = clean.y()[2 * r + 1], b0 = bad.y()[2 * r], b1 = bad.y()[2 * r + 1];
                if (c0 == 0 && c1 == 0) continue;
                countedAndFlipped[0]++;
                if (b0 == -c0 && b1 == -c1) {
                    countedAndFlipped[1]++;
                } else {
                    assertArrayEquals(new double[] {c0, c1}, new double[] {b0, b1}, 0, "row " + r + ": one output flipped alone");
                }
            }
        });
        assertTrue(countedAndFlipped[0] > 1000);
        assertEquals(0.5, countedAndFlipped[1] / (double) countedAndFlipped[0], Z * Math.sqrt(0.25 / countedAndFlipped[0]));
    }

    @Test
    void chainsDescribeThemselvesAndInvalidParametersAreRefused() {
        LabelCorruption chain = new LabelCorruption.Chain(List.of(AdditiveNoise.isotropic(1, 0.1),
                new OnlinePoisoning(0.5, 0.2, new Adversary.Alternating())));
        assertEquals("chain", chain.describe().get("type"));
        assertThrows(IllegalArgumentException.class, () -> new OnlinePoisoning(1.5, 0.1, new Adversary.Alternating()));
        assertThrows(IllegalArgumentException.class, () -> new OnlinePoisoning(0.1, -1, new Adversary.Alternating()));
        assertThrows(IllegalArgumentException.class, () -> new LabelFlips(-0.1));
        assertThrows(IllegalArgumentException.class, () -> Adversary.parse("nosuch"));
        assertThrows(IllegalArgumentException.class, () -> AdditiveNoise.withCovariance(2, new double[] {1, 0, 0, -1}));
        // asymmetric or NaN covariances used to be accepted: the factor reads only the lower triangle
        assertThrows(IllegalArgumentException.class, () -> AdditiveNoise.withCovariance(2, new double[] {1, 0.9, 0, 1}));
        assertThrows(IllegalArgumentException.class, () -> AdditiveNoise.withCovariance(2, new double[] {Double.NaN, 0, 0, 1}));
        assertEquals(new Adversary.RandomSign(), Adversary.parse(" Random-Sign "));
    }
}
