package org.relulearn.algo.convex;

import java.util.Arrays;
import java.util.Comparator;
import org.relulearn.data.OneHiddenLayerNetwork;
import org.relulearn.engine.Data;
import org.relulearn.engine.PassRunner;
import org.relulearn.engine.Shared;

/**
 * Margin-aware gates for the robust convex program (our own choice, not from the paper; docs/convex.md).
 * A pattern D_i can carry a nonzero robust group only if its cone {u : (2D_i - I) X u &gt;= eps ||u~||_1}
 * is not {0}; the gate h_i itself is a witness when its robust margin
 * <pre>
 *   m_i = min_r |x_r . h_i| - eps ||h~_i||_1 &gt; 0       (h~ = feature coordinates, the bias not perturbed)
 * </pre>
 * i.e. when no row lies within l_inf distance eps of the gate's hyperplane (distance min_r |x_r . h_i| / ||h~_i||_1).
 * Random Gaussian gates in many dimensions pass close to some row, so every group dies at radii comparable to
 * the data spacing; gates taken from a trained network's first layer (rows [w_j, b_j]) follow the data's
 * structure. {@link #measure} computes every candidate's margin in one distributed pass and recentres its bias
 * coordinate to the middle of the gap between the active and inactive rows (same pattern, largest margin for
 * that direction); {@link Margins#ranked} orders the gates by margin and can drop those without one.
 */
public final class GateChoice {
    private GateChoice() {}

    /** Where the gates of a fit come from. */
    public enum Source {
        /** Gaussian gates (ConvexOptions.patterns, seed), the default. */
        SAMPLED,
        /** The first layer of a trained network (rows [w_j, b_j]). */
        BASELINE,
        /** The trained network's first layer, then the Gaussian gates. */
        BASELINE_SAMPLED;

        public static Source parse(String s) {
            return switch (s.trim().toLowerCase(java.util.Locale.ROOT)) {
                case "sampled" -> SAMPLED;
                case "baseline" -> BASELINE;
                case "baseline+sampled", "baseline-sampled" -> BASELINE_SAMPLED;
                default -> throw new IllegalArgumentException("unknown gate source '" + s + "': use sampled, baseline or baseline+sampled");
            };
        }

        public String label() {
            return switch (this) {
                case SAMPLED -> "sampled";
                case BASELINE -> "baseline";
                case BASELINE_SAMPLED -> "baseline+sampled";
            };
        }
    }

    /**
     * The first-layer rows of {@code net} as gates, P = hidden units, row j = [w_j, b_j] (d' = d + 1), or
     * [w_j] without the bias column (then every bias of the network must be zero, else its patterns differ).
     */
    public static double[] fromNetwork(OneHiddenLayerNetwork net, boolean bias) {
        int d = net.inputDim(), k = net.hiddenUnits(), dp = ConvexFeatures.columns(d, bias);
        double[] w = net.weights(), b = net.biases();
        double[] g = new double[k * dp];
        for (int j = 0; j < k; j++) {
            System.arraycopy(w, j * d, g, j * dp, d);
            if (bias) {
                g[j * dp + d] = b[j];
            } else if (b[j] != 0) {
                throw new IllegalArgumentException("hidden unit " + j + " has bias " + b[j] + " but the fit has no bias column:"
                        + " keep the bias column (--bias) to take gates from a network with biases");
            }
        }
        return g;
    }

    /** a then b (gate lists of the same width). */
    public static double[] concat(double[] a, double[] b) {
        double[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /**
     * Margins of candidate gates at radius eps.
     *
     * @param gates    the gates, recentred (same patterns on the data)
     * @param distance per gate, the l_inf distance of the closest row to its hyperplane, min_r |x_r . h| / ||h~||_1
     *                 (+inf for a gate with h~ = 0 or without active or inactive rows)
     * @param margin   per gate, m = min_r |x_r . h| - eps ||h~||_1 (robust margin in units of x . h)
     */
    public record Margins(double[] gates, int dp, double eps, double[] distance, double[] margin) {
        public int size() { return margin.length; }

        /** Gates with a positive robust margin. */
        public int positive() {
            int c = 0;
            for (double m : margin) if (m > 0) c++;
            return c;
        }

        /**
         * The gates ordered by distance, farthest first (so the pattern dedupe keeps, per pattern, the gate
         * with the largest margin), without those whose margin is not positive when {@code onlyPositive}
         * (none dropped when no gate has a margin: the trainer then reports the collapse itself).
         */
        public double[] ranked(boolean onlyPositive) {
            Integer[] order = new Integer[size()];
            for (int i = 0; i < order.length; i++) order[i] = i;
            Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -distance[i]));
            boolean filter = onlyPositive && positive() > 0;
            double[] out = new double[(filter ? positive() : size()) * dp];
            int k = 0;
            for (int i : order) {
                if (filter && !(margin[i] > 0)) continue;
                System.arraycopy(gates, i * dp, out, k++ * dp, dp);
            }
            return out;
        }
    }

    /**
     * One pass over the data ({@link GateMarginAggregator}): each gate's gap between its inactive and active
     * rows; with the bias column, the bias coordinate moves to the middle of the gap (a gate whose rows are all
     * on one side is kept as it is). No data goes to the driver.
     */
    public static Margins measure(PassRunner runner, Data data, double[] gates, boolean bias, double eps) {
        int d = data.d(), dp = ConvexFeatures.columns(d, bias);
        if (gates.length == 0 || gates.length % dp != 0) {
            throw new IllegalArgumentException("gate vectors have " + dp + " entries each, but " + gates.length + " numbers were given");
        }
        int p = gates.length / dp;
        Shared<double[]> shared = runner.share(gates.clone());
        GateMarginAggregator agg;
        try {
            agg = runner.aggregate(data, () -> new GateMarginAggregator(shared, p, bias), "convex: gate margins");
        } finally {
            shared.release();
        }
        double[] lo = agg.below(), hi = agg.above();
        double[] out = gates.clone(), distance = new double[p], margin = new double[p];
        for (int i = 0; i < p; i++) {
            double l1 = 0;
            for (int c = 0; c < d; c++) l1 += Math.abs(gates[i * dp + c]);
            double minAbs;
            if (bias && Double.isFinite(lo[i]) && Double.isFinite(hi[i])) {
                double shift = (lo[i] + hi[i]) / 2;
                out[i * dp + d] -= shift;
                minAbs = (hi[i] - lo[i]) / 2;
            } else {
                minAbs = Math.min(-lo[i], hi[i]);
            }
            distance[i] = l1 > 0 ? minAbs / l1 : Double.POSITIVE_INFINITY;
            margin[i] = l1 > 0 ? minAbs - eps * l1 : (minAbs > 0 ? Double.POSITIVE_INFINITY : 0);
        }
        return new Margins(out, dp, eps, distance, margin);
    }
    /**
     * Margin ascent on the gates (our own heuristic): each gate h = [w, b] is scaled to ||w||_1 = 1, then
     * {@code steps} projected gradient steps maximise the soft minimum F(h) = -tau log sum_r exp(-|x_r . h| / tau)
     * of the rows' distances to its hyperplane over the l1 ball ||w||_1 &lt;= 1 (b free; the l1 norm is the dual of
     * the l_inf radius, so the projection also drops weights on uninformative features):
     * h &lt;- proj(h + rate grad F / ||grad F||_inf), one distributed pass per step for all gates at once
     * ({@link GateAscentAggregator}). The rows may change sides, so the pattern moves towards a gap in the data.
     * Per gate the iterate with the largest exact distance (hi - lo) / 2 / ||w||_1 that still has rows on both
     * sides is kept, recentred; a gate that never had both sides is returned scaled but unchanged.
     * Not a global method: the margin problem is non-convex (max-margin clustering); the start decides the gap found.
     *
     * @param log receives one summary line; may be null
     */
    public static double[] refine(PassRunner runner, Data data, double[] gates, boolean bias, int steps, double tau, double rate,
                                  java.util.function.Consumer<String> log) {
        int d = data.d(), dp = ConvexFeatures.columns(d, bias);
        if (gates.length == 0 || gates.length % dp != 0) {
            throw new IllegalArgumentException("gate vectors have " + dp + " entries each, but " + gates.length + " numbers were given");
        }
        if (steps < 0 || !(tau > 0) || !(rate > 0)) {
            throw new IllegalArgumentException("margin ascent needs steps >= 0, tau > 0 and rate > 0; got " + steps + ", " + tau + ", " + rate);
        }
        int p = gates.length / dp;
        double[] h = gates.clone();
        for (int i = 0; i < p; i++) {
            double l1 = l1(h, i, dp, d);
            if (l1 > 0) for (int j = 0; j < dp; j++) h[i * dp + j] /= l1;
        }
        double[] best = h.clone(), bestDist = new double[p], shift = new double[p], startDist = new double[p];
        Arrays.fill(bestDist, Double.NEGATIVE_INFINITY);
        Arrays.fill(startDist, Double.NaN);
        for (int t = 0; t <= steps; t++) {
            Shared<double[]> shared = runner.share(h.clone());
            double[] sh = shift.clone();
            GateAscentAggregator agg;
            try {
                agg = runner.aggregate(data, () -> new GateAscentAggregator(shared, sh, tau, p, dp, bias),
                        String.format("convex: gate margin ascent %d/%d", t, steps));
            } finally {
                shared.release();
            }
            double[] lo = agg.below(), hi = agg.above(), s = agg.sums(), g = agg.gradientSums();
            for (int i = 0; i < p; i++) {
                double l1 = l1(h, i, dp, d);
                if (Double.isFinite(lo[i]) && Double.isFinite(hi[i]) && l1 > 0) {
                    double dist = (hi[i] - lo[i]) / 2 / l1;
                    if (t == 0) startDist[i] = dist;
                    if (dist > bestDist[i]) {
                        bestDist[i] = dist;
                        System.arraycopy(h, i * dp, best, i * dp, dp);
                        if (bias) best[i * dp + d] -= (lo[i] + hi[i]) / 2;
                    }
                }
                shift[i] = Math.min(-lo[i], hi[i]);
                if (!Double.isFinite(shift[i])) shift[i] = 0;
                if (t == steps || !(s[i] > 0)) continue;
                double gmax = 0;
                for (int j = 0; j < dp; j++) gmax = Math.max(gmax, Math.abs(g[i * dp + j]));
                if (!(gmax > 0)) continue;
                for (int j = 0; j < dp; j++) h[i * dp + j] += rate * g[i * dp + j] / gmax;
                projectL1(h, i * dp, d);
            }
        }
        if (log != null) {
            int improved = 0;
            double before = 0, after = 0;
            int both = 0;
            for (int i = 0; i < p; i++) {
                if (Double.isFinite(bestDist[i])) {
                    both++;
                    after = Math.max(after, bestDist[i]);
                    if (!Double.isNaN(startDist[i])) {
                        before = Math.max(before, startDist[i]);
                        if (bestDist[i] > startDist[i] + 1e-12) improved++;
                    }
                }
            }
            log.accept(String.format(java.util.Locale.ROOT, "convex: gate margin ascent, %d steps: %d of %d gates improved; largest"
                    + " l_inf distance of the data to a gate hyperplane %.4g -> %.4g", steps, improved, p, before, after));
        }
        return best;
    }

    private static double l1(double[] h, int i, int dp, int d) {
        double s = 0;
        for (int c = 0; c < d; c++) s += Math.abs(h[i * dp + c]);
        return s;
    }

    /** Euclidean projection of h[off .. off+d) onto the l1 ball of radius 1 (sort-based, Duchi et al. 2008). */
    static void projectL1(double[] h, int off, int d) {
        double s = 0;
        for (int c = 0; c < d; c++) s += Math.abs(h[off + c]);
        if (s <= 1) return;
        double[] u = new double[d];
        for (int c = 0; c < d; c++) u[c] = Math.abs(h[off + c]);
        Arrays.sort(u);
        double cum = 0, theta = 0;
        for (int k = 1; k <= d; k++) {
            double uk = u[d - k];
            cum += uk;
            double th = (cum - 1) / k;
            if (uk - th > 0) theta = th;
        }
        for (int c = 0; c < d; c++) {
            double a = Math.abs(h[off + c]) - theta;
            h[off + c] = a > 0 ? Math.copySign(a, h[off + c]) : 0;
        }
    }
    /** Margin ascent defaults (data units: the data should be standardised, as for the robust solver's smoothing). */
    public static final int ASCENT_STEPS = 100;
    public static final double ASCENT_TAU = 0.02;
    public static final double ASCENT_RATE = 0.02;

    /**
     * The gates chosen by {@link #marginAware}.
     *
     * @param gates      the gates for the fit (margin-ranked, those with a positive margin; the all-ones gate alone when none has one)
     * @param candidates gates given
     * @param positive   candidates whose refined gate has a positive robust margin at eps
     * @param largestDistance the largest l_inf distance of the data to a refined gate's hyperplane (a two-sided pattern
     *                   can carry a nonzero robust group only if such a distance is &gt; eps; the gates found are
     *                   not proven optimal)
     */
    public record Chosen(double[] gates, int candidates, int positive, double largestDistance) {}

    /**
     * Margin-aware gates at radius eps (our own choice, not from the paper): the candidates go through
     * {@link #refine} ({@link #ASCENT_STEPS} passes), then {@link #measure} (one pass), are ranked by distance and
     * only those with a positive robust margin are kept. When none has one, with the bias column the all-ones gate
     * e_{d'} alone is returned (every row active: the only pattern whose robust cone never collapses, so the fit is
     * an affine network instead of zero), without it all candidates. Gates without a margin are dropped because
     * their groups die anyway and they slow the solver (measured in docs/convex.md). ASCENT_STEPS + 2 passes, no
     * data on the driver.
     */
    public static Chosen marginAware(PassRunner runner, Data data, double[] candidates, boolean bias, double eps,
                                     java.util.function.Consumer<String> log) {
        int dp = ConvexFeatures.columns(data.d(), bias);
        double[] refined = refine(runner, data, candidates, bias, ASCENT_STEPS, ASCENT_TAU, ASCENT_RATE, log);
        Margins m = measure(runner, data, refined, bias, eps);
        double largest = 0;
        for (int i = 0; i < m.size(); i++) {
            if (Double.isFinite(m.distance()[i])) largest = Math.max(largest, m.distance()[i]);
        }
        double[] kept;
        String what;
        if (m.positive() > 0) {
            kept = m.ranked(true);
            what = "the " + m.positive() + " with a margin, farthest first";
        } else if (bias) {
            // No two-sided pattern found with a margin: only the all-active pattern (the affine part) can carry weight.
            kept = new double[dp];
            kept[dp - 1] = 1;
            what = "only the all-ones gate (every row active: an affine network), as no candidate has a margin";
        } else {
            kept = m.ranked(false);
            what = "all, as none has a margin (without the bias column there is no all-ones gate)";
        }
        if (log != null) {
            log.accept(String.format(java.util.Locale.ROOT, "convex: margin-aware gates at eps %g: %d of %d candidates have a positive"
                    + " robust margin (largest distance of the data to a refined hyperplane %.4g); kept %s", eps, m.positive(), m.size(),
                    largest, what));
        }
        return new Chosen(kept, m.size(), m.positive(), largest);
    }
}
