package org.relulearn.cli;

import org.relulearn.algo.gate.GateOptions;
import org.relulearn.algo.gate.GateUpdate;
import picocli.CommandLine.Option;

/** Options of the gate iteration (docs/gate.md, Algorithm), mapped onto {@link GateOptions}. */
public class GateRunOptions {
    @Option(names = "--update", defaultValue = "tron", description = "tron (non-gradient) or sgd. Default: ${DEFAULT-VALUE}.")
    public String update;

    @Option(names = {"-b", "--batch"}, defaultValue = "16", description = "Mini-batch size b. Default: ${DEFAULT-VALUE}.")
    public int batch;

    @Option(names = "--step-mode", defaultValue = "auto",
            description = "auto (eta = eta*), guaranteed (refuse eta >= lambda_min/C_b) or manual. Default: ${DEFAULT-VALUE}.")
    public String stepMode;

    @Option(names = "--eta", description = "Step size (implies --step-mode manual unless guaranteed is given).")
    public Double eta;

    @Option(names = {"-T", "--iterations"}, defaultValue = "2000", description = "Iteration budget T. Default: ${DEFAULT-VALUE}.")
    public int iterations;

    @Option(names = "--tol", defaultValue = "0", description = "Stop when the mean ||w_{t+1}-w_t|| over a window is below this (0 = run T).")
    public double tol;

    @Option(names = "--eval-every", defaultValue = "10", description = "Record the trajectory every k iterations. Default: ${DEFAULT-VALUE}.")
    public int evalEvery;

    @Option(names = "--pilot-samples",
            description = "Rows of the pilot pass (lambda_min, lambda_max, m4). Default: 100 d^2, clamped to [1e5, 2e6].")
    public Long pilotSamples;

    @Option(names = "--mode", defaultValue = "auto",
            description = "distributed (a Spark job per iteration), streaming (K iterations per task) or auto (distributed from b >= "
                    + GateOptions.DISTRIBUTE_FROM + "). Default: ${DEFAULT-VALUE}.")
    public String mode;

    @Option(names = "--segment", defaultValue = "1000", description = "Streaming mode: iterations per Spark task K. Default: ${DEFAULT-VALUE}.")
    public int segment;

    @Option(names = "--average-from", defaultValue = "-1",
            description = "Report the Polyak tail average of w_t over t >= this beside the last iterate (-1: the second half,"
                    + " t >= T/2; 0: off). Default: the second half.")
    public int averageFrom;

    @Option(names = "--strict-symmetry", defaultValue = "false", description = "Refuse asymmetric inputs instead of warning.")
    public boolean strictSymmetry;

    /** The default pilot size: enough rows that the eigenvalue estimates of the d x d sums settle. */
    public static long defaultPilotSamples(int d) {
        return Math.max(100_000L, Math.min(2_000_000L, 100L * d * d));
    }

    public GateOptions toOptions(int d) {
        GateOptions.StepMode sm = GateOptions.parseStepMode(stepMode);
        if (eta != null && sm == GateOptions.StepMode.AUTO) sm = GateOptions.StepMode.MANUAL;
        return new GateOptions(GateUpdate.parse(update), batch, sm, eta == null ? Double.NaN : eta, iterations, tol,
                evalEvery, pilotSamples != null ? pilotSamples : defaultPilotSamples(d), GateOptions.parseMode(mode), segment, strictSymmetry,
                averageFrom < 0 ? Math.max(1, iterations / 2) : averageFrom);
    }
}
