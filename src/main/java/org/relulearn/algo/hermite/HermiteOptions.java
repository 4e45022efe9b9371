package org.relulearn.algo.hermite;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Validated options of one Hermite-tensor fit of f(x) = sum_i a_i relu(w_i.x + b_i), x ~ N(0, I_d)
 * (docs/hermite.md, Algorithm; defaults of docs/tensor-gd.md, Design).
 *
 * @param units              hidden units m to fit, or 0 to count them from the order-2 spectrum against
 *                           the noise threshold {@code autoThreshold * std(yc) * sqrt(d/n)} [DEV]
 * @param contractions       L, the number of random contractions (g_l, G_l) of the stacked order-3/4 statistic (>= 2)
 * @param kmax               highest Hermite order of the per-unit coefficients (>= 4)
 * @param biasBound          B: the per-unit bias search grid is [-B, B]
 * @param gridPoints         points of that grid (odd, >= 101)
 * @param varianceReduction  [DEV] replace y by y minus its fitted degree-0/1/2 part before the order >= 2 sums
 * @param affineFit          [DEV] fit the residual affine function and emit it as three extra ReLU units
 * @param polishIterations   [DEV] full-batch gradient-descent passes over (a, W, b) after the tensor fit (0 = none)
 * @param polishStep         the gradient step eta (halved whenever the loss increases)
 * @param polishMomentum     heavy-ball momentum beta of the polish in [0, 1) (0 = plain gradient descent)
 * @param autoThreshold      the factor c of the auto-m / visibility threshold c std(yc) sqrt(d/n)
 * @param strictInput        a non-Gaussian input is an error (true) or a warning (false)
 * @param seed               seed of the random contractions
 */
public record HermiteOptions(int units, int contractions, int kmax, double biasBound, int gridPoints, boolean varianceReduction,
                             AffineFit affineFit, int polishIterations, double polishStep, double polishMomentum, double autoThreshold, boolean strictInput,
                             long seed) implements Serializable {

    /** When to fit the residual affine part: never, always, or when some unit is invisible, at the bias edge or of ambiguous orientation. */
    public enum AffineFit { OFF, ON, AUTO }

    public HermiteOptions {
        if (units < 0) throw new IllegalArgumentException("hidden units m must be >= 1 (or 0 = auto), got " + units);
        if (contractions < 2) throw new IllegalArgumentException("Jennrich needs at least 2 random contractions L, got " + contractions);
        if (kmax < 4 || kmax > 12) throw new IllegalArgumentException("kmax must be in [4, 12] (orders 2..4 are needed), got " + kmax);
        if (!(biasBound > 0) || !Double.isFinite(biasBound)) throw new IllegalArgumentException("bias bound B must be > 0, got " + biasBound);
        if (gridPoints < 101 || gridPoints % 2 == 0) throw new IllegalArgumentException("bias grid needs an odd number >= 101 of points, got " + gridPoints);
        if (affineFit == null) affineFit = AffineFit.AUTO;
        if (polishIterations < 0) throw new IllegalArgumentException("polish iterations must be >= 0, got " + polishIterations);
        if (!(polishStep > 0) || !Double.isFinite(polishStep)) throw new IllegalArgumentException("polish step must be > 0, got " + polishStep);
        if (!(polishMomentum >= 0 && polishMomentum < 1)) throw new IllegalArgumentException("polish momentum must be in [0, 1), got " + polishMomentum);
        if (!(autoThreshold > 0)) throw new IllegalArgumentException("auto threshold factor must be > 0, got " + autoThreshold);
    }

    /** The recommended configuration: L = 6, kmax = 5, B = 3, grid 6001, variance reduction on, affine fit auto, no polish. */
    public static HermiteOptions defaults() {
        return new HermiteOptions(0, 6, 5, 3.0, 6001, true, AffineFit.AUTO, 0, 0.2, 0.9, 6.0, true, 1);
    }

    /** The paper-faithful configuration: every [DEV] addition off (m must then be given: auto-m is itself an addition). */
    public static HermiteOptions faithful(int units) {
        return new HermiteOptions(units, 6, 5, 3.0, 6001, false, AffineFit.OFF, 0, 0.2, 0.9, 6.0, true, 1);
    }

    /** True when every engineering addition is off. */
    public boolean isFaithful() {
        return units > 0 && !varianceReduction && affineFit == AffineFit.OFF && polishIterations == 0;
    }

    public HermiteOptions withUnits(int m) {
        return new HermiteOptions(m, contractions, kmax, biasBound, gridPoints, varianceReduction, affineFit, polishIterations, polishStep, polishMomentum, autoThreshold, strictInput, seed);
    }

    public HermiteOptions withVarianceReduction(boolean on) {
        return new HermiteOptions(units, contractions, kmax, biasBound, gridPoints, on, affineFit, polishIterations, polishStep, polishMomentum, autoThreshold, strictInput, seed);
    }

    public HermiteOptions withAffineFit(AffineFit a) {
        return new HermiteOptions(units, contractions, kmax, biasBound, gridPoints, varianceReduction, a, polishIterations, polishStep, polishMomentum, autoThreshold, strictInput, seed);
    }

    public HermiteOptions withPolish(int iterations, double step) {
        return new HermiteOptions(units, contractions, kmax, biasBound, gridPoints, varianceReduction, affineFit, iterations, step, polishMomentum, autoThreshold, strictInput, seed);
    }

    public HermiteOptions withPolishMomentum(double beta) {
        return new HermiteOptions(units, contractions, kmax, biasBound, gridPoints, varianceReduction, affineFit, polishIterations, polishStep, beta, autoThreshold, strictInput, seed);
    }

    public HermiteOptions withContractions(int l) {
        return new HermiteOptions(units, l, kmax, biasBound, gridPoints, varianceReduction, affineFit, polishIterations, polishStep, polishMomentum, autoThreshold, strictInput, seed);
    }

    public HermiteOptions withKmax(int k) {
        return new HermiteOptions(units, contractions, k, biasBound, gridPoints, varianceReduction, affineFit, polishIterations, polishStep, polishMomentum, autoThreshold, strictInput, seed);
    }

    public HermiteOptions withBiasBound(double b) {
        return new HermiteOptions(units, contractions, kmax, b, gridPoints, varianceReduction, affineFit, polishIterations, polishStep, polishMomentum, autoThreshold, strictInput, seed);
    }

    public HermiteOptions withStrictInput(boolean s) {
        return new HermiteOptions(units, contractions, kmax, biasBound, gridPoints, varianceReduction, affineFit, polishIterations, polishStep, polishMomentum, autoThreshold, s, seed);
    }

    public HermiteOptions withSeed(long s) {
        return new HermiteOptions(units, contractions, kmax, biasBound, gridPoints, varianceReduction, affineFit, polishIterations, polishStep, polishMomentum, autoThreshold, strictInput, s);
    }

    public static AffineFit parseAffineFit(String s) {
        try {
            return AffineFit.valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown affine-fit mode '" + s + "': use off, on or auto");
        }
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("units", units == 0 ? "auto" : units);
        m.put("contractions", contractions);
        m.put("kmax", kmax);
        m.put("biasBound", biasBound);
        m.put("gridPoints", gridPoints);
        m.put("varianceReduction", varianceReduction);
        m.put("affineFit", affineFit.name().toLowerCase(Locale.ROOT));
        m.put("polishIterations", polishIterations);
        m.put("polishStep", polishStep);
        m.put("polishMomentum", polishMomentum);
        m.put("autoThreshold", autoThreshold);
        m.put("strictInput", strictInput);
        m.put("seed", seed);
        m.put("faithful", isFaithful());
        return m;
    }
}
