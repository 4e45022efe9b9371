package org.relulearn.algo.gate;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.relulearn.data.Adversary;
import org.relulearn.data.Distributions;
import org.relulearn.data.OnlinePoisoning;
import org.relulearn.data.ReluGate;
import org.relulearn.data.SyntheticSource;
import org.relulearn.data.Teachers;
import org.relulearn.engine.LocalPassRunner;
import org.relulearn.engine.PassRunner;

/**
 * Many independent gate runs -- a grid over input law, attack (beta, theta*), adversary, b, eta,
 * update and seed -- each run a sequential streaming recursion inside one task. A run's teacher is
 * w* ~ N(0, I_d) from its seed, its start is w_1 = 1 (or 0), and its floor is the rms error over
 * the last {@code tail} iterations (the reference grid of docs/gate.md: 6000 steps, last 2000).
 */
public final class GateSweep {
    private GateSweep() {}

    /** One run of the grid. {@code eta} NaN means eta* from the run's own pilot pass. */
    public record RunSpec(int id, String distribution, int d, double beta, double theta, String adversary, int batch,
                          double eta, GateUpdate update, long seed, int iterations, int tail, boolean startAtOnes,
                          long pilotSamples) implements Serializable {
        public RunSpec {
            if (tail < 1 || tail > iterations) {
                throw new IllegalArgumentException("tail must be in [1, iterations], got " + tail);
            }
            Distributions.parse(distribution, d);
            Adversary.parse(adversary);
        }
    }

    /** A run's outcome: the floor, the error, steps to 1e-6, the theory's prediction and its trajectory. */
    public record RunSummary(RunSpec spec, double eta, double kappaStar, double finalError, double floorRms,
                             int stepsTo1e6, double predictedFloor, double seconds, int[] t, double[] error)
            implements Serializable {
        public Map<String, Object> row() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("run", spec.id());
            m.put("distribution", spec.distribution());
            m.put("d", spec.d());
            m.put("beta", spec.beta());
            m.put("theta", spec.theta());
            m.put("adversary", spec.adversary());
            m.put("batch", spec.batch());
            m.put("update", spec.update().name().toLowerCase(Locale.ROOT));
            m.put("seed", spec.seed());
            m.put("eta", eta);
            m.put("kappa_star", kappaStar);
            m.put("final_error", finalError);
            m.put("floor_rms", floorRms);
            m.put("steps_to_1e-6", stepsTo1e6);
            m.put("predicted_floor", predictedFloor);
            m.put("seconds", seconds);
            return m;
        }
    }

    /** Runs every {@link RunSpec} as one task and returns the summaries in grid order. */
    public static List<RunSummary> run(PassRunner runner, List<RunSpec> specs) {
        return runner.map(specs, GateSweep::execute, "gate: sweep of " + specs.size() + " runs");
    }

    /** One run, sequentially, in the calling thread (executor side). */
    public static RunSummary execute(RunSpec s) {
        long t0 = System.nanoTime();
        ReluGate gate = Teachers.randomGate(s.d(), s.seed(), false);
        OnlinePoisoning poison = s.beta() > 0 && s.theta() > 0
                ? new OnlinePoisoning(s.beta(), s.theta(), Adversary.parse(s.adversary())) : null;
        SyntheticSource src = new SyntheticSource(Distributions.parse(s.distribution(), s.d()), gate, poison, 1,
                s.seed() * 1_000_003L + 17, 0, 4096);
        GateOptions o = GateOptions.defaults().withUpdate(s.update()).withBatch(s.batch()).withIterations(s.iterations())
                .withEvalEvery(1).withPilotSamples(s.pilotSamples()).withMode(GateOptions.Mode.STREAMING, s.iterations())
                .withStep(Double.isNaN(s.eta()) ? GateOptions.StepMode.AUTO : GateOptions.StepMode.MANUAL, s.eta());
        double[] w1 = new double[s.d()];
        if (s.startAtOnes()) java.util.Arrays.fill(w1, 1);
        GateResult r = GateTrainer.fit(new LocalPassRunner(), src, o, w1, gate.weights());
        List<TrajectoryPoint> tr = r.trajectory();
        double ms = 0;
        int n = 0, hit = -1;
        for (TrajectoryPoint p : tr) {
            if (hit < 0 && p.error() < 1e-6) hit = p.t();
            if (p.t() > r.iterations() - s.tail()) {
                ms += p.error() * p.error();
                n++;
            }
        }
        // Trajectory thinned to about 200 points on a log-spaced grid of t, enough for plots.
        List<Integer> keep = new ArrayList<>();
        double next = 0;
        for (int i = 0; i < tr.size(); i++) {
            TrajectoryPoint p = tr.get(i);
            if (p.t() >= next || p.t() == r.iterations()) {
                keep.add(i);
                next = Math.max(p.t() + 1, p.t() * 1.03);
            }
        }
        int[] ts = new int[keep.size()];
        double[] es = new double[keep.size()];
        for (int i = 0; i < ts.length; i++) {
            ts[i] = tr.get(keep.get(i)).t();
            es[i] = tr.get(keep.get(i)).error();
        }
        double predicted = poison == null ? 0 : PoisoningTheory.floor(s.beta(), s.theta(), r.eta(), s.d(), s.batch(),
                r.pilot().lambdaMin(), r.pilot().lambdaMax(), poison.adversary() instanceof Adversary.Aligned);
        return new RunSummary(s, r.eta(), r.rule().kappaStar(), r.finalError(), Math.sqrt(ms / Math.max(1, n)), hit,
                predicted, (System.nanoTime() - t0) / 1e9, ts, es);
    }

    /**
     * Expands a grid: every distribution x attack x adversary x batch x eta x update x seed.
     *
     * @param attacks (beta, theta*) pairs
     */
    public static List<RunSpec> expand(List<String> distributions, int d, List<double[]> attacks, List<String> adversaries,
                                       List<Integer> batches, List<Double> etas, List<GateUpdate> updates, List<Long> seeds,
                                       int iterations, int tail, boolean startAtOnes, long pilotSamples) {
        List<RunSpec> out = new ArrayList<>();
        int id = 0;
        for (String dist : distributions) {
            for (double[] att : attacks) {
                for (String adv : adversaries) {
                    for (int b : batches) {
                        for (double eta : etas) {
                            for (GateUpdate u : updates) {
                                for (long seed : seeds) {
                                    out.add(new RunSpec(id++, dist, d, att[0], att[1], adv, b, eta, u, seed, iterations,
                                            tail, startAtOnes, pilotSamples));
                                }
                            }
                        }
                    }
                }
            }
        }
        if (out.isEmpty()) throw new IllegalArgumentException("the grid is empty: every axis needs at least one value");
        return out;
    }
}
