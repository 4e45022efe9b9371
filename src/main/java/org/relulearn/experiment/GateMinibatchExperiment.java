package org.relulearn.experiment;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.relulearn.algo.gate.GateSweep;
import org.relulearn.algo.gate.GateUpdate;
import org.relulearn.data.Teachers;
import org.relulearn.engine.PassRunner;
import org.relulearn.report.ExperimentReport;
import org.relulearn.report.Figure;
import org.relulearn.report.ResultTable;

/**
 * docs/gate.md, Guarantees: without poisoning, Tron at eta* contracts E||w_t - w*||^2 by
 * at most kappa* = 1 - lambda_min^2 / (4 C_b) per step, so the steps to error 1e-6 are at most
 * T = ceil(log(||w_1 - w*||^2 / 1e-12) / -log kappa*). Against the batch size b: the steps fall
 * about like 1/b until b reaches the curvature limit, while the samples used (steps x b) grow.
 * --scale multiplies the step cap.
 */
public final class GateMinibatchExperiment implements Experiment {
    public static final String NAME = "gate-minibatch";

    public record Settings(List<String> laws, int d, int[] batches, int maxIterations, int seeds, long pilotSamples) {}

    private final Settings s;

    public GateMinibatchExperiment(Settings s) { this.s = s; }

    public static GateMinibatchExperiment forScale(double scale) {
        return new GateMinibatchExperiment(new Settings(List.of("gaussian", "laplace:b=2", "uniform", "student-t:nu=5"), 50,
                new int[] {1, 4, 16, 64, 256}, (int) Math.min(Integer.MAX_VALUE / 2, Math.round(20_000 * Math.max(1, scale))),
                3, 200_000));
    }

    @Override public String name() { return NAME; }

    @Override public String summary() {
        return "steps to 1e-6 and samples used against the batch size b, beside kappa*'s prediction";
    }

    @Override
    public ExperimentReport run(PassRunner runner) {
        long t0 = System.nanoTime();
        ExperimentReport rep = new ExperimentReport(NAME, "Gate: steps to 1e-6 and samples used against the batch size");
        rep.setting("input laws", s.laws()).setting("d", s.d()).setting("batches", java.util.Arrays.toString(s.batches()))
                .setting("step", "eta* from a pilot pass").setting("start", "w_1 = 1").setting("no poisoning", true)
                .setting("step cap", s.maxIterations()).setting("seeds", "1.." + s.seeds());
        List<Integer> batches = new ArrayList<>();
        for (int b : s.batches()) batches.add(b);
        List<GateSweep.RunSpec> specs = GateSweep.expand(s.laws(), s.d(), List.<double[]>of(new double[] {0, 0}),
                List.of("alternating"), batches, List.of(Double.NaN), List.of(GateUpdate.TRON),
                LongStream.rangeClosed(1, s.seeds()).boxed().toList(), s.maxIterations(), 1, true, s.pilotSamples());
        List<GateSweep.RunSummary> runs = GateSweep.run(runner, specs);

        ResultTable table = new ResultTable("steps", "distribution", "batch", "seed", "eta", "kappa_star", "predicted_steps",
                "steps_to_1e-6", "samples_used");
        Figure steps = new Figure("steps-vs-batch", "Steps to ||w - w*|| < 1e-6 against the batch size", "batch size b",
                "steps").logX().logY();
        Figure samples = new Figure("samples-vs-batch", "Samples used (steps x b) against the batch size", "batch size b",
                "samples").logX().logY();
        for (String law : s.laws()) {
            double[] bx = new double[batches.size()], meas = new double[bx.length], pred = new double[bx.length];
            for (int i = 0; i < bx.length; i++) {
                int b = batches.get(i);
                bx[i] = b;
                int n = 0;
                double worstRatio = 0;
                for (GateSweep.RunSummary r : runs) {
                    GateSweep.RunSpec p = r.spec();
                    if (!p.distribution().equals(law) || p.batch() != b) continue;
                    double start = startDistanceSquared(p.d(), p.seed());
                    double t = Math.ceil(Math.log(start / 1e-12) / -Math.log(r.kappaStar()));
                    table.add(law, b, p.seed(), r.eta(), r.kappaStar(), t, r.stepsTo1e6(),
                            r.stepsTo1e6() < 0 ? -1L : (long) r.stepsTo1e6() * b);
                    double hit = r.stepsTo1e6() < 0 ? Double.POSITIVE_INFINITY : r.stepsTo1e6();
                    meas[i] += hit;
                    pred[i] += t;
                    worstRatio = Math.max(worstRatio, hit / t);
                    n++;
                }
                meas[i] /= n;
                pred[i] /= n;
                rep.checkAtMost(law + ", b=" + b + ": worst steps-to-1e-6 / kappa* prediction", 1.1, worstRatio,
                        "the contraction bound holds in every case (docs/gate.md, Reconstructed)");
            }
            double[] used = new double[bx.length], usedPred = new double[bx.length];
            for (int i = 0; i < bx.length; i++) {
                used[i] = meas[i] * bx[i];
                usedPred[i] = pred[i] * bx[i];
            }
            steps.measured(law, bx, meas).theory(law + " kappa* bound", bx, pred);
            samples.measured(law, bx, used).theory(law + " kappa* bound", bx, usedPred);
            if (bx.length >= 2) {
                rep.checkAtMost(law + ": steps at the largest b / steps at b=" + (int) bx[0], 1.0, meas[bx.length - 1] / meas[0],
                        "larger batches need fewer steps");
            }
        }
        steps.caption("Markers: mean steps over seeds at which ||w_t - w*|| first falls below 1e-6; dashed: the bound"
                + " T = log(||w_1 - w*||^2 / 1e-12) / -log kappa*, kappa* from the run's pilot pass.");
        samples.caption("The price of the batch: samples used grow with b once the step count stops falling.");
        rep.table(table).figure(steps).figure(samples);
        return rep.seconds((System.nanoTime() - t0) / 1e9);
    }

    /** ||w_1 - w*||^2 for w_1 = 1 and the run's teacher. */
    static double startDistanceSquared(int d, long seed) {
        double[] w = Teachers.randomGate(d, seed, false).weights();
        double s = 0;
        for (double v : w) s += (1 - v) * (1 - v);
        return s;
    }
}
