package org.relulearn.algo.gate;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Validated options of one gate run.
 *
 * @param update       TRON (the paper's non-gradient step) or SGD
 * @param batch        mini-batch size b >= 1
 * @param stepMode     AUTO: eta = eta*; GUARANTEED: eta (default eta*) must be below lambda_min / C_b; MANUAL: eta as given
 * @param eta          the step size for GUARANTEED/MANUAL (NaN = eta*)
 * @param iterations   iteration budget T >= 1
 * @param tolerance    stop when the mean ||w_{t+1} - w_t|| over a window of {@code evalEvery} steps falls below it (0 = never)
 * @param evalEvery    record the trajectory every k iterations
 * @param pilotSamples rows of the pilot pass that estimates lambda_min, lambda_max and m4
 * @param mode         DISTRIBUTED (one Spark job per iteration), STREAMING (K iterations per task) or AUTO (by b)
 * @param segment      iterations per streaming task K
 * @param strictSymmetry turn the asymmetry warning into an error
 * @param averageFrom  average the iterates w_t for t >= averageFrom (Polyak tail average; 0 = off)
 */
public record GateOptions(GateUpdate update, int batch, StepMode stepMode, double eta, int iterations, double tolerance,
                          int evalEvery, long pilotSamples, Mode mode, int segment, boolean strictSymmetry,
                          int averageFrom)
        implements Serializable {

    public enum StepMode { AUTO, GUARANTEED, MANUAL }

    public enum Mode { AUTO, DISTRIBUTED, STREAMING }

    /** b at or above which AUTO mode distributes each mini-batch. */
    public static final int DISTRIBUTE_FROM = 10_000;

    public GateOptions {
        if (update == null) throw new IllegalArgumentException("update must be tron or sgd");
        if (batch < 1) throw new IllegalArgumentException("mini-batch size b must be >= 1, got " + batch);
        if (iterations < 1) throw new IllegalArgumentException("iterations T must be >= 1, got " + iterations);
        if (stepMode == StepMode.MANUAL && !(eta > 0 && Double.isFinite(eta))) {
            throw new IllegalArgumentException("step size eta must be a finite number > 0, got " + eta);
        }
        if (stepMode == StepMode.GUARANTEED && !Double.isNaN(eta) && !(eta > 0 && Double.isFinite(eta))) {
            throw new IllegalArgumentException("step size eta must be a finite number > 0, got " + eta);
        }
        if (!(tolerance >= 0)) throw new IllegalArgumentException("tolerance must be >= 0, got " + tolerance);
        if (evalEvery < 1) throw new IllegalArgumentException("evaluation interval must be >= 1, got " + evalEvery);
        if (pilotSamples < 2) throw new IllegalArgumentException("pilot samples must be >= 2, got " + pilotSamples);
        if (segment < 1) throw new IllegalArgumentException("streaming segment must be >= 1 iteration, got " + segment);
        if (mode == null) mode = Mode.AUTO;
        if (averageFrom < 0) throw new IllegalArgumentException("averageFrom must be >= 0, got " + averageFrom);
    }

    /** Defaults: Tron, b = 16, eta*, T = 2000, trajectory every 10 steps, 100k pilot rows, AUTO mode. */
    public static GateOptions defaults() {
        return new GateOptions(GateUpdate.TRON, 16, StepMode.AUTO, Double.NaN, 2000, 0, 10, 100_000, Mode.AUTO, 1000, false, 0);
    }

    public GateOptions withUpdate(GateUpdate u) {
        return new GateOptions(u, batch, stepMode, eta, iterations, tolerance, evalEvery, pilotSamples, mode, segment, strictSymmetry, averageFrom);
    }

    public GateOptions withBatch(int b) {
        return new GateOptions(update, b, stepMode, eta, iterations, tolerance, evalEvery, pilotSamples, mode, segment, strictSymmetry, averageFrom);
    }

    public GateOptions withStep(StepMode sm, double e) {
        return new GateOptions(update, batch, sm, e, iterations, tolerance, evalEvery, pilotSamples, mode, segment, strictSymmetry, averageFrom);
    }

    public GateOptions withIterations(int t) {
        return new GateOptions(update, batch, stepMode, eta, t, tolerance, evalEvery, pilotSamples, mode, segment, strictSymmetry, averageFrom);
    }

    public GateOptions withTolerance(double tol) {
        return new GateOptions(update, batch, stepMode, eta, iterations, tol, evalEvery, pilotSamples, mode, segment, strictSymmetry, averageFrom);
    }

    public GateOptions withEvalEvery(int k) {
        return new GateOptions(update, batch, stepMode, eta, iterations, tolerance, k, pilotSamples, mode, segment, strictSymmetry, averageFrom);
    }

    public GateOptions withPilotSamples(long n) {
        return new GateOptions(update, batch, stepMode, eta, iterations, tolerance, evalEvery, n, mode, segment, strictSymmetry, averageFrom);
    }

    public GateOptions withMode(Mode md, int k) {
        return new GateOptions(update, batch, stepMode, eta, iterations, tolerance, evalEvery, pilotSamples, md, k, strictSymmetry, averageFrom);
    }

    public GateOptions withStrictSymmetry(boolean s) {
        return new GateOptions(update, batch, stepMode, eta, iterations, tolerance, evalEvery, pilotSamples, mode, segment, s, averageFrom);
    }

    public GateOptions withAverageFrom(int t) {
        return new GateOptions(update, batch, stepMode, eta, iterations, tolerance, evalEvery, pilotSamples, mode, segment, strictSymmetry, t);
    }

    /** The mode actually used. */
    public Mode effectiveMode() {
        if (mode != Mode.AUTO) return mode;
        return batch >= DISTRIBUTE_FROM ? Mode.DISTRIBUTED : Mode.STREAMING;
    }

    public static StepMode parseStepMode(String s) {
        try {
            return StepMode.valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown step mode '" + s + "': use auto, guaranteed or manual");
        }
    }

    public static Mode parseMode(String s) {
        try {
            return Mode.valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown mode '" + s + "': use auto, distributed or streaming");
        }
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("update", update.name().toLowerCase(Locale.ROOT));
        m.put("batch", batch);
        m.put("stepMode", stepMode.name().toLowerCase(Locale.ROOT));
        m.put("eta", Double.isNaN(eta) ? null : eta);
        m.put("iterations", iterations);
        m.put("tolerance", tolerance);
        m.put("evalEvery", evalEvery);
        m.put("pilotSamples", pilotSamples);
        m.put("mode", effectiveMode().name().toLowerCase(Locale.ROOT));
        m.put("segment", segment);
        return m;
    }
}
