package org.relulearn.algo.convex;

import java.util.function.Consumer;
import org.relulearn.engine.Data;
import org.relulearn.engine.PassRunner;
import org.relulearn.engine.Shared;

/**
 * The minimum-norm cone decomposition of a gated-ReLU solution into ReLU units. For each group u_i with gate h_i
 * (a_r = s_r x_r, s_r = 2 1[x_r . h_i &gt;= 0] - 1):
 * <pre>
 *   min_w ||u_i + w|| + ||w||   subject to   a_r . w &gt;= rho_r := max(0, -a_r . u_i)   for every row r
 * </pre>
 * Then v_i = u_i + w_i and w_i both lie in the cone K_i = {v : a_r . v &gt;= 0 for all r}, so
 * relu(x_r . v_i) - relu(x_r . w_i) = d_ri x_r . u_i on every row, and the pair's weight decay ||v_i|| + ||w_i|| is the
 * least any such pair has (at least ||u_i||, since ||v - w|| &lt;= ||v|| + ||w||).
 *
 * <p>Trivial groups are settled from the shift pass: u_i in K_i (t_i = 0) gives w_i = 0, -u_i in K_i (no row with
 * a_r . u_i &gt; 0) gives v_i = 0; both reach the lower bound ||u_i||. The others are solved as the conic program
 * min s1 + s2 over (w, s1, s2) with ||u + w|| &lt;= s1, ||w|| &lt;= s2 and the row constraints, by a barrier method on
 * the self-concordant barrier
 * <pre>
 *   phi(w, s) = -sum_r log(a_r . w - rho_r) - log(s1^2 - ||u + w||^2) - log(s2^2 - ||w||^2)     (parameter nu = n_i + 4)
 * </pre>
 * minimising t (s1 + s2) + phi by damped Newton steps for a rising t. Every pass evaluates, for all groups at once,
 * the row sums of the barrier (value, gradient, Hessian: {@link ConeBarrierAggregator}) at each group's trial point
 * w + alpha d, and the largest feasible step along d. The two cone terms are evaluated on the driver. A trial point
 * that is feasible and lowers the merit is taken, and its sums give the next Newton direction; otherwise the next
 * pass tries min(alpha / 2, 0.95 alphaMax). t starts at 30 nu / f(w_0) (from w_0 = 1.1 t_i h_i, 10% beyond the
 * shift), and is multiplied by 10 whenever the Newton decrement lambda is below 1/2. A group stops when
 * (nu + (lambda + sqrt nu) lambda / (1 - lambda)) / t, Nesterov's bound on the distance to the optimum at that
 * decrement, is at most the tolerance times its norm, or when its step or factorisation fails. Each group keeps the
 * best point the passes verified feasible, starting from the shift decomposition w_i = t_i h_i, so the result is
 * never worse than the shift.
 */
public final class MinNormDecomposition {
    private MinNormDecomposition() {}

    /** The growth of t between centring steps. */
    private static final double T_GROWTH = 10;
    /** t_0 nu / f(w_0): the barrier's weight at the start, high enough that the first steps head for the optimum. */
    private static final double T_START = 30;
    /** w_0 = (1 + START_MARGIN) t_i h_i, strictly inside every cone constraint off the gate's hyperplane. */
    private static final double START_MARGIN = 0.1;

    /**
     * @param w            w_1..w_P (P x d' row-major); v_i = u_i + w_i
     * @param penalty      sum_i ||v_i|| + ||w_i|| of this decomposition
     * @param shiftPenalty the same sum for the shift decomposition w_i = t_i h_i
     * @param lowerBound   sum_i ||u_i||, below every decomposition
     * @param passes       passes over the data (the shift pass not counted)
     * @param solved       groups whose barrier run stopped at the tolerance (trivial groups not counted)
     * @param barrierGroups groups that needed the barrier method
     */
    public record Result(double[] w, double penalty, double shiftPenalty, double lowerBound, int passes, int solved,
                         int barrierGroups) {}

    /**
     * @param gates     standardised gates h_i (P x d')
     * @param u         the gated solution (P x d')
     * @param shifts    t_i of {@link GateShiftAggregator}
     * @param positive  rows with a_r . u_i &gt; 0 per group ({@link GateShiftAggregator#positiveRows()})
     * @param maxPasses cap on the passes
     * @param tol       relative tolerance of each group's norm
     */
    public static Result solve(PassRunner runner, Data data, Standardisation scale, double[] gates, double[] u, double[] shifts,
                               long[] positive, int p, int dp, boolean bias, int maxPasses, double tol, Consumer<String> log) {
        Consumer<String> say = log == null ? x -> {} : log;
        int m = dp + 2;
        double[] best = new double[p * dp], bestNorm = new double[p];
        double shiftPenalty = 0, lowerBound = 0;
        boolean[] active = new boolean[p];
        double[][] x = new double[p][], dir = new double[p][];
        double[] alpha = new double[p], lastAlpha = new double[p], t = new double[p], phiX = new double[p], nu = new double[p];
        boolean[] evaluated = new boolean[p];
        int barrierGroups = 0;
        for (int i = 0; i < p; i++) {
            double[] ui = slice(u, i, dp), hi = slice(gates, i, dp);
            double[] wShift = scaled(hi, shifts[i]);
            lowerBound += norm(ui);
            double sn = pairNorm(ui, wShift);
            shiftPenalty += sn;
            System.arraycopy(wShift, 0, best, i * dp, dp);
            bestNorm[i] = sn;
            if (norm(ui) == 0 || shifts[i] == 0) continue;          // u = 0, or u in K: w = 0 is optimal
            if (positive[i] == 0) {                                   // -u in K: v = 0, w = -u is optimal
                for (int j = 0; j < dp; j++) best[i * dp + j] = -ui[j];
                bestNorm[i] = norm(ui);
                continue;
            }
            active[i] = true;
            barrierGroups++;
            x[i] = new double[m];
            double[] w0 = scaled(hi, (1 + START_MARGIN) * shifts[i]);
            System.arraycopy(w0, 0, x[i], 0, dp);
            dir[i] = new double[m];
            lastAlpha[i] = 1;
        }
        int passes = 0, solved = 0;
        for (int k = 1; k <= maxPasses && anyTrue(active); k++) {
            double[] w = new double[p * dp], d = new double[p * dp], y = new double[p * dp];
            for (int i = 0; i < p; i++) {
                if (!active[i]) continue;
                for (int j = 0; j < dp; j++) {
                    w[i * dp + j] = x[i][j];
                    d[i * dp + j] = dir[i][j];
                    y[i * dp + j] = x[i][j] + alpha[i] * dir[i][j];
                }
            }
            Shared<double[]> share = runner.share(ConeBarrierAggregator.pack(gates, u, w, d, y));
            ConeBarrierAggregator agg;
            try {
                boolean[] act = active.clone();
                agg = runner.aggregate(data, () -> new ConeBarrierAggregator(share, act, scale, p, dp, bias),
                        "convex gated: decomposition step " + k + "/" + maxPasses);
                passes++;
            } finally {
                share.release();
            }
            double[] grad = agg.barrierGradient(), hess = agg.barrierHessians();
            int tri = dp * (dp + 1) / 2, taken = 0, retried = 0;
            for (int i = 0; i < p; i++) {
                if (!active[i]) continue;
                double[] ui = slice(u, i, dp);
                double[] trial = x[i].clone();
                for (int j = 0; j < m; j++) trial[j] += alpha[i] * dir[i][j];
                boolean feasible = agg.infeasible(i) == 0;
                if (!evaluated[i]) {
                    if (!feasible) {                                   // the start lies in the interior by construction
                        active[i] = false;
                        continue;
                    }
                    nu[i] = agg.barrierRows(i) + 4;
                    t[i] = T_START * nu[i] / pairNorm(ui, trial);
                    trial[dp] = epigraphHeight(sumSq(ui, trial, true), t[i]);
                    trial[dp + 1] = epigraphHeight(sumSq(ui, trial, false), t[i]);
                } else {
                    double coneY = coneBarrier(ui, trial, dp);
                    double meritY = t[i] * (trial[dp] + trial[dp + 1]) - agg.logSlackSum(i) + coneY;
                    double meritX = t[i] * (x[i][dp] + x[i][dp + 1]) + phiX[i] + coneBarrier(ui, x[i], dp);
                    if (!feasible || !Double.isFinite(coneY) || !(meritY <= meritX)) {
                        alpha[i] = Math.min(alpha[i] / 2, 0.95 * agg.alphaMax(i));
                        if (!(alpha[i] > 1e-12)) active[i] = false;
                        retried++;
                        continue;
                    }
                    lastAlpha[i] = alpha[i];
                }
                evaluated[i] = true;
                taken++;
                x[i] = trial;
                phiX[i] = -agg.logSlackSum(i);
                double f = pairNorm(ui, x[i]);
                if (f < bestNorm[i]) {
                    bestNorm[i] = f;
                    System.arraycopy(x[i], 0, best, i * dp, dp);
                }
                // s at its optimum for this w: argmin_s t s - log(s^2 - r^2)
                x[i][dp] = epigraphHeight(sumSq(ui, x[i], true), t[i]);
                x[i][dp + 1] = epigraphHeight(sumSq(ui, x[i], false), t[i]);
                double[] g = new double[m], h = new double[m * m];
                for (int j = 0; j < dp; j++) g[j] = -grad[i * dp + j];
                for (int c = 0, at = i * tri; c < dp; c++) {
                    for (int r = 0; r <= c; r++, at++) {
                        h[r * m + c] = hess[at];
                        h[c * m + r] = hess[at];
                    }
                }
                addConeTerms(ui, x[i], dp, g, h);
                double[] rhs = new double[2 * m];
                rhs[dp] = 1;
                rhs[dp + 1] = 1;
                System.arraycopy(g, 0, rhs, m, m);
                try {
                    new SpdFactor(h, m, "the decomposition's Newton matrix").solveInPlace(rhs, 2);
                } catch (ArithmeticException e) {
                    active[i] = false;                                   // lost definiteness to round-off: keep the best point
                    continue;
                }
                // lambda(t)^2 = (t c + g)^T H^-1 (t c + g) with c = (0, .., 0, 1, 1)
                double cc = rhs[dp] + rhs[dp + 1], cg = rhs[m + dp] + rhs[m + dp + 1], gg = 0;
                for (int j = 0; j < m; j++) gg += g[j] * rhs[m + j];
                double lambda = decrement(t[i], cc, cg, gg);
                if (lambda < 0.5) {
                    double bound = (nu[i] + (lambda + Math.sqrt(nu[i])) * lambda / (1 - lambda)) / t[i];
                    if (bound <= tol * bestNorm[i]) {
                        active[i] = false;
                        solved++;
                        continue;
                    }
                    t[i] *= T_GROWTH;
                    lambda = decrement(t[i], cc, cg, gg);
                }
                for (int j = 0; j < m; j++) dir[i][j] = -(t[i] * rhs[j] + rhs[m + j]);
                // A full step is feasible inside the Dikin ellipsoid (lambda < 1); beyond, start from twice the last step.
                alpha[i] = lambda < 1 ? 1 : Math.max(1 / (1 + lambda), Math.min(1, 2 * lastAlpha[i]));
            }
            double sum = 0;
            for (int i = 0; i < p; i++) sum += bestNorm[i];
            say.accept(String.format("convex gated: decomposition step %d/%d: sum ||v|| + ||w|| = %.6g (shift %.6g, lower bound %.6g);"
                    + " %d steps taken, %d shortened, %d groups still running", k, maxPasses, sum, shiftPenalty, lowerBound,
                    taken, retried, count(active)));
        }
        double penalty = 0;
        for (int i = 0; i < p; i++) penalty += bestNorm[i];
        return new Result(best, penalty, shiftPenalty, lowerBound, passes, solved, barrierGroups);
    }

    private static double decrement(double t, double cc, double cg, double gg) {
        return Math.sqrt(Math.max(0, t * t * cc + 2 * t * cg + gg));
    }

    /** argmin_s t s - log(s^2 - r2): s = (1 + sqrt(1 + t^2 r2)) / t. */
    static double epigraphHeight(double r2, double t) {
        return (1 + Math.sqrt(1 + t * t * r2)) / t;
    }

    /** -log(s1^2 - ||u + w||^2) - log(s2^2 - ||w||^2) at z = (w, s1, s2); +infinity outside the cones. */
    static double coneBarrier(double[] u, double[] z, int dp) {
        double q1 = z[dp] * z[dp] - sumSq(u, z, true), q2 = z[dp + 1] * z[dp + 1] - sumSq(u, z, false);
        if (!(z[dp] > 0 && z[dp + 1] > 0 && q1 > 0 && q2 > 0)) return Double.POSITIVE_INFINITY;
        return -Math.log(q1) - Math.log(q2);
    }

    /**
     * Adds the gradient and Hessian of -log(s^2 - ||e||^2) for e = u + w (s = s1) and e = w (s = s2): with
     * q = s^2 - ||e||^2, gradient (2e, -2s) / q and Hessian diag(2I, -2) / q + q' q'^T / q^2, q' = (-2e, 2s).
     */
    static void addConeTerms(double[] u, double[] z, int dp, double[] g, double[] h) {
        int m = dp + 2;
        for (int which = 0; which < 2; which++) {
            int si = dp + which;
            double s = z[si];
            double[] e = new double[dp];
            for (int j = 0; j < dp; j++) e[j] = z[j] + (which == 0 ? u[j] : 0);
            double q = s * s - dot(e, e);
            double[] qp = new double[m];
            for (int j = 0; j < dp; j++) qp[j] = -2 * e[j];
            qp[si] = 2 * s;
            for (int a = 0; a < m; a++) {
                g[a] -= qp[a] / q;
                for (int b = 0; b < m; b++) h[a * m + b] += qp[a] * qp[b] / (q * q);
            }
            for (int j = 0; j < dp; j++) h[j * m + j] += 2 / q;
            h[si * m + si] -= 2 / q;
        }
    }

    /** ||u + w||^2 (plus) or ||w||^2, w = z[0..dp). */
    private static double sumSq(double[] u, double[] z, boolean plus) {
        double s = 0;
        for (int j = 0; j < u.length; j++) {
            double e = z[j] + (plus ? u[j] : 0);
            s += e * e;
        }
        return s;
    }

    /** ||u + w|| + ||w||, w = z[0..dp). */
    static double pairNorm(double[] u, double[] z) {
        return Math.sqrt(sumSq(u, z, true)) + Math.sqrt(sumSq(u, z, false));
    }

    private static double[] slice(double[] a, int i, int dp) {
        return java.util.Arrays.copyOfRange(a, i * dp, (i + 1) * dp);
    }

    private static double[] scaled(double[] a, double s) {
        double[] out = new double[a.length];
        for (int j = 0; j < a.length; j++) out[j] = s * a[j];
        return out;
    }

    private static double norm(double[] a) { return Math.sqrt(dot(a, a)); }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int j = 0; j < a.length; j++) s += a[j] * b[j];
        return s;
    }

    private static boolean anyTrue(boolean[] a) { return count(a) > 0; }

    private static int count(boolean[] a) {
        int c = 0;
        for (boolean b : a) if (b) c++;
        return c;
    }
}
