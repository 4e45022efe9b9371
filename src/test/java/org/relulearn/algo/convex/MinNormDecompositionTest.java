package org.relulearn.algo.convex;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.relulearn.data.Block;
import org.relulearn.engine.InMemoryData;
import org.relulearn.engine.LocalPassRunner;
import org.relulearn.engine.PassRunner;
import org.relulearn.engine.Shared;

/**
 * The minimum-norm cone decomposition, per group min ||u + w|| + ||w|| over w with s_r x_r . w &gt;= max(0, -s_r x_r . u):
 * with two unknowns it matches the exact optimum found here by searching every constraint's line; with two and
 * three it meets the KKT conditions computed here from the rows (both independent of the barrier method), it keeps both units in the cone on every row, it settles the
 * groups that lie in their cone or its negative without a barrier run, and 1 and 7 blocks give the same pairs.
 */
class MinNormDecompositionTest {

    /** Rows x = (2 N(0,1) + 1, N(0,1) - 3) (the bias column is added by the design when asked for). */
    private static double[][] features(int n, long seed) {
        Random r = new Random(seed);
        double[][] x = new double[n][2];
        for (double[] row : x) {
            row[0] = 2 * r.nextGaussian() + 1;
            row[1] = r.nextGaussian() - 3;
        }
        return x;
    }

    private static InMemoryData data(double[][] x, int blocks) {
        int n = x.length, d = x[0].length, per = (n + blocks - 1) / blocks;
        List<Block> list = new ArrayList<>();
        for (int s = 0; s < n; s += per) {
            int m = Math.min(per, n - s);
            double[] xs = new double[m * d], y = new double[m];
            for (int i = 0; i < m; i++) System.arraycopy(x[s + i], 0, xs, i * d, d);
            list.add(Block.wrap(d, 1, m, s, xs, y));
        }
        return new InMemoryData(d, 1, list);
    }

    private static double[] design(double[] row, boolean bias) {
        double[] a = java.util.Arrays.copyOf(row, row.length + (bias ? 1 : 0));
        if (bias) a[row.length] = 1;
        return a;
    }

    private static double dot(double[] a, double[] b, int off) {
        double s = 0;
        for (int j = 0; j < a.length; j++) s += a[j] * b[off + j];
        return s;
    }

    private record Case(double[] gates, double[] u, MinNormDecomposition.Result result) {}

    private static Case decompose(double[][] x, int blocks, boolean bias, double[] gates, double[] u) {
        int d = x[0].length, dp = d + (bias ? 1 : 0), p = gates.length / dp;
        PassRunner runner = new LocalPassRunner();
        InMemoryData data = data(x, blocks);
        Standardisation id = Standardisation.identity(d);
        Shared<double[]> g = runner.share(gates), us = runner.share(u);
        GateShiftAggregator shift = runner.aggregate(data, () -> new GateShiftAggregator(g, us, id, p, dp, bias), "shifts");
        MinNormDecomposition.Result r = MinNormDecomposition.solve(runner, data, id, gates, u, shift.shifts(), shift.positiveRows(),
                p, dp, bias, 30, 1e-10, null);
        return new Case(gates, u, r);
    }

    /** ||u_i + w_i|| + ||w_i||. */
    private static double pair(double[] u, double[] w, int i, int dp) {
        double a = 0, b = 0;
        for (int j = 0; j < dp; j++) {
            a += (u[i * dp + j] + w[i * dp + j]) * (u[i * dp + j] + w[i * dp + j]);
            b += w[i * dp + j] * w[i * dp + j];
        }
        return Math.sqrt(a) + Math.sqrt(b);
    }

    /** a_r = s_r x_r (rows of the design) and rho_r = max(0, -a_r . u) for gate h. */
    private static double[][] constraints(double[][] x, boolean bias, double[] h, double[] u, double[] rho) {
        double[][] a = new double[x.length][];
        for (int r = 0; r < x.length; r++) {
            double[] xr = design(x[r], bias);
            double s = dot(xr, h, 0) >= 0 ? 1 : -1;
            for (int j = 0; j < xr.length; j++) xr[j] *= s;
            a[r] = xr;
            rho[r] = Math.max(0, -dot(xr, u, 0));
        }
        return a;
    }

    /**
     * The exact optimum with two unknowns: either a point of the segment {-lambda u : 0 &lt;= lambda &lt;= 1} (where
     * ||u + w|| + ||w|| = ||u||, its least value) is feasible, or the optimum lies on some constraint's line. Along
     * each line a_r . w = rho_r the feasible part is an interval (the other half-planes cut it) on which the objective
     * is convex: a golden-section search finds its least value. The least over the lines is the optimum.
     */
    private static double exactOptimumInThePlane(double[][] x, double[] h, double[] u) {
        int n = x.length;
        double[] rho = new double[n];
        double[][] a = constraints(x, false, h, u, rho);
        double[] lo = {0}, hi = {1};
        if (interval(a, rho, new double[2], new double[] {-u[0], -u[1]}, -1, lo, hi)) return Math.hypot(u[0], u[1]);
        double best = Double.POSITIVE_INFINITY, reach = 1e4 * (1 + Math.hypot(u[0], u[1]));
        for (int r = 0; r < n; r++) {
            double aa = dot(a[r], a[r], 0);
            if (aa == 0) continue;
            double[] base = {a[r][0] * rho[r] / aa, a[r][1] * rho[r] / aa}, along = {-a[r][1], a[r][0]};
            lo[0] = -reach;
            hi[0] = reach;
            if (!interval(a, rho, base, along, r, lo, hi)) continue;
            double l = lo[0], g = hi[0];
            for (int it = 0; it < 300; it++) {   // golden section on a convex function
                double m1 = g - 0.618033988749895 * (g - l), m2 = l + 0.618033988749895 * (g - l);
                if (lineValue(u, base, along, m1) <= lineValue(u, base, along, m2)) g = m2;
                else l = m1;
            }
            best = Math.min(best, lineValue(u, base, along, (l + g) / 2));
        }
        return best;
    }

    private static double lineValue(double[] u, double[] base, double[] along, double z) {
        return norm2(u, new double[] {base[0] + z * along[0], base[1] + z * along[1]});
    }

    /** Narrows [lo, hi] to the z with a_r . (base + z along) &gt;= rho_r for every row but {@code skip}; false when empty. */
    private static boolean interval(double[][] a, double[] rho, double[] base, double[] along, int skip, double[] lo, double[] hi) {
        for (int r = 0; r < a.length; r++) {
            if (r == skip) continue;
            double c = dot(a[r], base, 0) - rho[r], s = dot(a[r], along, 0);
            if (s > 0) lo[0] = Math.max(lo[0], -c / s);
            else if (s < 0) hi[0] = Math.min(hi[0], -c / s);
            else if (c < 0) return false;
        }
        return lo[0] <= hi[0];
    }

    /**
     * The KKT conditions of the group's problem at w: the gradient g = (u + w)/||u + w|| + w/||w|| must be a
     * non-negative combination of at most d' rows a_r active at w (slack at most {@code maxSlack} ||a_r|| ||w||).
     * Returns the least min over lambda &gt;= 0 of ||sum lambda_r a_r - g|| / ||g|| over the k = 1..d' rows of least
     * slack (1 when none is active).
     */
    private static double kktResidual(double[][] x, boolean bias, double[] h, double[] u, double[] w, double maxSlack) {
        int dp = h.length;
        double[] rho = new double[x.length];
        double[][] a = constraints(x, bias, h, u, rho);
        double[] g = new double[dp];
        double nv = 0, nw = Math.sqrt(dot(w, w, 0));
        for (int j = 0; j < dp; j++) nv += (u[j] + w[j]) * (u[j] + w[j]);
        nv = Math.sqrt(nv);
        assertTrue(nv > 0 && nw > 0, "both units nonzero");
        for (int j = 0; j < dp; j++) g[j] = (u[j] + w[j]) / nv + w[j] / nw;
        // the rows by relative slack; the active set is the first k of them, for the k with the least residual
        Integer[] order = new Integer[a.length];
        double[] rel = new double[a.length];
        for (int r = 0; r < a.length; r++) {
            order[r] = r;
            rel[r] = (dot(a[r], w, 0) - rho[r]) / (Math.sqrt(dot(a[r], a[r], 0)) * nw);
        }
        java.util.Arrays.sort(order, (p1, p2) -> Double.compare(rel[p1], rel[p2]));
        double bestResidual = Double.POSITIVE_INFINITY;
        for (int k = 1; k <= dp && rel[order[k - 1]] <= maxSlack; k++) {
            List<double[]> active = new ArrayList<>();
            for (int q = 0; q < k; q++) active.add(a[order[q]]);
            bestResidual = Math.min(bestResidual, nnlsResidual(active, g));
        }
        return bestResidual;
    }

    /**
     * min over lambda &gt;= 0 of ||sum lambda_q a_q - g|| / ||g||, exactly: the least-squares fit on every subset of the
     * (few) rows, kept when its coefficients are non-negative (the optimum is such a fit on its support).
     */
    private static double nnlsResidual(List<double[]> active, double[] g) {
        int k = active.size(), dp = g.length;
        double best = 1;   // the empty combination
        for (int mask = 1; mask < (1 << k); mask++) {
            int m = Integer.bitCount(mask);
            double[][] cols = new double[m][];
            for (int q = 0, c = 0; q < k; q++) if ((mask >> q & 1) == 1) cols[c++] = active.get(q);
            double[][] normal = new double[m][m + 1];
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < m; j++) normal[i][j] = dot(cols[i], cols[j], 0);
                normal[i][m] = dot(cols[i], g, 0);
            }
            double[] lambda = gauss(normal, m);
            if (lambda == null) continue;
            boolean nonNegative = true;
            for (double l : lambda) nonNegative &= l >= 0;
            if (!nonNegative) continue;
            double[] res = g.clone();
            for (int i = 0; i < m; i++) for (int j = 0; j < dp; j++) res[j] -= lambda[i] * cols[i][j];
            best = Math.min(best, Math.sqrt(dot(res, res, 0) / dot(g, g, 0)));
        }
        return best;
    }

    /** Solves the m x m system in the first m columns of {@code aug} (right-hand side in column m); null when singular. */
    private static double[] gauss(double[][] aug, int m) {
        for (int c = 0; c < m; c++) {
            int piv = c;
            for (int r = c + 1; r < m; r++) if (Math.abs(aug[r][c]) > Math.abs(aug[piv][c])) piv = r;
            double[] tmp = aug[c];
            aug[c] = aug[piv];
            aug[piv] = tmp;
            if (Math.abs(aug[c][c]) < 1e-300) return null;
            for (int r = 0; r < m; r++) {
                if (r == c) continue;
                double f = aug[r][c] / aug[c][c];
                for (int j = c; j <= m; j++) aug[r][j] -= f * aug[c][j];
            }
        }
        double[] x = new double[m];
        for (int i = 0; i < m; i++) x[i] = aug[i][m] / aug[i][i];
        return x;
    }

    /** A P x d' array that holds t h at group i (zeros elsewhere). */
    private static double[] scaledGate(double[] h, double t, int i, int dp, int length) {
        double[] out = new double[length];
        for (int j = 0; j < dp; j++) out[i * dp + j] = t * h[j];
        return out;
    }

    private static double norm2(double[] u, double[] w) {
        double a = 0, b = 0;
        for (int j = 0; j < u.length; j++) {
            a += (u[j] + w[j]) * (u[j] + w[j]);
            b += w[j] * w[j];
        }
        return Math.sqrt(a) + Math.sqrt(b);
    }

    private static void assertOptimalAndInTheCones(double[][] x, boolean bias, Case c) {
        int dp = x[0].length + (bias ? 1 : 0), p = c.gates().length / dp;
        double[] w = c.result().w(), u = c.u();
        double total = 0;
        for (int i = 0; i < p; i++) {
            double[] h = java.util.Arrays.copyOfRange(c.gates(), i * dp, (i + 1) * dp);
            double[] ui = java.util.Arrays.copyOfRange(u, i * dp, (i + 1) * dp);
            double tShift = 0;
            for (double[] row : x) {
                double[] xr = design(row, bias);
                double ah = Math.abs(dot(xr, h, 0)), s = dot(xr, h, 0) >= 0 ? 1 : -1;
                tShift = Math.max(tShift, Math.max(0, -s * dot(xr, ui, 0)) / ah);
                // both units in the cone: s x . w >= 0 and s x . (u + w) >= 0
                double sw = s * dot(xr, w, i * dp), sv = sw + s * dot(xr, ui, 0);
                assertTrue(sw >= -1e-12 && sv >= -1e-12, "group " + i + ": cone violated by " + Math.min(sw, sv));
            }
            double mine = pair(u, w, i, dp);
            double[] wi = java.util.Arrays.copyOfRange(w, i * dp, (i + 1) * dp);
            // at the lower bound ||u|| (a unit is zero: u or -u in the cone) the pair is optimal; else check KKT
            boolean atLowerBound = mine <= Math.sqrt(dot(ui, ui, 0)) * (1 + 1e-12);
            double kkt = atLowerBound ? 0 : kktResidual(x, bias, h, ui, wi, 1e-6);
            double exact = dp == 2 ? exactOptimumInThePlane(x, h, ui) : Double.NaN;
            System.out.printf("[min-norm] d' = %d, group %d: ||v|| + ||w|| = %.10g, exact optimum %.10g, KKT residual %.2g,"
                    + " shift %.6g, ||u|| %.6g%n", dp, i, mine, exact, kkt, pair(u, scaledGate(h, tShift, i, dp, u.length), i, dp),
                    Math.sqrt(dot(ui, ui, 0)));
            if (dp == 2) assertEquals(exact, mine, 1e-7 * exact, "group " + i);
            assertTrue(kkt <= 1e-4, "group " + i + ": KKT residual " + kkt);
            total += mine;
        }
        assertEquals(total, c.result().penalty(), 1e-12 * total);
        assertTrue(c.result().penalty() <= c.result().shiftPenalty());
        assertTrue(c.result().penalty() >= c.result().lowerBound());
    }

    @Test
    void withTwoUnknownsTheDecompositionIsTheExactOptimum() {
        double[][] x = features(300, 1);
        Random r = new Random(11);
        int p = 5, dp = 2;
        double[] gates = new double[p * dp], u = new double[p * dp];
        for (int k = 0; k < p * dp; k++) {
            gates[k] = r.nextGaussian();
            u[k] = r.nextGaussian();
        }
        assertOptimalAndInTheCones(x, false, decompose(x, 1, false, gates, u));
    }

    @Test
    void withThreeUnknownsTheDecompositionMeetsTheKktConditionsAndOneAndSevenBlocksAgree() {
        double[][] x = features(200, 2);
        Random r = new Random(12);
        int p = 4, dp = 3;
        double[] gates = new double[p * dp], u = new double[p * dp];
        for (int k = 0; k < p * dp; k++) {
            gates[k] = r.nextGaussian();
            u[k] = r.nextGaussian();
        }
        Case one = decompose(x, 1, true, gates, u), seven = decompose(x, 7, true, gates, u);
        assertOptimalAndInTheCones(x, true, one);
        assertArrayEquals(one.result().w(), seven.result().w(), 1e-6);
        assertEquals(one.result().penalty(), seven.result().penalty(), 1e-9 * one.result().penalty());
    }

    @Test
    void aGroupInItsConeOrItsNegativeIsSettledWithoutAPass() {
        double[][] x = features(200, 3);
        int dp = 3;
        double[] h = {0.3, -0.8, 0.5};
        double[] gates = new double[3 * dp], u = new double[3 * dp];
        for (int j = 0; j < dp; j++) {
            gates[j] = gates[dp + j] = gates[2 * dp + j] = h[j];
            u[j] = 2 * h[j];        // in K: w = 0
            u[dp + j] = -3 * h[j];  // -u in K: v = 0, w = -u
            u[2 * dp + j] = 0;      // nothing to decompose
        }
        MinNormDecomposition.Result r = decompose(x, 3, true, gates, u).result();
        assertEquals(0, r.passes());
        assertEquals(0, r.barrierGroups());
        double[] expected = new double[3 * dp];
        for (int j = 0; j < dp; j++) expected[dp + j] = 3 * h[j];
        assertArrayEquals(expected, r.w(), 0);
        assertEquals(r.lowerBound(), r.penalty(), 1e-12 * r.penalty());
    }
}
