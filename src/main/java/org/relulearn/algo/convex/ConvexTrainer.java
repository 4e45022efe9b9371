package org.relulearn.algo.convex;

import java.util.ArrayList;
import java.util.List;
import org.relulearn.algo.loss.ConvexLoss;
import org.relulearn.data.CounterRng;
import org.relulearn.engine.Data;
import org.relulearn.engine.PassRunner;
import org.relulearn.engine.Shared;
import org.relulearn.engine.StateData;

/**
 * Global training of a two-layer ReLU network through its convex reformulation (Pilanci and Ergen;
 * ADMM of Bai, Gautam and Sojoudi; docs/convex.md, Model and Design):
 * <pre>
 *   min_{v,w} l( sum_i D_i X (v_i - w_i), y ) + beta sum_i (||v_i|| + ||w_i||)
 *   s.t. (2 D_i - I) X v_i >= 0, (2 D_i - I) X w_i >= 0
 * </pre>
 * over the patterns D_i of the sampled (or given) gates. Scaled ADMM with u = v and Gu = s:
 * <pre>
 *   u^{k+1} = A^{-1} (c F^T t + v^k - lambda^k + G^T (s^k - nu^k)),  A = I + c F^T F + G^T G
 *   v^{k+1} = group soft-threshold of u^{k+1} + lambda^k at beta / rho
 *   s^{k+1} = max(G u^{k+1} + nu^k, 0),  nu^{k+1} = nu^k + gamma (G u^{k+1} - s^{k+1}),  lambda^{k+1} = lambda^k + gamma (u^{k+1} - v^{k+1})
 * </pre>
 * with t = y, c = 1/rho (squared); the majorised target t = yhat - l'(yhat), c = 1/rho (BCE, l'' <= 1);
 * the split r = Fu with target r - mu, c = 1 (hinge). A decouples into P solves with B = I + X^T X
 * for u+ + u- and one system M = I_P (x) B + 2c K for u+ - u- (section 3.3), applied by the dense,
 * Woodbury or CG route. Passes: one pattern pass (dedupe and input checks), one Gram pass, then one
 * stateful pass per iteration (nu per row on the executors).
 */
public final class ConvexTrainer {
    private ConvexTrainer() {}

    /** Up to this many rows, the final certificate uses the exact cone maxima ({@link ConeCertificate}). */
    public static final int CERTIFICATE_ROWS = 2000;

    /** Gaussian gates h_1..h_P ~ N(0, I_d'), row-major P x d', from (seed, stream 0x6A7E5, index). */
    public static double[] sampleGates(int p, int dp, long seed) {
        CounterRng rng = new CounterRng(seed, 0x6A7E5L, 0);
        double[] h = new double[p * dp];
        for (int i = 0; i < h.length; i++) h[i] = rng.nextGaussian();
        return h;
    }

    /**
     * The data-scaled default penalty of the cone constraints Gu = s, between two measured regimes:
     * <pre>
     *   rho = m 0.3^(1-s) [min(10, 0.3 sqrt(n / 20))]^s,   s = clamp(ln(n / 2000) / ln 5, 0, 1),
     *   m = trace(X^T X) / (n d')  (the mean squared design entry)
     * </pre>
     * Both F^T F and G^T G scale with X^T X, so rho follows the entries' scale. The factors are empirical
     * (our choice, docs/convex.md "Penalties at scale"): for n &lt;= 2000 (s = 0) 0.3 m, the best of
     * {0.01 .. 100} on the appendix toy, on n = 2000 and on convex-vs-sgd's n = 200; for n &gt;= 10^4 (s = 1)
     * the n-scaled value, best of {0.3 .. 30} on n = 10^4 and 10^5 synthetic rows (d = 10, P = 16,
     * beta = 0.01 n) -- smaller values stop on the certificate at networks that violate their cones by
     * 0.04 - 0.3, larger ones converge slower. In between, geometric interpolation (not measured).
     */
    public static double defaultRho(double[] xtx, int dp, long n) {
        double m = meanSquaredEntry(xtx, dp, n);
        double s = largeProblemWeight(n);
        double rho = m * Math.pow(0.3, 1 - s) * Math.pow(Math.min(10, 0.3 * Math.sqrt(n / 20.0)), s);
        return rho > 0 ? rho : 1;
    }

    /**
     * The default weight of the consensus constraint u = v, tau = rho_1 / rho with
     * <pre>  rho_1 = max(rho, (0.3 m)^(1-s) (0.015 n m)^s)   (s as in {@link #defaultRho})  </pre>
     * The loss and cone terms of the u-step grow like X^T X ~ n m I while the consensus term is rho_1 I,
     * so with rho_1 fixed the prox step (the only place beta acts) barely moves u on large n. For
     * n &gt;= 10^4, 0.015 n m matches the best settings found on n = 10^4 and 10^5 (rho_1 = 100 - 1000 and
     * 1000 - 10^4 equally good); for n &lt;= 2000 the single penalty rho_1 = rho = 0.3 m (the paper's ADMM form) was best.
     */
    public static double defaultConsensusWeight(double[] xtx, int dp, long n, double rho) {
        double m = meanSquaredEntry(xtx, dp, n);
        double s = largeProblemWeight(n);
        double rho1 = Math.max(rho, Math.pow(0.3 * m, 1 - s) * Math.pow(0.015 * n * m, s));
        return rho1 / rho;
    }

    /** 0 for n &lt;= 2000, 1 for n &gt;= 10^4, log-linear in between. */
    static double largeProblemWeight(long n) {
        return Math.max(0, Math.min(1, Math.log(n / 2000.0) / Math.log(5)));
    }

    private static double meanSquaredEntry(double[] xtx, int dp, long n) {
        double tr = 0;
        for (int i = 0; i < dp; i++) tr += xtx[i * dp + i];
        return tr / ((double) n * dp);
    }

    /** Chooses the route: dense when (Pd')^2 doubles fit the cap, else Woodbury when n^2 do (n <= 20000), else CG. */
    public static ConvexOptions.Route chooseRoute(ConvexOptions o, int p, int dp, long n) {
        if (o.route() != ConvexOptions.Route.AUTO) return o.route();
        double denseBytes = 8.0 * p * dp * p * dp * 3;
        if (denseBytes <= o.memoryCapBytes()) return ConvexOptions.Route.DENSE;
        if (n <= 20_000 && 8.0 * n * n * 3 <= o.memoryCapBytes()) return ConvexOptions.Route.WOODBURY;
        return ConvexOptions.Route.CG;
    }

    /** The gates kept after the pattern pass: one per distinct non-zero activation pattern (P of the {@code sampled}). */
    public record PatternSet(int sampled, int p, double[] gates) {}

    /**
     * The pattern pass shared by ADMM and the robust trainer: the sampled (or given) gates, one pass for
     * pattern counts and fingerprints and the input checks, then the distinct non-zero patterns' gates.
     */
    static PatternSet patterns(PassRunner runner, Data data, ConvexOptions o, String description) {
        int d = data.d(), dp = ConvexFeatures.columns(d, o.bias());
        double[] all = o.gates() != null ? o.gates() : sampleGates(o.patterns(), dp, o.seed());
        if (all.length % dp != 0) {
            throw new IllegalArgumentException("gate vectors have " + dp + " entries each (" + d + " features"
                    + (o.bias() ? " + the bias coordinate" : "") + "), but " + all.length + " numbers were given; fix the gate file");
        }
        int sampled = all.length / dp;
        Shared<double[]> allShared = runner.share(all);
        PatternAggregator pat;
        try {
            pat = runner.aggregate(data, () -> new PatternAggregator(allShared, sampled, o.bias(), o.loss()), description);
        } finally {
            allShared.release();
        }
        pat.checkInput();
        int[] keep = pat.distinctNonZero();
        if (keep.length == 0) {
            throw new IllegalArgumentException("all " + sampled + " gates give the all-zero pattern (every row has x.h < 0), "
                    + "e.g. all features zero without a bias column: add the bias column or draw more gates");
        }
        int p = keep.length;
        double[] gates = new double[p * dp];
        for (int i = 0; i < p; i++) System.arraycopy(all, keep[i] * dp, gates, i * dp, dp);
        return new PatternSet(sampled, p, gates);
    }

    public static ConvexResult fit(PassRunner runner, Data data, ConvexOptions o) {
        return fit(runner, data, o, null);
    }

    /** @param log receives one line per event (route chosen, iterations); may be null */
    public static ConvexResult fit(PassRunner runner, Data data, ConvexOptions o, java.util.function.Consumer<String> log) {
        return fit(runner, data, o, log, null, null);
    }

    /**
     * As {@link #fit(PassRunner, Data, ConvexOptions, java.util.function.Consumer)}, saving the
     * training state to {@code sink} every k iterations (null = never) and, with {@code resume},
     * continuing from a saved state (row duals read back next to the same blocks) instead of
     * starting at iteration 1: the setup passes (patterns, Gram) are repeated -- they are functions
     * of the data and the options -- and the iterations continue with the saved v, lambda, sums and
     * rho, so the final model equals the uninterrupted run's (bit for bit in deterministic mode).
     */
    public static ConvexResult fit(PassRunner runner, Data data, ConvexOptions o, java.util.function.Consumer<String> log,
                                   AdmmState.Sink sink, AdmmState.Resume resume) {
        long t0 = System.nanoTime();
        List<String> warnings = new ArrayList<>();
        java.util.function.Consumer<String> say = log == null ? s -> {} : log;
        if (data.numRows() < 1) throw new IllegalArgumentException("the data set has no rows (n = 0): give at least one row");
        if (data.m() != 1) {
            throw new IllegalArgumentException("convex training fits a scalar output; the data has " + data.m()
                    + " label columns: give one label column");
        }
        // eps > 0: the robust program has its own solver (augmented Lagrangian + FISTA, RobustConvexTrainer).
        if (o.adversarialEps() > 0) return RobustConvexTrainer.fit(runner, data, o, log);
        if (o.resolvedSolver(ConvexFeatures.columns(data.d(), o.bias())) == ConvexOptions.Solver.IPM) {
            if (sink != null || resume != null) {
                throw new IllegalArgumentException("checkpoints are written by the ADMM solver; the interior-point solver runs in tens of"
                        + " passes: drop --checkpoint-dir / --resume or use --solver admm");
            }
            if (o.solver() == ConvexOptions.Solver.IPM) return ConvexInteriorPoint.solve(runner, data, o, log, ConvexInteriorPoint.Placement.AUTO);
            // AUTO: the interior point within a step cap; if it has not certified the gap by then (degenerate programs, where
            // a primal barrier crawls), ADMM solves the same program from the start.
            ConvexResult ipm = ConvexInteriorPoint.solve(runner, data, o.withMaxIter(Math.min(o.maxIter(), ConvexInteriorPoint.AUTO_STEP_CAP)), log,
                    ConvexInteriorPoint.Placement.AUTO);
            if (ipm.converged() || o.maxSeconds() > 0 && ipm.seconds() >= o.maxSeconds()) return ipm;
            if (log != null) log.accept("convex: the interior point stopped at relative gap " + ipm.relativeGap() + " (" + ipm.stopReason() + "); solving by ADMM");
            o = o.withMaxSeconds(o.maxSeconds() > 0 ? Math.max(1, o.maxSeconds() - ipm.seconds()) : 0);
        }
        if (o.beta() == 0) warnings.add("beta = 0: no group sparsity; every pattern may give two neurons");
        int d = data.d(), dp = ConvexFeatures.columns(d, o.bias());
        // Pass 1: patterns, dedupe by fingerprints, input checks.
        PatternSet ps = patterns(runner, data, o, "convex: patterns and input checks");
        int sampled = ps.sampled(), p = ps.p();
        double[] gates = ps.gates();
        say.accept(String.format("convex: %d gates -> %d distinct nonzero patterns (P), d' = %d", sampled, p, dp));

        long n = data.numRows();
        ConvexOptions.Route route = chooseRoute(o, p, dp, n);
        if (route == ConvexOptions.Route.DENSE && 8.0 * p * dp * p * dp > o.memoryCapBytes()) {
            throw new IllegalArgumentException(String.format("the dense route needs (Pd')^2 = %.3g doubles, over the memory cap of %d bytes: "
                    + "use --route cg or woodbury, fewer patterns, or a larger --memory-cap", (double) p * dp * p * dp, o.memoryCapBytes()));
        }
        int width = 2 * p + (o.loss() == ConvexLoss.HINGE ? 1 : 0);
        if (resume != null && resume.state().patterns() != p) {
            throw new IllegalArgumentException("the checkpoint was written with P = " + resume.state().patterns()
                    + " patterns, this data and these options give P = " + p + ": resume with the data and options of the run that wrote it");
        }
        StateData<double[]> st = resume == null
                ? runner.attachState(data, block -> new double[block.rows() * width], "convex: state")
                : runner.attachSavedState(data, resume.rowStateDir(), "convex: restored state");
        try {
            return run(runner, st, o, d, dp, p, gates, sampled, route, warnings, say, t0, sink, resume == null ? null : resume.state());
        } finally {
            st.release();
        }
    }

    private static ConvexResult run(PassRunner runner, StateData<double[]> st, ConvexOptions o, int d, int dp, int p,
                                    double[] gates, int sampled, ConvexOptions.Route route, List<String> warnings,
                                    java.util.function.Consumer<String> say, long t0, AdmmState.Sink sink, AdmmState resume) {
        long n = st.numRows();
        boolean withK = route == ConvexOptions.Route.DENSE;
        Shared<double[]> gshared = runner.share(gates);
        GramAggregator gram;
        try {
            gram = runner.aggregate(st.blocks(), () -> new GramAggregator(gshared, p, dp, o.bias(), withK), "convex: X^T X, X^T D y" + (withK ? ", K" : ""));
        } finally {
            gshared.release();
        }
        long passes = 2;
        double[] xtx = gram.xtx();
        double rho = Double.isNaN(o.rho()) ? defaultRho(xtx, dp, n) : o.rho();
        double c = o.loss() == ConvexLoss.HINGE ? 1.0 : 1.0 / rho;
        double tau = Double.isNaN(o.consensusWeight()) ? defaultConsensusWeight(xtx, dp, n, rho) : o.consensusWeight();
        double rho1 = tau * rho;
        SpdFactor bFactor = new SpdFactor(LinearRoutes.bMatrix(xtx, dp, tau), dp, "tau I + X^T X");
        double[] kMatrix = route == ConvexOptions.Route.DENSE ? gram.k() : null;
        double[] rowTable = route == ConvexOptions.Route.WOODBURY ? runner.aggregate(st.blocks(),
                () -> new RowTableAggregator(o.bias(), 20_000), "convex: rows for the Woodbury route").rows() : null;
        java.util.function.DoubleFunction<LinearRoutes.DeltaSolver> routeFor = cc -> switch (route) {
            case DENSE -> LinearRoutes.dense(xtx, kMatrix, p, dp, cc, tau);
            case WOODBURY -> LinearRoutes.woodbury(rowTable, (int) n, gates, p, dp, bFactor, cc);
            default -> LinearRoutes.cg(runner, st.blocks(), gates, p, dp, o.bias(), xtx, bFactor, cc, tau, o.cgTol(), "convex");
        };
        LinearRoutes.DeltaSolver solver = routeFor.apply(c);
        long solverPasses = 0;
        if (route == ConvexOptions.Route.WOODBURY) passes++;
        say.accept(String.format("convex: linear-solve route %s (P d' = %d, n = %d, cap %d bytes), rho = %.4g%s, consensus rho = %.4g",
                solver.name(), p * dp, n, o.memoryCapBytes(), rho, Double.isNaN(o.rho()) ? " (data-scaled)" : "", rho1));
        double setup = (System.nanoTime() - t0) / 1e9;

        int g2 = 2 * p * dp, f = p * dp;
        double[] u, v = new double[g2], lam = new double[g2], gts = new double[g2], gtnu = new double[g2];
        double[] ftTarget = gram.xtdy();
        double gamma = o.dualStep(), beta = o.beta();
        double stateScale = 1;
        int rhoChanges = 0;
        int kStart = 1;
        List<ConvexResult.Iteration> history = new ArrayList<>();
        if (resume != null) {
            kStart = resume.nextIteration();
            v = resume.v().clone();
            lam = resume.lambda().clone();
            gts = resume.gts().clone();
            gtnu = resume.gtnu().clone();
            if (v.length != g2 || lam.length != g2 || gts.length != g2 || gtnu.length != g2) {
                throw new IllegalArgumentException("the checkpoint's iterates do not have 2 P d' = " + g2
                        + " entries: resume with the data and options of the run that wrote it");
            }
            ftTarget = resume.ftTarget().clone();
            stateScale = resume.stateScale();
            rhoChanges = resume.rhoChanges();
            passes = resume.passes();
            solverPasses = resume.solverPasses();
            history.addAll(resume.history());
            if (resume.rho() != rho) {
                rho = resume.rho();
                rho1 = resume.rho1();
                c = resume.c();
                solver = routeFor.apply(c);
            }
            if (resume.cgWarmStart() != null) solver.restoreWarmStart(resume.cgWarmStart());
            say.accept(String.format("convex: resuming at iteration %d (rho = %.4g)", kStart, rho));
        } else if (o.loss() != ConvexLoss.SQUARED) {
            // Iteration 0 at u = v = 0: leaves nu at 0 and gives the first working target.
            AdmmPass.Result r0 = pass(runner, st, gates, new double[g2], v, p, dp, o, rho, 1, "convex admm: start");
            passes++;
            ftTarget = r0.ftTarget();
        }
        AdmmPass.Result res = null;
        boolean converged = false;
        String stop = "iteration cap " + o.maxIter();
        boolean negativeGapSaid = false;
        int k;
        double objective = Double.NaN, netObjective = Double.NaN, lb = Double.NaN, gap = Double.NaN, relGap = Double.NaN;
        for (k = kStart; k <= o.maxIter(); k++) {
            double[] b = new double[g2];
            for (int g = 0; g < 2 * p; g++) {
                int i = g < p ? g : g - p;
                double sign = g < p ? 1 : -1;
                for (int j = 0; j < dp; j++) {
                    int at = g * dp + j;
                    b[at] = c * sign * ftTarget[i * dp + j] + tau * (v[at] - lam[at]) + gts[at] - gtnu[at];
                }
            }
            u = uStep(b, bFactor, solver, p, dp);
            double[] vOld = v;
            v = new double[g2];
            double threshold = beta / rho1, vNormSum = 0;
            for (int g = 0; g < 2 * p; g++) {
                double s = 0;
                for (int j = 0; j < dp; j++) {
                    double t = u[g * dp + j] + lam[g * dp + j];
                    s += t * t;
                }
                double norm = Math.sqrt(s);
                double scale = norm > threshold ? 1 - threshold / norm : 0;
                for (int j = 0; j < dp; j++) v[g * dp + j] = scale * (u[g * dp + j] + lam[g * dp + j]);
                vNormSum += scale * norm;
            }
            res = pass(runner, st, gates, u, v, p, dp, o, rho, stateScale, String.format("convex admm: iteration %d/%d", k, o.maxIter()));
            stateScale = 1;
            passes++;
            double uv2 = 0, u2 = 0, v2 = 0;
            for (int a = 0; a < g2; a++) {
                double du = u[a] - v[a];
                lam[a] += gamma * du;
                uv2 += du * du;
                u2 += u[a] * u[a];
                v2 += v[a] * v[a];
            }
            double dual2 = 0, lamG2 = 0;
            for (int a = 0; a < g2; a++) {
                double dv = rho1 * (v[a] - vOld[a]) + rho * (res.gts()[a] - gts[a]);
                dual2 += dv * dv;
                double lg = rho1 * lam[a] + rho * res.gtnu()[a];
                lamG2 += lg * lg;
            }
            gts = res.gts();
            gtnu = res.gtnu();
            if (o.loss() != ConvexLoss.SQUARED) ftTarget = res.ftTarget();
            double rPri = Math.sqrt(uv2 + res.res2() + res.fr2());
            double rDual = Math.sqrt(dual2);
            double epsPri = Math.sqrt(g2 + 2.0 * p * n) * o.absTol()
                    + o.relTol() * Math.max(Math.sqrt(u2 + res.gu2()), Math.sqrt(v2 + res.s2()));
            double epsDual = Math.sqrt(g2) * o.absTol() + o.relTol() * Math.sqrt(lamG2);
            objective = res.lossConvex() + beta * vNormSum;
            netObjective = res.lossNetwork() + beta * vNormSum;
            if (o.loss() == ConvexLoss.SQUARED && res.maxNu() <= 0) {
                lb = certificate(res, gtnu, p, dp, rho, beta);
                gap = netObjective - lb;
                relGap = gap / Math.max(Math.abs(netObjective), 1e-300);
            }
            int active = NetworkMapping.active(v, dp);
            history.add(new ConvexResult.Iteration(k, objective, netObjective, lb, relGap, rPri, rDual, active, res.maxConeViolation(),
                    (System.nanoTime() - t0) / 1e9));
            // With a certificate to aim at, the residuals alone do not end the run: only a certified gap does.
            boolean certifiable = o.gapTol() > 0 && o.loss() == ConvexLoss.SQUARED;
            if (!certifiable && rPri <= epsPri && rDual <= epsDual) {
                converged = true;
                stop = String.format("residuals within tolerance (primal %.3g <= %.3g, dual %.3g <= %.3g)", rPri, epsPri, rDual, epsDual);
                break;
            }
            if (certifiable && relGap < -1e-12 && !negativeGapSaid) {
                // lb <= p* <= the network's objective always holds; a negative gap means this iterate's network is not the
                // convex solution (v violates its cones), so the bound is not a certificate for it: keep iterating.
                negativeGapSaid = true;
                say.accept(String.format("convex: iteration %d, gap %.3g is negative: the iterate violates its cones by %.3g, so it"
                        + " is not yet feasible; continuing (a negative gap never counts as converged)", k, relGap, res.maxConeViolation()));
            }
            if (certifiable && relGap >= 0 && relGap <= o.gapTol()) {
                converged = true;
                stop = String.format("certificate relative gap %.3g <= %.3g", relGap, o.gapTol());
                break;
            }
            if (o.maxSeconds() > 0 && (System.nanoTime() - t0) / 1e9 >= o.maxSeconds()) {
                stop = String.format("time budget %.0f s reached at relative gap %s (not converged)", o.maxSeconds(),
                        Double.isNaN(relGap) ? "unknown" : String.format("%.3g", relGap));
                break;
            }
            // (not for the hinge split: its target r - mu holds an unscaled mu)
            if (o.rhoAdaptInterval() > 0 && o.loss() != ConvexLoss.HINGE && k % o.rhoAdaptInterval() == 0 && k < o.maxIter()) {
                // Residual balancing on the scaled residuals (as OSQP does): rho * sqrt(primal / dual).
                double rp = rPri / Math.max(1e-300, Math.max(Math.sqrt(u2 + res.gu2()), Math.sqrt(v2 + res.s2())));
                double rd = rDual / Math.max(1e-300, Math.sqrt(lamG2));
                double factor = Math.sqrt(rp / Math.max(rd, 1e-300));
                factor = Math.max(0.1, Math.min(10, factor));
                if (factor > 2 || factor < 0.5) {
                    double old = rho;
                    rho *= factor;
                    rho1 = tau * rho;
                    double ratio = old / rho;
                    for (int a = 0; a < g2; a++) {
                        lam[a] *= ratio;
                        gtnu[a] *= ratio;
                    }
                    stateScale = ratio;
                    c = 1.0 / rho;
                    solverPasses += solver.passes();
                    solver = routeFor.apply(c);
                    rhoChanges++;
                    say.accept(String.format("convex: iteration %d, rho %.4g -> %.4g (scaled residuals %.3g / %.3g)", k, old, rho, rp, rd));
                }
            }
            if (sink != null && k % sink.every() == 0 && k < o.maxIter()) {
                org.relulearn.fs.DataPath rows = sink.rowStateDir(k);
                runner.saveState(st, rows, String.format("convex admm: checkpoint after iteration %d", k));
                double[] warm = solver.warmStart();
                sink.save(new AdmmState(k + 1, p, v, lam, gts, gtnu, ftTarget, rho, rho1, c, stateScale, rhoChanges, passes,
                        solverPasses + solver.passes(), warm, history), rows);
            }
        }
        int iterations = Math.min(k, o.maxIter());
        if (!converged && stop.startsWith("iteration cap")) {
            stop += Double.isNaN(relGap) ? " (not converged)" : String.format(" reached at relative gap %.3g (not converged)", relGap);
        }
        // Hinge and BCE: the Fenchel dual bound at the final v, in one more pass (squared-loss iterations carry their own).
        ConjugateBoundAggregator conj = null;
        if (o.loss() != ConvexLoss.SQUARED && res != null && res.maxNu() <= 0) {
            double[] q = new double[3 * p * dp];
            System.arraycopy(gates, 0, q, 0, p * dp);
            System.arraycopy(v, 0, q, p * dp, 2 * p * dp);
            Shared<double[]> qs = runner.share(q);
            try {
                conj = runner.aggregate(st.blocks(), () -> new ConjugateBoundAggregator(qs, p, dp, o.bias(), o.loss()),
                        "convex: " + o.loss().label() + " dual bound");
            } finally {
                qs.release();
            }
            passes++;
            lb = conj.lowerBound(Math.min(1, beta / coneMultiplierBound(conj.ftz(), gtnu, p, dp, rho)));
            gap = netObjective - lb;
            relGap = gap / Math.max(Math.abs(netObjective), 1e-300);
        }
        if ((o.loss() == ConvexLoss.SQUARED || conj != null) && n <= CERTIFICATE_ROWS) {
            // Small n: tighten the final certificate with the exact cone maxima (rows gathered once).
            double[] rows = runner.aggregate(st.blocks(), () -> new RowTableAggregator(o.bias(), CERTIFICATE_ROWS),
                    "convex: rows for the exact certificate").rows();
            passes++;
            double cz = ConeCertificate.coneBound(rows, (int) n, gates, p, dp, conj == null ? res.ftz() : conj.ftz(), 200);
            double exactLb = conj == null ? ConeCertificate.lowerBound(cz, beta, res.zy(), res.zz()) : conj.lowerBound(Math.min(1, beta / cz));
            if (Double.isNaN(lb) || exactLb > lb) {
                lb = exactLb;
                gap = netObjective - lb;
                relGap = gap / Math.max(Math.abs(netObjective), 1e-300);
            }
        }
        passes += solver.passes() + solverPasses;
        say.accept(String.format("convex: %d iterations, %s; objective %.8g, network objective %.8g%s", iterations, stop, objective,
                netObjective, Double.isNaN(lb) ? "" : String.format(", certificate %.8g (gap %.3g)", lb, gap)));
        double accuracy = o.loss().classification() ? (double) res.correct() / n : Double.NaN;
        if (res.maxConeViolation() > 1e-6) {
            warnings.add(String.format("v violates its cones by up to %.3g: the network's predictions differ from the convex ones; "
                    + "run more iterations", res.maxConeViolation()));
        }
        return new ConvexResult(NetworkMapping.toNetwork(v, p, d, o.bias()), v, gates, sampled, p, dp, o.bias(), solver.name(), rho1,
                iterations, converged, stop, objective, netObjective, lb, gap, relGap, NetworkMapping.active(v, dp), res.maxNu(),
                res.maxConeViolation(), accuracy, lam, List.copyOf(history), (System.nanoTime() - t0) / 1e9, setup, passes,
                List.copyOf(warnings));
    }

    /**
     * Solves A u = b by the half-size split (docs/convex.md, Design): (I_P (x) B)(u+ + u-) = b+ + b-
     * and M (u+ - u-) = b+ - b-, M = I_P (x) B + 2c K.
     */
    static double[] uStep(double[] b, SpdFactor bFactor, LinearRoutes.DeltaSolver solver, int p, int dp) {
        int f = p * dp;
        double[] sum = new double[f], diff = new double[f];
        for (int a = 0; a < f; a++) {
            sum[a] = b[a] + b[f + a];
            diff[a] = b[a] - b[f + a];
        }
        double[] sigma = bFactor.solveInPlace(sum, p);
        double[] delta = solver.solve(diff);
        double[] u = new double[2 * f];
        for (int a = 0; a < f; a++) {
            u[a] = 0.5 * (sigma[a] + delta[a]);
            u[f + a] = 0.5 * (sigma[a] - delta[a]);
        }
        return u;
    }

    /**
     * The squared-loss dual certificate (docs/convex.md, Model) with the cone multipliers mu_g = -rho nu_g >= 0:
     * c = max_g || sign_g X^T D_i z - rho (G^T nu)_g || bounds max over the pattern cones of |z^T (X theta)_+|
     * (||theta|| <= 1), so z_s = z min(1, beta / c) is dual feasible and z_s^T y - ||z_s||^2 / 2 is a lower bound.
     */
    static double certificate(AdmmPass.Result res, double[] gtnu, int p, int dp, double rho, double beta) {
        double cmax = coneMultiplierBound(res.ftz(), gtnu, p, dp, rho);
        double scale = cmax > beta ? beta / cmax : 1;
        return scale * res.zy() - 0.5 * scale * scale * res.zz();
    }

    /** c = max_g || sign_g (F^T z)_i - rho (G^T nu)_g ||, an upper bound on the cone maxima of |z^T D_i X theta| (ADMM's multipliers). */
    static double coneMultiplierBound(double[] ftz, double[] gtnu, int p, int dp, double rho) {
        double cmax = 0;
        for (int g = 0; g < 2 * p; g++) {
            int i = g < p ? g : g - p;
            double sign = g < p ? 1 : -1, s = 0;
            for (int j = 0; j < dp; j++) {
                double t = sign * ftz[i * dp + j] - rho * gtnu[g * dp + j];
                s += t * t;
            }
            cmax = Math.max(cmax, Math.sqrt(s));
        }
        return cmax;
    }

    private static AdmmPass.Result pass(PassRunner runner, StateData<double[]> st, double[] gates, double[] u, double[] v, int p,
                                        int dp, ConvexOptions o, double rho, double stateScale, String name) {
        double[] q = new double[5 * p * dp];
        System.arraycopy(gates, 0, q, 0, p * dp);
        System.arraycopy(u, 0, q, p * dp, 2 * p * dp);
        System.arraycopy(v, 0, q, 3 * p * dp, 2 * p * dp);
        Shared<double[]> shared = runner.share(q);
        try {
            AdmmPass.Step step = new AdmmPass.Step(shared, p, dp, o.bias(), o.loss(), o.dualStep(), rho, stateScale);
            return runner.updateState(st, step.update(), () -> new AdmmPass(p, dp), name).result();
        } finally {
            shared.release();
        }
    }
}
