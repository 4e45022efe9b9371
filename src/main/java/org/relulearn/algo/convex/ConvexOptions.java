package org.relulearn.algo.convex;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import org.relulearn.algo.loss.ConvexLoss;

/**
 * Validated options of one convex fit (docs/convex.md, Model and Design and Use).
 *
 * @param loss          squared, hinge or bce (sums over samples)
 * @param beta          weight decay beta >= 0 of the non-convex problem = group-l1 weight of the convex one
 * @param patterns      number P_s of Gaussian gate vectors sampled (ignored when {@code gates} is given)
 * @param gates         explicit gate vectors, P x d' row-major (d' includes the bias coordinate), or null
 * @param bias          append a constant-1 column (first-layer bias)
 * @param rho           ADMM penalty of the cone constraints, or NaN for the data-scaled default ({@link ConvexTrainer#defaultRho})
 * @param dualStep      gamma, the dual step of the scaled ADMM, in (0, (1 + sqrt 5)/2)
 * @param maxIter       iteration cap
 * @param absTol        absolute tolerance of Boyd's residual test
 * @param relTol        relative tolerance of Boyd's residual test
 * @param gapTol        stop when the certificate's relative gap is at most this (squared loss; 0 = not used)
 * @param route         how M^{-1} is applied: AUTO, DENSE, WOODBURY or CG
 * @param memoryCapBytes cap on a dense (Pd')^2 factor or an n x n Woodbury matrix (AUTO picks within it)
 * @param cgTol         relative residual of the CG route
 * @param seed          seed of the gate sampling
 * @param adversarialEps l_inf radius of the robust program (0 = ordinary training)
 * @param consensusWeight tau = rho_1 / rho for the constraint u = v (rho is the cone constraints' penalty);
 *                      NaN = {@link ConvexTrainer#defaultConsensusWeight} (grows with n; 1 is the single penalty of the paper's ADMM):
 *                      u-step matrix tau I + c F^T F + G^T G, prox threshold beta / (tau rho)
 * @param rhoAdaptInterval every this many iterations rho is rebalanced from the scaled residuals (0 = fixed rho)
 * @param maxSeconds    time budget of the iterations (0 = none): the run stops there, reported as such, never as converged
 * @param solver        the squared-loss program's solver: ADMM, the interior-point method ({@link ConvexInteriorPoint}),
 *                      or AUTO (interior point when the Newton system of 2P(d'+1) unknowns is at most
 *                      {@link ConvexInteriorPoint#MAX_AUTO_SIZE}, beta &gt; 0 and the loss is squared; ADMM otherwise)
 */
public record ConvexOptions(ConvexLoss loss, double beta, int patterns, double[] gates, boolean bias, double rho,
                            double dualStep, int maxIter, double absTol, double relTol, double gapTol, Route route,
                            long memoryCapBytes, double cgTol, long seed, double adversarialEps, double consensusWeight,
                            int rhoAdaptInterval, double maxSeconds, Solver solver)
        implements Serializable {

    /** The three ways to apply (I_P (x) B + 2 c K)^{-1} (docs/convex.md, Design). */
    public enum Route { AUTO, DENSE, WOODBURY, CG }

    /** Who solves the (non-robust) program. */
    public enum Solver { AUTO, ADMM, IPM }

    public ConvexOptions {
        if (loss == null) throw new IllegalArgumentException("loss must be given: squared, hinge or bce");
        if (route == null) route = Route.AUTO;
        if (solver == null) solver = Solver.ADMM;
        if (!(beta >= 0) || Double.isInfinite(beta)) {
            throw new IllegalArgumentException("beta (weight decay) must be finite and >= 0, got " + beta);
        }
        if (gates == null && patterns < 1) {
            throw new IllegalArgumentException("the number of sampled patterns P_s must be >= 1, got " + patterns);
        }
        if (gates != null) {
            if (gates.length == 0) throw new IllegalArgumentException("the gate file holds no gate vectors: give at least one");
            for (int i = 0; i < gates.length; i++) {
                if (!Double.isFinite(gates[i])) throw new IllegalArgumentException("gate entry " + i + " is " + gates[i] + ": gates must be finite");
            }
            gates = gates.clone();
        }
        if (!Double.isNaN(rho) && !(rho > 0 && Double.isFinite(rho))) {
            throw new IllegalArgumentException("rho must be > 0 (or left unset for the data-scaled default), got " + rho);
        }
        if (!(dualStep > 0 && dualStep < (1 + Math.sqrt(5)) / 2)) {
            throw new IllegalArgumentException("dual step gamma must lie in (0, (1+sqrt 5)/2) = (0, 1.618); 1 is standard, got " + dualStep);
        }
        if (maxIter < 1) throw new IllegalArgumentException("maxIter must be >= 1, got " + maxIter);
        if (!(absTol > 0) || !(relTol > 0)) {
            throw new IllegalArgumentException("tolerances must be > 0, got abs " + absTol + ", rel " + relTol);
        }
        if (!(gapTol >= 0)) throw new IllegalArgumentException("gap tolerance must be >= 0, got " + gapTol);
        if (memoryCapBytes < 1) throw new IllegalArgumentException("memory cap must be >= 1 byte, got " + memoryCapBytes);
        if (!(cgTol > 0 && cgTol < 1)) throw new IllegalArgumentException("CG tolerance must lie in (0, 1), got " + cgTol);
        if (!(adversarialEps >= 0) || Double.isInfinite(adversarialEps)) {
            throw new IllegalArgumentException("adversarial radius epsilon must be finite and >= 0, got " + adversarialEps);
        }
        if (!(maxSeconds >= 0)) throw new IllegalArgumentException("time budget must be >= 0 seconds (0 = none), got " + maxSeconds);
        if (rhoAdaptInterval < 0) throw new IllegalArgumentException("rho adaptation interval must be >= 0 (0 = fixed rho), got " + rhoAdaptInterval);
        if (!Double.isNaN(consensusWeight) && !(consensusWeight > 0 && Double.isFinite(consensusWeight))) {
            throw new IllegalArgumentException("consensus weight tau must be > 0 (or unset for the data-scaled default), got " + consensusWeight);
        }
    }

    /** Defaults: squared loss, beta = 1e-3, 64 sampled patterns, bias on, rho from the data, gamma = 1, 500 iterations, tolerances 1e-6. */
    public static ConvexOptions defaults() {
        return new ConvexOptions(ConvexLoss.SQUARED, 1e-3, 64, null, true, Double.NaN, 1.0, 500, 1e-6, 1e-6, 0, Route.AUTO,
                256L << 20, 1e-12, 1, 0, Double.NaN, 0, 0, Solver.ADMM);
    }

    public ConvexOptions withLoss(ConvexLoss l) { return copy(b -> b.loss = l); }
    public ConvexOptions withBeta(double v) { return copy(b -> b.beta = v); }
    public ConvexOptions withPatterns(int p) { return copy(b -> b.patterns = p); }
    public ConvexOptions withGates(double[] g) { return copy(b -> b.gates = g); }
    public ConvexOptions withBias(boolean v) { return copy(b -> b.bias = v); }
    public ConvexOptions withRho(double v) { return copy(b -> b.rho = v); }
    public ConvexOptions withDualStep(double v) { return copy(b -> b.dualStep = v); }
    public ConvexOptions withMaxIter(int v) { return copy(b -> b.maxIter = v); }
    public ConvexOptions withTolerances(double abs, double rel) { return copy(b -> { b.absTol = abs; b.relTol = rel; }); }
    public ConvexOptions withGapTol(double v) { return copy(b -> b.gapTol = v); }
    public ConvexOptions withRoute(Route r) { return copy(b -> b.route = r); }
    public ConvexOptions withMemoryCap(long v) { return copy(b -> b.memoryCapBytes = v); }
    public ConvexOptions withCgTol(double v) { return copy(b -> b.cgTol = v); }
    public ConvexOptions withSeed(long v) { return copy(b -> b.seed = v); }
    public ConvexOptions withAdversarialEps(double v) { return copy(b -> b.adversarialEps = v); }
    public ConvexOptions withConsensusWeight(double v) { return copy(b -> b.consensusWeight = v); }
    public ConvexOptions withRhoAdaptInterval(int v) { return copy(b -> b.rhoAdaptInterval = v); }
    public ConvexOptions withMaxSeconds(double v) { return copy(b -> b.maxSeconds = v); }
    public ConvexOptions withSolver(Solver v) { return copy(b -> b.solver = v); }

    /** The solver AUTO resolves to for {@code dp} design columns (the sampled gates bound P from above). */
    public Solver resolvedSolver(int dp) {
        if (solver != Solver.AUTO) return solver;
        int p = gates != null ? gates.length / Math.max(dp, 1) : patterns;
        boolean fits = ConvexInteriorPoint.size(p, dp) <= ConvexInteriorPoint.MAX_AUTO_SIZE;
        return fits && loss == ConvexLoss.SQUARED && adversarialEps == 0 && beta > 0 ? Solver.IPM : Solver.ADMM;
    }

    /** Options as a flat map for run outputs. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("loss", loss.label());
        m.put("lossConvention", "sum over samples (Bai et al.); scnn's lambda = beta / n");
        m.put("beta", beta);
        m.put("patternsSampled", gates == null ? patterns : -1);
        m.put("gatesGiven", gates != null);
        m.put("bias", bias);
        m.put("rho", Double.isNaN(rho) ? "auto" : rho);
        m.put("dualStep", dualStep);
        m.put("maxIter", maxIter);
        m.put("absTol", absTol);
        m.put("relTol", relTol);
        m.put("gapTol", gapTol);
        m.put("route", route.name().toLowerCase(java.util.Locale.ROOT));
        m.put("memoryCapBytes", memoryCapBytes);
        m.put("seed", seed);
        m.put("adversarialEps", adversarialEps);
        m.put("consensusWeight", Double.isNaN(consensusWeight) ? "auto" : consensusWeight);
        m.put("rhoAdaptInterval", rhoAdaptInterval);
        m.put("maxSeconds", maxSeconds);
        m.put("solver", solver.name().toLowerCase(java.util.Locale.ROOT));
        return m;
    }

    private ConvexOptions copy(java.util.function.Consumer<Builder> edit) {
        Builder b = new Builder(this);
        edit.accept(b);
        return b.build();
    }

    private static final class Builder {
        ConvexLoss loss; double beta; int patterns; double[] gates; boolean bias; double rho; double dualStep; int maxIter;
        double absTol; double relTol; double gapTol; Route route; long memoryCapBytes; double cgTol; long seed; double adversarialEps; double consensusWeight; int rhoAdaptInterval; double maxSeconds; Solver solver;

        Builder(ConvexOptions o) {
            loss = o.loss; beta = o.beta; patterns = o.patterns; gates = o.gates; bias = o.bias; rho = o.rho; dualStep = o.dualStep;
            maxIter = o.maxIter; absTol = o.absTol; relTol = o.relTol; gapTol = o.gapTol; route = o.route;
            memoryCapBytes = o.memoryCapBytes; cgTol = o.cgTol; seed = o.seed; adversarialEps = o.adversarialEps;
            consensusWeight = o.consensusWeight;
            rhoAdaptInterval = o.rhoAdaptInterval;
            maxSeconds = o.maxSeconds;
            solver = o.solver;
        }

        ConvexOptions build() {
            return new ConvexOptions(loss, beta, patterns, gates, bias, rho, dualStep, maxIter, absTol, relTol, gapTol, route,
                    memoryCapBytes, cgTol, seed, adversarialEps, consensusWeight, rhoAdaptInterval, maxSeconds, solver);
        }
    }
}
