package org.relulearn.algo.convex;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The robust (adversarial) part of a convex fit at l_inf radius eps ({@link RobustConvexTrainer}).
 *
 * @param eps                      the radius of the robust program (features only, never the bias)
 * @param epsSolve                 the radius the solver's cone constraints used: eps plus a small margin, so the
 *                                 solver's residual violation is absorbed and the repair rarely drops a group
 * @param surrogateObjective       sum_r l_wc(yhat_r, y_r, eps ||g_r||_1) + beta sum_g ||u_g|| at the solver's point
 *                                 (exact closed forms; an upper bound on the network's robust objective only where the cones hold)
 * @param maxViolationBeforeRepair max over rows and nonzero groups of eps ||u~_g||_1 - (2d_ri - 1) x_r . u_g, clipped at 0
 * @param repairedGroups           groups that violated their robust cone at eps and were repaired (shifted along their
 *                                 pattern's gate, or set to zero)
 * @param certifiedObjective       the same objective after the repair: all cones hold, so it equals the mapped network's
 *                                 adversarial training objective sum_r max_{||delta||_inf &lt;= eps} l(f(x_r + delta), y_r) + weight decay
 * @param certifiedLoss            its loss part
 * @param maxViolationAfterRepair  the violation after the repair (0 by construction)
 * @param liveGroups               nonzero groups (= neurons), after the repair
 * @param deadGroups               zero groups (2P - live): groups whose robust cone collapsed or that the group-l1 term switched off
 * @param cleanAccuracy            training accuracy of the network (classification losses)
 * @param certifiedAccuracy        rows whose worst case over the whole box is still classified correctly (certified robust accuracy)
 * @param outerIterations          augmented-Lagrangian (multiplier) updates
 * @param innerIterations          accelerated proximal-gradient steps in total
 * @param finalEta                 the last smoothing parameter
 * @param finalRho                 the last augmented-Lagrangian penalty
 */
public record RobustSummary(double eps, double epsSolve, double surrogateObjective, double maxViolationBeforeRepair,
                            int repairedGroups, double certifiedObjective, double certifiedLoss, double maxViolationAfterRepair,
                            int liveGroups, int deadGroups, double cleanAccuracy, double certifiedAccuracy, int outerIterations,
                            int innerIterations, double finalEta, double finalRho) implements Serializable {

    /** The fields as a map for results.json. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("eps", eps);
        m.put("epsSolve", epsSolve);
        m.put("surrogateObjective", surrogateObjective);
        m.put("maxConeViolationBeforeRepair", maxViolationBeforeRepair);
        m.put("repairedGroups", repairedGroups);
        m.put("certifiedObjective", certifiedObjective);
        m.put("certifiedLoss", certifiedLoss);
        m.put("maxConeViolationAfterRepair", maxViolationAfterRepair);
        m.put("liveGroups", liveGroups);
        m.put("deadGroups", deadGroups);
        m.put("cleanAccuracy", cleanAccuracy);
        m.put("certifiedRobustAccuracy", certifiedAccuracy);
        m.put("outerIterations", outerIterations);
        m.put("innerIterations", innerIterations);
        m.put("finalEta", finalEta);
        m.put("finalRho", finalRho);
        m.put("solver", "augmented Lagrangian (per-row multipliers) + FISTA on a Huber-smoothed surrogate, then repair");
        return m;
    }
}
