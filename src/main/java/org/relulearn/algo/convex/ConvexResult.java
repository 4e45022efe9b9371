package org.relulearn.algo.convex;

import java.util.List;
import org.relulearn.data.OneHiddenLayerNetwork;

/**
 * The outcome of a convex fit.
 *
 * @param network          the mapped ReLU network (prediction needs no patterns); width = active groups (at least 1)
 * @param groups           the convex solution v (2P groups of d': v_1..v_P then w_1..w_P), exactly group-sparse
 * @param gates            the gates of the patterns used (P x d', after dedupe), and
 * @param gatesSampled     how many gates were drawn or given before dedupe and the zero-pattern filter
 * @param objective        loss(Fv) + beta sum ||v_g|| (the convex objective at v)
 * @param networkObjective loss of the mapped network + its weight decay (a true upper bound on p_nc)
 * @param lowerBound       the dual certificate: z_s^T y - ||z_s||^2 / 2 for the squared loss, the Fenchel bound of {@link ConjugateBoundAggregator} for hinge and BCE (NaN when the duals are not sign-correct);
 *                         a lower bound on the program over the patterns used, on p_nc when they are all patterns
 * @param gap              networkObjective - lowerBound
 * @param activeNeurons    nonzero groups
 * @param maxNu            max over rows and groups of nu (<= 0 when gamma <= 1)
 * @param maxConeViolation max_r,g of -(2d_ri - 1) x_r . v_g (0 when v lies in its cones)
 * @param accuracy         training accuracy of the network (classification losses; NaN otherwise)
 * @param lambda           the scaled dual of u = v (for the KKT checks)
 * @param robust           the robust-program figures when the fit was adversarial (eps &gt; 0), else null
 */
public record ConvexResult(OneHiddenLayerNetwork network, double[] groups, double[] gates, int gatesSampled, int patterns,
                           int dp, boolean bias, String route, double rho, int iterations, boolean converged,
                           String stopReason, double objective, double networkObjective, double lowerBound, double gap,
                           double relativeGap, int activeNeurons, double maxNu, double maxConeViolation, double accuracy,
                           double[] lambda, List<Iteration> history, double seconds, double setupSeconds, long passes,
                           List<String> warnings, RobustSummary robust) implements java.io.Serializable {

    /** A fit of the ordinary (non-robust) programs. */
    public ConvexResult(OneHiddenLayerNetwork network, double[] groups, double[] gates, int gatesSampled, int patterns,
                        int dp, boolean bias, String route, double rho, int iterations, boolean converged,
                        String stopReason, double objective, double networkObjective, double lowerBound, double gap,
                        double relativeGap, int activeNeurons, double maxNu, double maxConeViolation, double accuracy,
                        double[] lambda, List<Iteration> history, double seconds, double setupSeconds, long passes,
                        List<String> warnings) {
        this(network, groups, gates, gatesSampled, patterns, dp, bias, route, rho, iterations, converged, stopReason, objective,
                networkObjective, lowerBound, gap, relativeGap, activeNeurons, maxNu, maxConeViolation, accuracy, lambda, history,
                seconds, setupSeconds, passes, warnings, null);
    }

    /**
     * One ADMM iteration's figures. {@code coneViolation} is the largest violation of v's pattern cones,
     * max over rows and groups of -(2 d_ri - 1) x_r . v_g (0 when v is feasible for the program).
     */
    public record Iteration(int k, double objective, double networkObjective, double lowerBound, double relativeGap,
                            double primalResidual, double dualResidual, int active, double coneViolation, double seconds)
            implements java.io.Serializable {}

    public double secondsPerIteration() { return iterations == 0 ? 0 : (seconds - setupSeconds) / iterations; }
}
