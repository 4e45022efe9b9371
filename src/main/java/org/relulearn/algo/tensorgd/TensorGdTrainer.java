package org.relulearn.algo.tensorgd;

import java.util.ArrayList;
import java.util.List;
import org.relulearn.engine.Data;
import org.relulearn.engine.PassRunner;

/**
 * Learns y = sum_j v_j relu(w_j . x) + noise, x ~ N(0, I_d), by tensor initialisation (Phase I,
 * {@link TensorInitializer}) followed by full-batch gradient descent on the same rows (Phase II,
 * {@link GradientDescent}): Zhang, Yu, Wang, Gu (AISTATS 2019) with the initialisation of Zhong et
 * al. (ICML 2017; arXiv 1806.07808 and 1706.03175; docs/tensor-gd.md). Every pass is an additive aggregate through the
 * {@link PassRunner}, so the same code runs locally and on Spark.
 *
 * <p>After GD a stall check (docs/tensor-gd.md, Diagnostics): a converged run whose mean squared residual 2L is
 * above 20% of var(y) -- or above 2 nu^2 + 1e-3 var(y) when the noise variance nu^2 is given -- is
 * reported as a probable spurious stationary point.
 */
public final class TensorGdTrainer {
    private TensorGdTrainer() {}

    /**
     * @param truth         W* (row-major K x d) when known, for errors; else null
     * @param noiseVariance nu^2 when known (stall check), else NaN
     */
    public static TensorGdResult fit(PassRunner runner, Data data, TensorGdOptions o, double[] truth, double noiseVariance) {
        return fit(runner, data, o, truth, noiseVariance, null, null);
    }

    /**
     * As {@link #fit(PassRunner, Data, TensorGdOptions, double[], double)}, saving Phase II's state
     * to {@code sink} every k GD iterations (null = never) and, with {@code resume}, skipping Phase I
     * (the saved state holds its result; only the input-statistics pass is repeated, for n and
     * var(y)) and continuing GD from the saved iterate.
     */
    public static TensorGdResult fit(PassRunner runner, Data data, TensorGdOptions o, double[] truth, double noiseVariance,
                                     DescentState.Sink sink, DescentState resume) {
        int d = data.d();
        if (!o.autoK() && truth != null && truth.length != o.k() * d) {
            throw new IllegalArgumentException("the known W* must be K x d = " + o.k() + " x " + d);
        }
        List<String> warnings = new ArrayList<>();
        long t0 = System.nanoTime();
        InputStats st;
        InitResult init;
        double phase1;
        if (resume == null) {
            st = TensorInitializer.validate(runner, data, o, warnings);
            init = TensorInitializer.initialise(runner, data, st, o, warnings);
            phase1 = (System.nanoTime() - t0) / 1e9;
        } else {
            st = TensorInitializer.validate(runner, data, o, new ArrayList<>());   // its warnings are among the saved ones
            init = resume.init();
            warnings.addAll(resume.warnings());
            phase1 = resume.phase1Seconds();
        }
        int k = init.w0().length / d;
        if (o.autoK()) {
            o = o.withK(k);
            if (truth != null && truth.length != k * d) {
                warnings.add(String.format("warning: K = %d was chosen but the known teacher has %d units: no matched error is"
                        + " reported; give -k %d to fit the teacher's width", k, truth.length / d, truth.length / d));
                truth = null;
            }
        }
        double initErr = truth == null ? Double.NaN : MatchedError.of(init.w0(), truth, k, d);
        if (o.initOnly() || o.iterations() == 0) {
            return new TensorGdResult(k, d, st.n(), init.w0(), init.v(), init, null, initErr, initErr, Double.NaN, List.copyOf(warnings),
                    new double[] {phase1, 0});
        }
        long t1 = System.nanoTime();
        GradientDescent.Result gd = GradientDescent.run(runner, data, init.w0(), init.v(), o, truth, warnings, sink, resume, init, phase1);
        double phase2 = (System.nanoTime() - t1) / 1e9;
        double mse = 2 * gd.finalLoss(), varY = st.varY();
        double limit = Double.isNaN(noiseVariance) ? 0.2 * varY : 2 * noiseVariance + 1e-3 * varY;
        if (gd.converged() && mse > limit) {
            warnings.add(String.format("warning: GD stalled at mean squared residual %.4g, well above %s %.4g: probably a spurious"
                    + " stationary point; re-initialise (another --seed) or use more rows", mse,
                    Double.isNaN(noiseVariance) ? "0.2 var(y) =" : "the noise level", limit));
        }
        return new TensorGdResult(k, d, st.n(), gd.w(), init.v(), init, gd, initErr, gd.finalMatchedError(), gd.finalLoss(),
                List.copyOf(warnings), new double[] {phase1, phase2});
    }
}
