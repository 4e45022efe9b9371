package org.relulearn.experiment;

import org.relulearn.algo.hermite.HermiteOptions;
import org.relulearn.algo.hermite.HermiteRecovery;
import org.relulearn.algo.hermite.HermiteResult;
import org.relulearn.algo.hermite.HermiteTeacher;
import org.relulearn.algo.hermite.HermiteTrainer;
import org.relulearn.algo.hermite.ReluNet;
import org.relulearn.data.Block;
import org.relulearn.data.Distributions;
import org.relulearn.data.OneHiddenLayerNetwork;
import org.relulearn.data.SyntheticSource;
import org.relulearn.engine.PassRunner;
import org.relulearn.engine.SyntheticData;
import org.relulearn.report.ExperimentReport;
import org.relulearn.report.Figure;
import org.relulearn.report.ResultTable;

/**
 * docs/hermite.md, Acceptance gates: recovery of a, W and b of y = sum_i a_i relu(w_i . x + b_i) from Hermite
 * moment tensors against the number of samples n, tensor-only and after the gradient-descent polish,
 * for the two bias sets of the acceptance gates (one on the zeros of single Hermite orders). Errors
 * after Hungarian matching with orientation; --scale multiplies the sample counts.
 */
public final class HermiteExperiment implements Experiment {
    public static final String NAME = "hermite";

    static final double[][] BIASES = {{0, 1, -1, 0.5}, {-1.5, 0.3, 1.2, -0.4}};

    public record Settings(int d, long[] ns, long polishMaxN, int polishPasses, long seed) {}

    private final Settings s;

    public HermiteExperiment(Settings s) { this.s = s; }

    public static HermiteExperiment forScale(double scale) {
        java.util.List<Long> ns = new java.util.ArrayList<>();
        for (long n = 100_000; n <= Math.round(1_000_000 * scale); n *= 10) ns.add(n);
        return new HermiteExperiment(new Settings(8, ns.stream().mapToLong(Long::longValue).toArray(), 100_000, 200, 1));
    }

    @Override public String name() { return NAME; }

    @Override public String summary() {
        return "recovery of a, W and b of a ReLU network with biases against n, tensor-only and polished";
    }

    @Override
    public ExperimentReport run(PassRunner runner) {
        long t0 = System.nanoTime();
        ExperimentReport rep = new ExperimentReport(NAME, "ReLU networks with biases from Hermite moment tensors: error against n");
        rep.setting("d", s.d()).setting("units m", 4).setting("bias sets", "(0, 1, -1, 0.5) and (-1.5, 0.3, 1.2, -0.4)")
                .setting("n", java.util.Arrays.toString(s.ns())).setting("polish", s.polishPasses() + " passes for n <= " + s.polishMaxN() + ", first bias set (gate (c))")
                .setting("input", "N(0, I), noiseless").setting("seed", s.seed()).setting("affine fit", "off (m = 4 given)");
        ResultTable table = new ResultTable("errors", "biases", "n", "fit", "parameter_error", "min_signed_cosine", "orientations_right",
                "seconds");
        Figure fig = new Figure("error-vs-n", "Parameter error of (a, W, b) against n", "samples n", "parameter error").logX().logY();
        for (int bi = 0; bi < BIASES.length; bi++) {
            OneHiddenLayerNetwork t = HermiteTeacher.network(s.d(), BIASES[bi], s.seed());
            ReluNet truth = HermiteTeacher.asNet(t);
            String label = java.util.Arrays.toString(BIASES[bi]);
            double[] xs = new double[s.ns().length], err = new double[xs.length];
            java.util.List<double[]> pol = new java.util.ArrayList<>();
            for (int i = 0; i < xs.length; i++) {
                long n = s.ns()[i];
                SyntheticSource src = new SyntheticSource(Distributions.parse("gaussian", s.d()), t, null, n, s.seed(), 0,
                        Block.rowsForBudget(s.d(), 1, 1L << 20));
                HermiteOptions o = HermiteOptions.defaults().withUnits(4).withAffineFit(HermiteOptions.AffineFit.OFF).withSeed(s.seed());
                long a = System.nanoTime();
                HermiteResult r = HermiteTrainer.fit(runner, new SyntheticData(src), o);
                HermiteRecovery rec = HermiteRecovery.of(r.tensorNet(), truth);
                xs[i] = n;
                err[i] = rec.parameterError();
                table.add(label, n, "tensor only", rec.parameterError(), rec.minSignedCosine(), rec.orientationsRight(),
                        (System.nanoTime() - a) / 1e9);
                if (n >= 800_000) {
                    rep.checkAtLeast(label + ", n=" + n + ": min |cos| of the matched directions", 0.99, Math.abs(rec.minSignedCosine()),
                            "docs/hermite.md gate (b)");
                    rep.checkAtLeast(label + ", n=" + n + ": orientations right", 4, rec.orientationsRight(), "docs/hermite.md gate (b)");
                }
                if (bi == 0 && n <= s.polishMaxN() && s.polishPasses() > 0) {
                    a = System.nanoTime();
                    HermiteResult p = HermiteTrainer.fit(runner, new SyntheticData(src), o.withPolish(s.polishPasses(), 0.2));
                    HermiteRecovery pr = HermiteRecovery.of(p.tensorNet(), truth);
                    pol.add(new double[] {n, pr.parameterError()});
                    table.add(label, n, "polished", pr.parameterError(), pr.minSignedCosine(), pr.orientationsRight(),
                            (System.nanoTime() - a) / 1e9);
                    rep.checkAtMost(label + ", n=" + n + ": polished parameter error", 0.1, pr.parameterError(),
                            "docs/hermite.md gate (c)");
                }
            }
            fig.measured(label + " tensor only", xs, err);
            if (!pol.isEmpty()) {
                fig.measured(label + " polished", pol.stream().mapToDouble(v -> v[0]).toArray(), pol.stream().mapToDouble(v -> v[1]).toArray());
            }
            if (xs.length >= 2) {
                double[] line = new double[xs.length];
                for (int i = 0; i < xs.length; i++) line[i] = err[xs.length - 1] * Math.sqrt(xs[xs.length - 1] / xs[i]);
                fig.theory(label + " n^-1/2", xs, line);
            }
        }
        fig.caption("Tensor-only errors carry the finite-sample error of the order-3/4 statistics (about n^-1/2); the"
                + " polish (gradient descent over a, W, b from the tensor fit) removes it on noiseless data.");
        rep.table(table).figure(fig);
        return rep.seconds((System.nanoTime() - t0) / 1e9);
    }
}
