package org.relulearn.algo.convex;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.relulearn.algo.loss.ConvexLoss;
import org.relulearn.engine.Data;
import org.relulearn.engine.PassRunner;
import org.relulearn.engine.Shared;
import org.relulearn.engine.StateData;

/**
 * Convex adversarial (robust) training of a two-layer ReLU network (docs/convex.md, Design): with the
 * patterns D_i fixed from the clean data, the l_inf radius eps on the d features (never the bias column),
 * <pre>
 *   min_u  sum_r l_wc(yhat_r, y_r, eps ||g_r||_1) + beta sum_g ||u_g||_2
 *   s.t.   (2 D_i - I) X u_g &gt;= eps ||u~_g||_1 1    for every group g (pattern i = g mod P)
 * </pre>
 * with yhat_r = sum_i d_ri x_r.(v_i - w_i), g_r = sum_i d_ri (v~_i - w~_i) (u~ = feature coordinates) and
 * the closed-form worst cases of {@link ConvexLoss#worstCase}. Solver (derived here, see docs/convex.md):
 * <ol>
 *   <li>Augmented Lagrangian for the n x 2P cone constraints c_rg(u) = eps' N_g(u) - e_ri x_r.u_g &lt;= 0 with
 *       multipliers mu_rg &gt;= 0 kept per row on the executors (Rockafellar's form:
 *       psi = ((mu + rho c)_+^2 - mu^2) / (2 rho), update mu &lt;- (mu + rho c)_+);</li>
 *   <li>the subproblem min smooth(u) + beta sum ||u_g|| by FISTA with backtracking and function-value restart;
 *       the prox is the group soft-threshold at beta / L; each step is ONE distributed pass evaluating value and
 *       gradient at the candidate and at the next extrapolated point;</li>
 *   <li>the kinks |.| in ||g_r||_1, ||u~_g||_1, |yhat - y| and the hinge are Huber-smoothed at eta, which is
 *       decreased geometrically (continuation) to {@link #ETA_MIN};</li>
 *   <li>the cones are solved at eps' = eps + margin; a final pass measures the exact violation at eps and the
 *       feasibility repair sets every group that still violates its robust cone to zero, so the reported
 *       network satisfies the cones exactly and its adversarial objective equals the (certified) surrogate.</li>
 * </ol>
 * Stopping: the smoothing is at its floor, the last FISTA run met its step tolerance, and the largest smoothed
 * constraint value is at most {@link #FEASIBILITY_TOL}; or the total FISTA step cap {@code maxIter}.
 */
public final class RobustConvexTrainer {
    private RobustConvexTrainer() {}

    /** First smoothing parameter (units of the data, which should be standardised), its factor per outer iteration, and floor. */
    public static final double ETA0 = 0.1;
    public static final double ETA_SHRINK = 0.3;
    public static final double ETA_MIN = 1e-3;
    /** FISTA steps per augmented-Lagrangian iteration at most. */
    public static final int INNER_MAX = 1000;
    /** Largest smoothed constraint value c_rg accepted at the end. */
    public static final double FEASIBILITY_TOL = 1e-7;
    /** Relative subgradient tolerance of the first FISTA run, and its factor per outer iteration (floor: the options' relTol). */
    public static final double TOL_IN0 = 1e-3;
    public static final double TOL_IN_SHRINK = 0.5;
    /**
     * The solver's radius: eps (1 + MARGIN_REL) + MARGIN_ABS times the root mean square design entry. The margin
     * absorbs the solver's residual cone violation (exact feasibility at eps without a repair) at the price of
     * solving a slightly more robust program: 1e-3 cost the fits of RobustConvexTest up to half of their
     * objective in repairs after 1500 steps, 1e-2 about 0.5% against the dense reference (docs/convex.md).
     */
    public static final double MARGIN_REL = 1e-2;
    public static final double MARGIN_ABS = 1e-5;
    /** Default augmented-Lagrangian penalty (the loss curvature per row is at most about 1), its growth and cap. */
    public static final double RHO0 = 10;
    public static final double RHO_GROWTH = 5.0;
    public static final double RHO_MAX = 1e3;

    public static ConvexResult fit(PassRunner runner, Data data, ConvexOptions o) {
        return fit(runner, data, o, null);
    }

    /** @param log receives one line per event; may be null */
    public static ConvexResult fit(PassRunner runner, Data data, ConvexOptions o, Consumer<String> log) {
        long t0 = System.nanoTime();
        Consumer<String> say = log == null ? s -> {} : log;
        List<String> warnings = new ArrayList<>();
        if (data.numRows() < 1) throw new IllegalArgumentException("the data set has no rows (n = 0): give at least one row");
        if (data.m() != 1) {
            throw new IllegalArgumentException("robust convex training fits a scalar output; the data has " + data.m()
                    + " label columns: give one label column");
        }
        double eps = o.adversarialEps();
        if (!(eps >= 0) || Double.isInfinite(eps)) {
            throw new IllegalArgumentException("adversarial radius epsilon must be finite and >= 0, got " + eps);
        }
        int d = data.d(), dp = ConvexFeatures.columns(d, o.bias());
        ConvexTrainer.PatternSet ps = ConvexTrainer.patterns(runner, data, o, "convex robust: patterns and input checks");
        int sampled = ps.sampled(), p = ps.p();
        double[] gates = ps.gates();
        say.accept(String.format("convex robust: %d gates -> %d distinct nonzero patterns (P), d' = %d, eps = %g", sampled, p, dp, eps));
        if (o.beta() == 0) warnings.add("beta = 0: no group sparsity");
        StateData<double[]> st = runner.attachState(data, block -> new double[block.rows() * 2 * p], "convex robust: multipliers");
        try {
            return run(runner, st, o, d, dp, p, gates, sampled, eps, warnings, say, t0);
        } finally {
            st.release();
        }
    }

    private static ConvexResult run(PassRunner runner, StateData<double[]> st, ConvexOptions o, int d, int dp, int p, double[] gates,
                                    int sampled, double eps, List<String> warnings, Consumer<String> say, long t0) {
        long n = st.numRows();
        Shared<double[]> gshared = runner.share(gates);
        GramAggregator gram;
        try {
            gram = runner.aggregate(st.blocks(), () -> new GramAggregator(gshared, p, dp, o.bias(), false), "convex robust: X^T X");
        } finally {
            gshared.release();
        }
        long passes = 2;
        double[] xtx = gram.xtx();
        double trace = 0;
        for (int j = 0; j < dp; j++) trace += xtx[j * dp + j];
        double rmsEntry = Math.sqrt(trace / ((double) n * dp));
        double epsSolve = eps * (1 + MARGIN_REL) + MARGIN_ABS * rmsEntry;
        double rho = Double.isNaN(o.rho()) ? RHO0 : o.rho();
        double lmaxX = ScpTrainer.lambdaMax(xtx, dp);
        double lFloor = Math.max(1e-12, lmaxX);
        double lip = (1 + rho) * lmaxX;
        double beta = o.beta(), eta = ETA0;
        int g2 = 2 * p * dp;
        Solver s = new Solver(runner, st, gates, p, dp, d, o.bias(), o.loss(), eps);
        double setup = (System.nanoTime() - t0) / 1e9;

        // FISTA steps per multiplier update: enough outer iterations fit in the budget (about 10).
        int innerCap = Math.min(INNER_MAX, Math.max(100, o.maxIter() / 10));
        double[] x = new double[g2];
        RobustPass.Eval ex = s.eval(new double[][] {x}, epsSolve, eta, rho, false, "convex robust: start").eval(0);
        double fx = ex.value();
        double[] gx = s.gradient(ex, x, epsSolve, eta);
        int total = 0, outer = 0;
        double prevViol = Double.POSITIVE_INFINITY, viol = Double.NaN;
        boolean converged = false;
        String stop = "iteration cap " + o.maxIter();
        List<ConvexResult.Iteration> history = new ArrayList<>();
        while (true) {
            outer++;
            double[] y = x.clone();
            double fy = fx, t = 1;
            double[] gy = gx;
            double bigF = fx + beta * groupNormSum(x, dp);
            boolean innerConverged = false;
            double tolIn = Math.max(o.relTol(), TOL_IN0 * Math.pow(TOL_IN_SHRINK, outer - 1));
            double lastKkt = Double.NaN;
            int inner = 0;
            while (inner < innerCap && total < o.maxIter()) {
                inner++;
                total++;
                double[] xc, yn;
                RobustPass.Eval e0, e1;
                double tn = (1 + Math.sqrt(1 + 4 * t * t)) / 2;
                while (true) {
                    xc = prox(y, gy, lip, beta, dp);
                    yn = new double[g2];
                    for (int a = 0; a < g2; a++) yn[a] = xc[a] + (t - 1) / tn * (xc[a] - x[a]);
                    RobustPass r = s.eval(new double[][] {xc, yn}, epsSolve, eta, rho, false,
                            String.format("convex robust: step %d (outer %d, eta %.2g)", total, outer, eta));
                    e0 = r.eval(0);
                    e1 = r.eval(1);
                    double lin = 0, sq = 0;
                    for (int a = 0; a < g2; a++) {
                        double dlt = xc[a] - y[a];
                        lin += gy[a] * dlt;
                        sq += dlt * dlt;
                    }
                    if (e0.value() <= fy + lin + lip / 2 * sq + 1e-12 * Math.abs(fy)) break;
                    lip *= 2;
                }
                double fc = e0.value(), bigFc = fc + beta * groupNormSum(xc, dp);
                double step = 0, size = 0;
                for (int a = 0; a < g2; a++) {
                    step += (xc[a] - x[a]) * (xc[a] - x[a]);
                    size += xc[a] * xc[a];
                }
                double[] gc = s.gradient(e0, xc, epsSolve, eta);
                double[] gyUsed = gy, yUsed = y;
                double lipUsed = lip;
                if (bigFc > bigF) {
                    // Function-value restart (O'Donoghue and Candes): drop the momentum.
                    y = xc;
                    fy = fc;
                    gy = gc;
                    t = 1;
                } else {
                    y = yn;
                    fy = e1.value();
                    gy = s.gradient(e1, yn, epsSolve, eta);
                    t = tn;
                }
                x = xc;
                fx = fc;
                gx = gc;
                bigF = bigFc;
                // Subgradient of the subproblem at xc: grad f(xc) - grad f(y) + L (y - xc) lies in grad f(xc) + beta d||.||(xc).
                double kkt = 0, gn = 0;
                for (int a = 0; a < g2; a++) {
                    double r = gc[a] - gyUsed[a] + lipUsed * (yUsed[a] - xc[a]);
                    kkt += r * r;
                    gn += gc[a] * gc[a];
                }
                lastKkt = Math.sqrt(kkt) / Math.max(1, Math.sqrt(gn));
                if (lastKkt <= tolIn) {
                    innerConverged = true;
                    break;
                }
            }
            // Multiplier update at x: mu <- (mu + rho c(x))_+ (and the largest smoothed constraint value).
            RobustPass.Eval up = s.eval(new double[][] {x}, epsSolve, eta, rho, true,
                    String.format("convex robust: multipliers (outer %d)", outer)).eval(0);
            viol = up.maxSmoothedViolation();
            double surrogate = up.exactLoss() + beta * groupNormSum(x, dp);
            history.add(new ConvexResult.Iteration(total, surrogate, surrogate, Double.NaN, Double.NaN, viol, Double.NaN,
                    NetworkMapping.active(x, dp), Double.NaN, (System.nanoTime() - t0) / 1e9));
            say.accept(String.format("convex robust: outer %d, %d FISTA steps (%s, kkt %.2g), eta %.2g, rho %.3g, L %.3g, surrogate %.8g, smoothed violation %.3g",
                    outer, inner, innerConverged ? "converged" : "cap", lastKkt, eta, rho, lip, surrogate, viol, NetworkMapping.active(x, dp)));
            if (eta <= ETA_MIN && innerConverged && viol <= FEASIBILITY_TOL) {
                converged = true;
                stop = String.format("smoothing at its floor %.2g, FISTA step within %.2g, constraint values <= %.2g", eta, tolIn, viol);
                break;
            }
            if (total >= o.maxIter()) break;
            if (viol > 0.25 * prevViol && viol > FEASIBILITY_TOL && rho < RHO_MAX) rho = Math.min(RHO_MAX, rho * RHO_GROWTH);
            prevViol = viol;
            eta = Math.max(ETA_MIN, eta * ETA_SHRINK);
            lip = Math.max(lFloor, lip / 4);
            RobustPass.Eval re = s.eval(new double[][] {x}, epsSolve, eta, rho, false,
                    String.format("convex robust: re-evaluate (outer %d)", outer)).eval(0);
            fx = re.value();
            gx = s.gradient(re, x, epsSolve, eta);
        }

        // Feasibility repair. The violation v(u) = max_r (eps ||u~||_1 - e_r x_r.u) is sublinear, so for the
        // pattern's own gate h (margin m = min_r |x_r.h| - eps ||h~||_1 > 0 when its cone is robust)
        // v(u + theta h) <= v(u) - theta m: candidate B shifts every violating group by theta = v / m along
        // its gate (drops it when m <= 0); candidate A drops every violating group. One pass evaluates both
        // and the better certified objective is kept.
        RobustPass lastPass = s.eval(new double[][] {x}, epsSolve, eta, rho, false, "convex robust: exact violation");
        RobustPass.Eval before = lastPass.eval(0);
        double[] gateMin = lastPass.gateMinAbs();
        double surrogate = before.exactLoss() + beta * groupNormSum(x, dp);
        double violBefore = 0;
        int repaired = 0, shifted = 0;
        double[] dropAll = x.clone(), shift = x.clone();
        for (int g = 0; g < 2 * p; g++) {
            double gv = before.groupViolation()[g];
            if (gv > violBefore) violBefore = gv;
            if (gv <= 0) continue;
            repaired++;
            java.util.Arrays.fill(dropAll, g * dp, (g + 1) * dp, 0);
            int i = g % p;
            double h1 = 0;
            for (int c = 0; c < d; c++) h1 += Math.abs(gates[i * dp + c]);
            double margin = gateMin[i] - eps * h1;
            if (margin > 0) {
                double theta = gv / margin * (1 + 1e-6) + 1e-12;
                for (int j = 0; j < dp; j++) shift[g * dp + j] += theta * gates[i * dp + j];
                shifted++;
            } else {
                java.util.Arrays.fill(shift, g * dp, (g + 1) * dp, 0);
            }
        }
        double[] u = x;
        RobustPass.Eval after = before;
        String repairKind = "none";
        if (repaired > 0) {
            RobustPass both = s.eval(new double[][] {dropAll, shift}, epsSolve, eta, rho, false, "convex robust: repair candidates");
            RobustPass.Eval ea = both.eval(0), eb = both.eval(1);
            double va = Double.NEGATIVE_INFINITY, vb = Double.NEGATIVE_INFINITY;
            for (int g = 0; g < 2 * p; g++) {
                va = Math.max(va, ea.groupViolation()[g]);
                vb = Math.max(vb, eb.groupViolation()[g]);
            }
            double oa = ea.exactLoss() + beta * groupNormSum(dropAll, dp), ob = eb.exactLoss() + beta * groupNormSum(shift, dp);
            if (shifted > 0 && vb <= 0 && ob < oa) {
                u = shift;
                after = eb;
                repairKind = String.format("%d group(s) shifted along their gates, %d dropped", shifted, repaired - shifted);
            } else {
                u = dropAll;
                after = ea;
                repairKind = repaired + " group(s) dropped";
            }
            repaired = 0;
            for (int g = 0; g < 2 * p; g++) if (before.groupViolation()[g] > 0) repaired++;
        }
        double violAfter = 0;
        for (int g = 0; g < 2 * p; g++) violAfter = Math.max(violAfter, after.groupViolation()[g]);
        double decay = beta * groupNormSum(u, dp);
        double certified = after.exactLoss() + decay;
        int live = NetworkMapping.active(u, dp);
        if (repaired > 0) {
            warnings.add(String.format("feasibility repair: %s (they violated their robust cone by up to %.3g)", repairKind, violBefore));
        }
        if (live == 0) warnings.add("every robust cone collapsed or was switched off: the network is zero (try a smaller eps or more patterns)");
        boolean cls = o.loss().classification();
        RobustSummary rs = new RobustSummary(eps, epsSolve, surrogate, violBefore, repaired, certified, after.exactLoss(), violAfter, live,
                2 * p - live, cls ? (double) after.cleanCorrect() / n : Double.NaN, cls ? (double) after.robustCorrect() / n : Double.NaN,
                outer, total, eta, rho);
        say.accept(String.format("convex robust: surrogate %.8g (max cone violation %.3g), repair: %s, certified %.8g, live %d / %d groups",
                surrogate, violBefore, repairKind, certified, live, 2 * p));
        passes += s.passes;
        return new ConvexResult(NetworkMapping.toNetwork(u, p, d, o.bias()), u, gates, sampled, p, dp, o.bias(), "robust-al-fista", rho,
                total, converged, stop, certified, certified, Double.NaN, Double.NaN, Double.NaN, live, Double.NaN, violAfter,
                cls ? (double) after.cleanCorrect() / n : Double.NaN, new double[0], List.copyOf(history), (System.nanoTime() - t0) / 1e9,
                setup, passes, List.copyOf(warnings), rs);
    }

    /** Group soft-threshold of y - grad / L at beta / L. */
    static double[] prox(double[] y, double[] grad, double lip, double beta, int dp) {
        double[] out = new double[y.length];
        double thr = beta / lip;
        for (int g = 0; g < y.length / dp; g++) {
            double s = 0;
            for (int j = 0; j < dp; j++) {
                double z = y[g * dp + j] - grad[g * dp + j] / lip;
                out[g * dp + j] = z;
                s += z * z;
            }
            double norm = Math.sqrt(s);
            double scale = norm > thr ? 1 - thr / norm : 0;
            for (int j = 0; j < dp; j++) out[g * dp + j] *= scale;
        }
        return out;
    }

    static double groupNormSum(double[] u, int dp) {
        double s = 0;
        for (int g = 0; g < u.length / dp; g++) s += NetworkMapping.groupNorm(u, g, dp);
        return s;
    }

    /** Broadcasts points and runs the stateful pass; assembles gradients. */
    static final class Solver {
        private final PassRunner runner;
        private final StateData<double[]> st;
        private final double[] gates;
        private final int p, dp, d;
        private final boolean bias;
        private final ConvexLoss loss;
        private final double eps;
        long passes;

        Solver(PassRunner runner, StateData<double[]> st, double[] gates, int p, int dp, int d, boolean bias, ConvexLoss loss, double eps) {
            this.runner = runner;
            this.st = st;
            this.gates = gates;
            this.p = p;
            this.dp = dp;
            this.d = d;
            this.bias = bias;
            this.loss = loss;
            this.eps = eps;
        }

        RobustPass eval(double[][] points, double epsSolve, double eta, double rho, boolean update, String name) {
            int k = points.length, g2 = 2 * p * dp, p2 = 2 * p;
            double[] q = new double[p * dp + k * g2 + k * 2 * p2];
            System.arraycopy(gates, 0, q, 0, p * dp);
            for (int a = 0; a < k; a++) {
                System.arraycopy(points[a], 0, q, p * dp + a * g2, g2);
                int nOff = p * dp + k * g2 + a * 2 * p2;
                for (int g = 0; g < p2; g++) {
                    double smooth = 0, exact = 0;
                    for (int c = 0; c < d; c++) {
                        double z = points[a][g * dp + c];
                        smooth += RobustPass.huber(z, eta);
                        exact += Math.abs(z);
                    }
                    q[nOff + g] = smooth;
                    q[nOff + p2 + g] = exact;
                }
            }
            Shared<double[]> shared = runner.share(q);
            try {
                RobustPass.Step step = new RobustPass.Step(shared, k, p, dp, d, bias, loss, eps, epsSolve, eta, rho, update);
                passes++;
                int pp = p, dd = dp; // locals: the factory must not capture this (not serialisable)
                return runner.updateState(st, step.update(), () -> new RobustPass(k, pp, dd), name);
            } finally {
                shared.release();
            }
        }

        /** grad_g = sign_g T_i(g) + epsSolve W_g pad(H'(u~_g)) - V_g. */
        double[] gradient(RobustPass.Eval e, double[] u, double epsSolve, double eta) {
            double[] grad = new double[2 * p * dp];
            for (int g = 0; g < 2 * p; g++) {
                int i = g < p ? g : g - p;
                double sign = g < p ? 1 : -1;
                for (int j = 0; j < dp; j++) {
                    double v = sign * e.t()[i * dp + j] - e.v()[g * dp + j];
                    if (j < d) v += epsSolve * e.w()[g] * RobustPass.huberDerivative(u[g * dp + j], eta);
                    grad[g * dp + j] = v;
                }
            }
            return grad;
        }
    }
}
