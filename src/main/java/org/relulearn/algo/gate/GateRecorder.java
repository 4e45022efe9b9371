package org.relulearn.algo.gate;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.relulearn.linalg.Dense;

/**
 * The per-iteration bookkeeping shared by every execution mode, so streaming and distributed runs
 * record identical trajectories: windowed loss and step norms, the error against a known truth,
 * the divergence check (non-finite ||w|| or ||w|| > 1e6 (1 + ||w_1||)) and the tolerance stop.
 */
final class GateRecorder implements Serializable {
    private static final long serialVersionUID = 1L;
    private final double[] truth;
    private final int evalEvery;
    private final double tolerance;
    private final double limit;
    private final double eta;
    private final double etaStar;
    private final double guaranteedLimit;
    private final StepSizeRule rule;
    private final boolean automaticEta;
    private final List<TrajectoryPoint> points = new ArrayList<>();
    private double windowStep;
    private double windowLoss;
    private long windowRows;
    private int windowCount;
    private boolean converged;
    private final int averageFrom;
    private double[] tailSum;
    private long tailCount;

    GateRecorder(double[] truth, double[] w1, GateOptions o, double eta, StepSizeRule rule) {
        this.truth = truth;
        this.evalEvery = o.evalEvery();
        this.tolerance = o.tolerance();
        this.limit = 1e6 * (1 + Dense.norm(w1));
        this.eta = eta;
        this.etaStar = rule.etaStar();
        this.guaranteedLimit = rule.guaranteedLimit();
        this.rule = rule;
        this.automaticEta = o.stepMode() == GateOptions.StepMode.AUTO
                || (o.stepMode() == GateOptions.StepMode.GUARANTEED && Double.isNaN(o.eta()));
        this.averageFrom = o.averageFrom();
        points.add(new TrajectoryPoint(0, truth == null ? Double.NaN : Dense.distance(w1, truth), Double.NaN, Double.NaN));
    }

    /** Records iteration t; returns true when the run should stop (tolerance reached). */
    boolean step(int t, double[] w, double stepNorm, double lossSum, long rows, boolean last) {
        double n = Dense.norm(w);
        if (!Double.isFinite(n) || n > limit) {
            String pilotFigures = String.format("pilot: lambda_min = %.4g, lambda_max = %.4g, m4 = %.4g, C_b = %.4g, eta* ="
                    + " %.4g, kappa* = %.4g", rule.lambdaMin(), rule.lambdaMax(), rule.m4(), rule.cb(), etaStar, rule.kappaStar());
            String fix = automaticEta
                    ? String.format("the step was chosen automatically (eta = eta* from the pilot), so the pilot misjudged"
                    + " this data (a heavy-tailed or strongly non-stationary input law, or too few pilot rows): give a smaller --eta"
                    + " by hand, e.g. --eta %.3g, or more pilot rows (--pilot-samples)", eta / 10)
                    : String.format("the step --eta %.4g was given by hand; the theory guarantees contraction below"
                    + " lambda_min/C_b = %.4g: use a smaller --eta, or leave it out to use eta* = %.4g", eta, guaranteedLimit, etaStar);
            throw new GateDivergedException(String.format("the gate iteration diverged at iteration %d (||w|| = %.3g) with eta ="
                    + " %.4g (%s): %s", t, n, eta, pilotFigures, fix));
        }
        if (averageFrom > 0 && t >= averageFrom) {
            if (tailSum == null) tailSum = new double[w.length];
            for (int j = 0; j < w.length; j++) tailSum[j] += w[j];
            tailCount++;
        }
        windowStep += stepNorm;
        windowLoss += lossSum;
        windowRows += rows;
        windowCount++;
        if (t % evalEvery == 0 || last) {
            double meanStep = windowStep / windowCount;
            points.add(new TrajectoryPoint(t, truth == null ? Double.NaN : Dense.distance(w, truth),
                    windowLoss / Math.max(1, windowRows), meanStep));
            windowStep = 0;
            windowLoss = 0;
            windowRows = 0;
            windowCount = 0;
            if (tolerance > 0 && meanStep < tolerance) {
                converged = true;
                return true;
            }
        }
        return false;
    }

    boolean converged() { return converged; }

    /** The mean of w_t over t >= averageFrom, or null when averaging is off or not reached. */
    double[] tailAverage() {
        if (tailSum == null) return null;
        double[] a = tailSum.clone();
        for (int j = 0; j < a.length; j++) a[j] /= tailCount;
        return a;
    }

    List<TrajectoryPoint> points() { return points; }

}
