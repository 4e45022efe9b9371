package org.relulearn.algo.gate;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.relulearn.data.AdversaryContext;
import org.relulearn.data.Block;
import org.relulearn.data.SyntheticSource;
import org.relulearn.engine.AggregatorFactory;
import org.relulearn.engine.Data;
import org.relulearn.engine.PassRunner;
import org.relulearn.engine.Shared;
import org.relulearn.engine.SyntheticData;

/**
 * Trains one ReLU gate by the Tron iteration (or SGD) on fresh samples (docs/gate.md, Algorithm):
 * <pre>
 *   for t = 1..T:  draw b fresh rows from stream s + t;  r_i = y_i - relu(w_t . x_i)
 *                  w_{t+1} = w_t + (eta / b) sum_i r_i x_i       (SGD: r_i 1{w_t . x_i > 0})
 * </pre>
 * after a pilot pass (stream Long.MIN_VALUE + s) that estimates lambda_min, lambda_max and m4 for the
 * step-size rule. Iteration t always uses rows [0, b) of stream s + t, so the distributed mode (one
 * Spark job per iteration: broadcast w_t, each partition sums its share of the batch) and the
 * streaming mode (K iterations in one task, w carried between tasks) see the same samples and give
 * the same iterates up to summation order.
 */
public final class GateTrainer {
    private GateTrainer() {}

    /** Stream of the pilot sample, far from every iteration stream. */
    public static long pilotStream(SyntheticSource src) { return Long.MIN_VALUE + src.stream(); }

    /** Stream of iteration t's mini-batch. */
    public static long iterationStream(SyntheticSource src, int t) { return src.stream() + t; }

    /**
     * @param source labelled stream (its numRows is ignored: samples are drawn as needed)
     * @param w1     the start (null = 0)
     * @param truth  w* when known (for the trajectory's error), else null
     */
    public static GateResult fit(PassRunner runner, SyntheticSource source, GateOptions options, double[] w1, double[] truth) {
        return fit(runner, source, options, w1, truth, null, null);
    }

    /**
     * As {@link #fit(PassRunner, SyntheticSource, GateOptions, double[], double[])}, saving the
     * training state to {@code sink} every k iterations (null = never) and, when {@code resume} is
     * given, continuing from that state instead of starting at iteration 1 (no pilot pass). Both
     * modes reach the same final model as an uninterrupted run: in streaming mode the tasks end at
     * multiples of k, which changes no sample and no arithmetic.
     */
    public static GateResult fit(PassRunner runner, SyntheticSource source, GateOptions options, double[] w1, double[] truth,
                                 GateState.Sink sink, GateState resume) {
        int d = source.d();
        if (source.m() != 1) throw new IllegalArgumentException("the gate needs scalar labels; the data has m=" + source.m());
        double[] start = checkedStart(w1, d);
        long t0 = System.nanoTime();
        PilotStatistics pilot;
        List<String> warnings;
        if (resume == null) {
            pilot = pilot(runner, source, options.pilotSamples());
            warnings = checkPilot(pilot, options);
        } else {
            checkResumable(resume, d);
            pilot = resume.pilot();
            warnings = resume.warnings();
        }
        StepSizeRule rule = StepSizeRule.of(pilot, options.batch());
        double eta = resume == null ? chooseEta(options, rule) : resume.eta();
        GateRecorder recorder = resume == null ? new GateRecorder(truth, start, options, eta, rule) : resume.recorder();
        int tStart = resume == null ? 1 : resume.nextIteration();
        Saver saver = sink == null ? null : (next, wt, rec) -> sink.save(new GateState(next, wt, eta, pilot, warnings, rec));
        int every = sink == null ? Integer.MAX_VALUE : sink.every();
        GateOptions.Mode mode = options.effectiveMode();
        double[] w = resume == null ? start : resume.w();
        int done;
        if (mode == GateOptions.Mode.DISTRIBUTED) {
            Segment out = runPerIteration(runner, source, d, options, eta, w, recorder, (t, wt, factory, name) ->
                    runner.aggregate(new SyntheticData(source.withStream(iterationStream(source, t)).withNumRows(options.batch()),
                            new AdversaryContext(t, wt.clone())), factory, name), tStart, saver, every);
            w = out.w();
            done = out.tFrom() - 1;
        } else {
            Segment seg = new Segment(source, options, eta, w, tStart, recorder);
            while (seg.tFrom() <= options.iterations()) {
                int to = Math.min(options.iterations(), seg.tFrom() + options.segment() - 1);
                if (saver != null) to = Math.min(to, ((seg.tFrom() - 1) / every + 1) * every);
                String name = String.format("gate: iterations %d-%d/%d", seg.tFrom(), to, options.iterations());
                Segment in = seg.until(to);
                Segment out = runner.map(List.of(in), GateTrainer::runSegment, name).get(0);
                seg = out;
                if (out.stopped() || out.tFrom() > options.iterations()) break;
                if (saver != null && (out.tFrom() - 1) % every == 0) saver.save(out.tFrom(), out.w(), out.recorder());
            }
            w = seg.w();
            recorder = seg.recorder();
            done = seg.tFrom() - 1;
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        return new GateResult(w, done, recorder.converged(), eta, rule, pilot, List.copyOf(recorder.points()), mode, secs,
                (long) done * options.batch() + options.pilotSamples(), warnings, recorder.tailAverage());
    }

    /** Hands the state after an iteration to the sink (the sink serialises it before it changes). */
    @FunctionalInterface
    private interface Saver {
        void save(int nextIteration, double[] w, GateRecorder recorder);
    }

    private static void checkResumable(GateState s, int d) {
        if (s.w().length != d) {
            throw new IllegalArgumentException("the checkpoint's iterate has dimension " + s.w().length + " but the data has d=" + d
                    + ": resume with the options of the run that wrote it");
        }
    }

    /** Iteration t's mini-batch pass: sums r_i x_i over the batch for the shared iterate. */
    @FunctionalInterface
    private interface BatchPass {
        GateGradientAggregator run(int t, double[] w, AggregatorFactory<GateGradientAggregator> factory, String name);
    }

    /** Bytes of mini-batch rows fetched to the driver per job at most (see {@link GatheredBatches}). */
    static final long GATHER_BYTES = 8L << 20;

    /**
     * Mini-batches small enough to fetch: the rows of the next many iterations come to the driver in one
     * job ({@link PassRunner#gatherSamples}) and each iteration's sum runs there on its batch, so a run
     * of T iterations costs about T b (d + 1) 8 / {@value #GATHER_BYTES} jobs instead of T. The batches are
     * the ones {@link PassRunner#aggregateSample} draws (same seed, same draw t), in global row order.
     */
    private static final class GatheredBatches implements BatchPass {
        private final PassRunner runner;
        private final Data data;
        private final int batch, iterations, perJob;
        private final long seed;
        private java.util.List<org.relulearn.data.Block> held = java.util.List.of();
        private int heldFrom = 1;

        GatheredBatches(PassRunner runner, Data data, int batch, long seed, int iterations, int d) {
            this.runner = runner;
            this.data = data;
            this.batch = batch;
            this.seed = seed;
            this.iterations = iterations;
            this.perJob = (int) Math.max(1, Math.min(10_000, GATHER_BYTES / ((long) batch * (d + 1) * 8)));
        }

        @Override
        public GateGradientAggregator run(int t, double[] w, AggregatorFactory<GateGradientAggregator> factory, String name) {
            if (t < heldFrom || t >= heldFrom + held.size()) {
                int draws = Math.max(1, Math.min(perJob, iterations - t + 1));
                held = runner.gatherSamples(data, batch, seed, t, draws,
                        String.format("gate: mini-batches of iterations %d-%d/%d", t, t + draws - 1, iterations));
                heldFrom = t;
            }
            GateGradientAggregator g = factory.create();
            g.add(held.get(t - heldFrom));
            return g;
        }
    }

    /** One pass (Spark job) per iteration; returns the final state as a segment (tFrom = next iteration). */
    private static Segment runPerIteration(PassRunner runner, SyntheticSource source, int d, GateOptions o, double eta,
                                           double[] w, GateRecorder recorder, BatchPass pass, int tStart, Saver saver, int every) {
        GateUpdate update = o.update();
        int t = tStart;
        for (; t <= o.iterations(); t++) {
            Shared<double[]> shared = runner.share(w.clone());
            GateGradientAggregator g = pass.run(t, w, () -> new GateGradientAggregator(shared, update, d),
                    String.format("gate: iteration %d/%d", t, o.iterations()));
            shared.release();
            double[] next = w.clone();
            double stepNorm = applyStep(next, g.residualSum(), eta, g.count());
            w = next;
            if (recorder.step(t, w, stepNorm, g.lossSum(), g.count(), t == o.iterations())) {
                t++;
                break;
            }
            if (saver != null && t % every == 0 && t < o.iterations()) saver.save(t + 1, w, recorder);
        }
        return new Segment(source, o, eta, w, t, recorder, o.iterations(), t <= o.iterations());
    }

    /**
     * Trains on a fixed data set (files, a DataFrame): the pilot pass runs over all rows, and
     * iteration t's mini-batch is b rows drawn uniformly with replacement (draw t under
     * {@code seed}; {@link PassRunner#aggregateSample}), one pass per iteration. In the realizable
     * case w* is a fixed point for every sample, so the iterates still converge to w*; under
     * poisoning the floor is that of the empirical distribution (docs/gate.md, Checks).
     */
    public static GateResult fitOnData(PassRunner runner, Data data, GateOptions options, double[] w1, double[] truth, long seed) {
        return fitOnData(runner, data, options, w1, truth, seed, null, null);
    }

    /** {@link #fitOnData(PassRunner, Data, GateOptions, double[], double[], long)} with checkpoints and resume. */
    public static GateResult fitOnData(PassRunner runner, Data data, GateOptions options, double[] w1, double[] truth, long seed,
                                       GateState.Sink sink, GateState resume) {
        int d = data.d();
        if (data.m() != 1) throw new IllegalArgumentException("the gate needs one label per row; the data has m=" + data.m());
        double[] start = checkedStart(w1, d);
        long t0 = System.nanoTime();
        long n = data.numRows();
        PilotStatistics pilot;
        List<String> warnings;
        if (resume == null) {
            pilot = runner.aggregate(data, () -> new GatePilotAggregator(d, n), "gate: pilot pass").result();
            warnings = checkPilot(pilot, options);
        } else {
            checkResumable(resume, d);
            pilot = resume.pilot();
            warnings = resume.warnings();
        }
        StepSizeRule rule = StepSizeRule.of(pilot, options.batch());
        double eta = resume == null ? chooseEta(options, rule) : resume.eta();
        GateRecorder recorder = resume == null ? new GateRecorder(truth, start, options, eta, rule) : resume.recorder();
        Saver saver = sink == null ? null : (next, wt, rec) -> sink.save(new GateState(next, wt, eta, pilot, warnings, rec));
        BatchPass pass = (long) options.batch() * (d + 1) * 8 <= GATHER_BYTES
                ? new GatheredBatches(runner, data, options.batch(), seed, options.iterations(), d)
                : (t, w, factory, name) -> runner.aggregateSample(data, options.batch(), seed, t, factory, name);
        Segment out = runPerIteration(runner, null, d, options, eta, resume == null ? start : resume.w(), recorder, pass,
                resume == null ? 1 : resume.nextIteration(), saver, sink == null ? Integer.MAX_VALUE : sink.every());
        int done = out.tFrom() - 1;
        return new GateResult(out.w(), done, recorder.converged(), eta, rule, pilot, List.copyOf(recorder.points()),
                GateOptions.Mode.DISTRIBUTED, (System.nanoTime() - t0) / 1e9, (long) done * options.batch() + n, warnings,
                recorder.tailAverage());
    }

    /** w += (eta / rows) g; returns ||step||. */
    static double applyStep(double[] w, double[] g, double eta, long rows) {
        double scale = eta / rows, s = 0;
        for (int j = 0; j < w.length; j++) {
            double step = scale * g[j];
            w[j] += step;
            s += step * step;
        }
        return Math.sqrt(s);
    }

    /**
     * A run of consecutive iterations [tFrom, tTo] in one task: the state going in and, after
     * {@link #runSegment}, the state coming out (tFrom = next iteration to run).
     */
    public record Segment(SyntheticSource source, GateOptions options, double eta, double[] w, int tFrom,
                          GateRecorder recorder, int tTo, boolean stopped) implements Serializable {
        Segment(SyntheticSource source, GateOptions options, double eta, double[] w, int tFrom, GateRecorder recorder) {
            this(source, options, eta, w, tFrom, recorder, tFrom, false);
        }

        Segment until(int to) {
            return new Segment(source, options, eta, w, tFrom, recorder, to, false);
        }
    }

    /** Runs a segment's iterations sequentially on fresh samples (executor side). */
    static Segment runSegment(Segment s) {
        SyntheticSource src = s.source();
        GateOptions o = s.options();
        int b = o.batch(), d = src.d();
        SyntheticSource.Workspace ws = src.newWorkspace();
        Block buf = new Block(d, 1, b);
        double[] g = new double[d];
        double[] scratch = new double[b];
        double[] w = s.w().clone();
        GateRecorder rec = s.recorder();
        boolean stopped = false;
        int t = s.tFrom();
        for (; t <= s.tTo(); t++) {
            src.fillRows(iterationStream(src, t), 0, b, buf, ws, new AdversaryContext(t, w));
            java.util.Arrays.fill(g, 0);
            double loss = GateKernel.addResidualSum(buf, w, o.update(), g, scratch);
            double stepNorm = applyStep(w, g, s.eta(), b);
            if (rec.step(t, w, stepNorm, loss, b, t == o.iterations())) {
                stopped = true;
                t++;
                break;
            }
        }
        return new Segment(src, o, s.eta(), w, t, rec, s.tTo(), stopped);
    }

    /** The pilot pass: lambda_min, lambda_max, m4 and the symmetry/tail statistics. */
    public static PilotStatistics pilot(PassRunner runner, SyntheticSource source, long samples) {
        int d = source.d();
        SyntheticSource p = source.withStream(pilotStream(source)).withNumRows(samples);
        return runner.aggregate(new SyntheticData(p), () -> new GatePilotAggregator(d, samples), "gate: pilot pass").result();
    }

    /** The start w_1 (0 when null), checked against d and for finite entries. */
    private static double[] checkedStart(double[] w1, int d) {
        double[] start = w1 == null ? new double[d] : w1.clone();
        if (start.length != d) {
            throw new IllegalArgumentException("the start w_1 has dimension " + start.length + " but the data has d=" + d);
        }
        return org.relulearn.data.Checks.allFinite("start w_1", start);
    }

    /** The errors of docs/gate.md, Checks (singular Sigma; asymmetry in strict mode) and the pilot's warnings. */
    private static List<String> checkPilot(PilotStatistics pilot, GateOptions options) {
        List<String> warnings = new ArrayList<>(pilot.warnings());
        checkIdentifiable(pilot);
        if (options.strictSymmetry() && pilot.asymmetric()) {
            throw new IllegalArgumentException(warnings.get(0) + ". Strict symmetry mode refuses such data: centre"
                    + " your inputs only if they are symmetric about their mean, or drop --strict-symmetry");
        }
        return warnings;
    }

    static void checkIdentifiable(PilotStatistics p) {
        if (!(p.lambdaMin() > 1e-8 * Math.max(p.lambdaMax(), 1e-300))) {
            throw new IllegalArgumentException(String.format("the input covariance is singular (lambda_min = %.3g,"
                    + " lambda_max = %.3g): components of w* in its null space cannot be identified; remove constant or"
                    + " collinear features", p.lambdaMin(), p.lambdaMax()));
        }
    }

    static double chooseEta(GateOptions o, StepSizeRule rule) {
        return switch (o.stepMode()) {
            case AUTO -> rule.etaStar();
            case MANUAL -> o.eta();
            case GUARANTEED -> {
                double eta = Double.isNaN(o.eta()) ? rule.etaStar() : o.eta();
                if (eta >= rule.guaranteedLimit()) {
                    throw new IllegalArgumentException(String.format("eta = %.4g is not below lambda_min/C_b = %.4g, so"
                            + " the contraction guarantee does not hold; use eta < %.4g (eta* = %.4g) or --step-mode manual",
                            eta, rule.guaranteedLimit(), rule.guaranteedLimit(), rule.etaStar()));
                }
                yield eta;
            }
        };
    }
}
