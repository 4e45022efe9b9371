package org.relulearn.algo.gate;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The outcome of one gate run: the iterate, the step-size certificate and the trajectory. */
public record GateResult(double[] w, int iterations, boolean converged, double eta, StepSizeRule rule,
                         PilotStatistics pilot, List<TrajectoryPoint> trajectory, GateOptions.Mode mode,
                         double seconds, long samplesUsed, List<String> warnings, double[] tailAverage) {

    /** ||w - w*|| at the end, or NaN without a truth. */
    public double finalError() {
        return trajectory.get(trajectory.size() - 1).error();
    }

    /** ||wbar - w*|| for the Polyak tail average wbar, or NaN without a truth or an average. */
    public double tailAverageError(double[] truth) {
        if (tailAverage == null || truth == null) return Double.NaN;
        return org.relulearn.linalg.Dense.distance(tailAverage, truth);
    }

    /** The predicted per-step contraction kappa(eta) of E||w_t - w*||^2. */
    public double predictedKappa() { return rule.kappa(eta); }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("w", w);
        m.put("iterations", iterations);
        m.put("converged", converged);
        m.put("eta", eta);
        m.put("etaStar", rule.etaStar());
        m.put("guaranteedEtaLimit", rule.guaranteedLimit());
        m.put("Cb", rule.cb());
        m.put("kappa", rule.kappa(eta));
        m.put("kappaStar", rule.kappaStar());
        m.put("pilot", pilot.toMap());
        m.put("mode", mode.name().toLowerCase(java.util.Locale.ROOT));
        m.put("seconds", seconds);
        m.put("samplesUsed", samplesUsed);
        m.put("finalError", finalError());
        m.put("warnings", warnings);
        if (tailAverage != null) m.put("tailAverage", tailAverage);
        return m;
    }
}
