package org.relulearn.algo.convex;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.relulearn.algo.loss.ConvexLoss;
import org.relulearn.engine.Data;
import org.relulearn.engine.PassRunner;
import org.relulearn.engine.Shared;

/**
 * The squared-loss convex program over sampled patterns solved by a barrier (interior-point) method
 * whose Newton system lives on the driver:
 * <pre>
 *   min_{u, tau}  t [ 1/2 ||sum_g sigma_g D_i(g) X u_g - y||^2 + beta sum_g tau_g ]
 *                 - sum_{r,g} log s_rg - sum_g log(tau_g^2 - ||u_g||^2),     s_rg = e_r,i(g) x_r . u_g
 * </pre>
 * (groups g = 1..2P: u_1..u_P play v_i, u_{P+1}..u_{2P} play w_i; the epigraph tau_g >= ||u_g|| turns
 * the group norm into a second-order cone). For each t the barrier problem is self-concordant, so the
 * damped Newton step x += dx / (1 + lambda) (lambda the Newton decrement) stays strictly inside the
 * cones and needs no line search: each Newton step is one pass over the data ({@link BarrierAggregator}:
 * the gradient, the 2P blocks H_g = sum x x^T / s^2) plus a dense solve of size 2P(d'+1) on the driver,
 * whose loss block t sigma_g sigma_h K_ij comes from the one Gram pass. When the point is centred
 * (lambda <= 1/2) t grows by {@link #T_FACTOR}.
 *
 * <p>Why this solver: every iterate lies strictly inside the pattern cones, so the network it maps to
 * has exactly the convex objective, and the barrier's own multipliers mu_rg = 1 / (t s_rg) >= 0 give
 * the dual certificate at every step:
 * <pre>
 *   c = max_g || -sigma_g X^T D_i (yhat - y) + sum_r mu_rg e_rg x_r ||,  z = (y - yhat) min(1, beta / c),
 *   LB = z^T y - ||z||^2 / 2  <=  p*  <=  objective
 * </pre>
 * (for theta in cone i, mu^T E_i X theta >= 0, so the cone maximum of |z^T D_i X theta| is at most c;
 * at a central point c < beta exactly). The run stops when (objective - LB) / objective <= the gap
 * tolerance: the certificate, not the barrier's nu / t estimate, decides. Iteration counts are those of
 * interior-point methods (tens), against thousands for ADMM on small programs. Groups that the program
 * sets to zero end at norms of order 1 / (t beta); they are pruned at the end when the certificate,
 * recomputed without them, still holds.
 */
public final class ConvexInteriorPoint {
    private ConvexInteriorPoint() {}

    /** Growth of t once the point is centred. */
    static final double T_FACTOR = 10;

    /** The steps tried along each Newton direction: 1, 2^-1/2, ..., 2^-20, unless the damped step is smaller ({@link #lineSteps}). */
    static final double[] LINE_STEPS = java.util.stream.IntStream.rangeClosed(0, 40).mapToDouble(l -> Math.pow(2, -l / 2.0)).toArray();

    /**
     * The steps tried along a Newton direction of decrement lambda: {@link #LINE_STEPS}, or, when the damped step
     * 1/(1+lambda) lies below 2^-20, 41 geometric steps from 1 down to it. Self-concordance makes the damped step feasible
     * with a barrier decrease of at least lambda - log(1 + lambda), so the grid always holds a step that makes progress: far
     * from the centre on large data (lambda ~ 1e7 at the start for n = 1e6) the fixed grid held none.
     */
    static double[] lineSteps(double lambda) {
        double damped = 1 / (1 + lambda);
        if (damped >= LINE_STEPS[LINE_STEPS.length - 1]) return LINE_STEPS;
        double[] a = new double[LINE_STEPS.length];
        for (int l = 0; l < a.length; l++) a[l] = Math.pow(damped, (double) l / (a.length - 1));
        return a;
    }

    /** Newton steps before the automatic choice gives up on the interior point and runs ADMM instead. */
    public static final int AUTO_STEP_CAP = 200;

    /** The largest Newton system (2P(d'+1) unknowns) the automatic choice gives to this solver. */
    public static final int MAX_AUTO_SIZE = 4000;

    /** Unknowns of the Newton system: u_g and tau_g for 2P groups. */
    public static int size(int p, int dp) { return 2 * p * (dp + 1); }

    /** Where the solve's passes run. */
    public enum Placement {
        /** {@link #ONE_TASK} when one pass's work is at most {@link #ONE_TASK_WORK}, else {@link #PASSES}. */
        AUTO,
        /** The whole solve inside one task where the data are ({@link PassRunner#inOneTask}): no job per Newton step. */
        ONE_TASK,
        /** One distributed pass per evaluation, two per Newton step. */
        PASSES
    }

    /**
     * One pass's work, rows x 2P x d'^2 multiply-adds (the barrier Hessian blocks), up to which the automatic placement runs
     * the whole solve in one task: about 20 ms on one core, the order of one Spark job's own overhead, so below it the
     * tens of jobs of a distributed solve cost more than the passes they parallelise.
     */
    public static final double ONE_TASK_WORK = 2e7;

    /** Whether the automatic placement solves in one task: n rows, at most {@code patterns} patterns, d' columns. */
    public static boolean fitsOneTask(long n, int patterns, int dp) {
        return (double) n * 2 * patterns * dp * dp <= ONE_TASK_WORK;
    }

    /** A result with the log lines written while it was computed (in a task, to be replayed on the caller's log). */
    private record Logged(ConvexResult result, List<String> lines) implements java.io.Serializable {}

    /**
     * The interior-point fit, placed by {@code placement}. In one task the iteration's log lines are replayed on
     * {@code log} when the task returns, and the result's times are measured from the caller's start (they include the
     * job that ran the task).
     */
    public static ConvexResult solve(PassRunner runner, Data data, ConvexOptions o, Consumer<String> log, Placement placement) {
        int dp = ConvexFeatures.columns(data.d(), o.bias());
        int patterns = o.gates() != null ? o.gates().length / dp : o.patterns();
        boolean oneTask = placement == Placement.ONE_TASK
                || placement == Placement.AUTO && fitsOneTask(data.numRows(), patterns, dp);
        if (!oneTask) return fit(runner, data, o, log);
        long t0 = System.nanoTime();
        if (log != null) {
            log.accept(String.format("convex ipm: %,d rows x %d patterns x d' = %d is small: the whole solve runs in one task",
                    data.numRows(), patterns, dp));
        }
        Logged got = runner.inOneTask(data, (local, d) -> {
            List<String> lines = new ArrayList<>();
            ConvexResult r = fit(local, d, o, lines::add);
            return new Logged(r, lines);
        }, "convex ipm: the whole solve in one task");
        if (log != null) got.lines().forEach(log);
        return withTimesFrom(got.result(), (System.nanoTime() - t0) / 1e9);
    }

    /** {@code r} with its times shifted so that its end is at {@code total} seconds (the task's start-up counted as setup). */
    static ConvexResult withTimesFrom(ConvexResult r, double total) {
        double shift = Math.max(0, total - r.seconds());
        List<ConvexResult.Iteration> history = new ArrayList<>(r.history().size());
        for (ConvexResult.Iteration it : r.history()) {
            history.add(new ConvexResult.Iteration(it.k(), it.objective(), it.networkObjective(), it.lowerBound(), it.relativeGap(),
                    it.primalResidual(), it.dualResidual(), it.active(), it.coneViolation(), it.seconds() + shift));
        }
        return new ConvexResult(r.network(), r.groups(), r.gates(), r.gatesSampled(), r.patterns(), r.dp(), r.bias(), r.route(), r.rho(),
                r.iterations(), r.converged(), r.stopReason(), r.objective(), r.networkObjective(), r.lowerBound(), r.gap(),
                r.relativeGap(), r.activeNeurons(), r.maxNu(), r.maxConeViolation(), r.accuracy(), r.lambda(), List.copyOf(history),
                r.seconds() + shift, r.setupSeconds() + shift, r.passes(), r.warnings(), r.robust());
    }

    static ConvexResult fit(PassRunner runner, Data data, ConvexOptions o, Consumer<String> log) {
        long t0 = System.nanoTime();
        Consumer<String> say = log == null ? s -> {} : log;
        List<String> warnings = new ArrayList<>();
        // n >= 1 and one label column are checked by ConvexTrainer.fit, the entry point
        if (o.loss() != ConvexLoss.SQUARED) {
            throw new IllegalArgumentException("the interior-point solver handles the squared loss; --loss " + o.loss().label()
                    + " needs --solver admm");
        }
        if (o.adversarialEps() > 0) {
            throw new IllegalArgumentException("the interior-point solver handles ordinary training; --adversarial-eps needs --solver admm");
        }
        if (o.beta() == 0) {
            throw new IllegalArgumentException("the interior-point solver needs a weight decay beta > 0 (its epigraph has no minimiser"
                    + " at beta = 0): give --weight-decay > 0 or use --solver admm");
        }
        int d = data.d(), dp = ConvexFeatures.columns(d, o.bias());
        ConvexTrainer.PatternSet ps = ConvexTrainer.patterns(runner, data, o, "convex: patterns and input checks");
        int p = ps.p(), size = size(p, dp);
        double[] gates = ps.gates();
        say.accept(String.format("convex: %d gates -> %d distinct nonzero patterns (P), d' = %d", ps.sampled(), p, dp));
        double kBytes = 8.0 * p * dp * p * dp + 8.0 * size * size * 2;
        if (kBytes > o.memoryCapBytes()) {
            throw new IllegalArgumentException(String.format("the interior-point Newton system has %d unknowns (%.3g bytes with K),"
                    + " over the memory cap of %d bytes: use --solver admm, fewer patterns, or a larger --memory-cap-mb", size, kBytes,
                    o.memoryCapBytes()));
        }
        Shared<double[]> gshared = runner.share(gates);
        GramAggregator gram;
        try {
            gram = runner.aggregate(data, () -> new GramAggregator(gshared, p, dp, o.bias(), true), "convex ipm: X^T X, K");
        } finally {
            gshared.release();
        }
        long passes = 2;
        long n = data.numRows();
        double[] xtx = gram.xtx(), k = gram.k();
        double beta = o.beta(), yy = gram.yy();
        double setup = (System.nanoTime() - t0) / 1e9;

        // Start strictly inside every cone: u_g = c0 h_i / ||h_i|| for both signs (so yhat = 0), tau_g = 2 c0.
        double tr = 0;
        for (int j = 0; j < dp; j++) tr += xtx[j * dp + j];
        double c0 = 1 / Math.sqrt(Math.max(tr / ((double) n * dp), 1e-300));
        double[] u = new double[2 * p * dp], tau = new double[2 * p];
        for (int g = 0; g < 2 * p; g++) {
            int i = g % p;
            double norm = NetworkMapping.groupNorm(gates, i, dp);
            for (int j = 0; j < dp; j++) u[g * dp + j] = c0 * gates[i * dp + j] / norm;
            tau[g] = 2 * c0;
        }
        double nu = 2.0 * p * n + 4.0 * p;
        // t0 = 10 nu / f0(start): the barrier's nu / t then starts at a tenth of the objective (a factor measured to
        // save a few damped steps over 1, none more at 100 or 1000)
        double t = 10 * nu / Math.max(0.5 * yy + beta * 4 * p * c0, 1e-300);
        List<ConvexResult.Iteration> history = new ArrayList<>();
        BarrierAggregator at = evaluate(runner, data, gates, u, p, dp, o.bias(), true, "convex ipm: start");
        passes++;
        if (at.infeasible() > 0) {
            throw new IllegalArgumentException(at.infeasible() + " row-pattern pairs lie on a gate's hyperplane (x . h = 0), so the"
                    + " interior-point solver has no strictly feasible start: use --solver admm, or other gates");
        }
        boolean converged = false;
        String stop = "iteration cap " + o.maxIter();
        int iter;
        double objective = Double.NaN, lb = Double.NaN, relGap = Double.NaN, bestLb = Double.NEGATIVE_INFINITY;
        for (iter = 1; iter <= o.maxIter(); iter++) {
            double[] A = at.lossGradient(), bg = at.barrierGradient();
            double normSum = 0;
            for (int g = 0; g < 2 * p; g++) normSum += NetworkMapping.groupNorm(u, g, dp);
            objective = 0.5 * at.residual2() + beta * normSum;
            // every certificate is a global lower bound, so the best one so far counts
            bestLb = Math.max(bestLb, bestLowerBound(A, bg, 1 / t, p, dp, beta, at.residual2(), at.residualDotY()));
            lb = bestLb;
            relGap = relativeGap(objective, lb);
            history.add(new ConvexResult.Iteration(iter, objective, objective, lb, relGap, Double.NaN, Double.NaN, 2 * p, 0,
                    (System.nanoTime() - t0) / 1e9));
            if (relGap >= 0 && relGap <= o.gapTol()) {
                converged = true;
                stop = String.format("certificate relative gap %.3g <= %.3g", relGap, o.gapTol());
                break;
            }
            if (o.maxSeconds() > 0 && (System.nanoTime() - t0) / 1e9 >= o.maxSeconds()) {
                stop = String.format("time budget %.0f s reached at relative gap %.3g (not converged)", o.maxSeconds(), relGap);
                break;
            }
            if (iter == o.maxIter()) break;
            double[] step = null;
            double lambda = 0, ridge = 0;
            for (int grow = 0; grow < 60; grow++) {
                double[][] newton = newtonStep(k, A, bg, at.barrierHessians(), u, tau, t, beta, p, dp);
                step = newton[0];
                lambda = newton[1][0];
                ridge = newton[1][1];
                if (lambda > 1) break;
                t *= T_FACTOR; // centred enough: move along the path
            }
            say.accept(String.format("convex ipm: step %d, objective %.10g, certificate %.10g (relative gap %.3g), t = %.3g, Newton decrement %.3g%s",
                    iter, objective, lb, relGap, t, lambda, ridge > 0 ? ", ridge " + ridge : ""));
            // One pass evaluates the barrier problem along the Newton direction at a grid of steps; the best feasible one is taken.
            double[] du = new double[2 * p * dp], dtau = new double[2 * p];
            for (int g = 0; g < 2 * p; g++) {
                System.arraycopy(step, g * (dp + 1), du, g * dp, dp);
                dtau[g] = step[g * (dp + 1) + dp];
            }
            double[] steps = lineSteps(lambda);
            BarrierLineAggregator line = line(runner, data, gates, u, du, steps, p, dp, o.bias(),
                    String.format("convex ipm: line search %d/%d", iter, o.maxIter()));
            passes++;
            // A second certificate from the full Newton step's dual estimate: z = y - yhat(u + du) (A by K, no pass), multipliers
            // from the line pass. Valid for any z and mu >= 0, and converging fast where the barrier multipliers lag.
            double[] a1 = A.clone();
            int f = p * dp;
            for (int i = 0; i < f; i++) {
                double acc = 0;
                for (int hgrp = 0; hgrp < 2 * p; hgrp++) {
                    double sh = hgrp < p ? 1 : -1;
                    int col = (hgrp % p) * dp;
                    for (int j = 0; j < dp; j++) acc += sh * k[i * f + col + j] * du[hgrp * dp + j];
                }
                a1[i] += acc;
            }
            double lbNewton = bestLowerBound(a1, line.newtonMultipliers(), 1 / t, p, dp, beta, line.residual2(1),
                    at.residualDotY() + line.deltaDotY());
            bestLb = Math.max(bestLb, lbNewton);
            double best = Double.POSITIVE_INFINITY, alpha = 0;
            for (int l = 0; l < steps.length; l++) {
                double a = steps[l], value = t * 0.5 * line.residual2(a) - line.logSlackSum(l);
                for (int g = 0; g < 2 * p && value < Double.POSITIVE_INFINITY; g++) {
                    double tg = tau[g] + a * dtau[g], n2 = 0;
                    for (int j = 0; j < dp; j++) n2 += Math.pow(u[g * dp + j] + a * du[g * dp + j], 2);
                    double q = tg * tg - n2;
                    value = q > 0 && tg > 0 ? value + t * beta * tg - Math.log(q) : Double.POSITIVE_INFINITY;
                }
                if (value < best) {
                    best = value;
                    alpha = a;
                }
            }
            if (alpha == 0) {
                stop = String.format("no step along the Newton direction stays inside the cones (relative gap %.3g, not converged)", relGap);
                warnings.add("the interior-point iteration stalled at t = " + t + "; try --solver admm");
                break;
            }
            double[] uNext = u.clone(), tauNext = tau.clone();
            for (int a = 0; a < uNext.length; a++) uNext[a] += alpha * du[a];
            for (int g = 0; g < 2 * p; g++) tauNext[g] += alpha * dtau[g];
            BarrierAggregator next = evaluate(runner, data, gates, uNext, p, dp, o.bias(), true,
                    String.format("convex ipm: Newton step %d/%d", iter, o.maxIter()));
            passes++;
            if (next.infeasible() > 0) {
                stop = String.format("rounding left the cones at a step of %.3g (relative gap %.3g, not converged)", alpha, relGap);
                warnings.add("the interior-point iteration stalled at t = " + t + "; try --solver admm");
                break;
            }
            u = uNext;
            tau = tauNext;
            at = next;
        }
        int iterations = Math.min(iter, o.maxIter());
        if (!converged && stop.startsWith("iteration cap")) stop += String.format(" reached at relative gap %.3g (not converged)", relGap);

        // Prune the groups the program sets to zero (norms ~ 1 / (t beta)) within a tenth of the gap budget, then re-certify.
        double[] multipliers = at.barrierGradient();
        double[] pruned = prune(u, p, dp, beta, 0.1 * Math.max(o.gapTol(), 1e-12) * Math.abs(objective));
        BarrierAggregator fin = evaluate(runner, data, gates, pruned, p, dp, o.bias(), false, "convex ipm: pruned network");
        passes++;
        double prunedSum = 0;
        for (int g = 0; g < 2 * p; g++) prunedSum += NetworkMapping.groupNorm(pruned, g, dp);
        double prunedObjective = 0.5 * fin.residual2() + beta * prunedSum;
        double prunedLb = bestLowerBound(fin.lossGradient(), multipliers, 1 / t, p, dp, beta, fin.residual2(), fin.residualDotY());
        bestLb = Math.max(bestLb, prunedLb);
        double prunedGap = relativeGap(prunedObjective, bestLb);
        double[] groups = u;
        double coneViolation = 0;
        if (fin.maxConeViolation() <= 0 && prunedGap >= 0 && prunedGap <= Math.max(o.gapTol(), relGap)) {
            groups = pruned;
            objective = prunedObjective;
            coneViolation = Math.max(0, fin.maxConeViolation());
        } else {
            warnings.add("pruning the near-zero groups would lose the certificate; every group is kept");
        }
        lb = bestLb;
        relGap = relativeGap(objective, lb);
        double gap = objective - lb;
        int active = NetworkMapping.active(groups, dp);
        say.accept(String.format("convex: interior point, %d Newton steps, %s; objective %.8g, certificate %.8g (gap %.3g), %d active groups",
                iterations, stop, objective, lb, gap, active));
        return new ConvexResult(NetworkMapping.toNetwork(groups, p, d, o.bias()), groups, gates, ps.sampled(), p, dp, o.bias(),
                "interior point", Double.NaN, iterations, converged, stop, objective, objective, lb, gap, relGap, active, Double.NaN,
                coneViolation, Double.NaN, new double[0], List.copyOf(history), (System.nanoTime() - t0) / 1e9, setup, passes,
                List.copyOf(warnings));
    }

    static double relativeGap(double objective, double lb) {
        double rel = (objective - lb) / Math.max(Math.abs(objective), 1e-300);
        // rounding of two equal sums: a gap of a few ulps is zero, not a negative (impossible) gap
        return Math.abs(rel) < 1e-13 ? 0 : rel;
    }

    /**
     * The dual certificate with cone multipliers mu_rg = kappa / s_rg: c = max_g ||-sigma_g A_i + kappa b_g||,
     * z = -(yhat - y) min(1, beta / c), LB = z^T y - ||z||^2 / 2.
     */
    static double bestLowerBound(double[] a, double[] b, double kappa, int p, int dp, double beta, double rr, double ry) {
        // Any kappa >= 0 gives a valid bound; 1/t is exact on the central path. A golden-section search on log kappa
        // over [kappa / 1000, 1000 kappa] tightens it off the path at the cost of driver arithmetic only.
        double lo = Math.log(kappa) - Math.log(1000), hi = Math.log(kappa) + Math.log(1000), r = (Math.sqrt(5) - 1) / 2;
        double best = lowerBound(a, b, kappa, p, dp, beta, rr, ry);
        double x1 = hi - r * (hi - lo), x2 = lo + r * (hi - lo);
        double f1 = lowerBound(a, b, Math.exp(x1), p, dp, beta, rr, ry), f2 = lowerBound(a, b, Math.exp(x2), p, dp, beta, rr, ry);
        for (int it = 0; it < 40; it++) {
            if (f1 > f2) {
                hi = x2; x2 = x1; f2 = f1; x1 = hi - r * (hi - lo);
                f1 = lowerBound(a, b, Math.exp(x1), p, dp, beta, rr, ry);
            } else {
                lo = x1; x1 = x2; f1 = f2; x2 = lo + r * (hi - lo);
                f2 = lowerBound(a, b, Math.exp(x2), p, dp, beta, rr, ry);
            }
        }
        return Math.max(best, Math.max(f1, f2));
    }

    static double lowerBound(double[] a, double[] b, double kappa, int p, int dp, double beta, double rr, double ry) {
        double c = 0;
        for (int g = 0; g < 2 * p; g++) {
            int i = g % p;
            double sigma = g < p ? 1 : -1, s = 0;
            for (int j = 0; j < dp; j++) {
                double v = -sigma * a[i * dp + j] + kappa * b[g * dp + j];
                s += v * v;
            }
            c = Math.max(c, Math.sqrt(s));
        }
        double scale = c > beta ? beta / c : 1;
        // z = -rho scaled: z^T y = -scale rho^T y, ||z||^2 = scale^2 rho^T rho
        return -scale * ry - 0.5 * scale * scale * rr;
    }

    /**
     * The Newton step of the barrier problem at (u, tau) for parameter t, and its decrement lambda
     * (returned as {step, {lambda, ridge}}, ridge the relative diagonal shift a failed Cholesky needed, usually 0); unknowns ordered per group as u_g (d') then tau_g.
     */
    static double[][] newtonStep(double[] k, double[] a, double[] b, double[] hPacked, double[] u, double[] tau, double t,
                                 double beta, int p, int dp) {
        int w = dp + 1, size = 2 * p * w, f = p * dp, tri = dp * (dp + 1) / 2;
        double[] h = new double[size * size];
        double[] grad = new double[size];
        for (int g = 0; g < 2 * p; g++) {
            int i = g % p;
            double sg = g < p ? 1 : -1;
            for (int hh = 0; hh < 2 * p; hh++) {
                int jj = hh % p;
                double sh = hh < p ? 1 : -1, scale = t * sg * sh;
                for (int r = 0; r < dp; r++) {
                    int row = (g * w + r) * size + hh * w;
                    int krow = (i * dp + r) * f + jj * dp;
                    for (int c = 0; c < dp; c++) h[row + c] = scale * k[krow + c];
                }
            }
            double norm2 = 0;
            for (int j = 0; j < dp; j++) norm2 += u[g * dp + j] * u[g * dp + j];
            double q = tau[g] * tau[g] - norm2;
            int base = g * w;
            // barrier blocks: H_g + 2 I / q + 4 u u^T / q^2, cross -4 tau u / q^2, tau-tau -2/q + 4 tau^2 / q^2
            for (int col = 0, at = g * tri; col < dp; col++) {
                for (int row = 0; row <= col; row++, at++) {
                    double v = hPacked[at] + 4 * u[g * dp + row] * u[g * dp + col] / (q * q) + (row == col ? 2 / q : 0);
                    h[(base + row) * size + base + col] += v;
                    if (row != col) h[(base + col) * size + base + row] += v;
                }
            }
            for (int j = 0; j < dp; j++) {
                double cross = -4 * tau[g] * u[g * dp + j] / (q * q);
                h[(base + j) * size + base + dp] += cross;
                h[(base + dp) * size + base + j] += cross;
                grad[base + j] = t * sg * a[i * dp + j] - b[g * dp + j] + 2 * u[g * dp + j] / q;
            }
            h[(base + dp) * size + base + dp] += -2 / q + 4 * tau[g] * tau[g] / (q * q);
            grad[base + dp] = t * beta - 2 * tau[g] / q;
        }
        // Jacobi equilibration: the barrier terms of nearly active cones and t K differ by many orders of magnitude;
        // Cholesky of D^-1/2 H D^-1/2 keeps the direction accurate where the unscaled factor would need a ridge.
        double[] scale = new double[size];
        for (int i = 0; i < size; i++) scale[i] = 1 / Math.sqrt(Math.max(h[i * size + i], 1e-300));
        for (int i = 0; i < size; i++) {
            for (int j = 0; j < size; j++) h[i * size + j] *= scale[i] * scale[j];
        }
        double[] step = new double[size];
        for (int i = 0; i < size; i++) step[i] = -grad[i] * scale[i];
        SpdFactor factor = null;
        double ridgeUsed = 0;
        for (double ridge = 0; factor == null; ridge = ridge == 0 ? 1e-13 : ridge * 100) {
            double[] hr = h;
            if (ridge > 0) {
                hr = h.clone();
                for (int i = 0; i < size; i++) hr[i * size + i] += ridge;
            }
            try {
                ridgeUsed = ridge;
                factor = new SpdFactor(hr, size, "the interior-point Newton matrix");
            } catch (ArithmeticException e) {
                if (ridge > 1e-2) throw e;
            }
        }
        factor.solveInPlace(step, 1);
        for (int i = 0; i < size; i++) step[i] *= scale[i];
        double dec2 = 0;
        for (int i = 0; i < size; i++) dec2 -= grad[i] * step[i];
        return new double[][] {step, {Math.sqrt(Math.max(dec2, 0)), ridgeUsed}};
    }

    /** u with its smallest groups set to zero while beta times their summed norms stays within {@code budget}. */
    static double[] prune(double[] u, int p, int dp, double beta, double budget) {
        Integer[] order = new Integer[2 * p];
        double[] norms = new double[2 * p];
        for (int g = 0; g < 2 * p; g++) {
            order[g] = g;
            norms[g] = NetworkMapping.groupNorm(u, g, dp);
        }
        Arrays.sort(order, (x, y) -> Double.compare(norms[x], norms[y]));
        double[] out = u.clone();
        double spent = 0;
        for (int g : order) {
            spent += beta * norms[g];
            if (spent > budget) break;
            Arrays.fill(out, g * dp, (g + 1) * dp, 0.0);
        }
        return out;
    }

    private static BarrierLineAggregator line(PassRunner runner, Data data, double[] gates, double[] u, double[] du, double[] alphas,
                                              int p, int dp, boolean bias, String name) {
        double[] q = new double[5 * p * dp];
        System.arraycopy(gates, 0, q, 0, p * dp);
        System.arraycopy(u, 0, q, p * dp, 2 * p * dp);
        System.arraycopy(du, 0, q, 3 * p * dp, 2 * p * dp);
        Shared<double[]> shared = runner.share(q);
        try {
            return runner.aggregate(data, () -> new BarrierLineAggregator(shared, alphas, p, dp, bias), name);
        } finally {
            shared.release();
        }
    }

    private static BarrierAggregator evaluate(PassRunner runner, Data data, double[] gates, double[] u, int p, int dp, boolean bias,
                                              boolean barrier, String name) {
        double[] q = new double[3 * p * dp];
        System.arraycopy(gates, 0, q, 0, p * dp);
        System.arraycopy(u, 0, q, p * dp, 2 * p * dp);
        Shared<double[]> shared = runner.share(q);
        try {
            return runner.aggregate(data, () -> new BarrierAggregator(shared, p, dp, bias, barrier), name);
        } finally {
            shared.release();
        }
    }
}
