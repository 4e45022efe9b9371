package org.relulearn.experiment;

import java.util.Arrays;

/**
 * The slope of log error against log N between two sample sizes, each measured on several
 * independent instances (data seeds):
 * <pre>
 *   slope = (mean_i log e_hi,i - mean_j log e_lo,j) / log(N_hi / N_lo)
 *   se    = sqrt(s_hi^2 / m_hi + s_lo^2 / m_lo) / log(N_hi / N_lo)
 * </pre>
 * with s the sample standard deviation of log e at each end (ddof 1) and m the number of finite
 * errors there. It is the slope between geometric means: one fit per N gives a slope whose
 * instance-to-instance spread is about 0.2 over one decade for the method of moments at d = 20,
 * k = 4 (docs/experiments-moments-floor.md), too wide to tell N^-1/2 from a floor.
 *
 * @param slope the slope between geometric means (NaN if an end has no finite error)
 * @param se    its standard error (NaN when an end has fewer than two finite errors)
 * @param mLo   finite errors at N_lo
 * @param mHi   finite errors at N_hi
 */
public record RateSlope(double slope, double se, int mLo, int mHi) {

    public static RateSlope of(double nLo, double[] errorsLo, double nHi, double[] errorsHi) {
        if (!(nHi > nLo) || !(nLo > 0)) throw new IllegalArgumentException("need 0 < N_lo < N_hi, got " + nLo + ", " + nHi);
        double[] lo = logs(errorsLo), hi = logs(errorsHi);
        double span = Math.log(nHi / nLo);
        double slope = lo.length == 0 || hi.length == 0 ? Double.NaN : (mean(hi) - mean(lo)) / span;
        double se = lo.length < 2 || hi.length < 2 ? Double.NaN
                : Math.sqrt(variance(hi) / hi.length + variance(lo) / lo.length) / span;
        return new RateSlope(slope, se, lo.length, hi.length);
    }

    /** The geometric mean of the finite positive errors (NaN when there is none). */
    public static double geometricMean(double[] errors) {
        double[] l = logs(errors);
        return l.length == 0 ? Double.NaN : Math.exp(mean(l));
    }

    private static double[] logs(double[] e) {
        return Arrays.stream(e).filter(v -> Double.isFinite(v) && v > 0).map(Math::log).toArray();
    }

    private static double mean(double[] a) {
        double s = 0;
        for (double v : a) s += v;
        return s / a.length;
    }

    private static double variance(double[] a) {
        double m = mean(a), s = 0;
        for (double v : a) s += (v - m) * (v - m);
        return s / (a.length - 1);
    }
}
